"""Glorot & Bengio's "standard" vs normalized initialization in a deep tanh net, forward and backward (source 003; G&B 2010).

Square layers of width n, weights U[−a, a] with Var(w) = a²/3: standard a = 1/√n gives the per-layer gain g = n·Var(w) = 1/3;
normalized a = √(6/(2n)) gives g = 1 (GLOROT-UNIFORM). Mean field (infinite width, Poole et al. 2016):
forward q₁ = g·E[x²], q_{l+1} = g·E[tanh(√q_l ξ)²]; backward, with the top error δ_L = tanh'(z_L)⊙e, e ~ N(0, I):
r_L = E[tanh'(√q_L ξ)²], r_l = g·E[tanh'(√q_l ξ)²]·r_{l+1} (the weights of the backward pass taken independent of the
forward ones, exact in the infinite-width limit). Expectations by mpmath quadrature, ξ ~ N(0, 1).

Values only: the comparison with the text is in initcheck.symbolic.glorot_standard.
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import sympy as sp

GAINS = {"standard": sp.Rational(1, 3), "normalized": sp.Integer(1)}


def uniform_gain(bound_squared_times_n: sp.Expr) -> sp.Expr:
    """n·Var(w) for w ~ U[−a, a], from a²·n: Var = a²/3 integrated by SymPy."""
    w, a = sp.Symbol("w", real=True), sp.Symbol("a", positive=True)
    variance = sp.integrate(w**2 / (2 * a), (w, -a, a))
    return sp.simplify(variance.subs(a, sp.sqrt(bound_squared_times_n)))  # n·a²/3 with n·a² given (n = 1 after scaling)


def _expect(function, q: mpmath.mpf) -> mpmath.mpf:
    return mpmath.quad(lambda x: function(mpmath.sqrt(q) * x) * mpmath.npdf(x), [-12, 0, 12])


@lru_cache(maxsize=8)
def mean_field(init: str, depth: int = 5, input_second_moment: int = 1) -> dict[str, list[float]]:
    """Per layer (1..depth): forward second moment q_l, backward variance r_l, and the per-layer gains q_{l+1}/q_l, r_l/r_{l+1}."""
    g = mpmath.mpf(sp.N(GAINS[init], 30))
    with mpmath.workdps(20):
        q = [g * input_second_moment]
        for _ in range(depth - 1):
            q.append(g * _expect(lambda z: mpmath.tanh(z) ** 2, q[-1]))
        slope = [_expect(lambda z: (1 - mpmath.tanh(z) ** 2) ** 2, v) for v in q]
        r = [mpmath.mpf(0)] * depth
        r[-1] = slope[-1]
        for layer in range(depth - 2, -1, -1):
            r[layer] = g * slope[layer] * r[layer + 1]
        return {
            "forward": [float(v) for v in q],
            "backward": [float(v) for v in r],
            "forward_gain": [float(q[i + 1] / q[i]) for i in range(depth - 1)],
            "backward_gain": [float(r[i] / r[i + 1]) for i in range(depth - 1)],
        }
