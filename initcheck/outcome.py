"""What a check returns, and how a claim's verdict follows from its checks.

This module imports neither SymPy nor NumPy. `theory/` and `sims/` never import it:
they compute; the judges in `initcheck/symbolic/` and the runners build these records.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Verdict = Literal["holds", "holds-under-conditions", "refuted", "not-checked"]
VERDICTS: tuple[Verdict, ...] = ("holds", "holds-under-conditions", "refuted", "not-checked")
CheckKind = Literal["symbolic", "simulation", "property", "reproduction"]
CHECK_KINDS: tuple[CheckKind, ...] = ("symbolic", "simulation", "property", "reproduction")

# Worst first: one refuting check refutes the claim; one check that needs an
# extra hypothesis makes the whole claim conditional.
_SEVERITY: dict[str, int] = {"refuted": 0, "holds-under-conditions": 1, "holds": 2}


@dataclass(frozen=True)
class Outcome:
    """The result of one check: a verdict, the reason, and the numbers behind it.

    `mismatches` names every part of the statement the check found false (a
    table cell, a coefficient, an asserted fact); it is empty when the
    statement holds. `derivation` is a list of (label, LaTeX) steps a report
    can typeset. `details` holds JSON-ready numbers.
    """

    verdict: Verdict
    summary: str
    mismatches: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    derivation: tuple[tuple[str, str], ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)


def combine_verdicts(verdicts: list[Verdict]) -> Verdict:
    """The claim's verdict: the most severe verdict among the checks that ran."""
    ran = [v for v in verdicts if v != "not-checked"]
    if not ran:
        return "not-checked"
    return min(ran, key=_SEVERITY.__getitem__)


def fact_mismatches(stated: Mapping[Any, Any], derived: Mapping[Any, Any]) -> list[str]:
    """Each stated fact that the derivation contradicts, as "name: stated X, derived Y"."""
    return [f"{name}: stated {value}, derived {derived[name]}" for name, value in stated.items() if derived[name] != value]


def verdict_from_mismatches(mismatches: list[str], conditions: tuple[str, ...] = ()) -> Verdict:
    """Refuted if anything stated disagrees with the derivation; else conditional or holds."""
    if mismatches:
        return "refuted"
    return "holds-under-conditions" if conditions else "holds"


def judged(
    mismatches: Sequence[str],
    *,
    summary: str,
    verdict: Verdict | None = None,
    conditions: Sequence[str] = (),
    derivation: Sequence[tuple[str, str]] = (),
    details: Mapping[str, Any] | None = None,
) -> Outcome:
    """The Outcome of comparing a statement with its derivation: refuted iff anything mismatches, else holds.

    `verdict` overrides that rule where a check decides otherwise (a claim that holds only under its stated
    conditions). `conditions` are recorded, not used for the default verdict.
    """
    return Outcome(
        verdict=verdict_from_mismatches(list(mismatches)) if verdict is None else verdict,
        summary=summary,
        mismatches=tuple(mismatches),
        conditions=tuple(conditions),
        derivation=tuple(derivation),
        details={} if details is None else details,
    )


@dataclass(frozen=True)
class SymbolicCheck:
    """A derivation's check of one claim.

    `run(statement)` derives the result independently and compares the given
    statement with it. `stated` is the claim as published, written in the
    derivation's symbols; `foil` is a plausible wrong formula (missing factor 2,
    fan_in for fan_out, Var(x) for E[x²]) that `run` must reject.
    """

    run: Callable[[Any], Outcome]
    stated: Any
    foil: Any
    foil_label: str


@dataclass(frozen=True, kw_only=True)
class CheckRecord:
    """What any check of any kind records: the common fields, and the evidence its kind adds.

    `passed` is True when the check behaves as documented (its verdict is `expected_verdict` and its foil is
    rejected), False when it does not, None when there is no check of this kind. `evidence` holds the
    kind's own JSON-ready fields, written beside the common ones: the derivation steps, details and foil
    (symbolic); the rule, the cases and measurements (simulation); the profile, the properties and
    measurements (property); the experiment's size, numbers and foil (reproduction).
    """

    kind: CheckKind
    passed: bool | None
    verdict: Verdict
    summary: str
    expected_verdict: Verdict | None = None
    mismatches: Sequence[str] | None = None
    conditions: Sequence[str] | None = None
    evidence: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The record as results.json holds it (one flat object per check; fields a kind does not have are left out)."""
        common: dict[str, Any] = {"kind": self.kind, "passed": self.passed}
        if self.expected_verdict is not None:
            common["expected_verdict"] = self.expected_verdict
        common.update(verdict=self.verdict, summary=self.summary)
        if self.mismatches is not None:
            common["mismatches"] = list(self.mismatches)
        if self.conditions is not None:
            common["conditions"] = list(self.conditions)
        clash = set(common) & set(self.evidence)
        if clash:
            raise ValueError(f"evidence of a {self.kind} check repeats common fields {sorted(clash)}")
        return {**common, **self.evidence}
