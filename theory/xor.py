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

from initcheck.outcome import Outcome, SymbolicCheck, fact_mismatches, verdict_from_mismatches

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


def check_xor(stated: dict[str, bool]) -> Outcome:
    """SYM-XOR: one monotone hidden unit cannot separate XOR; two ReLU units compute it exactly."""
    identity = sp.expand(preactivation(0, 0) + preactivation(1, 1) - preactivation(0, 1) - preactivation(1, 0))
    certificate = farkas_certificate()
    relu_outputs = {p: two_relu_network(*p) for p in POINTS}
    derived = {"one_monotone_unit_can_xor": not (identity == 0 and certificate is not None), "two_relu_units_can_xor": relu_outputs == XOR}
    units = non_monotone_units()
    derived["one_non_monotone_unit_can_xor"] = all(separates_xor(o) for o in units.values())
    mismatches = fact_mismatches(stated, derived)
    return Outcome(
        verdict=verdict_from_mismatches(mismatches),
        summary=f"u₀₀ + u₁₁ − u₀₁ − u₁₀ = {identity}; the certificate λ = {tuple(certificate.values()) if certificate else None} "
        "combines the four strict inequalities XOR needs into 0 > 0, for nondecreasing and nonincreasing output maps alike. "
        f"relu(a+b) − 2relu(a+b−1) gives {[relu_outputs[p] for p in POINTS]} on (00, 01, 10, 11). The monotonicity hypothesis is "
        "needed: one unit with 1 − u² (u = a+b−1) computes XOR exactly, and so does one GELU unit.",
        mismatches=tuple(mismatches),
        derivation=(
            ("pre-activation identity", sp.latex(sp.Eq(sp.Symbol("u_{00}+u_{11}-u_{01}-u_{10}"), identity))),
            ("Farkas certificate", sp.latex(certificate)),
        ),
        details={
            "certificate": {str(k): str(v) for k, v in (certificate or {}).items()},
            "two_relu_outputs": [str(relu_outputs[p]) for p in POINTS],
            "gelu_argmin": mpmath.nstr(gelu_minimum()[0], 20),
        },
    )


SYM_XOR = SymbolicCheck(
    check_xor,
    {"one_monotone_unit_can_xor": False, "two_relu_units_can_xor": True},
    {"one_monotone_unit_can_xor": True, "two_relu_units_can_xor": True},
    "one monotone unit suffices",
)


def check_constant_xor(stated: dict[str, bool]) -> Outcome:
    """SYM-CONST-XOR: constant init keeps the net a one-unit net (SYM-CONST), which cannot separate XOR if f is monotone (SYM-XOR)."""
    xor = check_xor({"one_monotone_unit_can_xor": False})
    derived = {"monotone_activation_cannot_learn_xor": xor.verdict == "holds", "any_activation_cannot_represent_xor": False}
    mismatches = fact_mismatches(stated, derived)
    return Outcome(
        verdict="refuted" if mismatches else "holds-under-conditions",
        summary="A constant-initialized net stays equal to a one-unit net at every step, so with a monotone hidden activation "
        "it never separates XOR, at any width. The argument needs monotonicity: a one-unit net with a non-monotone "
        f"activation (GELU, argmin {xor.details['gelu_argmin'][:8]}) represents XOR, so the reduction alone does not rule it out.",
        mismatches=tuple(mismatches),
        conditions=("the hidden activation is monotone (sigmoid, tanh, ReLU, ELU, leaky ReLU); not GELU or Swish",),
        details={"gelu_argmin": xor.details["gelu_argmin"]},
    )


SYM_CONST_XOR = SymbolicCheck(
    check_constant_xor,
    {"monotone_activation_cannot_learn_xor": True},
    {"monotone_activation_cannot_learn_xor": True, "any_activation_cannot_represent_xor": True},
    "the one-unit reduction rules XOR out for every activation",
)
