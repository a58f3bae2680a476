"""GRAD-DEPTH-ACC: the published accuracies against the binomial noise of 10,000 validation images."""

from __future__ import annotations

import pytest
from scipy import stats

from initcheck.registry import BY_ID
from initcheck.symbolic.depth_accuracy import GRAD_DEPTH_ACC
from initcheck.theory import depth_accuracy
from initcheck.verify import run_symbolic


def test_z_and_p_agree_with_scipys_two_proportion_formula():
    p1, p2, n = 0.9690, 0.9653, 10_000
    z = (p2 - p1) / ((p1 * (1 - p1) + p2 * (1 - p2)) / n) ** 0.5
    derived = depth_accuracy.comparisons()["drop_2_to_4"]
    assert derived["z"] == pytest.approx(z, rel=1e-12)  # the same formula in float64
    assert derived["p"] == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-10)


def test_symbolic_check_is_conditional_and_rejects_the_one_se_foil():
    record = run_symbolic(BY_ID["GRAD-DEPTH-ACC"], GRAD_DEPTH_ACC).as_json()
    assert record["passed"] and record["verdict"] == "holds-under-conditions"
    assert record["foil"]["verdict"] == "refuted" and record["foil"]["mismatches"] == ["drop_2_to_4_significant: stated False, derived True"]
