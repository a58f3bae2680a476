"""Judge REG-DROPOUT and REG-BATCHNORM against `initcheck.theory.regularization`."""

from __future__ import annotations

import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, judged
from initcheck.theory.regularization import batchnorm_moments, dropout_moments, p


def check_dropout(stated: dict[str, sp.Expr]) -> Outcome:
    """REG-DROPOUT: inverted dropout keeps E; unscaled dropout multiplies E[x²] by (1 − p) (and scaled by 1/(1 − p))."""
    derived = dropout_moments()
    mismatches = [f"{k}: stated {v}, derived {derived[k]}" for k, v in stated.items() if sp.simplify(derived[k] - v) != 0]
    return judged(
        mismatches,
        summary=f"With keep-scaling 1/(1−p) the mean factor is {derived['mean_factor_scaled']}; without it "
        f"E[(mx)²] = ({derived['second_moment_factor_unscaled']})·E[x²]. Note: the scaled unit's second moment is multiplied by "
        f"{sp.factor(derived['second_moment_factor_scaled'])}, so inverted dropout preserves the mean, not the second moment.",
        derivation=tuple((k.replace("_", " "), sp.latex(v)) for k, v in derived.items()),
        details={k: str(v) for k, v in derived.items()},
    )


REG_DROPOUT = SymbolicCheck(
    check_dropout,
    {"mean_factor_scaled": sp.Integer(1), "second_moment_factor_unscaled": 1 - p},
    {"mean_factor_scaled": sp.Integer(1), "second_moment_factor_unscaled": (1 - p) ** 2},
    "second moment multiplied by (1 − p)² (mask squared twice)",
)


def check_batchnorm(stated: str) -> Outcome:
    """REG-BATCHNORM: x̂ has batch mean 0 and batch variance σ²/(σ²+ε) exactly, when σ² is the 1/m batch variance."""
    mismatches, per_batch = [], {}
    for batch in (2, 3, 4):
        mean_hat, var_hat, stated_variance = batchnorm_moments(batch, unbiased=(stated == "unbiased"))
        per_batch[batch] = (mean_hat, sp.simplify(var_hat - stated_variance))
        if mean_hat != 0 or sp.simplify(var_hat - stated_variance) != 0:
            mismatches.append(f"batch of {batch}: mean {mean_hat}, variance differs from σ²/(σ²+ε)")
    return judged(
        mismatches,
        summary="For batches of 2, 3 and 4 symbolic values, x̂ has batch mean 0 and batch variance σ²/(σ²+ε) exactly, "
        "with σ² the batch variance normalized by 1/m (as in Ioffe & Szegedy; with 1/(m−1) the identity fails).",
        conditions=("σ² is the biased (1/m) batch variance, the one the normalization uses",),
        details={"batches": [2, 3, 4]},
    )


REG_BATCHNORM = SymbolicCheck(check_batchnorm, "biased", "unbiased", "σ² as the unbiased 1/(m−1) variance")
