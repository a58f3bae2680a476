"""Gradient descent on the logistic loss (source 003: "the loss is convex, so gradient descent converges from any point").

Two one-dimensional examples, each removing one hypothesis of the convergence theorem (convex, L-smooth loss with a
minimizer; step η < 2/L: f(w_k) → min f):
- step too large: points (x, y) = (1, 1) and (1, 0), loss f(w) = ln(1 + e^{−w}) + ln(1 + e^{w}), f' = tanh(w/2), f'' ≤ 1/2,
  so L = 1/2 and 2/L = 4. For η > 4 the minimizer 0 is unstable and GD has a 2-cycle w ↦ −w at η·tanh(w/2) = 2w:
  from ±w* it never converges (w* by mpmath.findroot);
- no minimizer (separable data): one point (1, 1), f(w) = ln(1 + e^{−w}): f' = −σ(−w) < 0 everywhere, inf f = 0 is
  not attained, and every GD step increases w: the iterates diverge (w_k → ∞) while f(w_k) → 0.
"""

from __future__ import annotations

import mpmath
import sympy as sp

w = sp.Symbol("w", real=True)


def two_point_loss() -> sp.Expr:
    """ln(1 + e^{−w}) + ln(1 + e^{w}): logistic loss of (1, 1) and (1, 0)."""
    return sp.log(1 + sp.exp(-w)) + sp.log(1 + sp.exp(w))


def separable_loss() -> sp.Expr:
    """ln(1 + e^{−w}): logistic loss of the single point (1, 1)."""
    return sp.log(1 + sp.exp(-w))


def smoothness_constant(loss: sp.Expr) -> sp.Expr:
    """L = sup f''(w): f'' of the two-point loss is σ'(w)·2, largest at w = 0."""
    second = sp.simplify(sp.diff(loss, w, 2))
    return sp.simplify(second.subs(w, 0))


def is_convex(loss: sp.Expr) -> bool:
    """f'' ≥ 0 everywhere: f'' is a sum of σ'-type terms e^{w}/(1 + e^{w})², checked positive by SymPy."""
    return bool(sp.simplify(sp.diff(loss, w, 2)).is_positive)


def two_cycle(step: int) -> str:
    """w* > 0 with step·tanh(w*/2) = 2w* (GD maps w* to −w* and back), 30 digits; exists for step > 4."""
    with mpmath.workdps(40):
        root = mpmath.findroot(lambda v: step * mpmath.tanh(v / 2) - 2 * v, mpmath.mpf(step) / 2)
        return mpmath.nstr(root, 30)


def gd_step(loss: sp.Expr, step: sp.Expr) -> sp.Expr:
    """w − η f'(w)."""
    return w - step * sp.diff(loss, w)


def stationary_points(loss: sp.Expr) -> sp.Set:
    """Real solutions of f'(w) = 0."""
    return sp.solveset(sp.diff(loss, w), w, domain=sp.S.Reals)
