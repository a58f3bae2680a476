"""Which initialization rule one parameter tensor is consistent with: the candidate rules, their tests, the verdict.

A parameter is judged on its own values (pooled over `--seeds` re-instantiations when asked): for a
rule with i.i.d. zero-mean entries of variance Var(fans), its mean, its mean square, its bound (for a
bounded law) and its KS distance to the rule's CDF; for a constant, exact equality; for orthogonal,
QQᵀ = g²·I. Each test has the same false-failure rate `alpha`, which the caller sets from the audit's
budget (`initcheck.audit`: Bonferroni over TESTS_PER_RULE tests of every parameter). The statistics are `initcheck.sims.audit`;
the laws are `initcheck.conformance.rules` (derived in `initcheck.theory.conformance`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from initcheck.conformance.layouts import Fans
from initcheck.conformance.rules import RuleError, law
from initcheck.sims import audit as sims
from initcheck.sims.stats import Z_POWER

KS_VALUES = 1 << 20  # KS on the first 2^20 values in storage order (i.i.d. under every candidate rule but orthogonal)
TESTS_PER_RULE = 4  # mean, mean square, bound (bounded laws), KS: the Bonferroni count per judged rule
MIN_VALUES = 16  # fewer values than this: a random rule is not judged (only constants are)
FLOAT32_EPS = 2.0**-23
CONSTANTS = {"zeros": 0.0, "ones": 1.0}


class ExpectationError(ValueError):
    """An expectation that cannot be read (unknown rule, bad selector)."""


@dataclass(frozen=True, kw_only=True)
class Parameter:
    """One parameter of a model: where it is, how its layer reads it, and its values over the seeds (S, *shape)."""

    name: str
    module_type: str
    attribute: str
    values: np.ndarray
    layout: str | None
    fans: Fans | None
    default: str | None  # the framework's own default for this layer and parameter, as a rule spec
    dtype: str

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.values.shape[1:])

    @property
    def selector(self) -> str:
        return f"{self.module_type}.{self.attribute}"


def constant_value(spec: str) -> float | None:
    """zeros → 0, ones → 1, constant:value=c → c; None for a random rule."""
    if spec in CONSTANTS:
        return CONSTANTS[spec]
    if spec.startswith("constant:"):
        _, _, rest = spec.partition(":")
        key, _, value = rest.partition("=")
        try:
            if key != "value":
                raise ValueError
            return float(value)
        except ValueError:
            raise ExpectationError(f"constant takes value=<number>; got {spec!r}") from None
    return None


def check_spec(spec: str) -> None:
    """Raise ExpectationError unless `spec` is a rule the audit can judge."""
    if spec in ("normal:std=fitted", "default") or constant_value(spec) is not None:
        return
    try:
        law(spec)
    except (RuleError, ValueError) as error:
        raise ExpectationError(f"{spec!r}: {error}") from None


def candidates(parameter: Parameter) -> list[str]:
    """The rules a parameter is tested against: its framework default, the named rules at its fans, constants, a fitted normal."""
    specs = [parameter.default] if parameter.default else []
    if parameter.fans is not None:
        specs += [
            "glorot_uniform", "xavier_normal", "glorot_normal", "he_normal", "he_uniform", "kaiming_normal",
            "kaiming_normal:mode=fan_out", "kaiming_uniform:mode=fan_out", "lecun_normal", "lecun_uniform", "torch_linear_default", "orthogonal",
        ]  # fmt: skip
    specs += ["zeros", "ones", "normal:std=fitted"]
    return list(dict.fromkeys(specs))


def _test(statistic: str, result: dict[str, Any], alpha: float, detects: str = "") -> dict[str, Any]:
    """A test record; a z-scored one also carries the two-sided critical z at `alpha` (its p-value is what judges)."""
    passed = result["p"] > alpha
    critical = {"critical": float(stats.norm.isf(alpha / 2))} if "z" in result else {}
    return {"statistic": statistic, **result, **critical, "alpha": alpha, "passed": bool(passed), "detects": detects}


def judge(parameter: Parameter, spec: str, *, alpha: float) -> dict[str, Any]:
    """The tests of one rule on one parameter: {"rule", "consistent", "tests", "reason", "variance"}."""
    values = parameter.values.reshape(-1).astype(np.float64, copy=False)
    constant = constant_value(spec)
    if constant is not None:
        differing = int(np.count_nonzero(values != constant))
        test = {"statistic": f"every value = {constant:g}", "measured": differing, "expected": 0, "n": values.size, "p": 0.0 if differing else 1.0,
                "alpha": alpha, "passed": differing == 0, "detects": "any value off the constant"}  # fmt: skip
        reason = "" if differing == 0 else f"{differing} of {values.size} values differ from {constant:g}"
        return {"rule": spec, "consistent": differing == 0, "tests": [test], "reason": reason, "variance": 0.0}
    if values.size < MIN_VALUES:
        return {"rule": spec, "consistent": None, "tests": [], "reason": f"not judged: {values.size} values (< {MIN_VALUES})", "variance": None}
    if not np.all(np.isfinite(values)):
        return {"rule": spec, "consistent": False, "tests": [], "reason": "non-finite values", "variance": None}
    if spec == "normal:std=fitted":
        return _judge_fitted_normal(values, alpha)
    rule_law = law(spec)
    if rule_law.family == "orthogonal":
        return _judge_orthogonal(parameter, spec, alpha)
    if parameter.fans is None and rule_law.rule.variance.free_symbols:
        return {"rule": spec, "consistent": None, "tests": [], "reason": "not judged: the rule needs fans and this parameter has none", "variance": None}
    fans = parameter.fans or Fans(1, 1, 1)
    variance = rule_law.variance(fans)
    sd = math.sqrt(variance)
    kurtosis = rule_law.kurtosis()
    critical = float(stats.norm.isf(alpha / 2))
    se = math.sqrt((kurtosis - 1) / values.size)
    tests = [
        _test("mean / sd", sims.mean_test(values, sd=sd), alpha, f"mean shift ≥ {(critical + Z_POWER) / math.sqrt(values.size):.2g} sd at power 0.999"),
        _test("mean square / Var", sims.second_moment_test(values, variance=variance, kurtosis=kurtosis, density=rule_law.density, bound=rule_law.bound_in_sd), alpha,
              f"variance error ≥ {(critical + Z_POWER) * se:.2%} at power 0.999"),
    ]  # fmt: skip
    if math.isfinite(rule_law.bound_in_sd):
        bound = rule_law.bound_in_sd * sd * (1 + 4 * FLOAT32_EPS)
        beyond = int(np.count_nonzero(np.abs(values) > bound))
        tests.append({"statistic": "max |w| / bound", "measured": float(np.max(np.abs(values)) / (rule_law.bound_in_sd * sd)), "expected": "≤ 1",
                      "n": values.size, "p": 0.0 if beyond else 1.0, "alpha": alpha, "passed": beyond == 0, "detects": "any value beyond the bound"})  # fmt: skip
    if all(t["passed"] for t in tests):  # the KS sort is the expensive test: run once the moments agree
        assert rule_law.cdf is not None
        tests.append(_test("KS distance", sims.ks_test(values[:KS_VALUES], sd=sd, cdf=rule_law.cdf), alpha, "a different shape"))
    failed = [t for t in tests if not t["passed"]]
    return {"rule": spec, "consistent": not failed, "tests": tests, "reason": "; ".join(_why(t) for t in failed), "variance": variance}


def _why(test: dict[str, Any]) -> str:
    if "z" in test:
        return f"{test['statistic']} = {test['measured']:.4g} (expected {test['expected']:g}, z = {test['z']:+.1f}, n = {test['n']})"
    return f"{test['statistic']} = {test['measured']:.4g} (expected {test['expected']}, n = {test['n']})"


def _judge_fitted_normal(values: np.ndarray, alpha: float) -> dict[str, Any]:
    """N(0, σ̂²) with σ̂ fitted: the mean test and KS at σ̂ (the kstwo law ignores the fit, so KS is conservative)."""
    fit = sims.fitted_sd(values)
    if fit["sd"] == 0:
        return {"rule": "normal:std=fitted", "consistent": False, "tests": [], "reason": "every value is 0", "variance": 0.0, "fit": fit}
    tests = [_test("mean / sd", sims.mean_test(values, sd=fit["sd"]), alpha)]
    tests.append(_test("KS distance", sims.ks_test(values[:KS_VALUES], sd=fit["sd"], cdf=stats.norm.cdf), alpha, "a non-normal shape"))
    failed = [t for t in tests if not t["passed"]]
    return {"rule": "normal:std=fitted", "label": f"normal, sd fitted {fit['sd']:.4g}", "consistent": not failed, "tests": tests, "reason": "; ".join(_why(t) for t in failed),
            "variance": fit["sd"] ** 2, "fit": fit}  # fmt: skip


def _judge_orthogonal(parameter: Parameter, spec: str, alpha: float) -> dict[str, Any]:
    """Each seed's tensor as a matrix (first axis × the rest) with orthonormal rows or columns up to the gain."""
    if len(parameter.shape) < 2:
        return {"rule": spec, "consistent": None, "tests": [], "reason": "not judged: a vector", "variance": None}
    if parameter.layout == "keras":  # (*kernel, in, out): the matrix is (∏ of the rest) × last axis
        rows, cols = math.prod(parameter.shape[:-1]), parameter.shape[-1]
    else:  # torch (out, in, *kernel): first axis × the rest
        rows, cols = parameter.shape[0], math.prod(parameter.shape[1:])
    if min(rows, cols) < 2:
        return {"rule": spec, "consistent": None, "tests": [], "reason": f"not judged: a {rows}×{cols} matrix (any one line is orthogonal)", "variance": None}
    errors = [sims.fitted_orthogonality_error(v.reshape(rows, cols).astype(np.float64)) for v in parameter.values]
    worst = max(errors, key=lambda e: e["error"])
    tolerance = 16 * FLOAT32_EPS * math.sqrt(min(rows, cols))
    passed = worst["error"] <= tolerance
    test = {"statistic": "max |QQᵀ/g² − I|", "measured": worst["error"], "expected": f"≤ {tolerance:.2g}", "n": len(errors), "p": 1.0 if passed else 0.0,
            "alpha": alpha, "passed": passed, "detects": "any departure from orthogonality"}  # fmt: skip
    return {"rule": spec, "consistent": passed, "tests": [test], "reason": "" if passed else _why(test), "variance": worst["gain"] ** 2 / max(rows, cols)}
