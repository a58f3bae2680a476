"""Dropout and batch normalization side claims (source 003, "Dropout" and "Batch normalization").

Dropout: mask m ~ Bernoulli(1 − p) independent of x. Batch norm over a batch of m values:
x̂ᵢ = (xᵢ − μ)/√(σ² + ε), μ the batch mean, σ² the batch variance with 1/m (Ioffe & Szegedy 2015, Alg. 1).
"""

from __future__ import annotations

import sympy as sp
from sympy.stats import Bernoulli, E

p = sp.Symbol("p", positive=True)  # drop probability, 0 < p < 1
x = sp.Symbol("x", real=True)


def dropout_moments() -> dict[str, sp.Expr]:
    """E and E[·²] of the dropped unit relative to the undropped one, with and without the 1/(1−p) scaling."""
    mask = Bernoulli("m", 1 - p)
    return {
        "mean_factor_scaled": sp.simplify(E(mask * x / (1 - p)) / x),
        "mean_factor_unscaled": sp.simplify(E(mask * x) / x),
        "second_moment_factor_unscaled": sp.simplify(E((mask * x) ** 2) / x**2),
        "second_moment_factor_scaled": sp.simplify(E((mask * x / (1 - p)) ** 2) / x**2),
    }


def batchnorm_moments(batch: int, unbiased: bool = False) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """Batch mean and 1/m batch variance of x̂ for `batch` symbolic values, and σ² (1/m, or 1/(m−1) if unbiased)."""
    xs = sp.symbols(f"x1:{batch + 1}", real=True)
    eps = sp.Symbol("epsilon", positive=True)
    mu = sum(xs) / batch
    sigma2 = sum((v - mu) ** 2 for v in xs) / (batch - 1 if unbiased else batch)
    normalized = [(v - mu) / sp.sqrt(sigma2 + eps) for v in xs]
    mean_hat = sp.simplify(sum(normalized) / batch)
    var_hat = sp.simplify(sum((v - mean_hat) ** 2 for v in normalized) / batch)
    return mean_hat, var_hat, sigma2 / (sigma2 + eps)
