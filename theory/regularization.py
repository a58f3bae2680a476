"""Dropout and batch normalization side claims (source 003, "Dropout" and "Batch normalization").

Dropout: mask m ~ Bernoulli(1 − p) independent of x. Batch norm over a batch of m values:
x̂ᵢ = (xᵢ − μ)/√(σ² + ε), μ the batch mean, σ² the batch variance with 1/m (Ioffe & Szegedy 2015, Alg. 1).
"""

from __future__ import annotations

import sympy as sp
from sympy.stats import Bernoulli, E

from initcheck.outcome import Outcome, SymbolicCheck, verdict_from_mismatches

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


def check_dropout(stated: dict[str, sp.Expr]) -> Outcome:
    """REG-DROPOUT: inverted dropout keeps E; unscaled dropout multiplies E[x²] by (1 − p) (and scaled by 1/(1 − p))."""
    derived = dropout_moments()
    mismatches = [f"{k}: stated {v}, derived {derived[k]}" for k, v in stated.items() if sp.simplify(derived[k] - v) != 0]
    return Outcome(
        verdict=verdict_from_mismatches(mismatches),
        summary=f"With keep-scaling 1/(1−p) the mean factor is {derived['mean_factor_scaled']}; without it "
        f"E[(mx)²] = ({derived['second_moment_factor_unscaled']})·E[x²]. Note: the scaled unit's second moment is multiplied by "
        f"{sp.factor(derived['second_moment_factor_scaled'])}, so inverted dropout preserves the mean, not the second moment.",
        mismatches=tuple(mismatches),
        derivation=tuple((k.replace("_", " "), sp.latex(v)) for k, v in derived.items()),
        details={k: str(v) for k, v in derived.items()},
    )


REG_DROPOUT = SymbolicCheck(
    check_dropout,
    {"mean_factor_scaled": sp.Integer(1), "second_moment_factor_unscaled": 1 - p},
    {"mean_factor_scaled": sp.Integer(1), "second_moment_factor_unscaled": (1 - p) ** 2},
    "second moment multiplied by (1 − p)² (mask squared twice)",
)


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


def check_batchnorm(stated: str) -> Outcome:
    """REG-BATCHNORM: x̂ has batch mean 0 and batch variance σ²/(σ²+ε) exactly, when σ² is the 1/m batch variance."""
    mismatches, per_batch = [], {}
    for batch in (2, 3, 4):
        mean_hat, var_hat, stated_variance = batchnorm_moments(batch, unbiased=(stated == "unbiased"))
        per_batch[batch] = (mean_hat, sp.simplify(var_hat - stated_variance))
        if mean_hat != 0 or sp.simplify(var_hat - stated_variance) != 0:
            mismatches.append(f"batch of {batch}: mean {mean_hat}, variance differs from σ²/(σ²+ε)")
    return Outcome(
        verdict=verdict_from_mismatches(mismatches),
        summary="For batches of 2, 3 and 4 symbolic values, x̂ has batch mean 0 and batch variance σ²/(σ²+ε) exactly, "
        "with σ² the batch variance normalized by 1/m (as in Ioffe & Szegedy; with 1/(m−1) the identity fails).",
        mismatches=tuple(mismatches),
        conditions=("σ² is the biased (1/m) batch variance, the one the normalization uses",),
        details={"batches": [2, 3, 4]},
    )


REG_BATCHNORM = SymbolicCheck(check_batchnorm, "biased", "unbiased", "σ² as the unbiased 1/(m−1) variance")
