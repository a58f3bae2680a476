"""Statistics of one model's parameters and of its signal at init, for `initcheck audit`.

Two kinds of sample, and each test's null distribution is stated where it is used:

- A parameter tensor's entries, assumed independent and identically distributed under the rule
  being tested (every rule but orthogonal draws them so). Its mean and mean square are sums of n
  independent terms whose law the rule fixes: the mean's z is exact for normal entries and the CLT
  elsewhere; Σw²/σ² is χ²ₙ exactly for normal entries and is given the gamma law with the rule's
  mean n and variance n·(κ − 1) otherwise (two moments matched; exact for the normal, conservative in
  the tails of the bounded laws). Goodness of fit is the one-sample KS against the rule's CDF with
  its exact finite-n law (`scipy.stats.kstwo`).
- A layer's units at init, conditional on its input (forward) or on the gradient reaching its output
  (backward). Distinct units of a dense or convolutional layer read distinct rows (columns) of an
  i.i.d. weight tensor, so their per-unit mean squares are i.i.d. quadratic forms given the probe,
  whose mean and variance follow from the probe's design matrix exactly (`quadratic_form_test`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import stats


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


def second_moment_test(values: np.ndarray, *, variance: float, kurtosis: float) -> dict[str, Any]:
    """Σw²/Var against the gamma law of mean n and variance n·(κ − 1) (χ²ₙ when κ = 3, the normal's)."""
    n = values.size
    total = float(np.sum(np.square(values, dtype=np.float64)) / variance)
    p = two_sided_gamma(total, mean=float(n), variance=n * (kurtosis - 1))
    sign = 1.0 if total >= n else -1.0
    return {"measured": total / n, "expected": 1.0, "z": sign * z_of(p), "p": p, "n": n, "se": math.sqrt((kurtosis - 1) / n)}


def ks_test(values: np.ndarray, *, sd: float, cdf: Any) -> dict[str, Any]:
    """sup|F_n − F| of w/sd against the rule's standardized CDF, with the exact p-value of kstwo(n)."""
    ordered = np.sort(values.ravel() / sd)
    n = ordered.size
    theoretical = np.asarray(cdf(ordered), dtype=float)
    upper = np.arange(1, n + 1) / n
    distance = float(max(np.max(upper - theoretical), np.max(theoretical - (upper - 1 / n))))
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
    of those two moments: exact in the variance, the Satterthwaite approximation in shape. `predicted` is E[uⱼ],
    derived by the caller (v·tr M)."""
    k = units.size
    spread = k * variance**2 * (2 * form["trace_square"] + (kurtosis - 3) * form["diagonal_square"]) + variance * form["bias_cross"]
    total = float(units.sum())
    p = two_sided_gamma(total, mean=k * predicted, variance=spread)
    sign = 1.0 if total >= k * predicted else -1.0
    return {"measured": total / k, "expected": predicted, "ratio": total / (k * predicted) if predicted > 0 else float("nan"),
            "z": sign * z_of(p), "p": p, "n": k, "se": math.sqrt(max(spread, 0.0)) / k}  # fmt: skip


def orthogonality_error(matrix: np.ndarray) -> dict[str, float]:
    """max|QQᵀ/g² − I| over the shorter side, with g² = (mean square)·m fitted (m = the longer side)."""
    rows, cols = matrix.shape
    wide = matrix if rows <= cols else matrix.T
    gain_square = float(np.mean(matrix**2) * max(rows, cols))
    if gain_square == 0:
        return {"error": float("inf"), "gain": 0.0}
    gram = wide @ wide.T / gain_square
    return {"error": float(np.max(np.abs(gram - np.eye(gram.shape[0])))), "gain": math.sqrt(gain_square)}
