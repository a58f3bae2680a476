"""Output and hidden errors of a sigmoid net under cross-entropy and quadratic costs (source 004, ch. 3; 000, ch. 9).

One path through the net: a hidden unit h = σ(z_h), an output a = σ(z), z = w·h + b, target y. The output error is
δ = ∂C/∂z, the hidden error δ_h = ∂C/∂z_h. Both are differentiated by SymPy from the cost, not typed:
cross-entropy C = −[y ln a + (1 − y) ln(1 − a)] gives δ = a − y (σ'(z) cancels); the quadratic cost (a − y)²/2 gives
δ = (a − y)σ'(z). For the hidden unit, δ_h = δ·w·σ'(z_h) under either cost: the hidden σ' stays.

Values only: the comparison with the texts is in initcheck.symbolic.xent.
"""

from __future__ import annotations

import sympy as sp

z, z_h, w, b = sp.symbols("z z_h w b", real=True)
y = sp.Symbol("y", real=True)


def sigmoid(x: sp.Expr) -> sp.Expr:
    """σ(x) = 1/(1 + e^{−x})."""
    return 1 / (1 + sp.exp(-x))


def sigmoid_prime(x: sp.Expr) -> sp.Expr:
    """σ'(x), differentiated by SymPy."""
    t = sp.Symbol("t", real=True)
    return sp.diff(sigmoid(t), t).subs(t, x)


def cost(name: str, a: sp.Expr) -> sp.Expr:
    """C(a; y): "cross_entropy" −[y ln a + (1 − y) ln(1 − a)] or "quadratic" (a − y)²/2."""
    if name == "cross_entropy":
        return -(y * sp.log(a) + (1 - y) * sp.log(1 - a))
    if name == "quadratic":
        return (a - y) ** 2 / 2
    raise ValueError(f"unknown cost {name!r}")


def output_error(name: str) -> sp.Expr:
    """δ = ∂C/∂z for a = σ(z), simplified."""
    return sp.simplify(sp.diff(cost(name, sigmoid(z)), z))


def hidden_error(name: str) -> sp.Expr:
    """δ_h = ∂C/∂z_h for a = σ(w·σ(z_h) + b), differentiated through both sigmoids."""
    return sp.diff(cost(name, sigmoid(w * sigmoid(z_h) + b)), z_h)


def hidden_error_over_sigmoid_prime(name: str) -> sp.Expr:
    """δ_h/σ'(z_h) = ∂C/∂h with h = σ(z_h) a free symbol (chain rule): w·(a − y) under cross-entropy, no σ'(z_h) left to cancel."""
    h = sp.Symbol("h", positive=True)
    return sp.simplify(sp.diff(cost(name, sigmoid(w * h + b)), h))


def output_error_at_wrong_saturation(name: str) -> sp.Expr:
    """lim_{z→∞} δ with y = 0 (the output saturated at the wrong value): 1 under cross-entropy, 0 under the quadratic cost."""
    return sp.limit(output_error(name).subs(y, 0), z, sp.oo)


def hidden_error_at_saturation(name: str) -> sp.Expr:
    """lim_{z_h→∞} δ_h with y = 0 and finite w, b: 0 under both costs (the hidden σ'(z_h) → 0)."""
    return sp.limit(hidden_error(name).subs(y, 0), z_h, sp.oo)
