"""`initcheck audit`: which initialization a real model has, parameter by parameter, and how its signal propagates at init.

    from initcheck.audit import audit
    record = audit("transformers:BertModel", config={"hidden_size": 128}, expect="Linear.weight=normal:std=0.02")

Per parameter (`initcheck.audit.judge`): the rules its values are consistent with, among the layer's framework
default, the named rules at its fans, constants and a fitted normal, each at the same stated false-failure rate.
With `expect`, each parameter an expectation selects is judged against the rule it names; a mismatch is a finding
with its statistic, z and n. Per dense or convolutional layer of a torch model (`initcheck.audit.torch_models`), the
second moment of the signal forward and of the gradient backward on a probe batch, against Var(w)·S
(`initcheck.theory.audit`), with Var(w) from the rule the parameter is expected (else found) to follow.

Budget: a correct model is flagged with probability ≤ AUDIT_FALSE_FAILURE = 1e-6 (Bonferroni): half of it to the
parameters, each test at 1e-6/2/(4·P) for P parameters (≤ 4 tests per expected rule; counting every parameter, expected or
not, keeps it conservative), half to the judged propagation tests, each at 1e-6/2 over their number. An expectation
that cannot be judged (fewer than 16 values) is listed in "unjudged", not passed in silence.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import time
from typing import Any

import numpy as np
import sympy as sp

from initcheck.audit.judge import TESTS_PER_RULE, ExpectationError, Parameter, candidates, check_spec, constant_value, judge
from initcheck.audit.models import Model, ModelError, load
from initcheck.audit.torch_models import MIN_UNITS
from initcheck.conformance.rules import law
from initcheck.signals import spawned
from initcheck.sims import audit as sims
from initcheck.theory import audit as theory

__all__ = ["AUDIT_FALSE_FAILURE", "ExpectationError", "ModelError", "audit", "audit_model", "parse_expect"]
AUDIT_FALSE_FAILURE = 1e-6


def parse_expect(text: str | None) -> list[tuple[str, str]]:
    """`SELECTOR=RULE; SELECTOR=RULE`: a selector is `Type.attribute` (`Linear.weight`, `LayerNorm.bias`) or a glob
    over parameter names (`*.c_proj.weight`); a later entry overrides an earlier one for the parameters both select.
    RULE is a rule spec (`initcheck.conformance.rules`), zeros, ones, constant:value=c, normal:std=fitted, or default
    (the framework's own default for that layer and parameter)."""
    pairs = []
    for item in filter(None, (part.strip() for part in (text or "").split(";"))):
        selector, equals, spec = item.partition("=")
        if not equals or not selector.strip() or not spec.strip():
            raise ExpectationError(f"an expectation is SELECTOR=RULE (e.g. Linear.weight=normal:std=0.02); got {item!r}")
        check_spec(spec.strip())
        pairs.append((selector.strip(), spec.strip()))
    return pairs


def _selects(selector: str, parameter: Parameter) -> bool:
    return selector == parameter.selector or fnmatch.fnmatchcase(parameter.name, selector)


def expectations_for(parameters: list[Parameter], pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Parameter name → expected rule; an expectation that selects no parameter is an error (a typo must not pass silently)."""
    chosen: dict[str, str] = {}
    for selector, spec in pairs:
        selected = [p for p in parameters if _selects(selector, p)]
        if not selected:
            types = sorted({p.selector for p in parameters})
            raise ExpectationError(f"expectation {selector!r} selects no parameter; this model has {', '.join(types)}")
        for parameter in selected:
            if spec == "default":  # the framework's own default for the layer (initcheck.audit.*_models: _kind)
                if parameter.default is None:
                    raise ExpectationError(f"expectation {selector}=default: {parameter.name} ({parameter.selector}) has no known framework default")
                chosen[parameter.name] = parameter.default
            else:
                rule = law(spec) if constant_value(spec) is None and spec != "normal:std=fitted" else None
                if rule is not None and parameter.fans is None and rule.rule.variance.free_symbols:
                    raise ExpectationError(f"expectation {selector}={spec}: the rule needs fans and {parameter.name} ({parameter.selector}, shape {parameter.shape}) has none")
                chosen[parameter.name] = spec
    return chosen


def _judge_parameter(parameter: Parameter, expected: str | None, alpha: float) -> dict[str, Any]:
    specs = candidates(parameter)
    if expected and expected not in specs:
        specs.append(expected)
    judged = [judge(parameter, spec, alpha=alpha) for spec in specs]
    verdict = None
    if expected:
        verdict = next(j for j in judged if j["rule"] == expected)
    entry = {
        "name": parameter.name, "type": parameter.module_type, "attribute": parameter.attribute, "shape": list(parameter.shape),
        "dtype": parameter.dtype, "layout": parameter.layout, "fans": None if parameter.fans is None else [parameter.fans.fan_in, parameter.fans.fan_out],
        "default": parameter.default, "n": int(parameter.values.size), "seeds": int(parameter.values.shape[0]),
        "summary": _summary(parameter.values), "consistent_with": [j.get("label", j["rule"]) for j in judged if j["consistent"]],
        "expected": expected, "expected_verdict": verdict, "judged": judged,
    }  # fmt: skip
    if parameter.values.shape[0] > 1 and float(np.std(parameter.values[0])) > 0:
        entry["same_across_seeds"] = any(np.array_equal(v, parameter.values[0]) for v in parameter.values[1:])
    return entry


def _summary(values: np.ndarray) -> dict[str, float]:
    flat = values.reshape(-1)
    return {"mean": float(flat.mean()), "sd": float(flat.std()), "min": float(flat.min()), "max": float(flat.max())}


def _layer_law(entry: dict[str, Any]) -> tuple[float | None, float | None, str]:
    """(Var(w), kurtosis, source) the propagation test predicts with: the expected rule's, else the first random rule
    found, else the fitted normal's; no kurtosis for orthogonal weights (their rows are not independent)."""
    chosen = None
    if entry["expected_verdict"] is not None and entry["expected_verdict"]["variance"]:
        chosen, source = entry["expected_verdict"], f"expected {entry['expected']}"
    else:
        found = [j for j in entry["judged"] if j["consistent"] and j["variance"] and j["rule"] != "normal:std=fitted"]
        fitted = [j for j in entry["judged"] if j["rule"] == "normal:std=fitted" and j["variance"]]
        if found:
            chosen, source = found[0], f"found {found[0]['rule']}"
        elif fitted:
            chosen, source = fitted[0], "fitted normal (no rule found)"
    if chosen is None:
        return None, None, "no variance (no random rule found)"
    if chosen["rule"] == "normal:std=fitted":
        return chosen["variance"], 3.0, source
    rule_law = law(chosen["rule"])
    if rule_law.family == "orthogonal":
        return chosen["variance"], None, source + " (orthogonal rows are not independent: measured, not judged)"
    return chosen["variance"], rule_law.kurtosis(), source


@functools.cache
def _predictions() -> dict[str, Any]:
    """E[y²] − b² and E[(∂C/∂x)²] as functions of (Var(w), S), derived once (`initcheck.theory.audit`)."""
    return {
        "forward": sp.lambdify((theory.var_w, theory.fan_square), theory.forward_second_moment()),
        "backward": sp.lambdify((theory.var_w, theory.fan_square), theory.backward_second_moment()),
    }


def _propagation(model: Model, built: Any, parameters: list[dict[str, Any]], rng: np.random.Generator) -> dict[str, Any]:
    if model.probe is None:
        return {"status": "not measured", "reason": model.no_probe_reason, "layers": []}
    try:
        signal = model.record_signal(built, rng)
    except Exception as error:  # a model whose forward or backward the hooks cannot follow: recorded, never a crash
        return {"status": "not measured", "reason": f"{type(error).__name__}: {error}", "layers": []}
    by_name = {p["name"]: p for p in parameters}
    predictions = _predictions()
    def qualified(name: str, attribute: str) -> str:  # the root module (a model that is itself one layer) has the name ""
        return f"{name}.{attribute}" if name else attribute

    laws = {name: _layer_law(by_name[qualified(name, "weight")]) if qualified(name, "weight") in by_name else (None, None, "no weight") for name in signal}

    def judgeable(name: str, direction: str) -> bool:
        stats = signal[name]
        form = stats.get(direction, {})
        return f"{direction}_units" in stats and stats[f"{direction}_units"].size >= MIN_UNITS and "trace_square" in form and laws[name][1] is not None

    judged = sum(1 for name in signal for direction in ("forward", "backward") if judgeable(name, direction))
    alpha = AUDIT_FALSE_FAILURE / 2 / max(1, judged)
    layers = []
    for index, (name, stats) in enumerate(signal.items()):
        variance, kurtosis, source = laws[name]
        bias = by_name.get(qualified(name, "bias"))
        bias_square = 0.0 if bias is None else bias["summary"]["sd"] ** 2 + bias["summary"]["mean"] ** 2
        layer: dict[str, Any] = {"index": index, "name": name or "(the model)", "type": stats["type"], "variance": variance, "variance_from": source,
                                 "input_second_moment": stats.get("input_second_moment"), "output_second_moment": stats.get("output_second_moment")}  # fmt: skip
        for direction in ("forward", "backward"):
            units, form = stats.get(f"{direction}_units"), stats.get(direction, {})
            if units is None or variance is None or "S" not in form:
                if units is None:
                    reason = stats.get(f"{direction}_reason") or stats.get("reason") or "no gradient reached this layer (or the model needs none)"
                else:
                    reason = form.get("reason") or source
                layer[direction] = {"status": "not measured", "reason": reason}
                continue
            predicted = float(predictions[direction](variance, form["S"]))
            extra = bias_square if direction == "forward" else 0.0
            if judgeable(name, direction):
                test = sims.quadratic_form_test(units, predicted=predicted, variance=variance, kurtosis=kurtosis, form=form)
                test.update(alpha=alpha, judged=True, passed=test["p"] > alpha)
            else:  # measured against the prediction, not judged (few units, orthogonal rows, a design too large to form)
                measured = float(units.mean())
                reason = form.get("reason") or (source if kurtosis is None else f"{units.size} units (< {MIN_UNITS})")
                test = {"measured": measured, "expected": predicted, "ratio": measured / predicted if predicted > 0 else float("nan"), "z": None,
                        "n": int(units.size), "judged": False, "passed": True, "reason": reason}  # fmt: skip
            layer[direction] = {**test, "second_moment": test["measured"] + extra, "predicted_second_moment": predicted + extra, "S": form["S"]}
        layers.append(layer)
    return {"status": "measured", "probe": model.probe_description, "loss": "C = Σ r·y, r ~ N(0, 1) fixed (∂C/∂y = r at the output)",
            "assumption": "backward: the gradient reaching a layer independent of its weights (VAR-BACKWARD)", "alpha": alpha, "layers": layers}  # fmt: skip


def audit_model(model: Model, *, seeds: int = 1, expect: str | None = None, seed: int = 0) -> dict[str, Any]:
    """The audit record of a loaded model (see the module docstring); JSON-ready."""
    started = time.perf_counter()
    pairs = parse_expect(expect)
    seed_list = tuple(range(seed, seed + seeds))
    parameters, built = model.parameters(seed_list)
    chosen = expectations_for(parameters, pairs)
    alpha = AUDIT_FALSE_FAILURE / 2 / (TESTS_PER_RULE * max(1, len(parameters)))
    entries = [_judge_parameter(p, chosen.get(p.name), alpha) for p in parameters]
    propagation = _propagation(model, built, entries, np.random.default_rng(seed))
    findings = []
    unjudged = [{"parameter": e["name"], "expected": e["expected"], "reason": e["expected_verdict"]["reason"]}
                for e in entries if e["expected_verdict"] is not None and e["expected_verdict"]["consistent"] is None]  # fmt: skip
    for entry in entries:
        verdict = entry["expected_verdict"]
        if verdict is not None and verdict["consistent"] is False:
            findings.append({"parameter": entry["name"], "kind": "law", "expected": entry["expected"], "reason": verdict["reason"],
                             "consistent_with": entry["consistent_with"]})  # fmt: skip
        if entry.get("same_across_seeds") and entry["expected"] and constant_value(entry["expected"]) is None:
            findings.append({"parameter": entry["name"], "kind": "seed", "expected": "other values for another seed", "reason": "identical across seeds", "consistent_with": []})
    for layer in propagation["layers"]:
        for direction in ("forward", "backward"):
            test = layer.get(direction, {})
            if test.get("passed") is False:
                findings.append({"parameter": layer["name"], "kind": f"propagation {direction}", "expected": f"E = Var(w)·S with Var(w) {layer['variance_from']}",
                                 "reason": f"second moment {test['measured']:.4g} vs predicted {test['expected']:.4g} (ratio {test['ratio']:.3f}, z = {test['z']:+.1f}, {test['n']} units)",
                                 "consistent_with": []})  # fmt: skip
    return {
        "model": model.label, "framework": model.framework, "framework_version": model.framework_version, "config": model.config,
        "seeds": list(seed_list), "expect": pairs, "false_failure_rate": AUDIT_FALSE_FAILURE, "per_test_alpha": alpha,
        "status": "fail" if findings else "pass", "findings": findings, "unjudged": unjudged, "parameters": entries, "propagation": propagation,
        "seconds": time.perf_counter() - started,
    }  # fmt: skip


def audit(target: str, *, config: dict[str, Any] | None = None, seeds: int = 1, expect: str | None = None, seed: int = 0,
          input_shape: tuple[int, ...] | None = None) -> dict[str, Any]:  # fmt: skip
    """Load `target` (see `initcheck.audit.models.load`) and audit it; a bad expectation is refused before any build."""
    parse_expect(expect)
    return audit_model(load(target, config=config or {}, input_shape=input_shape), seeds=seeds, expect=expect, seed=seed)


# Packages whose suite models build in a spawned process, started first, while this one audits the others: Keras's
# ResNet50 compiles JAX's initializer kernels for each of its weight shapes on one core (22 s, most of the suite's time),
# while the torch models use the other.
APART = ("keras",)


def run_suite(*, seed: int = 0, seeds: int = 1, progress: Any = None) -> list[dict[str, Any]]:
    """Every model of `initcheck.audit.suite.SUITE`, audited against its documented init; a package not installed is a
    "not installed" record, a model that cannot be built an "error" record (never a crash). The models of the APART
    packages are audited in a spawned process at the same time (the same records: a model's values depend on its seed,
    not on the process); a process that fails gives each of its models an "error" record."""
    import importlib.util

    from initcheck.audit.suite import SUITE

    apart = [index for index, entry in enumerate(SUITE) if entry.package in APART and importlib.util.find_spec(entry.package) is not None]
    with contextlib.ExitStack() as stack:
        elsewhere = spawned(stack, _suite_records, apart, seed=seed, seeds=seeds) if apart else None
        collected: dict[int, dict[str, Any]] | None = None
        records: list[dict[str, Any]] = []
        for index, entry in enumerate(SUITE):
            if progress is not None:
                progress(entry.target, index, len(SUITE))
            if index in apart:
                if collected is None:
                    collected = _collected_suite(elsewhere, apart, SUITE)
                records.append(collected[index])
            else:
                records.append(_suite_record(entry, seed=seed, seeds=seeds))
    if progress is not None:
        progress("done", len(SUITE), len(SUITE))
    return records


def _suite_record(entry: Any, *, seed: int, seeds: int) -> dict[str, Any]:
    """One suite model's record (see run_suite)."""
    import importlib.util

    if importlib.util.find_spec(entry.package) is None:
        return {"model": entry.target, "status": "not installed", "reason": f"{entry.package} is not installed (pip install 'initcheck[audit]')",
                "documented": entry.documented}  # fmt: skip
    try:
        model = load(entry.target, config=entry.config)
        record = audit_model(model, seeds=seeds, expect=entry.expect(model.config), seed=seed)
    except (ModelError, ExpectationError) as error:
        return {"model": entry.target, "status": "error", "reason": str(error), "documented": entry.documented}
    return {**record, "documented": entry.documented, "requested_config": entry.config}


def _suite_records(indices: list[int], *, seed: int, seeds: int) -> dict[int, dict[str, Any]]:
    """The records of the suite models at `indices`, in a spawned process."""
    from initcheck.audit.suite import SUITE

    return {index: _suite_record(SUITE[index], seed=seed, seeds=seeds) for index in indices}


def _collected_suite(future: Any, indices: list[int], suite: Any) -> dict[int, dict[str, Any]]:
    """The spawned process's records; a process that raised, died or never started: one "error" record per model."""
    from initcheck.signals import outcome

    return dict(outcome(future, lambda error: {
        index: {"model": suite[index].target, "status": "error", "documented": suite[index].documented,
                "reason": f"the process auditing it failed: {type(error).__name__}: {error}"} for index in indices
    }))  # fmt: skip
