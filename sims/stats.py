"""The one statistical rule every Monte Carlo check uses, written once.

A check passes when |estimate − theory| ≤ Z_CRITICAL · SE. With Z_CRITICAL = 5 the
two-sided false-failure rate of one check is 2·Φ(−5) ≈ 5.7e-7 (the estimates are
means of many independent replicates, so the CLT makes them normal to well within
that). The foil is rejected by the same rule, and a sample size is adequate when
the foil sits at least one minimum detectable effect from the theory:
MDE = (Z_CRITICAL + Z_POWER)·SE with Z_POWER = Φ⁻¹(0.999) ≈ 3.09, so a foil is
rejected with probability ≥ 0.999.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
from scipy import stats

Z_CRITICAL = 5.0
POWER = 0.999
Z_POWER = float(stats.norm.ppf(POWER))
FALSE_FAILURE_RATE = float(2 * stats.norm.sf(Z_CRITICAL))


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo estimate: value ± standard error over n independent replicates."""

    value: float
    standard_error: float
    n: int
    method: str = "mean of independent replicates"


def mean_estimate(samples: np.ndarray, method: str = "mean of independent replicates") -> Estimate:
    """Sample mean and its standard error s/√n, samples along axis 0 independent."""
    samples = np.asarray(samples, dtype=float)
    return Estimate(float(samples.mean()), float(samples.std(ddof=1) / np.sqrt(samples.size)), int(samples.size), method)


def variance_estimate(samples: np.ndarray) -> Estimate:
    """Unbiased sample variance with its delta-method SE √((m₄ − s⁴)/n), m₄ the central fourth moment."""
    samples = np.asarray(samples, dtype=float)
    centred = samples - samples.mean()
    variance = float(centred.var(ddof=1))
    fourth = float(np.mean(centred**4))
    return Estimate(
        variance, float(np.sqrt(max(fourth - variance**2, 0.0) / samples.size)), int(samples.size), "sample variance, delta-method SE"
    )


def ratio_estimate(numerator: np.ndarray, denominator: float) -> Estimate:
    """Mean of numerator/denominator over replicates (denominator known exactly)."""
    return mean_estimate(np.asarray(numerator) / denominator, "mean of per-replicate ratios")


def z_score(estimate: Estimate, reference: float) -> float:
    """(estimate − reference)/SE; ±inf when SE is 0 and they differ, 0 when equal."""
    difference = estimate.value - reference
    if estimate.standard_error == 0:
        return 0.0 if difference == 0 else float(np.copysign(np.inf, difference))
    return difference / estimate.standard_error


def agrees(estimate: Estimate, reference: float) -> bool:
    return abs(z_score(estimate, reference)) <= Z_CRITICAL


def minimum_detectable_effect(estimate: Estimate) -> float:
    """Smallest |true − theory| rejected with probability ≥ POWER at the Z_CRITICAL rule."""
    return (Z_CRITICAL + Z_POWER) * estimate.standard_error


def stream(seed: int, *keys: str | int) -> np.random.Generator:
    """An independent, reproducible stream for one check: SeedSequence(seed, crc32 of each key).

    The stream depends only on the master seed and the check's own keys, so running one
    claim alone (--only) draws exactly the numbers it draws in the full run.
    """
    words = [seed] + [zlib.crc32(str(k).encode()) for k in keys]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(words)))
