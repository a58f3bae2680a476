"""SYM-BACKPROP-2LAYER, symbolic part: the article's eqs. 11-14 against SymPy's derivative (source 002).

Written as facts: for the article's network with n₁ = n₂ = n₃ = 2 (sums over several units, bias units included) and
undefined activations f_h, f_y, every entry of eq. 12 (output weights) and eq. 13 with eq. 11's Δh_k (hidden weights)
equals ∂L/∂w from sp.diff of L = Σ(yᵢ − yᵢ*)². Eqs. 5-10 are the intermediate steps of the same derivation (eq. 9 is
eq. 13 with eq. 10 = eq. 11 substituted); eq. 14 is the gradient-descent step that uses them.
"""

from __future__ import annotations

import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, fact_mismatches, verdict_from_mismatches
from initcheck.theory import backprop

SIZES = (2, 2, 2)


def _equal(a: sp.Matrix, b: sp.Matrix) -> bool:
    return all(sp.expand(e) == 0 for e in (a - b))  # generic f_h, f_y: expand cancels the identical Subs/Derivative terms


def check_backprop(stated: str) -> Outcome:
    """SYM-BACKPROP-2LAYER: eq. 12 and eq. 13 (with the hidden error `stated`: "eq. 11" or the foil's) against sp.diff."""
    net = backprop.two_layer_net(*SIZES)
    derived = backprop.autodiff(net)
    formulas = backprop.article(net, hidden_error_has_output_derivative=(stated == "eq. 11"))
    facts = {"eq_12_output_weights": _equal(derived["w2"], formulas["w2"]), "eq_13_hidden_weights": _equal(derived["w1"], formulas["w1"])}
    mismatches = fact_mismatches({"eq_12_output_weights": True, "eq_13_hidden_weights": True}, facts)
    example = sp.latex(derived["w1"][0, 0])
    return Outcome(
        verdict=verdict_from_mismatches(mismatches),
        summary=f"Network {SIZES[0]}-{SIZES[1]}-{SIZES[2]} with bias units, generic f_h, f_y, L = Σ(yᵢ − yᵢ*)²: "
        + ("every entry of eqs. 12 and 13 (with Δh_k from eq. 11) equals SymPy's ∂L/∂w" if not mismatches else "mismatch: " + "; ".join(mismatches))
        + f" (hidden error used: {stated}). Eq. 14 is the descent step w − α∂L/∂w with these gradients.",
        mismatches=tuple(mismatches),
        derivation=(
            ("eq. 12", r"\frac{\partial L}{\partial w_{2,j,k}}=2f_y'(z_{3,k})\,h_j\,\Delta y_k"),
            ("eq. 11", r"\Delta h_k=\sum_i \Delta y_i\,f_y'(z_{3,i})\,w_{2,k,i}"),
            ("eq. 13", r"\frac{\partial L}{\partial w_{1,j,k}}=2f_h'(z_{2,k})\,x_j\,\Delta h_k"),
            (r"SymPy, \partial L/\partial w_{1,1,1}", example),
        ),
        details={"sizes": list(SIZES), **facts},
    )


SYM_BACKPROP_2LAYER = SymbolicCheck(
    check_backprop,
    "eq. 11",
    "Δh_k = Σᵢ Δyᵢ w_{2,k,i}",
    "the hidden error without the output derivative f_y'(z_{3,i})",
)
