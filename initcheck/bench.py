"""Benchmark: time, samples and minimum detectable effect of every simulation check, the calibration run, the report build.

    python -m initcheck.bench [--tier default|full] [--calibration-seeds N] [--report-results FILE] [--report-only]
    python -m initcheck.bench --timings reports/build/timings.json [--target-seconds S]
    python -m initcheck.bench --tests [PYTEST ARGUMENTS]      (tox -e bench-tests: the test suite's time, as `tox` runs it)

Figures go to stdout; nothing here asserts a time (speed targets live here, not in tests).
"""

from __future__ import annotations

import argparse
import time

from initcheck.registry import CLAIMS, resolve
from initcheck.verify import TIERS, run_simulation


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m initcheck.bench")
    parser.add_argument("--tier", choices=tuple(TIERS), default="default")
    parser.add_argument("--calibration-seeds", type=int, default=40, help="master seeds for the z-score calibration (0 to skip)")
    parser.add_argument("--report-results", metavar="FILE", help="time the report build from this results JSON (default: run every check first)")
    parser.add_argument("--report-only", action="store_true", help="time only the report build (use with --report-results)")
    parser.add_argument("--timings", metavar="FILE", help="only say where a recorded run's check time went (the timings.json `initcheck report` writes)")
    parser.add_argument("--target-seconds", type=float, default=180.0, help="wall-time target for the checks, compared with --timings (default 180)")
    parser.add_argument("--workers", type=int, help="with --timings: the run's worker count (needed for a run on a Dask cluster, which does not record it)")
    parser.add_argument("--tests", nargs=argparse.REMAINDER, metavar="PYTEST_ARGUMENT", help="only time the test suite (pytest -n auto, then these arguments) against its target")
    args = parser.parse_args(argv)
    if args.tests is not None:
        return _bench_tests(args.tests)
    if args.workers is not None and not args.timings:
        parser.error("--workers goes with --timings (the other benchmarks choose their own workers)")
    if args.timings:
        try:
            print(time_budget(args.timings, target=args.target_seconds, workers=args.workers))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            parser.error(f"--timings {args.timings}: {error}")
        return 0
    if args.report_only:
        _bench_report(args.report_results)
        return 0
    print(f"{'claim':<22} {'case':<58} {'seconds':>8} {'samples':>9} {'rel. MDE':>9} {'z':>7} {'foil z':>9}")
    total = 0.0
    for claim in CLAIMS:
        if not claim.simulation:
            continue
        started = time.perf_counter()
        result = run_simulation(claim, resolve(claim.simulation), seed=20101, scale=TIERS[args.tier]).as_json()
        seconds = time.perf_counter() - started
        total += seconds
        for index, case in enumerate(result["cases"]):
            shown = f"{seconds:8.2f}" if index == 0 else " " * 8
            if case["type"] == "statistical":
                print(
                    f"{claim.id:<22} {case['case'][:58]:<58} {shown} {case['n']:>9} {case['relative_mde']:>9.4f} {case['z']:>7.2f} {case['foil']['z']:>9.1f}"
                )
            else:
                print(
                    f"{claim.id:<22} {case['case'][:58]:<58} {shown} {'exact':>9} {'tol ' + format(case['tolerance'], '.0e'):>9} {'':>7} {'':>9}"
                )
    print(f"\nall simulation checks, tier {args.tier}: {total:.1f} s")
    if args.calibration_seeds:
        from initcheck.calibration import calibrate

        started = time.perf_counter()
        report = calibrate(range(args.calibration_seeds), scale=0.1)
        print(
            f"calibration over {report['seeds']} seeds at 1/10 size: {report['z_scores']} z-scores, mean {report['mean_z']:.3f}, "
            f"sd {report['sd_z']:.3f}, KS p = {report['ks_pvalue']:.3f}, |z| > 5: {report['failures']} "
            f"(binomial p = {report['failure_pvalue']:.3f}); {time.perf_counter() - started:.0f} s"
        )
    _bench_report(args.report_results)
    return 0


def time_budget(path: str, *, target: float = 180.0, workers: int | None = None, slowest: int = 15) -> str:
    """Where a run's check time went, from its timings.json ({"total", "workers", "scheduler", "claims": {id: {kind: seconds}}}).

    Unit time per kind of check, and the least wall time any schedule could reach on the run's workers: the larger of
    (sum of unit times)/workers and the longest unit. A wall-time target T on W workers allows at most T·W of unit time.
    `workers` overrides the recorded count; a run on a Dask cluster records the local one, so it must be given.
    """
    import json
    from collections import defaultdict
    from pathlib import Path

    document = json.loads(Path(path).read_text(encoding="utf-8"))
    if workers is None:
        if document.get("scheduler"):
            raise ValueError(f"a run on the Dask scheduler {document['scheduler']} does not record its worker count: give --workers N")
        workers = int(document["workers"])
    wall = float(document["total"])
    if workers < 1:
        raise ValueError(f"workers is {workers}, expected at least 1")
    if not wall > 0 or not target > 0:
        raise ValueError(f"the wall time ({wall:g} s) and the target ({target:g} s) must be positive")
    units = sorted(((float(s), claim, kind) for claim, kinds in document["claims"].items() for kind, s in kinds.items()), reverse=True)
    if not units:
        raise ValueError("no timed units")
    total = sum(s for s, _, _ in units)
    by_kind: defaultdict[str, float] = defaultdict(float)
    for seconds, _, kind in units:
        by_kind[kind] += seconds
    least = max(total / workers, units[0][0])
    lines = [f"checks: {len(units)} units on {workers} worker(s), {wall:.1f} s wall"]
    lines += [f"  {kind:<13} {seconds:8.1f} s of unit time ({100 * seconds / total:.0f}%)" for kind, seconds in sorted(by_kind.items(), key=lambda kv: -kv[1])]
    lines.append(f"  all           {total:8.1f} s; least wall time on {workers} worker(s): {least:.1f} s (measured {wall:.1f} s: {100 * least / wall:.0f}% of it)")
    allowed = target * workers
    over = [kind for kind, seconds in by_kind.items() if seconds > allowed]
    excess = f"; the {', '.join(over)} checks alone exceed it" if over else ""
    lines.append(f"  a target of {target:g} s on {workers} worker(s) allows {allowed:.0f} s of unit time, {total / allowed:.1f}x less than this run{excess}")
    lines.append(f"slowest {min(slowest, len(units))} units:")
    lines += [f"  {seconds:8.1f} s  {claim} {kind}" for seconds, claim, kind in units[:slowest]]
    return "\n".join(lines)


def _bench_report(results_path: str | None) -> None:
    """Time the report build (figures, HTML, PDF, written) from a results JSON (with the conformance.json and audit.json
    beside it, if any), stage by stage, twice: with an empty formula cache (a fresh machine) and with the cache the first
    build filled, and count the PDF's pages. Targets (issue 25): ≤ 20 s on 2 cores, ≤ 50 pages."""
    import json
    import os
    import tempfile
    from pathlib import Path

    from initcheck.output import write_all
    from initcheck.reports.build import render_report
    from initcheck.reports.math import CACHE_ENV, latex_svg
    from initcheck.verify import verify

    conformance = audit = None
    if results_path:
        results = json.loads(Path(results_path).read_text(encoding="utf-8"))
        beside, audited = Path(results_path).with_name("conformance.json"), Path(results_path).with_name("audit.json")
        conformance = json.loads(beside.read_text(encoding="utf-8")) if beside.is_file() else None
        audit = json.loads(audited.read_text(encoding="utf-8")) if audited.is_file() else None
    else:
        started = time.perf_counter()
        results, _ = verify(CLAIMS, seed=20101)
        print(f"\nall checks (for the report): {time.perf_counter() - started:.1f} s")
    previous = os.environ.get(CACHE_ENV)
    with tempfile.TemporaryDirectory() as cache:
        os.environ[CACHE_ENV] = cache
        try:
            for label in ("empty formula cache", "formula cache filled"):
                latex_svg.cache_clear()
                marks: dict[str, float] = {}

                def progress(message: str, marks: dict[str, float] = marks) -> None:  # "figures and formulas", "HTML", "PDF"
                    marks.setdefault(message, time.perf_counter())

                with tempfile.TemporaryDirectory() as folder:
                    started = time.perf_counter()
                    written = write_all(Path(folder), render_report(results, conformance=conformance, audit=audit, progress=progress))
                    ended = time.perf_counter()
                    sizes = ", ".join(f"{name} {path.stat().st_size / 1e6:.2f} MB" for name, path in written.items())
                    if "report.pdf" in written:
                        from pypdf import PdfReader

                        sizes += f"; report.pdf {len(PdfReader(written['report.pdf']).pages)} pages (target <= 50)"
                stages = f"figures and formulas {marks['HTML'] - started:.1f} s, HTML {marks['PDF'] - marks['HTML']:.1f} s, PDF {ended - marks['PDF']:.1f} s"
                print(f"report build from results JSON, {label}: {ended - started:.1f} s (target <= 20 s; {stages}); {sizes}")
        finally:
            latex_svg.cache_clear()
            if previous is None:
                os.environ.pop(CACHE_ENV, None)
            else:
                os.environ[CACHE_ENV] = previous


TESTS_TARGET_SECONDS = 180.0  # issue 25: `tox` pytest ≤ 3 min on 2 cores


def _bench_tests(extra: list[str]) -> int:
    """The test suite as `tox` runs it (pytest -n auto, Hypothesis profile "ci"; python -P: the checkout's initcheck/ folder
    must not shadow the installed package), timed against TESTS_TARGET_SECONDS; its
    last line (passed, skipped) printed with the time. Exit status: pytest's."""
    import os
    import subprocess
    import sys

    from initcheck.execution import default_workers

    environment = {**os.environ, "HYPOTHESIS_PROFILE": os.environ.get("HYPOTHESIS_PROFILE", "ci")}
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-P", "-m", "pytest", "-n", "auto", "-q", "-p", "no:cacheprovider", *extra], env=environment, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    print(f"test suite (pytest -n auto, {default_workers()} cores): {seconds:.0f} s (target <= {TESTS_TARGET_SECONDS:.0f} s); {lines[-1].strip('= ') if lines else 'no output'}")
    if run.returncode != 0:
        print(run.stdout[-4000:] + run.stderr[-2000:])
    return run.returncode


if __name__ == "__main__":
    raise SystemExit(main())
