"""Property checks: claims that say "for any weights / data / activation", tested with Hypothesis.

A `Property` is a statement "for every value the strategy draws, `check(value)`
returns without AssertionError". Its `expect` says what the suite documents:

- "holds": Hypothesis must find no counterexample. `conditions` lists the
  hypotheses this statement adds to the claim as published; a property with
  conditions makes the claim's verdict holds-under-conditions.
- "fails": a foil. The statement without one of its hypotheses (or as
  published, where that is false); Hypothesis must find a counterexample.
  Known counterexamples are kept in `examples` and re-checked first on every
  run, so a foil never depends on the search being lucky.

Profiles: "ci" (derandomized, used by tox, CI and `initcheck verify`) and
"dev" (more examples), chosen by the HYPOTHESIS_PROFILE environment variable.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from hypothesis import HealthCheck, Phase, example, find, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.errors import NoSuchExample

from initcheck.outcome import Verdict

# Hypothesis keeps caches in ./.hypothesis by default: the command must not write into the user's working
# directory, so its caches live in a private temporary folder removed at exit (the profiles use no database).
_HOME = tempfile.mkdtemp(prefix="initcheck-hypothesis-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
set_hypothesis_home_dir(_HOME)

# Deadlines off: SymPy, mpmath and BLAS timings vary by an order of magnitude between machines.
settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=100, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None, max_examples=1000, database=None, suppress_health_check=[HealthCheck.too_slow])
PROFILES = ("ci", "dev")


def profile_name() -> str:
    """The active profile: HYPOTHESIS_PROFILE, default "ci"; anything else is a usage error."""
    name = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    if name not in PROFILES:
        raise ValueError(f"HYPOTHESIS_PROFILE={name!r} is not a profile; use one of {', '.join(PROFILES)}")
    return name


@dataclass(frozen=True)
class Property:
    name: str
    statement: str
    strategy: Callable[[], st.SearchStrategy[Any]]  # built lazily: importing a registry entry draws nothing
    check: Callable[[Any], None]  # raises AssertionError with a message naming the failing quantity
    expect: Literal["holds", "fails"] = "holds"
    conditions: tuple[str, ...] = ()
    examples: tuple[Any, ...] = ()
    max_examples: int | None = None  # a cap for expensive checks (exact arithmetic); None: the profile's number


@dataclass(frozen=True, kw_only=True)
class PropertyCheck:
    """A claim's properties. Each check has a foil property (expect="fails") unless `foil_elsewhere` says where its foil is."""

    properties: tuple[Property, ...]
    measurements: Callable[[Any], dict[str, Any]] | None = None  # measurements(rng): a documented finding, recorded not asserted
    foil_elsewhere: str = ""


def _counterexample_text(value: Any, error: AssertionError) -> str:
    return f"{value!r}: {error}"


# Hypothesis compares the global `random` state before and after each draw and warns "Do not use the `random` module
# inside strategies" when it changed. On a Dask worker the task runs in a worker thread while the worker's own threads
# (its event loop, heartbeats) draw from `random`, so the warning fires for code that never touches `random`. Our
# strategies are checked for it where it means something: in the main thread, by the tests, warnings being errors.
FOREIGN_RANDOM = "Do not use the `random` module inside strategies"


# Hypothesis (since 6.131) mixes into its draws the literal constants of every "local" module the process has loaded
# (any file outside site-packages and the tests): the examples then depend on what the process imported before, so a
# derandomized search differed between worker processes (the machine matrix found SAT-XENT refuted on one worker
# schedule and not on another, issue 24) and between an editable and a wheel install. Properties draw from the
# strategies alone: the local pool is emptied, once, for the whole process (never restored: a Dask worker runs
# properties in several threads at once). Hypothesis versions without the pool need nothing.
_LOCAL_CONSTANTS_OFF = threading.Lock()


def no_local_constants() -> bool:
    """Empty Hypothesis's pool of constants from local modules (above); True if this Hypothesis has one."""
    try:
        from hypothesis.internal.conjecture import providers
        from hypothesis.internal.constants_ast import Constants
    except ImportError:
        return False
    if not hasattr(providers, "_get_local_constants"):
        return False
    with _LOCAL_CONSTANTS_OFF:
        if getattr(providers._get_local_constants, "initcheck_empty", False) is False:
            empty = Constants()

            def nothing_local() -> Any:
                return empty

            nothing_local.initcheck_empty = True  # type: ignore[attr-defined]
            providers._get_local_constants = nothing_local
            providers.CONSTANTS_CACHE.cache.clear()  # pools computed before held the local constants
    return True


def run_property(prop: Property, *, profile: str | None = None) -> dict[str, Any]:
    """Run one property under the active profile (strategies only: no_local_constants); return counts and any counterexample."""
    no_local_constants()
    if threading.current_thread() is threading.main_thread():
        return _run_property(prop, profile=profile)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=FOREIGN_RANDOM)
        return _run_property(prop, profile=profile)


def _run_property(prop: Property, *, profile: str | None = None) -> dict[str, Any]:
    base = settings.get_profile(profile or profile_name())
    chosen = settings(base, max_examples=min(prop.max_examples or base.max_examples, base.max_examples))
    calls = {"n": 0}
    failing: list[tuple[Any, AssertionError]] = []

    def counted(value: Any) -> None:
        calls["n"] += 1
        try:
            prop.check(value)
        except AssertionError as error:
            failing.append((value, error))
            raise

    if prop.expect == "fails":
        for value in prop.examples:  # known counterexamples first: the foil is rejected without search luck
            try:
                counted(value)
            except AssertionError:
                return _record(prop, calls["n"], failing[-1], found_by="explicit example")
        try:
            found = find(prop.strategy(), lambda v: _fails(prop.check, v), settings=settings(chosen, phases=tuple(Phase)))
        except NoSuchExample:
            return _record(prop, calls["n"], None, found_by=None)
        try:
            prop.check(found)
        except AssertionError as error:
            return _record(prop, calls["n"] + 1, (found, error), found_by="Hypothesis search")
        raise RuntimeError(f"{prop.name}: find() returned {found!r}, which passes")  # unreachable unless check is non-deterministic

    test = given(prop.strategy())(counted)
    for value in prop.examples:
        test = example(value)(test)
    try:
        settings(chosen)(test)()
    except (AssertionError, ExceptionGroup):  # several distinct failures arrive as a group; the last replayed is reported
        if not failing:
            raise
        return _record(prop, calls["n"], failing[-1], found_by="Hypothesis search")  # Hypothesis replays the shrunk example last
    return _record(prop, calls["n"], None, found_by=None)


def _fails(check: Callable[[Any], None], value: Any) -> bool:
    try:
        check(value)
    except AssertionError:
        return True
    return False


def _record(prop: Property, examples_run: int, failure: tuple[Any, AssertionError] | None, *, found_by: str | None) -> dict[str, Any]:
    behaves = (failure is None) == (prop.expect == "holds")
    return {
        "property": prop.name,
        "statement": prop.statement,
        "expect": prop.expect,
        "conditions": list(prop.conditions),
        "examples_run": examples_run,
        "counterexample": None if failure is None else _counterexample_text(*failure),
        "found_by": found_by,
        "behaves": behaves,
    }


def property_verdict(records: Sequence[dict[str, Any]]) -> Verdict:
    """Refuted if a "holds" property broke; conditional if a holding property needed extra hypotheses; else holds."""
    statements = [r for r in records if r["expect"] == "holds"]
    if any(r["counterexample"] for r in statements):
        return "refuted"
    return "holds-under-conditions" if any(r["conditions"] for r in statements) else "holds"
