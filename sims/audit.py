"""Statistics of one model's parameters and of its signal at init, for `initcheck audit`.

Two kinds of sample, and each test's null distribution is stated where it is used:

- A parameter tensor's entries, assumed independent and identically distributed under the rule
  being tested (every rule but orthogonal draws them so). Its mean and mean square are sums of n
  independent terms whose law the rule fixes: the mean's z is exact for normal entries and the CLT
  elsewhere (conservative for the bounded laws, whose means have lighter tails); Σw²/σ² is χ²ₙ exactly
  for normal entries and gets the saddlepoint approximation of its exact law for the bounded ones
  (`square_sum_tails`). Goodness of fit is the one-sample KS against the rule's CDF with
  its exact finite-n law (`scipy.stats.kstwo`).
- A layer's units at init, conditional on its input (forward) or on the gradient reaching its output
  (backward). Distinct units of a dense or convolutional layer read distinct rows (columns) of an
  i.i.d. weight tensor, so their per-unit mean squares are i.i.d. quadratic forms given the probe,
  whose mean and variance follow from the probe's design matrix exactly (`quadratic_form_test`).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
from scipy import stats

from initcheck.sims.conformance import ks_distance, orthogonality_error


def two_sided_gamma(total: float, *, mean: float, variance: float) -> float:
    """P-value of `total` under the gamma law with this mean and variance (shape mean²/variance, scale
    variance/mean), two-sided: 2·min(CDF, SF), capped at 1. χ²ₙ is the gamma law with mean n, variance 2n."""
    if variance <= 0:
        return 1.0 if total == mean else 0.0
    shape, scale = mean**2 / variance, variance / mean
    return float(min(1.0, 2 * min(stats.gamma.cdf(total, shape, scale=scale), stats.gamma.sf(total, shape, scale=scale))))


def z_of(p_value: float) -> float:
    """The two-sided normal z with this p-value (for reading; the test itself uses the p-value)."""
    return float(stats.norm.isf(max(p_value, 1e-300) / 2))


def mean_test(values: np.ndarray, *, sd: float) -> dict[str, Any]:
    """z = mean(w)/sd·√n: N(0, 1) for n i.i.d. entries of mean 0 and this sd (exact for normal entries)."""
    n = values.size
    z = float(values.mean() / sd * math.sqrt(n))
    return {"measured": float(values.mean() / sd), "expected": 0.0, "z": z, "p": float(2 * stats.norm.sf(abs(z))), "n": n}


def second_moment_test(values: np.ndarray, *, variance: float, kurtosis: float, density: Any = None, bound: float = math.inf) -> dict[str, Any]:
    """Σw²/Var against its law under the rule. Normal entries (no `density`): χ²ₙ exactly (the gamma law of mean n,
    variance 2n). A bounded law (`density` of w/sd on [−bound, bound]): the Lugannani–Rice saddlepoint approximation of
    the sum of n i.i.d. squares (`square_sum_tails`), whose relative error stays small far into both tails, where the
    gamma law of the same two moments is too thin on the left for a law less skewed than χ² (1.4e-6 for 1e-9 at n = 16)."""
    n = values.size
    total = float(np.sum(np.square(values, dtype=np.float64)) / variance)
    if density is None:
        p = two_sided_gamma(total, mean=float(n), variance=n * (kurtosis - 1))
    else:
        upper, lower = square_sum_tails(total, n=n, density=density, bound=bound)
        p = float(min(1.0, 2 * min(upper, lower)))
    sign = 1.0 if total >= n else -1.0
    return {"measured": total / n, "expected": 1.0, "z": sign * z_of(p), "p": p, "n": n, "se": math.sqrt((kurtosis - 1) / n)}


QUADRATURE_NODES = 400


@functools.cache
def _legendre() -> tuple[np.ndarray, np.ndarray]:
    return np.polynomial.legendre.leggauss(QUADRATURE_NODES)


def _square_cumulants(t: float, nodes: np.ndarray, weights: np.ndarray) -> tuple[float, float, float]:
    """K(t), K'(t), K''(t) of Y = Z² for Z with `weights` = density·Gauss–Legendre weights at `nodes` (log-sum-exp)."""
    y = nodes**2
    exponent = t * y
    top = exponent.max()
    tilted = weights * np.exp(exponent - top)
    mass = tilted.sum()
    first = float((tilted * y).sum() / mass)
    second = float((tilted * y**2).sum() / mass)
    return float(top + math.log(mass)), first, second - first**2


def square_sum_tails(total: float, *, n: int, density: Any, bound: float) -> tuple[float, float]:
    """(P(ΣZᵢ² ≥ total), P(ΣZᵢ² ≤ total)) for n i.i.d. Z with this density on [−bound, bound] (symmetric), by the
    Lugannani–Rice formula: ŝ solves K'(ŝ) = total/n, w = sign(ŝ)·√(2n(ŝ·total/n − K(ŝ))), u = ŝ·√(n·K''(ŝ)),
    P(S ≥ total) ≈ 1 − Φ(w) + φ(w)(1/u − 1/w). K is the cumulant generating function of Z², by Gauss–Legendre
    quadrature on [0, bound] (the density is symmetric)."""
    from scipy.optimize import brentq

    unit_nodes, unit_weights = _legendre()
    nodes = (unit_nodes + 1) * bound / 2
    weights = unit_weights * bound * np.broadcast_to(np.asarray(density(nodes), dtype=float), nodes.shape)  # ×2 halves × bound/2
    mean = total / n
    if mean <= 0:
        return 1.0, 0.0
    if mean >= bound**2:
        return 0.0, 1.0
    span = 1.0
    while _square_cumulants(-span, nodes, weights)[1] > mean:
        span *= 2
    low = -span
    span = 1.0
    while _square_cumulants(span, nodes, weights)[1] < mean:
        span *= 2
    saddle = brentq(lambda t: _square_cumulants(t, nodes, weights)[1] - mean, low, span, xtol=1e-14, rtol=1e-12)
    k, _, k2 = _square_cumulants(saddle, nodes, weights)
    w_square = 2 * n * (saddle * mean - k)
    if abs(saddle) < 1e-8 or w_square < 1e-8:  # at the mean: both tails about 1/2
        return 0.5, 0.5
    w = math.copysign(math.sqrt(w_square), saddle)
    u = saddle * math.sqrt(n * k2)
    correction = float(stats.norm.pdf(w)) * (1 / u - 1 / w)
    upper = float(stats.norm.sf(w)) + correction
    lower = float(stats.norm.cdf(w)) - correction
    return min(1.0, max(upper, 0.0)), min(1.0, max(lower, 0.0))


def ks_test(values: np.ndarray, *, sd: float, cdf: Any) -> dict[str, Any]:
    """sup|F_n − F| of w/sd against the rule's standardized CDF (`ks_distance`), with the exact p-value of kstwo(n)."""
    distance, n = ks_distance(values / sd, cdf=cdf)
    return {"measured": distance, "expected": 0.0, "p": float(stats.kstwo.sf(distance, n)), "n": n}


def fitted_sd(values: np.ndarray, *, confidence: float = 0.95) -> dict[str, float]:
    """√(mean w²) with the interval from χ²ₙ (exact for normal entries of mean 0)."""
    n = values.size
    total = float(np.sum(np.square(values, dtype=np.float64)))
    low, high = stats.chi2.ppf([(1 + confidence) / 2, (1 - confidence) / 2], n)
    return {"sd": math.sqrt(total / n), "low": math.sqrt(total / low), "high": math.sqrt(total / high), "confidence": confidence}


def quadratic_form_test(units: np.ndarray, *, predicted: float, variance: float, kurtosis: float, form: dict[str, float]) -> dict[str, Any]:
    """The units' sum against its law given the probe. Each unit is uⱼ = wⱼᵀMwⱼ + 2bⱼ·wⱼ·d̄ with wⱼ's entries i.i.d. of
    this variance v and kurtosis κ, M = DᵀD/T: E[uⱼ] = v·tr M, Var(uⱼ) = v²·(2·tr M² + (κ − 3)·Σ Mᵢᵢ²) + 4bⱼ²·v·|d̄|²
    (the cross term is uncorrelated with the quadratic one for a symmetric law). The sum of k units gets the gamma law
    of those two moments: exact in the variance, the Satterthwaite approximation in shape; the normal law where the
    symmetric cross term carries more than a tenth of the variance (large biases: the sum can then be negative). `predicted` is E[uⱼ],
    derived by the caller (v·tr M)."""
    k = units.size
    spread = k * variance**2 * (2 * form["trace_square"] + (kurtosis - 3) * form["diagonal_square"]) + variance * form["bias_cross"]
    total = float(units.sum())
    cross = variance * form["bias_cross"]
    if cross > 0.1 * spread or total <= 0:  # the symmetric cross term dominates the spread: the sum is not gamma-shaped
        p = float(2 * stats.norm.sf(abs(total - k * predicted) / math.sqrt(spread))) if spread > 0 else float(total == k * predicted)
    else:
        p = two_sided_gamma(total, mean=k * predicted, variance=spread)
    sign = 1.0 if total >= k * predicted else -1.0
    return {"measured": total / k, "expected": predicted, "ratio": total / (k * predicted) if predicted > 0 else float("nan"),
            "z": sign * z_of(p), "p": p, "n": k, "se": math.sqrt(max(spread, 0.0)) / k}  # fmt: skip


def fitted_orthogonality_error(matrix: np.ndarray) -> dict[str, float]:
    """max|QQᵀ/g² − I| (`orthogonality_error`) with g² = (mean square)·m fitted (m = the longer side)."""
    gain_square = float(np.mean(matrix**2) * max(matrix.shape))
    if gain_square == 0:
        return {"error": float("inf"), "gain": 0.0}
    return {"error": orthogonality_error(matrix[None], gain=math.sqrt(gain_square)), "gain": math.sqrt(gain_square)}
