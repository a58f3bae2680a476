"""XOR and one hidden unit (source 002, section on constant initialization).

One hidden unit: u(a, b) = w₁a + w₂b + c, output y = G(u) with G = g(v·f(·) + d), monotone
when f and g are. The four pre-activations satisfy u₀₀ + u₁₁ = u₀₁ + u₁₀. XOR needs
G(u₀₁), G(u₁₀) > θ ≥ G(u₀₀), G(u₁₁); for nondecreasing G that forces u₀₁, u₁₀ > u₀₀, u₁₁,
and a non-negative combination of those strict inequalities sums to 0 > 0 (a Farkas
certificate, found here by solving a linear system). Nonincreasing G reverses every
inequality and the same certificate applies.
"""

from __future__ import annotations

from typing import Any

import mpmath
import sympy as sp

w1, w2, c = sp.symbols("w1 w2 c", real=True)
POINTS = ((0, 0), (0, 1), (1, 0), (1, 1))
XOR = {(0, 0): 0, (0, 1): 1, (1, 0): 1, (1, 1): 0}


def preactivation(a: int, b: int) -> sp.Expr:
    return w1 * a + w2 * b + c


def farkas_certificate() -> dict[sp.Symbol, sp.Expr] | None:
    """Non-negative λ, not all 0, with Σλ·(u_high − u_low) ≡ 0 in (w₁, w₂, c), proving the strict system infeasible."""
    gaps = [preactivation(*hi) - preactivation(*lo) for hi in ((0, 1), (1, 0)) for lo in ((0, 0), (1, 1))]
    lambdas = sp.symbols("lambda1:5", nonnegative=True)
    combination = sp.expand(sum(lam * g for lam, g in zip(lambdas, gaps, strict=True)))
    equations = [combination.coeff(v) for v in (w1, w2)] + [combination.subs({w1: 0, w2: 0})] + [sum(lambdas) - 1]
    solutions = sp.solve(equations, lambdas, dict=True)
    for solution in solutions:
        free = [lam for lam in lambdas if lam not in solution]
        point = {lam: sp.Rational(1, 4) if not solution else sp.Integer(0) for lam in free}
        values = {lam: sp.sympify(solution.get(lam, lam)).subs(point) for lam in lambdas}
        if all(v >= 0 for v in values.values()) and sum(values.values()) == 1:
            return values
    return None


def two_relu_network(a: int, b: int) -> sp.Expr:
    """The seed's construction: relu(a + b) − 2·relu(a + b − 1)."""
    relu = sp.Lambda(sp.Symbol("s"), sp.Max(0, sp.Symbol("s")))
    return relu(a + b) - 2 * relu(a + b - 1)


def gelu_minimum(digits: int = 30) -> tuple[mpmath.mpf, mpmath.mpf]:
    """GELU(u) = u·Φ(u) has one minimum, where Φ(u) + u·φ(u) = 0 (mpmath.findroot on a sign-changing bracket)."""
    with mpmath.workdps(digits + 10):
        derivative = lambda u: mpmath.ncdf(u) + u * mpmath.npdf(u)  # noqa: E731
        if not (derivative(-2) < 0 < derivative(0)):
            raise ArithmeticError("GELU' does not change sign on [-2, 0]")
        m = mpmath.findroot(derivative, (-2, 0), solver="anderson")
        return +m, +(m * mpmath.ncdf(m))


def non_monotone_units() -> dict[str, dict[tuple[int, int], Any]]:
    """One hidden unit computing XOR: 1 − u² with u = a + b − 1 exactly; −GELU(u) with u = a + b + m − 1 (m = GELU's argmin)."""
    square = {p: 1 - (p[0] + p[1] - 1) ** 2 for p in POINTS}
    m, _ = gelu_minimum()
    with mpmath.workdps(40):
        gelu = {p: -((p[0] + p[1] + m - 1) * mpmath.ncdf(p[0] + p[1] + m - 1)) for p in POINTS}
    return {"1 - u^2": square, "-gelu": gelu}


def separates_xor(outputs: dict[tuple[int, int], Any]) -> bool:
    """Is there a threshold with both XOR-true outputs strictly above both XOR-false ones?"""
    return min(outputs[(0, 1)], outputs[(1, 0)]) > max(outputs[(0, 0)], outputs[(1, 1)])
