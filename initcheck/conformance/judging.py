"""The battery's tests as records: each statistic judged at its false-failure rate α, with what it detects at power
0.999 (initcheck.conformance.battery draws and measures; this module decides pass or fail and says how).

- `moment`: an estimate against its expected value, |estimate − expected| ≤ t_crit·SE + a rounding allowance;
- `exact`: a test with no false failures (a count that must be 0, a rounding-exact property);
- `poisson_upper`, `binomial_two_sided`: exact count tests;
- `levels_occupied`: the 16-bit levels the draws fill, by a Bernstein bound;
- `fit_tests`: the KS distance and the Anderson–Darling A² of the pooled probability transform.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import stats

from initcheck.sims import conformance as sims
from initcheck.sims.stats import Z_POWER, Estimate
from initcheck.theory import anderson_darling
from initcheck.theory import conformance as theory


def critical_t(alpha: float, replicates: int) -> float:
    """Two-sided Student-t critical value at α with R − 1 degrees of freedom."""
    return float(stats.t.isf(alpha / 2, replicates - 1))


def moment(
    statistic: str, probe: str, estimate: Estimate, expected: float, critical: float, alpha: float, effect: str, allowance: float = 0.0
) -> dict[str, Any]:
    """|estimate − expected| ≤ t_crit·SE + allowance, the allowance being what rounding in the dtype can do to a correct draw."""
    difference = estimate.value - expected
    z = difference / estimate.standard_error if estimate.standard_error > 0 else (0.0 if difference == 0 else math.copysign(math.inf, difference))
    mde = (critical + Z_POWER) * estimate.standard_error + allowance
    return {
        "statistic": statistic, "probe": probe, "expected": expected, "measured": estimate.value, "standard_error": estimate.standard_error,
        "z": z, "critical": critical, "rounding_allowance": allowance, "n": estimate.n, "n_unit": "tensors", "false_failure_rate": alpha,
        "detects": f"{effect} ≥ {mde:.3g} at power {1 - stats.norm.sf(Z_POWER):.3f}", "passed": bool(abs(difference) <= critical * estimate.standard_error + allowance),
    }  # fmt: skip


def exact(statistic: str, probe: str, expected: Any, measured: Any, passed: bool, n: int, detects: str) -> dict[str, Any]:
    return {
        "statistic": statistic, "probe": probe, "expected": expected, "measured": measured, "z": None, "critical": None,
        "n": n, "n_unit": "values", "false_failure_rate": 0.0, "detects": detects, "passed": bool(passed),
    }  # fmt: skip


def poisson_upper(statistic: str, probe: str, count: int, mean: float, alpha: float, n: int, unit: str, detects: str) -> dict[str, Any]:
    """Fails when P(Poisson(mean) ≥ count) ≤ α; the critical count k is the smallest with P(≥ k) ≤ α.

    `critical` is that count (judged_by "count": the count, not z, is compared with it); z is recorded for the reader."""
    critical = int(stats.poisson.isf(alpha, mean)) + 1
    z = (count - mean) / math.sqrt(mean) if mean > 0 else (0.0 if count == 0 else math.inf)
    return {
        "statistic": statistic, "probe": probe, "expected": mean, "measured": count, "z": z, "critical": critical, "judged_by": "count",
        "n": n, "n_unit": unit, "false_failure_rate": alpha, "detects": detects, "passed": bool(count < critical),
    }  # fmt: skip


def binomial_two_sided(statistic: str, probe: str, *, count: int, n: int, probability: float, alpha: float, unit: str) -> dict[str, Any]:
    """Count ~ Binomial(n, 1/2): fails at count ≤ lower or ≥ upper, each tail's exact probability ≤ α/2 (equal tails).

    z is (count − n/2)/√(n/4) and `critical` the upper critical count in the same units: the test fails exactly when
    |z| ≥ critical (symmetric tails: only p = 1/2 is accepted). `detects`: the shift of p caught with probability ≥ 0.999
    (the same either way, by symmetry), or none at this n when no count is critical."""
    if probability != 0.5:
        raise ValueError(f"the sign test is symmetric: p must be 1/2, got {probability}")
    lower = int(stats.binom.ppf(alpha / 2, n, probability)) - 1  # the largest count with P(X ≤ count) ≤ α/2 (−1 if none)
    while stats.binom.cdf(lower + 1, n, probability) <= alpha / 2:
        lower += 1
    upper = int(stats.binom.isf(alpha / 2, n, probability)) + 1  # the smallest count with P(X ≥ count) ≤ α/2
    while upper > 0 and stats.binom.sf(upper - 2, n, probability) <= alpha / 2:
        upper -= 1
    spread = math.sqrt(n * probability * (1 - probability))
    shift = 0.0
    while upper <= n and stats.binom.sf(upper - 1, n, probability + shift) < 0.999:  # ends by p = 1, where sf = 1
        shift += 0.005
    detects = f"P shifted by ≥ {shift:.3g} from {probability:g} at power 0.999" if upper <= n else f"nothing at n = {n}: no count is critical"
    return {
        "statistic": statistic, "probe": probe, "expected": n * probability, "measured": count, "z": (count - n * probability) / spread,
        "critical": (upper - n * probability) / spread, "acceptance": [lower + 1, upper - 1], "n": n, "n_unit": unit, "false_failure_rate": alpha,
        "detects": detects, "passed": bool(lower < count < upper),
    }  # fmt: skip


def levels_occupied(counts: list[np.ndarray], rounded: list[dict[str, Any]], alpha: float) -> dict[str, Any]:
    """How many levels of the 16-bit dtype the draws occupy, over A, B and C, against the rounded law's expectation.

    A level of probability p is occupied by n values with probability q = 1 − (1 − p)ⁿ: E[S] = Σ q. Occupancy indicators
    of balls in bins are negatively associated (Dubhashi & Ranjan 1998, Random Struct. Algorithms 13, 99), so Bernstein's
    lower tail holds with σ² = Σ q(1 − q): P(E[S] − S ≥ t) ≤ exp(−t²/(2(σ² + t/3))) = α at t = L/3 + √(L²/9 + 2σ²L),
    L = ln(1/α): a false-failure rate ≤ α without a normal approximation. Too few levels is the failure (a sampler that
    rounds a coarse uniform: JAX's U[0, 1) in bfloat16 has 128); too many cannot happen inside the law's support, and a
    value past it fails the bound test."""
    expected = variance = 0.0
    occupied = 0
    for count, law_ in zip(counts, rounded, strict=True):
        p = np.diff(law_["all_cdf"], prepend=0.0)
        q = -np.expm1(int(count.sum()) * np.log1p(-np.clip(p, 0.0, 1.0 - 1e-16)))
        expected += float(q.sum())
        variance += float(np.sum(q * (1 - q)))
        occupied += int(np.count_nonzero(count))
    log_alpha = math.log(1 / alpha)
    shortfall = log_alpha / 3 + math.sqrt(log_alpha**2 / 9 + 2 * variance * log_alpha)
    sd = math.sqrt(variance) if variance > 0 else 1.0
    return {
        "statistic": "levels occupied", "probe": "all probes", "expected": expected, "measured": occupied, "z": (occupied - expected) / sd,
        "critical": shortfall / sd, "n": sum(int(c.sum()) for c in counts), "n_unit": "values", "false_failure_rate": alpha,
        "detects": f"≥ {shortfall + Z_POWER * sd:.0f} levels fewer than the rounded law fills (Bernstein bound, negatively associated occupancy)",
        "passed": bool(expected - occupied < shortfall),
    }  # fmt: skip


def anderson_darling_detectable(critical: float) -> float:
    """The noncentrality Δ = n∫(G − F)²/(F(1 − F)) dF of a law G that the A² test catches with probability ≥ 0.999.

    Locally A² = Σⱼ λⱼ(Zⱼ + μⱼ)² with Δ = Σⱼ λⱼμⱼ², so A² ≥ Δ + 2Σⱼ λⱼμⱼZⱼ, a normal of variance 4Σλⱼ²μⱼ² ≤ 4λ₁Δ = 2Δ
    (λ₁ = 1/2 the largest weight); the test fails when that bound exceeds the critical value, P ≥ 0.999 once
    Δ − 3.09·√(2Δ) ≥ critical: √Δ = (3.09·√2 + √(2·3.09² + 4·critical))/2."""
    root = (Z_POWER * math.sqrt(2) + math.sqrt(2 * Z_POWER**2 + 4 * critical)) / 2
    return root**2


def fit_tests(pooled: np.ndarray, probe: str, alpha: float) -> list[dict[str, Any]]:
    """The KS distance (kstwobign) and the Anderson–Darling A² (theory.anderson_darling.anderson_darling_critical) of the pooled, ascending
    U against Uniform(0, 1), each at α."""
    distance, a2, n = sims.fit_statistics(pooled, ordered=True)
    d_critical = float(stats.kstwobign.isf(alpha)) / math.sqrt(n)
    a2_critical, a2_mean = anderson_darling.anderson_darling_critical(alpha)[0], theory.numeric(anderson_darling.anderson_darling_moments()["mean"])
    return [
        {
            "statistic": "goodness of fit (KS, standardized)", "probe": probe, "expected": 0.0, "measured": distance,
            "z": distance * math.sqrt(n), "critical": d_critical * math.sqrt(n), "n": n, "n_unit": "values", "false_failure_rate": alpha,
            # sd of F_n(x) at any x is ≤ 1/(2√n): a true distance Δ ≥ D_crit + 3.09/(2√n) shows with probability ≥ 0.999
            "detects": f"CDF distance ≥ {d_critical + Z_POWER / (2 * math.sqrt(n)):.3g} at power 0.999", "passed": bool(distance <= d_critical),
        },
        {
            "statistic": "goodness of fit (Anderson–Darling A²)", "probe": probe, "expected": a2_mean, "measured": a2,
            "z": a2, "critical": a2_critical, "n": n, "n_unit": "values", "false_failure_rate": alpha,
            "detects": f"n∫(G − F)²/(F(1 − F))dF ≥ {anderson_darling_detectable(a2_critical):.3g} (a weighted CDF distance ≥ "
                       f"{anderson_darling_detectable(a2_critical) / n:.2g}) at power 0.999",
            "passed": bool(a2 <= a2_critical),
        },
    ]  # fmt: skip


def poisson_detectable(mean: float, alpha: float) -> float:
    """The extra expected count detected with probability ≥ 0.999 by the upper Poisson test at α."""
    critical = int(stats.poisson.isf(alpha, mean)) + 1
    extra = 1.0
    while stats.poisson.sf(critical - 1, mean + extra) < 0.999:
        extra *= 1.1
    return extra
