"""Benchmark: the conformance battery's time per initializer against its floor: the framework's own time to draw the same
values plus the least work the battery's statistics need on them.

    python -m initcheck.bench_conformance [--tier quick|default] [--framework NAME ...]

Prints, per initializer, the battery's seconds (its draws included), the seconds spent inside the sampler ("draw"), the
statistics' floor for its rule and dtype on as many values as the battery drew (a 16-bit battery at the default tier
draws 4× the tensors, and its floor is measured on them), the ratio battery / (draw + floor) (target ≤ 2 at the default
tier, issue 25: a fast sampler's draw alone is below the floor, so "≤ 2× the draw" cannot hold at the power the battery
needs), the same ratio to the floor without the fit's functions ("no F/ln"), and the setup before the battery (the
framework's import, the first in a process, and the rule's derivation); then the whole matrix's wall time per
framework. First the four correct NumPy samplers of the foil catalogue, then each installed framework's matrix (Keras
on the backend of this process only).

`tox -e bench` runs it with glibc keeping freed memory in the process (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_;
see tox.ini): on a virtual machine that faults memory in slowly, the kernel's time otherwise swamps the battery's own.

The floor is the least per-value work of the battery's statistics, measured here on the default tier's 5.08 M values:
a copy to float64, per-tensor sums of w, w² and w⁴ on each probe, max|w| with the count beyond 5 sd, one sort of every
value (the duplicate count and the fit tests, KS and A² on A, B and C pooled), and the fit's per-value functions: the
rule's CDF on every value (a float32 or float64 draw) and A²'s ln u and ln(1 − u) on every u. The statistics need
those functions at every value, and they cost as much as the sort with NumPy's AVX2 code (the floor without them, the
sort and the sums, was 48-54 ms with AVX-512 dispatch disabled against 210 ms as found on AMD Zen 4, whose NumPy
AVX-512 sort is 6× slower). In 16 bits a level count and the pooled U's order take the sort's place: the
randomized transform's U must come out ascending, and n ascending uniforms cost at least n exponentials and their
running sum (Devroye's construction, the cheapest known; a merge of the probes' three ascending runs, this floor's
term until the battery stopped merging, cost as much). See `floor_seconds`.
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import time
from typing import Any

import numpy as np

from initcheck.conformance import _installed, conform, run_matrix
from initcheck.conformance.battery import TIERS, judged_rounded, probes, sorts_values
from initcheck.conformance.foils import CORRECT
from initcheck.conformance.matrix import FRAMEWORKS
from initcheck.conformance.rules import law


def _best(function: Any, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def floor_seconds(
    rng: np.random.Generator, tier: str, replicates: int | None = None, *, rule: str | None = None, dtype: str = "float32",
    shapes: tuple[tuple[int, ...], ...] | None = None, fit: bool = True,
) -> tuple[float, int]:
    """The least work of the battery's statistics on one draw of the tier's values (best of 5), and their count.

    `replicates` tensors of each probe (default the tier's least: a 16-bit battery draws 4× as many, and its floor is
    measured on as many values), of the tier's probe shapes or `shapes` (a layer's). The sums run on float32 values
    (float64 for a float64 record; the battery's own copies are float64, so this is the cheaper side). With a `rule`
    whose battery fits a law (every family but orthogonal), and `fit`, the floor adds the fit's per-value functions,
    which no implementation of KS and A² can skip: U = F(w/sd) through the rule's own CDF and A²'s ln u and ln(1 − u)
    on every u. In a 16-bit dtype the battery judges the rounded law and needs no sort: there the floor counts each
    probe's values by level (a bincount of float16 bit patterns; float16 stands for bfloat16, which NumPy lacks) and
    makes n ascending uniforms, the pooled U's order (n standard exponentials and their running sum), in place of the
    sort and the CDF; an orthogonal rule in 16 bits needs neither. `fit=False`: the same work without the CDF and the
    logarithms (the bench's "no F/ln" column)."""
    replicates = replicates or TIERS[tier]["min_replicates"]
    rule_law = law(rule) if rule else None
    fitted = rule_law is not None and rule_law.family != "orthogonal"
    rounded = rule_law is not None and judged_rounded(dtype, rule_law.family)  # the fit counts levels: no sort, no CDF
    sorted_whole = rule_law is None or sorts_values(dtype, rule_law.family)  # as the battery decides (no rule: the sort)
    kind = np.float64 if dtype == "float64" else np.float32
    values = [rng.standard_normal((replicates, *p.shape), dtype=kind).reshape(replicates, -1) for p in probes("keras", tier, shapes)]
    levels = [v.astype(np.float16).view(np.uint16) for v in values] if rounded else []  # the 16-bit values' bit patterns
    cdf = rule_law.cdf if fitted and fit and not rounded else None  # type: ignore[union-attr]
    runs = [np.sort(rng.random(v.size)) for v in values] if fitted else []  # each probe's U ascending (A²'s u)
    uniforms = np.concatenate(runs) if runs else np.empty(0)
    jitter = np.random.default_rng(0)

    def work() -> None:
        for v in values:
            v.astype(np.float64)
            v.sum(axis=1, dtype=np.float64)
            np.einsum("ij,ij->i", v, v, dtype=np.float64)
            np.abs(v).max()
            np.count_nonzero(np.abs(v) > 5)
            squares = v * v
            np.einsum("ij,ij->i", squares, squares, dtype=np.float64)
        if rounded:
            for bits in levels:
                np.bincount(bits.ravel(), minlength=1 << 16)
            ordered = jitter.standard_exponential(uniforms.size)
            np.cumsum(ordered, out=ordered)
        elif sorted_whole:
            ordered = np.sort(np.concatenate([v.ravel() for v in values]))
            if cdf is not None:
                cdf(ordered.astype(np.float64))
        if fitted and fit:
            np.log(uniforms)
            np.log1p(-uniforms)

    return _best(work), sum(v.size for v in values)


TARGET = 2.0  # battery ≤ TARGET × (draw + floor), at the default tier


_FLOORS: dict[tuple[Any, ...], float] = {}


def _shapes(record: dict[str, Any]) -> tuple[tuple[int, ...], ...]:
    """The probe shapes a record drew, read from its probe labels ("A (64, 256) (fan_in 64, fan_out 256)": battery.probes)."""
    return tuple(tuple(int(d) for d in re.match(r"\w+ \(([\d, ]*)\)", label)[1].replace(",", " ").split()) for label in record["design"]["probes"])  # type: ignore[index]


def _floor(record: dict[str, Any], *, fit: bool = True) -> float:
    """The floor for the record's rule and dtype on as many tensors of its probe shapes as it drew (measured once for
    each); `fit=False` without the fit's functions."""
    tier = record.get("tier", "default")
    replicates, shapes = record["design"]["replicates"], _shapes(record)
    rule, dtype = record.get("rule"), record.get("dtype", "float32")
    key = (tier, replicates, shapes, rule, dtype if dtype in ("float32", "float64") else "16-bit", fit)
    if key not in _FLOORS:
        _FLOORS[key] = floor_seconds(np.random.default_rng(0), tier, replicates, rule=rule, dtype=dtype, shapes=shapes, fit=fit)[0]
    return _FLOORS[key]


def _fastest(runs: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each record's fastest timed run, in the first run's order. Records are matched across runs by target, dtype and
    rule (and their count so far: an entry may appear twice), so a run whose failed process gave fewer records cannot
    shift the rest; an untimed record (an error, a refusal) is kept only where no run timed that entry."""
    best: dict[tuple[Any, ...], dict[str, Any]] = {}
    for run in runs:
        seen: dict[tuple[Any, ...], int] = {}
        for record in run:
            entry = (record.get("target"), record.get("dtype"), record.get("rule"))
            key = (*entry, seen.setdefault(entry, 0))
            seen[entry] += 1
            held = best.get(key)
            if held is None or ("draw_seconds" in record, -record.get("seconds", math.inf)) > ("draw_seconds" in held, -held.get("seconds", math.inf)):
                best[key] = record
    return list(best.values())


def _line(label: str, record: dict[str, Any]) -> float | None:
    if "draw_seconds" not in record:
        print(f"{label:<70} {record.get('status', '?')}: {record.get('reason', '')[:60]}")
        return None
    floor, bare = _floor(record), _floor(record, fit=False)
    ratio = record["seconds"] / (record["draw_seconds"] + floor)
    setup = f"{record['setup_seconds']:8.2f}" if "setup_seconds" in record else " " * 8
    print(f"{label:<70} {record['seconds']:8.2f} {record['draw_seconds']:8.3f} {floor:8.3f} {ratio:7.2f}× {record['seconds'] / (record['draw_seconds'] + bare):7.2f}× {setup}")
    return ratio


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"--repeats must be a positive integer, got {text!r}")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", choices=tuple(TIERS), default="default", help="the frameworks' tier (default: default, where the target applies; quick: as the main job's matrix runs)")
    parser.add_argument("--repeats", type=_positive, default=2, help="runs of each framework's matrix; each record's fastest is shown (default: 2)")
    parser.add_argument("--framework", nargs="+", choices=FRAMEWORKS, default=list(FRAMEWORKS), help="frameworks to time (default: all)")
    args = parser.parse_args(argv)
    for tier in dict.fromkeys(("default", args.tier)):
        bare, count = floor_seconds(np.random.default_rng(0), tier)
        fitted = floor_seconds(np.random.default_rng(0), tier, rule=CORRECT[0].rule)[0]
        print(
            f"floor, {tier} tier, on its {count / 1e6:.2f} M values: {bare * 1e3:.0f} ms of sums and one sort; "
            f"{fitted * 1e3:.0f} ms with the fit's F and A²'s logarithms ({CORRECT[0].rule}; each line's floor is its rule's)"
        )
    header = f"{'initializer':<70} {'battery':>8} {'draw':>8} {'floor':>8} {'ratio':>8} {'no F/ln':>8} {'setup':>8}"
    print(f"\nthe correct NumPy samplers of the foil catalogue, default tier (target: battery ≤ {TARGET:g} × (draw + floor); 'no F/ln': the ratio to the floor without the fit's functions)\n{header}")
    for foil in CORRECT:
        conform(foil.function, foil.rule, layout="keras", tier="default", seed=1)  # warm: the rule derived, NumPy paged in
        # the fastest of three runs of the same battery (same seed, same work): this machine's speed varies from run to run
        fastest = min((conform(foil.function, foil.rule, layout="keras", tier="default", seed=0) for _ in range(3)), key=lambda r: r["seconds"])
        _line(f"{foil.name} as {foil.rule} (fastest of 3)", fastest)
    for framework in args.framework:
        if not _installed(framework):
            print(f"\n{framework}: not installed (pip install 'initcheck[frameworks]')")
            continue
        print(f"\n{framework}, {args.tier} tier\n{header}")
        runs, walls = [], []
        for _ in range(args.repeats):  # each record's fastest run: the first pays for warm-up, and this machine's speed varies
            started = time.perf_counter()
            runs.append(run_matrix(framework, tier=args.tier, other_backends=False, dtypes="listed"))
            walls.append(time.perf_counter() - started)
        records = _fastest(runs)
        ratios = [r for r in (_line(f"{rec.get('target', '?')} [{rec.get('dtype', '')}] as {rec.get('rule', '')}", rec) for rec in records) if r is not None]
        within = sum(r <= TARGET for r in ratios)
        median = f"{statistics.median(ratios):.2f}×" if ratios else "n/a"
        print(f"{framework}: the whole matrix {walls[0]:.1f} s for {len(records)} records (its first run); each record's fastest of {args.repeats} runs: battery / (draw + floor): median {median}, ≤ {TARGET:g}× in {within} of {len(ratios)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
