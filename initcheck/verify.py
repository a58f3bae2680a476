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
from initcheck.outcome import CHECK_KINDS, Outcome, SymbolicCheck, combine_verdicts
from initcheck.registry import Claim, resolve


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


RUNNERS: dict[str, Callable[[Claim, Any], dict[str, Any]]] = {"symbolic": run_symbolic}


def verify_claim(claim: Claim) -> dict[str, Any]:
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
            checks.append(RUNNERS[kind](claim, resolve(link)))
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


def verify(claims: Iterable[Claim], *, seed: int, progress: Callable[[int, int, str], None] | None = None) -> dict[str, Any]:
    """Run every claim's checks; the document `initcheck verify --json` prints."""
    claims = list(claims)
    started = time.perf_counter()
    results = []
    for index, claim in enumerate(claims, start=1):
        if progress:
            progress(index, len(claims), claim.id)
        results.append(verify_claim(claim))
    return {
        "initcheck_version": __version__,
        "seed": seed,
        "seconds": round(time.perf_counter() - started, 2),
        "consistent": all(r["consistent"] for r in results),
        "claims": results,
    }
