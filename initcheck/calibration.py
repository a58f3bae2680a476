"""Calibration of the statistical rule: under many master seeds the z-scores must be standard normal, case by case.

Used by the slow test and the benchmark. At reduced sizes (`scale`) the cases stay large enough for the CLT
(hundreds of replicates at least). Pooled z-scores can look normal while one case is wrong (a standard error
too small by replicates that share a draw: sd(z) > 1; a small bias: mean z ≠ 0), so each case is tested on
its own over the seeds:

- mean z: √N · mean(z) ~ N(0, 1) under a correct case (two-sided p-value);
- sd(z): (N − 1)·s² ~ χ²(N − 1) under a correct case (two-sided p-value);

and the count of |z| > Z_CRITICAL failures must be consistent with the stated rate (binomial test).
"""

from __future__ import annotations

import math
from typing import Any

from scipy import stats as scipy_stats

from initcheck.registry import CLAIMS, resolve
from initcheck.sims import stats
from initcheck.simulations import StatisticalCase
from initcheck.verify import run_statistical_case


def case_calibration(zs: list[float]) -> dict[str, float]:
    """Mean and sd of one case's z-scores over N seeds, with the two-sided p-values of N(0, 1) for each (module docstring)."""
    n = len(zs)
    mean = sum(zs) / n
    sd = float(scipy_stats.tstd(zs))
    chi2 = (n - 1) * sd**2
    sd_p = 2 * min(scipy_stats.chi2.cdf(chi2, n - 1), scipy_stats.chi2.sf(chi2, n - 1))
    return {
        "seeds": n,
        "mean_z": mean,
        "mean_pvalue": float(2 * scipy_stats.norm.sf(abs(mean) * math.sqrt(n))),
        "sd_z": sd,
        "sd_pvalue": float(min(1.0, sd_p)),
    }


def calibrate(seeds: range, *, scale: float = 0.1) -> dict[str, Any]:
    """z-scores of every statistical case under each seed: per case (mean, sd and their p-values) and pooled (KS, failures)."""
    by_case: dict[str, list[float]] = {}
    for seed in seeds:
        for claim in CLAIMS:
            if not claim.simulation:
                continue
            for case in resolve(claim.simulation).cases:
                if isinstance(case, StatisticalCase):
                    z = run_statistical_case(case, stats.stream(seed, claim.id, case.name), scale)["z"]
                    by_case.setdefault(f"{claim.id}: {case.name}", []).append(z)
    zs = [z for values in by_case.values() for z in values]
    failures = sum(abs(z) > stats.Z_CRITICAL for z in zs)
    return {
        "seeds": len(seeds),
        "scale": scale,
        "z_scores": len(zs),
        "mean_z": float(sum(zs) / len(zs)),
        "sd_z": float(scipy_stats.tstd(zs)),
        "ks_pvalue": float(scipy_stats.kstest(zs, "norm").pvalue),
        "failures": int(failures),
        "failure_pvalue": float(scipy_stats.binomtest(failures, len(zs), stats.FALSE_FAILURE_RATE, alternative="greater").pvalue),
        "cases": {name: case_calibration(values) for name, values in by_case.items()},
    }
