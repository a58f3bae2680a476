"""Judge SYM-XOR and SYM-CONST-XOR against `initcheck.theory.xor` (the Farkas certificate, the two-ReLU net, the non-monotone units)."""

from __future__ import annotations

import mpmath
import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, fact_mismatches, judged
from initcheck.theory.xor import (
    POINTS,
    XOR,
    farkas_certificate,
    gelu_minimum,
    non_monotone_units,
    preactivation,
    separates_xor,
    two_relu_network,
)


def check_xor(stated: dict[str, bool]) -> Outcome:
    """SYM-XOR: one monotone hidden unit cannot separate XOR; two ReLU units compute it exactly."""
    identity = sp.expand(preactivation(0, 0) + preactivation(1, 1) - preactivation(0, 1) - preactivation(1, 0))
    certificate = farkas_certificate()
    relu_outputs = {p: two_relu_network(*p) for p in POINTS}
    derived = {"one_monotone_unit_can_xor": not (identity == 0 and certificate is not None), "two_relu_units_can_xor": relu_outputs == XOR}
    units = non_monotone_units()
    derived["one_non_monotone_unit_can_xor"] = all(separates_xor(o) for o in units.values())
    mismatches = fact_mismatches(stated, derived)
    return judged(
        mismatches,
        summary=f"u₀₀ + u₁₁ − u₀₁ − u₁₀ = {identity}; the certificate λ = {tuple(certificate.values()) if certificate else None} "
        "combines the four strict inequalities XOR needs into 0 > 0, for nondecreasing and nonincreasing output maps alike. "
        f"relu(a+b) − 2relu(a+b−1) gives {[relu_outputs[p] for p in POINTS]} on (00, 01, 10, 11). The monotonicity hypothesis is "
        "needed: one unit with 1 − u² (u = a+b−1) computes XOR exactly, and so does one GELU unit.",
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
    return judged(
        mismatches,
        verdict="refuted" if mismatches else "holds-under-conditions",
        summary="A constant-initialized net stays equal to a one-unit net at every step, so with a monotone hidden activation "
        "it never separates XOR, at any width. The argument needs monotonicity: a one-unit net with a non-monotone "
        f"activation (GELU, argmin {xor.details['gelu_argmin'][:8]}) represents XOR, so the reduction alone does not rule it out.",
        conditions=("the hidden activation is monotone (sigmoid, tanh, ReLU, ELU, leaky ReLU); not GELU or Swish",),
        details={"gelu_argmin": xor.details["gelu_argmin"]},
    )


SYM_CONST_XOR = SymbolicCheck(
    check_constant_xor,
    {"monotone_activation_cannot_learn_xor": True},
    {"monotone_activation_cannot_learn_xor": True, "any_activation_cannot_represent_xor": True},
    "the one-unit reduction rules XOR out for every activation",
)
