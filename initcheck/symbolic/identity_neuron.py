"""Judge GRAD-IDENTITY's Taylor route against `initcheck.theory.identity_neuron`: the offset form and its error bound."""

from __future__ import annotations

import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, judged
from initcheck.theory.identity_neuron import identity_neuron


def check_identity(candidate_bound: sp.Expr | None) -> Outcome:
    """GRAD-IDENTITY: max over x ∈ [0,1] of |w₂σ(w₁x+b) − (x − ½ + 2/w₁)| ≤ w₁²/96, tight as w₁ → 0.

    The candidate bound is checked against the exact maximum error, which sits at Δ = ±½
    (the error (4/w₁)|σ(w₁Δ) − ½ − w₁Δ/4| grows with |Δ|), evaluated at 40 digits for several w₁.
    """
    parts = identity_neuron()
    w1 = parts["w1"]
    bound = parts["bound"] if candidate_bound is None else candidate_bound
    exact_max = parts["max_error"]
    grid = [sp.Rational(k, 10) for k in (1, 5, 10, 20, 40)]
    violations = [
        f"w₁={g}: max error {sp.N(exact_max.subs(w1, g), 8)} > bound {sp.N(bound.subs(w1, g), 8)}"
        for g in grid
        if sp.N(exact_max.subs(w1, g) - bound.subs(w1, g), 40) > 0
    ]
    tightness = sp.limit(exact_max / bound, w1, 0)
    mismatches = list(violations)
    if parts["bound_derivative_residual"] != 0:
        mismatches.append("the Taylor-remainder inequality does not reduce to v² − tanh²v")
    if tightness != 1:
        mismatches.append(f"bound not tight: max error / bound → {tightness} as w₁ → 0")
    return judged(
        mismatches,
        summary=f"With b = −w₁/2 and w₂ = 4/w₁: w₂σ(w₁x+b) = x − ½ + 2/w₁ {sp.latex(parts['cubic_term'])} + O(w₁⁴); "
        f"the error on [0,1] is at most {bound} (max error / bound → {tightness} as w₁ → 0). "
        "So the neuron is the identity up to the offset 2/w₁ − ½, as closely as wanted for small w₁.",
        derivation=(
            ("Taylor expansion, x = ½ + Δ", sp.latex(sp.Eq(parts["output"], 2 / w1 + parts["delta"] + parts["cubic_term"]))),
            ("error bound on [0, 1]", sp.latex(bound)),
        ),
        details={"bound": str(bound), "offset": "2/w1 - 1/2", "b": "-w1/2", "w2": "4/w1", "tightness_limit": str(tightness)},
    )


GRAD_IDENTITY = SymbolicCheck(
    check_identity, None, sp.Symbol("w_1", positive=True) ** 2 / 192, "w₁²/192: half the derived bound, too tight"
)
