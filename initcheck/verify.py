"""Run the checks the registry links, and decide each claim's verdict.

A check "passes" when it behaves as documented: its verdict is the one the
registry expects, and it tells the foil (a plausible wrong formula) apart from
the statement. A claim is consistent when every check passes and the combined
verdict equals the documented one.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from initcheck import __version__
from initcheck.environment import environment
from initcheck.outcome import CHECK_KINDS, Outcome, SymbolicCheck, combine_verdicts
from initcheck.registry import Claim, resolve
from initcheck.simulations import ExactCase, StatisticalCase

TIERS = {"default": 1.0, "full": 4.0}  # replicate multiplier: the full tier halves every standard error


def _outcome_record(outcome: Outcome) -> dict[str, Any]:
    return {
        "verdict": outcome.verdict,
        "summary": outcome.summary,
        "mismatches": list(outcome.mismatches),
        "conditions": list(outcome.conditions),
        "derivation": [list(step) for step in outcome.derivation],
        "details": _jsonable(outcome.details),
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "item") and callable(value.item):  # NumPy scalars: bool_, float64, int64
        return value.item()
    return str(value)


def run_symbolic(claim: Claim, check: SymbolicCheck) -> dict[str, Any]:
    """Run the derivation on the statement and on the foil; record both."""
    started = time.perf_counter()
    stated = check.run(check.stated)
    foil = check.run(check.foil)
    foil_rejected = foil.verdict != stated.verdict or set(foil.mismatches) != set(stated.mismatches)
    expected = claim.expected_verdict("symbolic")
    return {
        "kind": "symbolic",
        "passed": stated.verdict == expected and foil_rejected,
        "expected_verdict": expected,
        **_outcome_record(stated),
        "foil": {"label": check.foil_label, "verdict": foil.verdict, "mismatches": list(foil.mismatches), "rejected": foil_rejected},
        "seconds": round(time.perf_counter() - started, 3),
    }


def run_statistical_case(case: StatisticalCase, rng: Any, scale: float) -> dict[str, Any]:
    from initcheck.sims import stats

    estimate = case.estimate(rng, max(2, int(case.replicates * scale)))
    theory, foil = case.theory(), case.foil()
    z, foil_z = stats.z_score(estimate, theory), stats.z_score(estimate, foil)
    mde = stats.minimum_detectable_effect(estimate)
    agrees, foil_rejected, powered = abs(z) <= stats.Z_CRITICAL, abs(foil_z) > stats.Z_CRITICAL, abs(theory - foil) >= mde
    return {
        "case": case.name,
        "type": "statistical",
        "estimate": estimate.value,
        "standard_error": estimate.standard_error,
        "n": estimate.n,
        "method": estimate.method,
        "theory": theory,
        "z": z,
        "foil": {"label": case.foil_label, "value": foil, "z": foil_z, "rejected": foil_rejected},
        "minimum_detectable_effect": mde,
        "relative_mde": mde / abs(theory) if theory else None,
        "foil_power_at_least_0.999": powered,
        "agrees": agrees,
        "behaves": foil_rejected and powered,
    }


def run_exact_case(case: ExactCase, rng: Any) -> dict[str, Any]:
    measured, theory = case.measure(rng), case.theory()

    def within(value: float) -> bool:
        return value - theory <= case.tolerance if case.one_sided else abs(value - theory) <= case.tolerance

    if case.foil_measure is not None:
        foil_value = case.foil_measure(rng)
        foil_rejected = not within(foil_value)
    elif case.foil_value is not None:
        foil_value = case.foil_value()
        foil_rejected = abs(measured - foil_value) > case.tolerance
    else:  # unreachable: ExactCase refuses to be built without a foil
        raise ValueError(f"case {case.name!r} has no foil")
    return {
        "case": case.name,
        "type": "exact",
        "measured": measured,
        "theory": theory,
        "difference": measured - theory,
        "tolerance": case.tolerance,
        "tolerance_reason": case.tolerance_reason,
        "one_sided": case.one_sided,
        "foil": {"label": case.foil_label, "value": foil_value, "rejected": foil_rejected},
        "agrees": within(measured),
        "behaves": foil_rejected,
    }


def run_simulation(claim: Claim, check: Any, *, seed: int, scale: float = 1.0) -> dict[str, Any]:
    """Each case on its own stream (seed, claim ID, case name); statistical cases by the z rule, exact ones by tolerance."""
    from initcheck.sims import stats

    started = time.perf_counter()
    cases = []
    for case in check.cases:
        rng = stats.stream(seed, claim.id, case.name)
        cases.append(run_statistical_case(case, rng, scale) if isinstance(case, StatisticalCase) else run_exact_case(case, rng))
    measured = check.measurements(stats.stream(seed, claim.id, "measurements")) if check.measurements else None
    verdict = "holds" if all(c["agrees"] for c in cases) else "refuted"
    expected = claim.expected_verdict("simulation")
    disagreeing = [c["case"] for c in cases if not c["agrees"]]
    return {
        "kind": "simulation",
        "passed": verdict == expected and all(c["behaves"] for c in cases),
        "expected_verdict": expected,
        "verdict": verdict,
        "summary": f"{len(cases)} case(s); " + ("all agree with theory" if not disagreeing else "disagree: " + "; ".join(disagreeing)),
        "mismatches": disagreeing,
        "rule": {"z_critical": stats.Z_CRITICAL, "false_failure_rate_per_case": stats.FALSE_FAILURE_RATE, "power": stats.POWER},
        "cases": _jsonable(cases),
        **({"measurements": _jsonable(measured)} if measured is not None else {}),
        "seconds": round(time.perf_counter() - started, 3),
    }


def run_properties(claim: Claim, check: Any, *, seed: int, scale: float = 1.0) -> dict[str, Any]:
    """Each property under the active Hypothesis profile; foils must yield a counterexample; measurements recorded."""
    from initcheck.properties import profile_name, property_verdict, run_property
    from initcheck.sims import stats

    del scale  # the number of examples is the profile's
    started = time.perf_counter()
    records = [run_property(prop) for prop in check.properties]
    verdict = property_verdict(records)
    expected = claim.expected_verdict("property")
    broken = [r["property"] for r in records if r["expect"] == "holds" and r["counterexample"]]
    unrejected = [r["property"] for r in records if r["expect"] == "fails" and not r["counterexample"]]
    measured = check.measurements(stats.stream(seed, claim.id, "measurements")) if check.measurements else None
    summary = f"{len(records)} propert{'y' if len(records) == 1 else 'ies'}, {sum(r['examples_run'] for r in records)} examples; "
    summary += "counterexample to: " + "; ".join(broken) if broken else "no counterexample to the stated properties"
    if unrejected:
        summary += "; foil not rejected: " + "; ".join(unrejected)
    return {
        "kind": "property",
        "passed": verdict == expected and all(r["behaves"] for r in records),
        "expected_verdict": expected,
        "verdict": verdict,
        "summary": summary,
        "mismatches": broken,
        "conditions": sorted({c for r in records if r["expect"] == "holds" for c in r["conditions"]}),
        "profile": profile_name(),
        "properties": _jsonable(records),
        "measurements": _jsonable(measured),
        "seconds": round(time.perf_counter() - started, 3),
    }


def run_reproduction(claim: Claim, check: Any, *, seed: int, scale: float = 1.0) -> dict[str, Any]:
    """The experiment at the tier's size on its own stream; passes when its verdict is documented and its foil is rejected."""
    from initcheck.reproductions import data_for
    from initcheck.sims import stats

    started = time.perf_counter()
    size = "full" if scale > 1 else "default"
    record = check.experiment(stats.stream(seed, claim.id, "reproduction"), size, data_for(check))
    expected = claim.expected_verdict("reproduction")
    return {
        "kind": "reproduction",
        "passed": bool(record["verdict"] == expected and record["foil"]["rejected"]),
        "expected_verdict": expected,
        "size": size,
        **_jsonable(record),
        "seconds": round(time.perf_counter() - started, 3),
    }


RUNNERS: dict[str, Callable[..., dict[str, Any]]] = {
    "symbolic": run_symbolic,
    "simulation": run_simulation,
    "property": run_properties,
    "reproduction": run_reproduction,
}


def verify_claim(claim: Claim, *, seed: int = 0, scale: float = 1.0) -> dict[str, Any]:
    """All of one claim's checks, its combined verdict and whether that is as documented."""
    checks: list[dict[str, Any]] = []
    for kind in CHECK_KINDS:
        link = getattr(claim, kind)
        if link is None or kind not in RUNNERS:
            checks.append(
                {
                    "kind": kind,
                    "passed": None,
                    "verdict": "not-checked",
                    "summary": "no check of this kind yet" if link is None else "runner not available",
                }
            )
            continue
        try:
            options = {"seed": seed, "scale": scale} if kind != "symbolic" else {}
            checks.append(RUNNERS[kind](claim, resolve(link), **options))
        except Exception as error:  # a crashing check is a failed check, reported, never a traceback to the user
            checks.append(
                {
                    "kind": kind,
                    "passed": False,
                    "verdict": "not-checked",
                    "summary": f"check raised {type(error).__name__}: {error}",
                    "traceback": traceback.format_exc(limit=3),
                }
            )
    verdict = combine_verdicts([c["verdict"] for c in checks])
    consistent = verdict == claim.documented_verdict and all(c["passed"] is not False for c in checks)
    return {
        "id": claim.id,
        "family": claim.family,
        "statement": claim.statement,
        "source": claim.source,
        "hypotheses": list(claim.hypotheses),
        "notes": claim.notes,
        "documented_verdict": claim.documented_verdict,
        "verdict": verdict,
        "consistent": consistent,
        "links": claim.links(),
        "checks": checks,
    }


def verify(
    claims: Iterable[Claim], *, seed: int, tier: str = "default", progress: Callable[[int, int, str], None] | None = None
) -> dict[str, Any]:
    """Run every claim's checks; the document `initcheck verify --json` prints."""
    claims = list(claims)
    started = time.perf_counter()
    results = []
    for index, claim in enumerate(claims, start=1):
        if progress:
            progress(index, len(claims), claim.id)
        results.append(verify_claim(claim, seed=seed, scale=TIERS[tier]))
    return {
        "initcheck_version": __version__,
        "seed": seed,
        "tier": tier,
        "seconds": round(time.perf_counter() - started, 2),
        "consistent": all(r["consistent"] for r in results),
        "environment": environment(),
        "claims": results,
    }
