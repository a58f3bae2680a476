"""Where |w·σ'(wa+b)| ≥ 1 is possible (source 001, Nielsen ch. 5 problems, eq. 123), and the identity neuron.

The interval's endpoints are solved for, not typed; the width's maximum has no
closed form and is found with mpmath at 40 digits, certified by the sign change
of the derivative on a bracket and by agreement at two working precisions.
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import sympy as sp

from initcheck.theory.gradients import sigmoid_prime

W = sp.Symbol("W", positive=True)  # |w|
s, x = sp.symbols("s x", real=True)


def nielsen_width(abs_w: sp.Expr) -> sp.Expr:
    """Eq. 123 as published: (2/|w|)·ln(|w|(1 + √(1 − 4/|w|))/2 − 1)."""
    return 2 / abs_w * sp.log(abs_w * (1 + sp.sqrt(1 - 4 / abs_w)) / 2 - 1)


def sigmoid_prime_peak() -> sp.Expr:
    """max over x ∈ ℝ of σ'(x) = 1/4 (sp.maximum), the largest factor |w|·σ'(wa+b) can reach per unit |w|."""
    return sp.maximum(sigmoid_prime(x), x, sp.S.Reals)


def threshold_weight() -> sp.Expr:
    """|w| = 4: sup over a, b of |wσ'(wa+b)| = |w|·max σ' reaches 1 there (wa+b ranges over ℝ; Nielsen ch. 5 problems)."""
    return sp.solve(sp.Eq(W * sigmoid_prime_peak(), 1), W)[0]


t = sp.Symbol("t", positive=True)
# r = √(1 − 4/|w|) ∈ (0, 1), written r = 1/(1+t) with t > 0 so that SymPy knows 0 < r < 1:
# a monotone change of variable, |w| = 4/(1 − r²).
r = 1 / (1 + t)
W_OF_R = 4 / (1 - r**2)


def interval_endpoints() -> tuple[sp.Expr, sp.Expr]:
    """Solve σ'(x) = 1/|w| in x = wa+b: σ(x) = s with s(1−s) = 1/|w| = (1−r²)/4, then x = ln(s/(1−s))."""
    roots = sp.solve(sp.Eq(s * (1 - s), 1 / W_OF_R), s)
    ends = sorted((sp.simplify(sp.log(root / (1 - root))) for root in roots), key=lambda e: float(e.subs(t, 1)))
    return ends[0], ends[1]


def interval_width() -> sp.Expr:
    """Width in a, as a function of r: (x₊ − x₋)/|w|, since x = wa + b is affine in a with slope |w|."""
    lower, upper = interval_endpoints()
    return (upper - lower) / W_OF_R


def width_limits() -> tuple[sp.Expr, sp.Expr]:
    """eq. 123 at |w| → 4⁺ and |w| → ∞: both 0, so the width has an interior maximum (SymPy limits)."""
    return sp.limit(nielsen_width(W), W, 4), sp.limit(nielsen_width(W), W, sp.oo)


@lru_cache(maxsize=4)
def width_maximum(digits: int = 40) -> tuple[mpmath.mpf, mpmath.mpf]:
    """argmax and max of eq. 123 over |w| > 4, by mpmath.findroot on its derivative at `digits` digits."""
    f = sp.lambdify(W, nielsen_width(W), "mpmath")
    df = sp.lambdify(W, sp.diff(nielsen_width(W), W), "mpmath")
    with mpmath.workdps(digits + 10):
        lo, hi = mpmath.mpf(5), mpmath.mpf(9)
        if not (df(lo) > 0 > df(hi)):
            raise ArithmeticError("derivative of the width does not change sign on [5, 9]")
        argmax = mpmath.findroot(df, (lo, hi), solver="anderson")
        return +argmax, +f(argmax)
