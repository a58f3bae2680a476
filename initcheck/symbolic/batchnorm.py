"""REG-BN-GRAD, symbolic part: the batch statistics take part in the gradient (source 003, "Batch normalization").

Written as facts about SymPy's derivative through μ and σ² for a symbolic batch of BATCH values (theory.batchnorm):
- the statistics take part: the gradient differs from the one with μ, σ² frozen;
- the closed-form backward pass of Ioffe & Szegedy equals the derivative;
- its consequence: the per-feature input gradients sum to zero (for any ε). Recorded beside it: they are orthogonal to
  x̂ only at ε = 0 (Σx̂ᵢ∂L/∂xᵢ is a nonzero multiple of ε).
"""

from __future__ import annotations

import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, fact_mismatches, verdict_from_mismatches
from initcheck.theory import batchnorm

BATCH = 3


def check_bn_gradient(stated: dict[str, bool]) -> Outcome:
    """REG-BN-GRAD: derivative vs frozen-statistics gradient, vs the closed form, and the sums of the input gradients."""
    autodiff = batchnorm.autodiff_gradient(BATCH)
    frozen = batchnorm.autodiff_gradient(BATCH, statistics_constant=True)
    closed = batchnorm.closed_form_gradient(BATCH)
    sums = batchnorm.gradient_sums(BATCH)
    frozen_sum = sp.simplify(sum(frozen))
    orthogonal_at_zero = sp.simplify(sums["sum_times_normalized"].subs(batchnorm.epsilon, 0)) == 0
    derived = {
        "statistics_take_part": any(sp.simplify(a - f) != 0 for a, f in zip(autodiff, frozen, strict=True)),
        "closed_form_is_the_derivative": all(sp.simplify(a - c) == 0 for a, c in zip(autodiff, closed, strict=True)),
        "input_gradients_sum_to_zero": sums["sum"] == 0,
    }
    mismatches = fact_mismatches(stated, derived)
    return Outcome(
        verdict=verdict_from_mismatches(mismatches),
        summary=f"For a symbolic batch of {BATCH}, SymPy's derivative of Σgᵢ(γx̂ᵢ + β) through μ and σ² equals Ioffe & Szegedy's backward pass "
        "γ/√(σ²+ε)·(gᵢ − mean g − x̂ᵢ·mean(g x̂)) and differs from the gradient with the statistics frozen (whose sum is "
        f"{frozen_sum}, not 0). The input gradients sum to {sums['sum']} for every ε; Σx̂ᵢ∂L/∂xᵢ is 0 only at ε = 0 "
        f"({'confirmed' if orthogonal_at_zero else 'NOT confirmed'}), otherwise a multiple of ε.",
        mismatches=tuple(mismatches),
        derivation=(
            ("closed-form backward", r"\frac{\partial L}{\partial x_i}=\frac{\gamma}{\sqrt{\sigma^2+\epsilon}}\left(g_i-\bar g-\hat x_i\,\overline{g\hat x}\right)"),
            ("sum of input gradients", sp.latex(sums["sum"])),
            ("frozen statistics: sum", sp.latex(frozen_sum)),
        ),
        details={"batch": BATCH, "sum": str(sums["sum"]), "orthogonal_to_normalized_at_epsilon_0": orthogonal_at_zero, "sum_times_normalized": str(sums["sum_times_normalized"])},
    )


REG_BN_GRAD = SymbolicCheck(
    check_bn_gradient,
    {"statistics_take_part": True, "closed_form_is_the_derivative": True, "input_gradients_sum_to_zero": True},
    {"statistics_take_part": False, "closed_form_is_the_derivative": True, "input_gradients_sum_to_zero": True},
    "μ and σ² treated as constants in the backward pass",
)
