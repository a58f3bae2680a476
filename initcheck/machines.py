"""The machine matrix on one machine: the float-sensitive checks and their tests under every CPU configuration this
machine can emulate, and the requirement that they give the same verdicts.

    python -m initcheck.machines [--only ID ...] [--all] [--no-tests] [--out FILE] [--workers N]

What changes the last bits of a float64 number here, and how it is emulated (each configuration is a fresh process):

- NumPy's SIMD loops (exp, tanh, reductions): NPY_DISABLE_CPU_FEATURES turns dispatch levels off. Levels: as found;
  X86_V4 (AVX-512) and its extensions off; X86_V3 (AVX2) off too. A level the CPU lacks cannot be switched on: a
  configuration whose dispatch is the same as another's is listed as such and not run twice.
- OpenBLAS's kernel: OPENBLAS_CORETYPE forces one (Haswell, SkylakeX, Zen, Sandybridge, Nehalem, Prescott). Each is
  probed first: one this CPU cannot execute (SkylakeX without AVX-512 dies of SIGILL) is recorded as not runnable.
- OpenBLAS's threads (OPENBLAS_NUM_THREADS 1 and 2). The checks hold BLAS to one thread inside each unit of work
  (initcheck.execution), so this dimension moves only the tests' numbers.

The baseline is the configuration as found; every other dimension is varied alone, then all together at their lowest
(least SIMD, oldest kernel, one thread). In each configuration the float-sensitive checks run (FLOAT_SENSITIVE: the
bit-for-bit properties and SYM-CONST's float64 runs; `--all` runs every claim's simulation and property checks) and,
unless --no-tests, their tests (TESTS). The verdict table (claim, kind → verdict and passed) must be the same in every
configuration: exit 0 if it is, 1 if any differs (the difference is printed), 2 for bad usage. Printed beside it: per
kind of check, how far the recorded numbers moved between configurations (the largest relative difference of any
number, and where), and SYM-CONST's float-sensitive measurements per configuration.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Claims with a check that compares floats bit for bit (units identical, a weight exactly 0, σ' ≤ ¼ after rounding) or
# measures from round-off (SYM-CONST's one-ulp runs), or whose judged quantity is a float64 root or fit.
FLOAT_SENSITIVE = (
    "SYM-CONST", "SYM-ZERO-2LAYER", "SYM-PERCEPTRON-LEARNS", "SYM-RELU-STALL", "SYM-XOR", "SYM-CONST-XOR", "SYM-BACKPROP-2LAYER",
    "GRAD-SIGMOID-MAX", "GRAD-CHAIN", "GRAD-W4", "GRAD-INTERVAL", "GRAD-INTERVAL-MAX", "GRAD-IDENTITY", "GRAD-MATRIX-SHRINK",
    "REG-BATCHNORM", "REG-BN-GRAD", "REG-DROPOUT-ENSEMBLE", "SAT-XENT",
)  # fmt: skip
KINDS = ("simulation", "property")  # symbolic checks are SymPy and mpmath: pure Python, no SIMD loop or BLAS in them
TESTS = ("tests/test_transverse.py", "tests/test_properties.py", "tests/test_verdicts.py")
KERNELS = ("Haswell", "SkylakeX", "Zen", "Sandybridge", "Nehalem", "Prescott")
# NumPy ≥ 2 names its x86 levels; a level is off with the extensions above it. Names NumPy does not dispatch are dropped.
X86_LEVELS = (("X86_V4", "AVX512_ICL", "AVX512_SPR"), ("X86_V3", "X86_V4", "AVX512_ICL", "AVX512_SPR"))
SIGILL = (132, -4)  # an illegal instruction: the shell's 128 + 4, or the signal itself
# -P: the working directory is not put on sys.path, so the checkout's initcheck/ folder (whose theory, sims and reports
# exist only as installed) never stands in for the installed package when this runs from the checkout (tox)
ISOLATED = ("-P",)

PROBE = """
import json, numpy as np, threadpoolctl
from initcheck.environment import numpy_simd
a = np.random.default_rng(0).standard_normal((200, 200))
value = float((a @ a).sum())
blas = [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
print(json.dumps({"simd": numpy_simd()["dispatch_used"], "kernel": blas[0].get("architecture") if blas else None, "threads": blas[0].get("num_threads") if blas else None}))
"""


class UsageError(Exception):
    """Bad usage (exit 2)."""


def _env(config: dict[str, str]) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("NPY_DISABLE_CPU_FEATURES", "OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS")}
    return {**environment, **{k: v for k, v in config.items() if v}}


def probe(config: dict[str, str]) -> dict[str, Any]:
    """What a process started with `config` really runs: its NumPy dispatch and BLAS kernel, or why it cannot run."""
    try:
        done = subprocess.run([sys.executable, *ISOLATED, "-c", PROBE], env=_env(config), capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return {"runs": False, "why": "the probe did not finish in 120 s"}
    if done.returncode in SIGILL:
        return {"runs": False, "why": "illegal instruction: this CPU cannot execute it"}
    if done.returncode != 0:
        return {"runs": False, "why": (done.stderr.strip().splitlines() or ["exit " + str(done.returncode)])[-1]}
    return {"runs": True, **json.loads(done.stdout.strip().splitlines()[-1])}


def dispatch_levels() -> list[str]:
    """NPY_DISABLE_CPU_FEATURES values: as found, then each level off (only names this NumPy dispatches)."""
    from initcheck.environment import numpy_simd

    dispatched = set(numpy_simd()["dispatch"])
    levels = [""]
    if "X86_V3" in dispatched:
        levels += [" ".join(n for n in level if n in dispatched) for level in X86_LEVELS]
    elif dispatched:  # NumPy 1.x or another architecture: everything dispatched off
        levels.append(" ".join(numpy_simd()["dispatch"]))
    return levels


def configurations() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the configurations to run, those not run: not runnable here, or the same as one that runs), each with its probe."""
    base = {"NPY_DISABLE_CPU_FEATURES": "", "OPENBLAS_CORETYPE": "", "OPENBLAS_NUM_THREADS": ""}
    candidates = [base]
    candidates += [{**base, "NPY_DISABLE_CPU_FEATURES": level} for level in dispatch_levels()[1:]]
    if platform.machine() in ("x86_64", "AMD64"):
        candidates += [{**base, "OPENBLAS_CORETYPE": kernel} for kernel in KERNELS]
    candidates += [{**base, "OPENBLAS_NUM_THREADS": "1"}, {**base, "OPENBLAS_NUM_THREADS": "2"}]
    runs: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    seen: dict[str, dict[str, str]] = {}
    probes = {json.dumps(c, sort_keys=True): probe(c) for c in candidates}
    for config in candidates:
        found = probes[json.dumps(config, sort_keys=True)]
        record = {"config": config, "probe": found}
        if not found["runs"]:
            skipped.append({**record, "not_run": found["why"]})
            continue
        effect = json.dumps([found["simd"], found["kernel"], found["threads"]])
        if effect in seen:
            skipped.append({**record, "not_run": f"the same dispatch, kernel and threads as {describe(seen[effect])}"})
            continue
        seen[effect] = config
        runs.append(record)
    lowest_simd = min(runs, key=lambda r: len(r["probe"]["simd"]))["config"]["NPY_DISABLE_CPU_FEATURES"]
    oldest = next((r["config"]["OPENBLAS_CORETYPE"] for r in reversed(runs) if r["config"]["OPENBLAS_CORETYPE"]), "")  # KERNELS runs newest to oldest
    corner = {"NPY_DISABLE_CPU_FEATURES": lowest_simd, "OPENBLAS_CORETYPE": oldest, "OPENBLAS_NUM_THREADS": "1"}
    found = probe(corner)
    if found["runs"]:
        runs.append({"config": corner, "probe": found})
    else:
        skipped.append({"config": corner, "probe": found, "not_run": found["why"]})
    return runs, skipped


def describe(config: dict[str, str]) -> str:
    """A configuration in a few words."""
    parts = [f"{k}={v}" for k, v in config.items() if v]
    return ", ".join(parts) if parts else "as found"


def _numbers(value: Any, path: str = "") -> dict[str, float]:
    """Every finite number in a record by its path (booleans are not numbers here)."""
    if isinstance(value, dict):
        return {p: v for k, item in value.items() for p, v in _numbers(item, f"{path}.{k}" if path else str(k)).items()}
    if isinstance(value, list):
        return {p: v for i, item in enumerate(value) for p, v in _numbers(item, f"{path}[{i}]").items()}
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return {path: float(value)}
    return {}


def run_config(only: Sequence[str], workers: int) -> dict[str, Any]:
    """In this process (started with a configuration): the checks of `only` (KINDS), their verdict table and records."""
    from initcheck.environment import environment
    from initcheck.execution import execute
    from initcheck.registry import BY_ID
    from initcheck.verify import timed_check

    units = [(BY_ID[claim_id], kind, 0, 1.0, None) for claim_id in only for kind in KINDS if getattr(BY_ID[claim_id], kind) is not None]
    outcomes = execute(timed_check, units, workers=workers)
    records = {f"{unit[0].id} {unit[1]}": record for unit, (record, _) in zip(units, outcomes, strict=True)}
    machine = environment()
    return {
        "environment": {key: machine[key] for key in ("cpu", "numpy_simd", "blas", "openblas_coretype")},
        "verdicts": {name: {"verdict": r["verdict"], "passed": r["passed"]} for name, r in records.items()},
        "records": records,
    }


def run_tests(config: dict[str, str], tests: Sequence[str]) -> dict[str, Any]:
    """pytest on `tests` in a process started with `config`: its exit status and closing line."""
    command = [sys.executable, *ISOLATED, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", *tests]
    done = subprocess.run(command, env=_env(config), capture_output=True, text=True, timeout=1800)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return {"exit": done.returncode, "summary": lines[-1].strip("= ") if lines else done.stderr.strip()[-300:]}


def _one(config: dict[str, str], only: Sequence[str], workers: int) -> dict[str, Any]:
    command = [sys.executable, *ISOLATED, "-m", "initcheck.machines", "--in-configuration", "--workers", str(workers), "--only", *only]
    done = subprocess.run(command, env=_env(config), capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        return {"failed": (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]}
    return json.loads(done.stdout)


JUDGED = re.compile(r"^cases\[\d+\]\.(measured|estimate|standard_error|z)$")  # the numbers a simulation verdict is computed from


def spread_by_kind(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per kind of check, how far its recorded numbers moved between configurations: how many are bit-identical in
    all, and the largest relative difference, (max − min)/max|value|, of the judged numbers (a case's measured value,
    estimate, standard error, z) and of all numbers (measurements recorded, not judged, included), with where."""
    table: dict[str, dict[str, Any]] = {}
    names = sorted({name for r in results if "records" in r for name in r["records"]})
    for name in names:
        kind = name.rsplit(" ", 1)[1]
        numbers = [_numbers(r["records"][name]) for r in results if "records" in r and name in r["records"]]
        entry = table.setdefault(kind, {"numbers": 0, "bit_identical": 0, "judged": {"relative": 0.0, "where": None}, "all": {"relative": 0.0, "where": None}})
        for path in sorted(set.intersection(*(set(n) for n in numbers))) if numbers else []:
            values = [n[path] for n in numbers]
            scale = max(abs(v) for v in values)
            moved = (max(values) - min(values)) / scale if scale else 0.0
            entry["numbers"] += 1
            entry["bit_identical"] += moved == 0.0
            for part in ("judged", "all") if JUDGED.match(path) else ("all",):
                if moved > entry[part]["relative"]:
                    entry[part].update(relative=moved, where=f"{name}: {path}")
    return table


def sym_const_row(result: dict[str, Any]) -> dict[str, Any]:
    """SYM-CONST's float-sensitive measurements in one configuration (judged windows and rates, one-ulp windows, decisions)."""
    record = result.get("records", {}).get("SYM-CONST simulation")
    if not record or "measurements" not in record or "by_task" not in record["measurements"]:
        return {}
    judged = record["measurements"]["judged runs: the window each was compared over"]
    by_task = record["measurements"]["by_task"]
    return {
        "judged": {row.get("task", "?"): {k: row.get(k) for k in ("window", "float64 rate", "max |Δ log10 spread|")} for row in judged},
        "one_ulp": {
            name: {
                "window": row["float64_growth_window"],
                "rate": row["float64_growth_rate_per_step"],
                "macroscopic_at_step": row["macroscopic_at_step"],
                "learns_something": row["learns_something"],
            }
            for name, row in by_task.items()
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m initcheck.machines", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="ID", help="these claims (default: FLOAT_SENSITIVE)")
    parser.add_argument("--all", action="store_true", help="every claim's simulation and property checks, each configuration at the default tier (longer: not timed here)")
    parser.add_argument("--no-tests", action="store_true", help="the checks only, not their tests")
    parser.add_argument("--out", type=Path, help="also write the whole matrix as JSON to this file")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes inside each configuration (default 2)")
    parser.add_argument("--in-configuration", action="store_true", help=argparse.SUPPRESS)
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    from initcheck.registry import BY_ID, CLAIMS

    only = [c.id for c in CLAIMS] if args.all else (args.only or list(FLOAT_SENSITIVE))
    unknown = [claim_id for claim_id in only if claim_id not in BY_ID]
    if unknown or args.workers < 1:
        print(f"initcheck.machines: unknown claim ID(s) {unknown}" if unknown else f"initcheck.machines: --workers must be ≥ 1, got {args.workers}", file=sys.stderr)
        return 2
    if args.in_configuration:
        print(json.dumps(run_config(only, args.workers), allow_nan=False))
        return 0
    runs, skipped = configurations()
    print(f"{len(runs)} configurations to run, {len(skipped)} not run; checks of {len(only)} claims ({', '.join(KINDS)})", flush=True)
    for entry in skipped:
        print(f"  not run: {describe(entry['config'])}: {entry['not_run']}", flush=True)
    results = []
    for entry in runs:
        result = _one(entry["config"], only, args.workers)
        if not args.no_tests:
            result["tests"] = run_tests(entry["config"], TESTS)
        result["config"], result["probe"] = entry["config"], entry["probe"]
        results.append(result)
        tests = f"; tests: {result['tests']['summary']}" if "tests" in result else ""
        state = result.get("failed") or f"{sum(v['passed'] is True for v in result['verdicts'].values())} of {len(result['verdicts'])} checks pass"
        print(f"  {describe(entry['config'])} (SIMD {' '.join(entry['probe']['simd']) or 'baseline only'}, kernel {entry['probe']['kernel']}): {state}{tests}", flush=True)
    reference = results[0].get("verdicts")
    differing = [describe(r["config"]) for r in results if r.get("verdicts") != reference or r.get("failed")]
    failed_tests = [describe(r["config"]) for r in results if r.get("tests", {}).get("exit", 0) != 0]
    spreads = spread_by_kind(results)
    print("How far the recorded numbers moved between configurations, per kind of check (largest relative difference):")
    for kind, entry in sorted(spreads.items()):
        judged, every = entry["judged"], entry["all"]
        print(
            f"  {kind}: {entry['bit_identical']} of {entry['numbers']} numbers bit-identical; judged numbers {judged['relative']:.3g}"
            + (f" ({judged['where']})" if judged["where"] else "")
            + f"; all, recorded measurements included, {every['relative']:.3g}"
            + (f" ({every['where']})" if every["where"] else "")
        )
    print("SYM-CONST per configuration (judged: window, rate; one ulp: window, rate, step at spread 0.01, learns):")
    for r in results:
        row = sym_const_row(r)
        if row:
            judged = "; ".join(f"{t} {v['window']} {v['float64 rate']:.6f}" for t, v in row["judged"].items() if v.get("window"))
            print(f"  {describe(r['config'])}: judged {judged}")
            for name, v in row["one_ulp"].items():
                rate = f"{v['rate']:.5f}" if v["rate"] is not None else "none"
                print(f"      1 ulp {name}: window {v['window']}, rate {rate}, 0.01 at {v['macroscopic_at_step']}, learns {v['learns_something']}")
    document = {"only": only, "kinds": list(KINDS), "runs": results, "not_run": skipped, "spread_by_kind": spreads,
                "same_verdicts": not differing, "tests_pass": not failed_tests}  # fmt: skip
    if args.out is not None:
        from initcheck.output import OutputError, write_file

        try:
            write_file(args.out, (json.dumps(document, indent=1, allow_nan=False) + "\n").encode())
        except OutputError as error:
            print(f"initcheck.machines: {error}", file=sys.stderr)
            return 2
    if differing or failed_tests:
        print(f"DIFFERENT verdicts in: {differing}; failing tests in: {failed_tests}")
        for r in results[1:]:
            for name, verdict in (r.get("verdicts") or {}).items():
                if reference and reference.get(name) != verdict:
                    print(f"  {describe(r['config'])}: {name}: {verdict} (as found: {reference.get(name)})")
        return 1
    print(f"the same verdict table in all {len(results)} configurations; every configuration's tests pass" if not args.no_tests else f"the same verdict table in all {len(results)} configurations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
