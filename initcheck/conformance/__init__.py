"""Conformance: the battery run on real initializers — framework functions, layer defaults, or a user's callable.

    from initcheck.conformance import conform, assert_conforms
    record = conform("torch.nn.init.xavier_uniform_", "glorot_uniform")
    assert_conforms(my_init, "he_normal", layout="keras")   # in a pytest test

A record is JSON-ready: status ("pass", "fail", "not installed"), the rule and claim ID, the design
(replicates, per-test false-failure rate, critical value) and one entry per statistic.
"""

from __future__ import annotations

import importlib.util
import time
from typing import Any

import numpy as np

from initcheck.conformance.adapters import (
    NotInstalled,
    Sampler,
    TargetError,
    flax_module_default,
    haiku_module_default,
    keras_backend,
    resolve,
    torch_module_default,
    user_sampler,
)
from initcheck.conformance.battery import SamplerError, run_battery
from initcheck.conformance.layouts import FRAMEWORK_LAYOUT, LAYOUTS, LayoutError
from initcheck.conformance.matrix import ENTRIES, FRAMEWORKS, Entry
from initcheck.conformance.rules import RuleError, law

__all__ = ["ConformanceError", "NotInstalled", "assert_conforms", "conform", "failure_message", "jsonable", "run_matrix"]
ConformanceError = (RuleError, LayoutError, TargetError, SamplerError)


def conform(
    target: str | Any, rule: str, *, layout: str | None = None, dtype: str = "float32", seed: int = 0, tier: str = "default", **kwargs: Any
) -> dict[str, Any]:
    """Run the battery on a target (a string as the command line takes it, or a callable f(rng, shape)) against a rule."""
    law(rule)  # an unknown rule fails before anything is imported or drawn
    if layout is not None and layout not in LAYOUTS:
        raise LayoutError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    if callable(target):
        sampler, framework, name = user_sampler(target), "user", getattr(target, "__qualname__", repr(target))
    else:
        sampler, framework = resolve(target, **kwargs)
        name = target
    record = run_battery(np.random.default_rng(seed), sampler, rule, layout=layout or FRAMEWORK_LAYOUT[framework], dtype=dtype, tier=tier)
    return {"target": name, "framework": framework, "seed": seed, **record}


def jsonable(value: Any) -> Any:
    """Records as strict JSON: numpy scalars to Python, ±inf and NaN (a z with SE 0) to the strings "inf", "-inf", "nan"."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return str(value)
    return value


def failure_message(record: dict[str, Any]) -> str:
    """One line per failing statistic: expected vs measured, z against its critical value, n, and the claim."""
    claim = record.get("claim_id") or "no claim"
    lines = [f"{record.get('target')} does not follow {record['rule']} ({record['documented']}; {claim}), layout {record['layout']}, {record['dtype']}:"]
    for test in record["tests"]:
        if not test["passed"]:
            z = f", z = {test['z']:.3g} (critical {test['critical']:.3g})" if test["z"] is not None else ""
            lines.append(
                f"  {test['statistic']} on {test['probe']}: expected {test['expected']!r:.12}, measured {test['measured']!r:.12}{z}, "
                f"n = {test['n']} {test['n_unit']}; claim {claim}"
            )
    return "\n".join(lines)


def assert_conforms(target: str | Any, rule: str, **options: Any) -> dict[str, Any]:
    """For pytest users: raises AssertionError naming each failing statistic (expected, measured, z, claim ID); returns the record."""
    record = conform(target, rule, **options)
    if record["status"] != "pass":
        raise AssertionError(failure_message(record))
    return record


def _entry_sampler(entry: Entry) -> Sampler:
    modules = {"torch-module": torch_module_default, "flax-module": flax_module_default, "haiku-module": haiku_module_default}
    prefix, _, kind = entry.target.partition(":")
    if prefix in modules:
        return modules[prefix](kind)
    return resolve(entry.target, **entry.kwargs)[0]


def run_matrix(framework: str, *, seed: int = 0, tier: str = "default") -> list[dict[str, Any]]:
    """Every matrix entry of one framework ("all": each in turn), one record per entry × dtype; "not installed" when absent."""
    if framework == "all":
        return [record for name in FRAMEWORKS for record in run_matrix(name, seed=seed, tier=tier)]
    if framework not in ENTRIES:
        raise TargetError(f"unknown framework {framework!r}; known: {', '.join(FRAMEWORKS)}, all")
    base = {"framework": framework, "backend": keras_backend() if framework == "keras" else None}
    if importlib.util.find_spec({"haiku": "haiku", "flax": "flax"}.get(framework, framework)) is None:
        return [{**base, "target": framework, "status": "not installed", "reason": f"{framework} is not importable here (pip install 'initcheck[frameworks]')"}]
    records = []
    for entry in ENTRIES[framework]:
        for dtype in entry.dtypes:
            started = time.perf_counter()
            try:
                record = run_battery(np.random.default_rng(seed), _entry_sampler(entry), entry.rule, layout=entry.layout, dtype=dtype, tier=tier)
            except NotInstalled as error:
                record = {"status": "not installed", "reason": str(error)}
            except SamplerError as error:
                record = {"status": "error", "reason": str(error), "rule": entry.rule, "dtype": dtype}
            records.append(
                {**base, "target": entry.target, "kwargs": {k: str(v) for k, v in entry.kwargs.items()}, "statement": entry.statement,
                 "documented_by": entry.documented, **record, "seconds": time.perf_counter() - started}
            )  # fmt: skip
    return records
