"""Benchmark: the conformance battery's time per initializer against its floor: the framework's own time to draw the same
values plus the least work the battery's statistics need on them.

    python -m initcheck.bench_conformance [--tier quick|default] [--framework NAME ...]

Prints, per initializer, the battery's seconds (its draws included), the seconds spent inside the sampler ("draw"), the
statistics' floor on as many values as the battery drew (a 16-bit battery at the default tier draws 4× the tensors, and
its floor is measured on them), the ratio battery / (draw + floor) (target ≤ 2 at the default tier, issue 25:
a fast sampler's draw alone is below the floor, so "≤ 2× the draw" cannot hold at the power the battery needs), and the
setup before the battery (the framework's import, the first in a process, and the rule's derivation); then the whole
matrix's wall time per framework. First the four correct NumPy samplers of the foil
catalogue, then each installed framework's matrix (Keras on the backend of this process only). The floor line is the
least per-value work of the battery's statistics on the default tier's 5.08 M values, measured here: a copy to
float64, per-tensor sums of w, w² and w⁴ on each probe, max|w| with the count beyond 5 sd, and one sort of every value
for the fit tests (KS and A², on A, B and C pooled).
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import numpy as np

from initcheck.conformance import _installed, conform, run_matrix
from initcheck.conformance.battery import TIERS, probes
from initcheck.conformance.foils import CORRECT
from initcheck.conformance.matrix import FRAMEWORKS


def _best(function: Any, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def floor_seconds(rng: np.random.Generator, tier: str, replicates: int | None = None) -> tuple[float, int]:
    """The least work of the battery's statistics on one draw of the tier's values (best of 5), and their count;
    `replicates` tensors of each probe (default the tier's least: a 16-bit battery draws 4× as many, and its floor is
    measured on as many values)."""
    replicates = replicates or TIERS[tier]["min_replicates"]
    values = [rng.standard_normal((replicates, *p.shape), dtype=np.float32).reshape(replicates, -1) for p in probes("keras", tier)]

    def work() -> None:
        for v in values:
            v.astype(np.float64)
            v.sum(axis=1, dtype=np.float64)
            np.einsum("ij,ij->i", v, v, dtype=np.float64)
            np.abs(v).max()
            np.count_nonzero(np.abs(v) > 5)
            squares = v * v
            np.einsum("ij,ij->i", squares, squares, dtype=np.float64)
        np.sort(np.concatenate([v.ravel() for v in values]))

    return _best(work), sum(v.size for v in values)


TARGET = 2.0  # battery ≤ TARGET × (draw + floor), at the default tier


_FLOORS: dict[tuple[str, int], float] = {}


def _floor(record: dict[str, Any], default: float) -> float:
    """The floor on as many replicates as the record drew (measured once per count; the tier's probe shapes)."""
    replicates, tier = record.get("design", {}).get("replicates"), record.get("tier", "default")
    if not replicates or replicates == TIERS[tier]["min_replicates"]:
        return default
    if (tier, replicates) not in _FLOORS:
        _FLOORS[tier, replicates] = floor_seconds(np.random.default_rng(0), tier, replicates)[0]
    return _FLOORS[tier, replicates]


def _line(label: str, record: dict[str, Any], floor: float) -> float | None:
    if "draw_seconds" not in record:
        print(f"{label:<70} {record.get('status', '?')}: {record.get('reason', '')[:60]}")
        return None
    floor = _floor(record, floor)
    ratio = record["seconds"] / (record["draw_seconds"] + floor)
    setup = f"{record['setup_seconds']:8.2f}" if "setup_seconds" in record else " " * 8
    print(f"{label:<70} {record['seconds']:8.2f} {record['draw_seconds']:8.3f} {floor:8.3f} {ratio:7.2f}× {setup}")
    return ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", choices=tuple(TIERS), default="default", help="the frameworks' tier (default: default, where the target applies; quick: as the main job's matrix runs)")
    parser.add_argument("--framework", nargs="+", choices=FRAMEWORKS, default=list(FRAMEWORKS), help="frameworks to time (default: all)")
    args = parser.parse_args(argv)
    floors = {tier: floor_seconds(np.random.default_rng(0), tier) for tier in dict.fromkeys(("default", args.tier))}
    for tier, (floor, count) in floors.items():
        print(f"floor, {tier} tier: {floor * 1e3:.0f} ms of statistics on its {count / 1e6:.2f} M values (the battery cannot do less)")
    header = f"{'initializer':<70} {'battery':>8} {'draw':>8} {'floor':>8} {'ratio':>8} {'setup':>8}"
    print(f"\nthe correct NumPy samplers of the foil catalogue, default tier (target: battery ≤ {TARGET:g} × (draw + floor))\n{header}")
    for foil in CORRECT:
        conform(foil.function, foil.rule, layout="keras", tier="default", seed=1)  # warm: the rule derived, NumPy paged in
        # the fastest of three runs of the same battery (same seed, same work): this machine's speed varies from run to run
        fastest = min((conform(foil.function, foil.rule, layout="keras", tier="default", seed=0) for _ in range(3)), key=lambda r: r["seconds"])
        _line(f"{foil.name} as {foil.rule} (fastest of 3)", fastest, floors["default"][0])
    for framework in args.framework:
        if not _installed(framework):
            print(f"\n{framework}: not installed (pip install 'initcheck[frameworks]')")
            continue
        print(f"\n{framework}, {args.tier} tier\n{header}")
        started = time.perf_counter()
        records = run_matrix(framework, tier=args.tier, other_backends=False, dtypes="listed")
        wall = time.perf_counter() - started
        floor = floors[args.tier][0]
        ratios = [r for r in (_line(f"{rec.get('target', '?')} [{rec.get('dtype', '')}] as {rec.get('rule', '')}", rec, floor) for rec in records) if r is not None]
        within = sum(r <= TARGET for r in ratios)
        median = f"{statistics.median(ratios):.2f}×" if ratios else "n/a"
        print(f"{framework}: the whole matrix {wall:.1f} s for {len(records)} records; battery / (draw + floor): median {median}, ≤ {TARGET:g}× in {within} of {len(ratios)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
