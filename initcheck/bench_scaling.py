"""Benchmark: how the checks scale over local workers and a local Dask cluster, and that the bytes stay the same.

    python -m initcheck.bench_scaling [--only ID ...] [--seed N]

Runs the same claims serially, on 2 local worker processes, and on a 2-worker local Dask cluster; prints the
wall time of each, the speed-up over the serial run, and the efficiency (speed-up / workers). The results of
the three runs must be equal byte for byte (the run fails otherwise). Timings on a shared machine drift by tens
of percent: read the figures as a range, not a constant.
"""

from __future__ import annotations

import argparse
import json
import time

from initcheck.registry import BY_ID

DEFAULT_CLAIMS = ("VAR-SUM", "HE-VAR", "GLOROT-UNIFORM", "GRAD-W4", "GRAD-INTERVAL-MAX", "REG-DROPOUT", "REG-BATCHNORM", "SYM-XOR")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m initcheck.bench_scaling", description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", default=list(DEFAULT_CLAIMS), metavar="ID", help="claims to run (default: a mix of kinds)")
    parser.add_argument("--seed", type=int, default=20101)
    args = parser.parse_args(argv)
    from distributed import LocalCluster

    from initcheck.verify import verify

    claims = [BY_ID[i] for i in args.only]
    runs: dict[str, tuple[float, str]] = {}

    def timed(label: str, **where: object) -> None:
        started = time.perf_counter()
        document, _ = verify(claims, seed=args.seed, **where)  # type: ignore[arg-type]
        runs[label] = (time.perf_counter() - started, json.dumps(document, sort_keys=True))

    timed("serial (1 worker)", workers=1)
    timed("2 local workers", workers=2)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        timed("2-worker local Dask cluster", scheduler=cluster.scheduler_address)
    serial_seconds = runs["serial (1 worker)"][0]
    print(f"{len(claims)} claims: {', '.join(args.only)}")
    print(f"{'run':<30} {'wall s':>8} {'speed-up':>9} {'efficiency':>11}")
    for label, (seconds, _) in runs.items():
        workers = 1 if label.startswith("serial") else 2
        print(f"{label:<30} {seconds:8.1f} {serial_seconds / seconds:9.2f} {serial_seconds / seconds / workers:11.2f}")
    same = len({text for _, text in runs.values()}) == 1
    print("results identical byte for byte across the three runs" if same else "RESULTS DIFFER between runs")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
