"""Deciding exactly whether a SymPy expression is identically zero.

One evaluation at a point where the value is clearly non-zero proves the
expression is not identically zero (cheap, and it settles every foil). Otherwise
`expand` settles most of our identities structurally (the difference cancels
term by term); only when both are inconclusive do we fall back to `simplify`.
"""

from __future__ import annotations

import sympy as sp


def is_identically_zero(expr: sp.Expr) -> bool:
    """True iff `expr` is 0 for all values of its symbols (undefined functions included)."""
    if _nonzero_somewhere(expr):
        return False
    if sp.expand(expr) == 0:
        return True
    return bool(sp.simplify(expr) == 0 or sp.simplify(expr.rewrite(sp.exp)) == 0)


def _nonzero_somewhere(expr: sp.Expr) -> bool:
    """Evaluate at a rational point above 4 (inside every domain used here, e.g. |w| > 4), undefined f ↦ sin(t) + 2t."""
    t = sp.Dummy("t")
    functions = {applied.func for applied in expr.atoms(sp.core.function.AppliedUndef)}
    concrete = expr.subs({f: sp.Lambda(t, sp.sin(t) + 2 * t) for f in functions}).doit()
    point = {s: sp.Rational(53 + 7 * k, 11 + 2 * k) for k, s in enumerate(sorted(concrete.free_symbols, key=str))}
    value = sp.N(concrete.subs(point), 30)
    return bool(value.is_number and abs(value) > sp.Float("1e-20"))
