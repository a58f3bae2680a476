"""Conformance: the battery run on real initializers — framework functions, layer defaults, or a user's callable.

    from initcheck.conformance import conform, assert_conforms
    record = conform("torch.nn.init.xavier_uniform_", "glorot_uniform")
    assert_conforms(my_init, "he_normal", layout="keras")   # in a pytest test

A record is JSON-ready: status ("pass", "fail", "not installed"), the rule and claim ID, the design
(replicates, per-test false-failure rate, critical value) and one entry per statistic.
"""

from __future__ import annotations

import contextlib
import importlib.util
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from initcheck.conformance.adapters import (
    NotInstalled,
    Sampler,
    TargetError,
    keras_backend,
    missing_package,
    resolve,
    user_sampler,
)
from initcheck.conformance.battery import SamplerError, run_battery
from initcheck.conformance.layouts import FRAMEWORK_LAYOUT, LAYOUTS, LayoutError
from initcheck.conformance.matrix import ENTRIES, FRAMEWORKS, Entry, entry_shapes
from initcheck.conformance.rules import RuleError, law
from initcheck.signals import outcome, spawned

__all__ = ["ConformanceError", "NotInstalled", "assert_conforms", "check_entry", "conform", "failure_message", "jsonable", "keras_on_backend", "run_matrix"]
ConformanceError = (RuleError, LayoutError, TargetError, SamplerError)


FLOAT_DTYPES = ("float32", "float64", "bfloat16", "float16")


def returned_dtype(sampler: Any) -> str:
    """The float dtype a user's callable returns, from one 2×3 draw on a generator of its own: a callable is judged in
    the dtype it returns unless a dtype is asked for (natural NumPy code returns float64)."""
    try:
        values = np.asarray(sampler(np.random.default_rng(0), (2, 3), "float32"))
    except Exception as error:
        raise SamplerError(f"the sampler raised {type(error).__name__}: {error}") from error
    if values.dtype.name not in FLOAT_DTYPES:
        raise SamplerError(f"the sampler returned dtype {values.dtype.name}; the battery judges {', '.join(FLOAT_DTYPES)}")
    return values.dtype.name


def conform(
    target: str | Any, rule: str, *, layout: str | None = None, dtype: str | None = None, seed: int = 0, tier: str = "default",
    shapes: tuple[tuple[int, ...], ...] | None = None, **kwargs: Any,
) -> dict[str, Any]:
    """Run the battery on a target (a string as the command line takes it, or a callable f(rng, shape)) against a rule.

    `dtype`: the dtype to draw and judge; None: float32 for a framework's initializer, and for a callable (or a file's
    function) the dtype it returns (the record names it). `shapes`: three probe shapes (A, B, C) in place of the
    battery's standard ones (a layer that cannot take them)."""
    law(rule)  # an unknown rule fails before anything is imported or drawn
    if layout is not None and layout not in LAYOUTS:
        raise LayoutError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    if callable(target):
        sampler, framework, name = user_sampler(target), "user", getattr(target, "__qualname__", repr(target))
    else:
        sampler, framework = resolve(target, **kwargs)
        name = target
        if shapes is None:  # a layer that cannot take the standard probes (an LSTM's gates, an attention block): the matrix's
            shapes = entry_shapes(target, tier)
    if dtype is None:
        dtype = returned_dtype(sampler) if framework == "user" else "float32"
    record = run_battery(np.random.default_rng(seed), sampler, rule, layout=layout or FRAMEWORK_LAYOUT[framework], dtype=dtype, tier=tier, shapes=shapes)
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


def shown(value: Any, digits: int = 12) -> str:
    """A float as its repr, or at `digits` significant digits with its exponent kept where the repr is longer (a repr
    cut to that many characters would drop the exponent: -1.1e-16 read -1.1102230); anything else as str."""
    if isinstance(value, float) and len(repr(value)) > digits:
        return f"{value:.{digits}g}"
    return repr(value) if isinstance(value, float) else str(value)


def failure_message(record: dict[str, Any]) -> str:
    """One line per failing statistic: expected vs measured, z against its critical value, n, and the claim."""
    claim = record.get("claim_id") or "no claim"
    lines = [f"{record.get('target')} does not follow {record['rule']} ({record['documented']}; {claim}), layout {record['layout']}, {record['dtype']}:"]
    for test in record["tests"]:
        if not test["passed"]:
            z = f", z = {test['z']:.3g} (critical {test['critical']:.3g})" if test["z"] is not None else ""
            lines.append(
                f"  {test['statistic']} on {test['probe']}: expected {shown(test['expected'])}, measured {shown(test['measured'])}{z}, "
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
    return resolve(entry.target, **entry.kwargs)[0]


KERAS_BACKENDS = ("jax", "numpy", "torch", "tensorflow")  # Keras 3's four backends (numpy needs nothing more)
_BACKEND_NEEDS = {"jax": "jax", "numpy": "numpy", "torch": "torch", "tensorflow": "tensorflow"}


Progress = Callable[[str, int, int], None]  # (label of the unit just finished, units done, units in all)


def run_matrix(
    framework: str, *, seed: int = 0, tier: str = "default", other_backends: bool = True, progress: Progress | None = None, dtypes: str = "all"
) -> list[dict[str, Any]]:
    """Every matrix entry of one framework ("all": each in turn), one record per entry × dtype; "not installed" when absent.

    `dtypes`: "all", every float dtype (float32, float64, bfloat16, float16) of every entry; "listed", each entry's own
    (the main job's: float32, and the low-precision and float64 cases the matrix names).

    Keras runs on the backend this process has (KERAS_BACKEND, else jax) and, with `other_backends`, on each other one of
    KERAS_BACKENDS in a spawned process (Keras fixes its backend at import), started first so that they draw while this
    process runs the other frameworks; their records follow Keras's own. With "all", the frameworks of each group in
    APART run in turn in a spawned process of their own, started at once, and Keras on that group's backend with them
    (on this process's backend, every Keras entry: the main job's Keras on jax shares the JAX family's process, its
    import and compiled kernels, not this one's: 131.5 s → 114.4 s for the main job's 170 records, 217 → 194 CPU-s):
    TensorFlow with Keras 3 on tensorflow (one import of TensorFlow, ~10 s, and its runtime out of the process that runs
    torch), and the JAX family (JAX, Flax, Haiku, Equinox) together, so that each shape's XLA kernels are compiled once
    for all four, not once per framework (the matrix's largest cost: in four processes one after the other, 94 s; in one,
    59 s; the whole matrix 150 s → 122 s on 2 cores, the same records). The
    records and their order do not depend on where an entry ran. A backend that cannot be imported is recorded "not
    installed", a child that fails "error", never raised. `progress` hears of each entry × dtype, finished here or
    collected from a group, and of each other Keras backend collected."""
    if framework != "all" and framework not in ENTRIES:
        raise TargetError(f"unknown framework {framework!r}; known: {', '.join(FRAMEWORKS)}, all")
    names = FRAMEWORKS if framework == "all" else (framework,)
    with contextlib.ExitStack() as stack:
        here = keras_backend()
        groups = [(backend, members) for backend, members in APART if len(names) > 1 and any(_installed(name) for name in members)]
        # Keras on a group's backend runs in that group's process (on this process's backend, every Keras entry, layers
        # included); on any other backend but this one, in a process of its own
        keras_elsewhere = "keras" in names and other_backends and _importable("keras")
        keras_here = "keras" in names and _installed("keras") and here in {backend for backend, _ in groups}
        grouped_keras = {backend for backend, _ in groups if keras_elsewhere and backend != here and _importable(_BACKEND_NEEDS[backend])}
        started = {
            backend: _start_keras(backend, seed=seed, tier=tier, targets=None, stack=stack, dtypes=dtypes)
            for backend in KERAS_BACKENDS if keras_elsewhere and backend != here and backend not in grouped_keras
        }
        group_of: dict[str, _Group] = {}
        for backend, members in groups:
            keras = "all" if keras_here and backend == here else "initializers" if backend in grouped_keras else ""
            group = _Group(backend, tuple(name for name in members if _installed(name)), keras, seed=seed, tier=tier, stack=stack, dtypes=dtypes)
            group_of.update({name: group for name in group.members}, **({f"keras:{backend}": group} if group.keras else {}))
        units = sum(len(entry.dtypes_for(dtypes)) for name in names if _installed(name) for entry in ENTRIES[name])
        counter = _Counter(progress, units + len(started) + len(grouped_keras))
        records = []
        for name in names:
            key = f"keras:{here}" if name == "keras" else name  # Keras on this process's backend runs in its group, if any
            if key in group_of:
                for record in group_of[key].records(key):
                    records.append(record)
                    counter(f"{record.get('target', name)} [{record.get('dtype', '')}]")
            else:
                records += _run_entries(name, seed=seed, tier=tier, progress=counter, dtypes=dtypes)
            if name == "keras":
                for backend in (b for b in KERAS_BACKENDS if b != here and (b in started or f"keras:{b}" in group_of)):
                    records += _collect_keras(backend, started[backend]) if backend in started else group_of[f"keras:{backend}"].records(f"keras:{backend}")
                    counter(f"keras on the {backend} backend")
    return records


# The whole matrix's ("all") spawned processes: each runs its frameworks in turn, with KERAS_BACKEND = its backend (and
# Keras 3 on that backend); the frameworks not named here run in this process. Not torch: a spawned child runs one
# OpenMP thread (for Keras on torch, _keras_child), and torch.nn.init.orthogonal_'s QR gives other last bits on one
# thread than on torch's default pool (its record's mean on A 6.7574616e-05 against 6.7574967e-05, measured): the
# records would depend on where torch ran.
APART = (("tensorflow", ("tensorflow",)), ("jax", ("jax", "flax", "haiku", "equinox")))


class _Group:
    """One spawned process running `members` (and Keras on `backend`: "initializers", its initializers; "all", every
    Keras entry; "", none) in turn; its records by framework ("keras:BACKEND" for Keras's), fetched once. A process that
    raised, died or never started gives each of its frameworks one "error" record, never an exception here."""

    def __init__(self, backend: str, members: tuple[str, ...], keras: str, *, seed: int, tier: str, stack: contextlib.ExitStack, dtypes: str) -> None:
        self.backend, self.members, self.keras = backend, members, keras
        self.future = _spawned(backend, stack, _run_group, backend, members, keras, seed=seed, tier=tier, dtypes=dtypes)
        self.parts: dict[str, list[dict[str, Any]]] | None = None

    def records(self, name: str) -> list[dict[str, Any]]:
        if self.parts is None:  # a failed process: each framework's (and Keras's) one "error" record, as a child of its own gives
            self.parts = outcome(self.future, lambda error: {
                **{member: _collect_framework(member, error) for member in self.members}, f"keras:{self.backend}": _collect_keras(self.backend, error),
            })  # fmt: skip
        return self.parts[name]


def _run_group(backend: str, members: tuple[str, ...], keras: str, *, seed: int, tier: str, dtypes: str) -> dict[str, list[dict[str, Any]]]:
    """A group's records by framework (see _Group), run in turn in this process, spawned with KERAS_BACKEND = `backend`."""
    parts = {name: _run_entries(name, seed=seed, tier=tier, dtypes=dtypes) for name in members}
    if keras == "all":
        parts[f"keras:{backend}"] = _run_entries("keras", seed=seed, tier=tier, dtypes=dtypes)
    elif keras:
        parts[f"keras:{backend}"] = _keras_records(seed, tier, None, dtypes)
    return parts


def _spawned(backend: str, stack: contextlib.ExitStack, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """function(*args, **kwargs) in a spawned process (signals.spawned) to whose environment _keras_child adds
    KERAS_BACKEND = `backend` before anything imports Keras; its future, or the exception that kept the process from
    starting (the record says so when collected)."""
    return spawned(stack, function, *args, initializer=_keras_child, initargs=(backend,), **kwargs)


def _collected(future: Any, failed: Callable[[Exception], dict[str, Any]]) -> list[dict[str, Any]]:
    """A child's records sent back whole; a child that raised, died or never started is the one record `failed` makes."""
    return list(outcome(future, lambda error: [failed(error)]))


def _collect_framework(name: str, future: Any) -> list[dict[str, Any]]:
    """The child's records; a child that raised or died is one "error" record, never an exception here."""
    return _collected(
        future,
        lambda error: {"framework": name, "backend": None, "target": name, "status": "error", "reason": f"{name}'s process failed: {type(error).__name__}: {error}"},
    )


class _Counter:
    """Counts finished units for a Progress callback (or for none)."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def __call__(self, label: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(label, self.done, max(self.total, self.done))


def _importable(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _installed(framework: str) -> bool:
    """The framework's packages are importable (adapters.PACKAGES: TensorFlow's entries need tf-keras beside it)."""
    return missing_package(framework) is None


def keras_on_backend(backend: str, *, seed: int = 0, tier: str = "default", targets: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """The keras.initializers entries (or those of `targets`) in a fresh process on `backend` (see run_matrix)."""
    with contextlib.ExitStack() as stack:
        return _collect_keras(backend, _start_keras(backend, seed=seed, tier=tier, targets=targets, stack=stack))


def _start_keras(backend: str, *, seed: int, tier: str, targets: tuple[str, ...] | None, stack: contextlib.ExitStack, dtypes: str = "listed") -> Any:
    """A spawned process on `backend` running the Keras entries (_spawned); its future, or None when the backend cannot
    be imported."""
    if not _importable(_BACKEND_NEEDS[backend]):
        return None
    return _spawned(backend, stack, _keras_records, seed, tier, targets, dtypes)


def _collect_keras(backend: str, future: Any) -> list[dict[str, Any]]:
    """The child's records sent back whole; a child that raised or died is one "error" record, never an exception here."""
    base = {"framework": "keras", "backend": backend, "target": f"keras on the {backend} backend"}
    if future is None:
        return [{**base, "status": "not installed", "reason": f"{backend} is not importable here: Keras's {backend} backend cannot run"}]
    return _collected(future, lambda error: {**base, "status": "error", "reason": f"the {backend} backend's process failed: {type(error).__name__}: {error}"})


def _keras_child(backend: str) -> None:
    """KERAS_BACKEND before Keras is imported; one OpenMP thread unless the user chose (OMP_NUM_THREADS): the draws are
    small and sequential, and torch's default pool on a shared 2-core machine made Keras's Orthogonal on the torch backend
    0.14 s per (32, 128) draw instead of 1 ms. The values drawn do not depend on it."""
    import os

    from initcheck.signals import quiet_child

    quiet_child()
    os.environ["KERAS_BACKEND"] = backend
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's C++ start-up notices off the terminal (errors still print)
    if backend == "tensorflow" and importlib.util.find_spec("tensorflow") is not None:
        from initcheck.conformance.adapters import TENSORFLOW_NOTICES, _native_stderr_filtered

        with _native_stderr_filtered(TENSORFLOW_NOTICES):  # imported here, its CPU-only notices filtered, before Keras imports it
            importlib.import_module("tensorflow").constant(0.0)


def _keras_records(seed: int, tier: str, targets: tuple[str, ...] | None, dtypes: str = "listed") -> list[dict[str, Any]]:
    """The keras.initializers entries (the layer entries test Keras's fan reading, which is the same code on every backend)."""

    def keep(entry: Entry) -> bool:
        return entry.target in targets if targets is not None else entry.target.startswith("keras.initializers.")

    return _run_entries("keras", seed=seed, tier=tier, keep=keep, dtypes=dtypes)


def check_entry(entry: Entry, *, dtype: str = "float32", seed: int = 0, tier: str = "default") -> dict[str, Any]:
    """One matrix entry in one dtype: its battery record with the entry's target, statement and documentation; a framework
    that is missing is "not installed", a sampler that breaks "error".

    "seconds" is the battery's own time (draws included, "draw_seconds" of it inside the framework); "setup_seconds" what
    came before it: the framework's import, the first in a process, and the rule's derivation, once per rule. A record
    that stopped ("not installed", "error") has only "seconds": the time until it stopped."""
    started = time.perf_counter()
    try:
        shapes = entry.shapes(tier) if entry.shapes is not None else None
        sampler = _entry_sampler(entry)
        law(entry.rule)
        setup = time.perf_counter() - started
        record = {**run_battery(np.random.default_rng(seed), sampler, entry.rule, layout=entry.layout, dtype=dtype, tier=tier, shapes=shapes), "setup_seconds": setup}
    except NotInstalled as error:
        record = {"status": "not installed", "reason": str(error), "seconds": time.perf_counter() - started}
    except SamplerError as error:
        # the framework raising for a dtype other than float32 is its refusal of that dtype (torch's QR takes no bfloat16),
        # not a broken sampler: recorded as "refused" with its message
        refused = dtype != "float32" and str(error).startswith("the sampler raised")
        record = {"status": "refused" if refused else "error", "reason": str(error), "rule": entry.rule, "dtype": dtype, "seconds": time.perf_counter() - started}
    return {
        "target": entry.target, "kwargs": {k: str(v) for k, v in entry.kwargs.items()}, "statement": entry.statement,
        "documented_by": entry.documented, **record,
    }  # fmt: skip


def _run_entries(
    framework: str, *, seed: int, tier: str, keep: Callable[[Entry], bool] | None = None, progress: Callable[[str], None] | None = None,
    dtypes: str = "listed",
) -> list[dict[str, Any]]:
    from initcheck.conformance.frameworks import version

    base = {"framework": framework, "backend": keras_backend() if framework == "keras" else None, "framework_version": version(framework)}
    if not _installed(framework):
        return [{**base, "target": framework, "status": "not installed", "reason": f"{framework} is not importable here (pip install 'initcheck[frameworks]')"}]
    records = []
    for entry in filter(keep, ENTRIES[framework]) if keep is not None else ENTRIES[framework]:
        for dtype in entry.dtypes_for(dtypes):
            records.append({**base, **check_entry(entry, dtype=dtype, seed=seed, tier=tier)})
            if progress is not None:
                progress(f"{records[-1].get('target', framework)} [{dtype}]")
    return records
