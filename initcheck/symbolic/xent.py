"""SAT-XENT, symbolic part: cross-entropy cancels σ' in the output error only (sources 004, ch. 3; 000, ch. 9).

The text's statement, written as facts about the derived errors (initcheck.theory.xent):
- the output error under cross-entropy is a − y, without σ'(z): it does not vanish when the output saturates at the wrong
  value (limit 1; the quadratic cost's limit is 0);
- the hidden error is δ_h = w(a − y)·σ'(z_h) under either cost: it still vanishes when the hidden unit saturates.
"""

from __future__ import annotations

import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, fact_mismatches, verdict_from_mismatches
from initcheck.theory import xent


def check_xent(stated: dict[str, object]) -> Outcome:
    """SAT-XENT: output error a − y (σ' cancelled), hidden error still ∝ σ'(z_h), and the saturation limits of each."""
    out = xent.output_error("cross_entropy")
    h = sp.Symbol("h", positive=True)
    per_sigmoid_prime = xent.hidden_error_over_sigmoid_prime("cross_entropy")
    limits = {c: (xent.output_error_at_wrong_saturation(c), xent.hidden_error_at_saturation(c)) for c in ("cross_entropy", "quadratic")}
    derived = {
        "output_error_is_a_minus_y": sp.simplify(out - (xent.sigmoid(xent.z) - xent.y)) == 0,
        "output_error_at_wrong_saturation": limits["cross_entropy"][0],
        "hidden_error_over_sigmoid_prime_is_w_times_a_minus_y": sp.simplify(per_sigmoid_prime - xent.w * (xent.sigmoid(xent.w * h + xent.b) - xent.y)) == 0,
        "hidden_error_at_saturation": limits["cross_entropy"][1],
    }
    mismatches = fact_mismatches(stated, derived)
    return Outcome(
        verdict=verdict_from_mismatches(mismatches),
        summary="Differentiated by SymPy: under cross-entropy the output error ∂C/∂z = σ(z) − y (σ'(z) cancels), whose limit at an "
        f"output saturated at the wrong value is {limits['cross_entropy'][0]} (quadratic cost: {limits['quadratic'][0]}); the hidden error "
        f"is w(a − y)·σ'(z_h), whose limit as the hidden unit saturates is {limits['cross_entropy'][1]} under cross-entropy too "
        f"(quadratic: {limits['quadratic'][1]}): the cost removes the output slowdown and does nothing for saturated hidden units.",
        mismatches=tuple(mismatches),
        derivation=(
            ("output error, cross-entropy", sp.latex(out)),
            (r"hidden error / \sigma'(z_h)", sp.latex(per_sigmoid_prime)),
            ("limits (output wrong-saturated, hidden saturated)", sp.latex(limits["cross_entropy"])),
        ),
        details={c: {"output_limit": str(a), "hidden_limit": str(b)} for c, (a, b) in limits.items()},
    )


SAT_XENT = SymbolicCheck(
    check_xent,
    {
        "output_error_is_a_minus_y": True,
        "output_error_at_wrong_saturation": sp.Integer(1),
        "hidden_error_over_sigmoid_prime_is_w_times_a_minus_y": True,
        "hidden_error_at_saturation": sp.Integer(0),
    },
    {
        "output_error_is_a_minus_y": True,
        "output_error_at_wrong_saturation": sp.Integer(1),
        "hidden_error_over_sigmoid_prime_is_w_times_a_minus_y": True,
        "hidden_error_at_saturation": sp.Symbol("w") * (sp.Integer(1) / (1 + sp.exp(-sp.Symbol("w") - sp.Symbol("b")))),
    },
    "σ' cancels in the hidden error too: δ_h → w(a − y) ≠ 0 as the hidden unit saturates",
)
