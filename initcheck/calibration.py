"""Calibration of the statistical rule: under many master seeds the z-scores must be standard normal.

Used by the slow test and the benchmark. At reduced sizes (`scale`) the cases stay
large enough for the CLT (hundreds of replicates at least), and the count of
|z| > Z_CRITICAL failures must be consistent with the stated rate (binomial test).
"""

from __future__ import annotations

from typing import Any

from scipy import stats as scipy_stats

from initcheck.registry import CLAIMS, resolve
from initcheck.sims import stats
from initcheck.simulations import StatisticalCase
from initcheck.verify import run_statistical_case


def calibrate(seeds: range, *, scale: float = 0.1) -> dict[str, Any]:
    """z-scores of every statistical case under each seed; KS test against N(0,1) and a binomial test of the failures."""
    zs: list[float] = []
    for seed in seeds:
        for claim in CLAIMS:
            if not claim.simulation:
                continue
            for case in resolve(claim.simulation).cases:
                if isinstance(case, StatisticalCase):
                    zs.append(run_statistical_case(case, stats.stream(seed, claim.id, case.name), scale)["z"])
    failures = sum(abs(z) > stats.Z_CRITICAL for z in zs)
    return {
        "seeds": len(seeds),
        "z_scores": len(zs),
        "mean_z": float(sum(zs) / len(zs)),
        "sd_z": float(scipy_stats.tstd(zs)),
        "ks_pvalue": float(scipy_stats.kstest(zs, "norm").pvalue),
        "failures": int(failures),
        "failure_pvalue": float(scipy_stats.binomtest(failures, len(zs), stats.FALSE_FAILURE_RATE, alternative="greater").pvalue),
    }
