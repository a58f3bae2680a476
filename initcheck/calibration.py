"""Calibration of the statistical rule: under many master seeds the z-scores must be standard normal, case by case.

Used by the slow test and the benchmark. At reduced sizes (`scale`) the cases stay large enough for the CLT
(hundreds of replicates at least). Pooled z-scores can look normal while one case is wrong (a standard error
too small by replicates that share a draw: sd(z) > 1; a small bias: mean z ≠ 0), so each case is tested on
its own over the seeds:

- mean z: √N · mean(z) ~ N(0, 1) under a correct case (two-sided p-value);
- sd(z): (N − 1)·s² ~ χ²(N − 1) under a correct case (two-sided p-value);

and the count of |z| > Z_CRITICAL failures must be consistent with the stated rate (binomial test).
`initcheck calibrate` runs it on local workers or a Dask cluster and writes the record a report can show.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Collection
from typing import Any

from scipy import stats as scipy_stats

from initcheck.registry import BY_ID, CLAIMS, resolve
from initcheck.sims import stats
from initcheck.simulations import StatisticalCase
from initcheck.verify import run_statistical_case


def case_calibration(zs: list[float]) -> dict[str, float]:
    """Mean and sd of one case's z-scores over N seeds, with the two-sided p-values of N(0, 1) for each (module docstring)."""
    n = len(zs)
    mean = sum(zs) / n
    sd = statistics.stdev(zs)
    chi2 = (n - 1) * sd**2
    sd_p = 2 * min(scipy_stats.chi2.cdf(chi2, n - 1), scipy_stats.chi2.sf(chi2, n - 1))
    return {
        "seeds": n,
        "mean_z": mean,
        "mean_pvalue": float(2 * scipy_stats.norm.sf(abs(mean) * math.sqrt(n))),
        "sd_z": sd,
        "sd_pvalue": float(min(1.0, sd_p)),
    }


def case_z(claim_id: str, case_name: str, seed: int, scale: float) -> float:
    """The z-score of one statistical case at one master seed: the unit of a calibration run (any process or Dask worker)."""
    link = BY_ID[claim_id].simulation
    if link is None:
        raise ValueError(f"claim {claim_id} has no simulation check")
    (case,) = [c for c in resolve(link).cases if c.name == case_name]
    return float(run_statistical_case(case, stats.stream(seed, claim_id, case.name), scale)["z"])


def statistical_cases(only: Collection[str] | None = None) -> list[tuple[str, str]]:
    """(claim ID, case name) of every statistical case (of the claims in `only`, if given), in registry order."""
    return [
        (claim.id, case.name)
        for claim in CLAIMS
        if claim.simulation and (only is None or claim.id in only)
        for case in resolve(claim.simulation).cases
        if isinstance(case, StatisticalCase)
    ]


def calibrate(
    seeds: range,
    *,
    scale: float = 0.1,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    only: Collection[str] | None = None,
) -> dict[str, Any]:
    """z-scores of every statistical case (of the claims in `only`, if given) under each seed: per case (mean, sd and their p-values), pooled (KS, failures, coverage).

    Coverage: the share of |z| ≤ 1.96 (nominal 95%) with a two-sided binomial p-value. The units run where
    initcheck.execution puts them; the result does not depend on the worker count.
    """
    from initcheck.execution import execute

    cases = statistical_cases(only)
    if not cases:
        raise ValueError(f"no statistical case among the claims {sorted(only or [])}")
    units = [(claim_id, name, seed, scale) for seed in seeds for claim_id, name in cases]

    def finished(index: int, done: int, total: int) -> None:
        if progress:
            progress(f"seed {units[index][2]} {units[index][0]}", done, total)

    zs_in_order = execute(case_z, units, workers=workers, scheduler=scheduler, progress=finished)
    by_case: dict[str, list[float]] = {f"{claim_id}: {name}": [] for claim_id, name in cases}
    for (claim_id, name, _, _), z in zip(units, zs_in_order, strict=True):
        by_case[f"{claim_id}: {name}"].append(z)
    return summarise(by_case, seeds=seeds, scale=scale)


def summarise(by_case: dict[str, list[float]], *, seeds: range, scale: float) -> dict[str, Any]:
    """The calibration record from each case's z-scores over the seeds (module docstring's tests, pooled and per case)."""
    zs = [z for values in by_case.values() for z in values]
    failures = sum(abs(z) > stats.Z_CRITICAL for z in zs)
    covered = sum(abs(z) <= NOMINAL_95 for z in zs)
    return {
        "seeds": len(seeds),
        "first_seed": seeds[0] if len(seeds) else None,
        "scale": scale,
        "z_critical": stats.Z_CRITICAL,
        "designed_false_failure_rate": stats.FALSE_FAILURE_RATE,
        "z_scores": len(zs),
        "mean_z": float(sum(zs) / len(zs)),
        "sd_z": statistics.stdev(zs),
        "ks_pvalue": float(scipy_stats.kstest(zs, "norm").pvalue),
        "failures": int(failures),
        "failed": [  # each |z| beyond the rule, named so it can be replayed: case_z(claim, case, seed, scale) gives the same z
            {"case": name, "seed": seeds[k], "z": z} for name, values in by_case.items() for k, z in enumerate(values) if abs(z) > stats.Z_CRITICAL
        ],
        "failure_pvalue": float(scipy_stats.binomtest(failures, len(zs), stats.FALSE_FAILURE_RATE, alternative="greater").pvalue),
        "coverage_95": covered / len(zs),
        "coverage_pvalue": float(scipy_stats.binomtest(covered, len(zs), 0.95).pvalue),
        "histogram": _histogram(zs),
        "cases": {name: case_calibration(values) for name, values in by_case.items()},
    }


NOMINAL_95 = float(scipy_stats.norm.ppf(0.975))


def _histogram(zs: list[float]) -> dict[str, list[float]]:
    """Counts of z in bins of 0.25 over [−5, 5] (the figure draws it against the N(0, 1) density); outside counted apart."""
    edges = [-5 + 0.25 * k for k in range(41)]
    counts = [0] * 40
    for z in zs:
        if -5 <= z < 5:
            counts[int((z + 5) // 0.25)] += 1
    return {"edges": edges, "counts": [float(c) for c in counts], "outside": [float(sum(abs(z) >= 5 for z in zs))]}


FAMILY_WISE = 1e-3  # the chance that a correct suite fails its calibration: split over two tests per case (Bonferroni)


def verdict(record: dict[str, Any]) -> dict[str, Any]:
    """Cases whose mean z or sd(z) is off at the family-wise level FAMILY_WISE, and whether the pooled tests pass it too."""
    threshold = FAMILY_WISE / (2 * len(record["cases"]))
    off = [name for name, case in record["cases"].items() if min(case["mean_pvalue"], case["sd_pvalue"]) <= threshold]
    pooled = record["ks_pvalue"] > FAMILY_WISE and record["failure_pvalue"] > FAMILY_WISE
    return {"per_case_threshold": threshold, "cases_off": off, "calibrated": not off and pooled}
