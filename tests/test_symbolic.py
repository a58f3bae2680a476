"""Every derivation agrees with its claim as documented, and rejects its foil.

The foil is a plausible wrong formula (missing factor 2, fan_in for fan_out,
Var(x) for E[x²], He without the ½, σ' max ½): a check that accepted it could
not fail, so each test runs the check on both.
"""

import pytest

from initcheck.registry import CLAIMS, resolve

SYMBOLIC = [c for c in CLAIMS if c.symbolic]


@pytest.fixture(scope="module", params=SYMBOLIC, ids=lambda c: c.id)
def checked(request):
    claim = request.param
    check = resolve(claim.symbolic)
    return claim, check.run(check.stated), check.run(check.foil)


def test_derivation_gives_the_documented_verdict(checked):
    claim, stated, _ = checked
    assert stated.verdict == claim.expected_verdict("symbolic"), stated.summary


def test_derivation_rejects_the_foil(checked):
    claim, stated, foil = checked
    assert foil.mismatches, "the foil must disagree with the derivation somewhere"
    assert set(foil.mismatches) != set(stated.mismatches)
    if claim.documented_verdict == "holds":
        assert foil.verdict == "refuted"


def test_verdict_agrees_with_what_the_check_found(checked):
    _, stated, _ = checked
    if stated.verdict == "holds":
        assert not stated.mismatches
    elif stated.verdict == "refuted":
        assert stated.mismatches
    else:  # holds-under-conditions: the conditions are stated
        assert stated.conditions
