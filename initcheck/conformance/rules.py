"""Rule specifications (`he_normal`, `kaiming_uniform:a=0.2,mode=fan_out`, `normal:std=0.05`) turned into numbers for the battery.

The derivations are `initcheck.theory.conformance`; this module parses a user's spec, links a
rule to the claim it rests on, and evaluates the derived expressions at a probe's fans.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import sympy as sp

from initcheck.conformance.layouts import Fans
from initcheck.theory import conformance as theory

# The claim each named rule rests on (the registry, initcheck.registry); a rule with none links to no claim.
CLAIM_OF_RULE = {
    "glorot_uniform": "GLOROT-UNIFORM",
    "xavier_normal": "GLOROT-VAR",
    "glorot_normal": "GLOROT-VAR",
    "he_normal": "HE-VAR",
    "he_uniform": "HE-VAR",
    "kaiming_normal": "HE-VAR",
    "kaiming_uniform": "HE-VAR",
    "lecun_normal": "VAR-CALIBRATED",
    "lecun_uniform": "VAR-CALIBRATED",
}
_REQUIRED = {"normal": ("std",), "uniform": ("a",), "truncated_normal": ("std",), "truncated_normal_sd": ("std",)}
_ALLOWED = {
    "glorot_uniform": ("gain",), "xavier_normal": ("gain",), "kaiming_normal": ("a", "mode"), "kaiming_uniform": ("a", "mode"),
    "orthogonal": ("gain",), "normal": ("std",), "uniform": ("a",), "truncated_normal": ("std",),
    "truncated_normal_sd": ("std",), "torch_rnn_default": ("gates",), "variance_scaling": ("scale", "mode", "distribution"),
}  # fmt: skip
_WORDS = {"mode": ("fan_in", "fan_out", "fan_avg"), "distribution": ("normal", "uniform", "truncated_normal")}


class RuleError(ValueError):
    """An unknown rule, or parameters it does not take."""


@dataclass(frozen=True)
class Law:
    """A rule evaluated to floats: family constants and Var(w) as a function of the fans (or of m for orthogonal)."""

    spec: str
    rule: theory.Rule
    claim_id: str | None
    kurtosis_expression: sp.Expr
    bound_in_sd: float  # sup|w|/sd; inf for the normal
    cdf: Callable[[np.ndarray], np.ndarray] | None  # of w/sd; None for orthogonal
    gain: float
    density: Callable[[np.ndarray], np.ndarray] | None = None  # of w/sd inside a bounded law's support (dF/dx); None otherwise

    @property
    def family(self) -> str:
        return self.rule.family

    def variance(self, fans: Fans, matrix_shape: tuple[int, int] | None = None) -> float:
        if self.family == "orthogonal":
            assert matrix_shape is not None
            return theory.numeric(self.rule.variance.subs(theory.m, max(matrix_shape)))
        return theory.numeric(self.rule.variance.subs({theory.fan_in: fans.fan_in, theory.fan_out: fans.fan_out}))

    def kurtosis(self, matrix_shape: tuple[int, int] | None = None) -> float:
        if self.family == "orthogonal":
            assert matrix_shape is not None
            return theory.numeric(self.kurtosis_expression.subs(theory.m, max(matrix_shape)))
        return theory.numeric(self.kurtosis_expression)

    def diagonal_sum_sd(self, matrix_shape: tuple[int, int]) -> float:
        """sd of Σᵢ wᵢᵢ for w = gain·Q, Q Haar (theory.diagonal_sum): gain·√(k/m)."""
        moments = theory.diagonal_sum(rows=sp.Integer(max(matrix_shape)), diagonal=sp.Integer(min(matrix_shape)))
        return self.gain * math.sqrt(theory.numeric(moments["variance"]))

    def first_entry_positive(self, matrix_shape: tuple[int, int]) -> float:
        """P(w₀₀ > 0) for w = gain·Q, Q Haar (theory.first_entry_sign): 1/2."""
        return theory.numeric(theory.first_entry_sign(rows=sp.Integer(max(matrix_shape)))["positive"])

    def tail_probability(self, threshold: float) -> float:
        return theory.numeric(theory.tail_probability(self.family, sp.nsimplify(threshold)))


def parse_spec(spec: str) -> tuple[str, dict[str, float | str]]:
    """`name:key=value,key=value` → (name, parameters); numbers become floats, mode and distribution stay words."""
    name, _, rest = spec.partition(":")
    if name not in theory.RULE_NAMES:
        raise RuleError(f"unknown rule {name!r}; known: {', '.join(theory.RULE_NAMES)}")
    parameters: dict[str, float | str] = {}
    for item in filter(None, rest.split(",")):
        key, equals, value = item.partition("=")
        if not equals or key not in _ALLOWED.get(name, ()):
            raise RuleError(f"rule {name} takes {', '.join(_ALLOWED.get(name, ())) or 'no parameters'}; got {item!r}")
        if key in _WORDS:
            if value not in _WORDS[key]:
                raise RuleError(f"{key} must be {', '.join(_WORDS[key][:-1])} or {_WORDS[key][-1]}; got {value!r}")
            parameters[key] = value
        else:
            try:
                parameters[key] = float(value)
            except ValueError:
                raise RuleError(f"parameter {key} of rule {name} must be a number; got {value!r}") from None
    missing = [k for k in _REQUIRED.get(name, ()) if k not in parameters]
    if missing:
        raise RuleError(f"rule {name} needs {', '.join(missing)} (e.g. {name}:{missing[0]}=0.05)")
    return name, parameters


@cache
def law(spec: str) -> Law:
    """Parse and derive a rule once (the SymPy integrals take a second; every probe reuses them)."""
    name, parameters = parse_spec(spec)
    rule = theory.named_rule(name, **parameters)
    standardized = theory.standardized_law(rule.family)
    bound = standardized["bound"]
    cdf = density = None
    if rule.family != "orthogonal":
        cdf = sp.lambdify(theory.x, standardized["cdf"], modules=["scipy", "numpy"])
    if rule.family in ("uniform", "truncated_normal"):  # dF/dx on the support (the middle piece of the Piecewise CDF)
        inside = standardized["cdf"].args[1][0]
        density = sp.lambdify(theory.x, sp.diff(inside, theory.x), modules=["scipy", "numpy"])  # a constant for the uniform
    return Law(
        spec=spec,
        rule=rule,
        claim_id=CLAIM_OF_RULE.get(name),
        kurtosis_expression=standardized["kurtosis"],
        bound_in_sd=float("inf") if bound == sp.oo or rule.family == "orthogonal" else theory.numeric(bound),
        cdf=cdf,
        gain=float(parameters.get("gain", 1.0)),
        density=density,
    )
