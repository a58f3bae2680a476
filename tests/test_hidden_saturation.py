"""SAT-NIELSEN-FRACTION, SAT-LATER-LAYERS: exact first-layer fractions, the mean-field later layer, and their simulations."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import stats

from initcheck.registry import BY_ID, resolve
from initcheck.simulations.hidden_saturation import SAT_LATER_LAYERS as SIM_LATER
from initcheck.simulations.hidden_saturation import SAT_NIELSEN_FRACTION as SIM_FRACTION
from initcheck.symbolic.hidden_saturation import SAT_LATER_LAYERS, SAT_NIELSEN_FRACTION
from initcheck.theory import hidden_saturation as hs
from initcheck.verify import run_symbolic


@pytest.mark.parametrize(("rule", "bias_name", "variance"), [("normal", "standard_normal", 501), ("normal", "zero", 500), ("scaled", "zero", 0.5)])
def test_first_layer_fraction_is_scipys_normal_tail(rule, bias_name, variance):
    derived = float(sp.N(hs.first_layer_saturated_fraction(rule, bias_name), 20))
    assert derived == pytest.approx(2 * stats.norm.sf(np.log(99) / np.sqrt(variance)), rel=1e-12)  # float64 tail: ~1e-14 relative


def test_mean_field_layer_two_fraction_uses_e_a_squared():
    # E[σ(z)²] for z ~ N(0, 501), by scipy's quadrature independently of mpmath
    from scipy import integrate, special

    square = integrate.quad(lambda z: special.expit(z) ** 2 * stats.norm.pdf(z, scale=np.sqrt(501)), -400, 400, points=[0], limit=200)[0]
    expected = 2 * stats.norm.sf(np.log(99) / np.sqrt(30 * square + 1))
    assert hs.second_layer_mean_field_fraction(30) == pytest.approx(expected, rel=1e-8)  # quad's default tolerance 1.5e-8
    assert hs.second_layer_mean_field_fraction(94) < 0.5 <= hs.second_layer_mean_field_fraction(hs.mean_field_majority_width())


def test_nielsen_fraction_holds_and_rejects_the_all_inputs_foil():
    record = run_symbolic(BY_ID["SAT-NIELSEN-FRACTION"], SAT_NIELSEN_FRACTION).as_json()
    assert record["passed"] and record["verdict"] == "holds"
    assert record["foil"]["rejected"] and any("1001" in m for m in record["foil"]["mismatches"])


def test_later_layers_hold_only_for_wide_layers_and_the_width_blind_foil_is_refuted():
    record = run_symbolic(BY_ID["SAT-LATER-LAYERS"], SAT_LATER_LAYERS).as_json()
    assert record["passed"] and record["verdict"] == "holds-under-conditions"
    assert record["foil"]["verdict"] == "refuted" and any(m.startswith("30:") for m in record["foil"]["mismatches"])


@pytest.mark.parametrize(("claim_id", "check"), [("SAT-NIELSEN-FRACTION", SIM_FRACTION), ("SAT-LATER-LAYERS", SIM_LATER)])
def test_simulations_agree_with_theory_and_reject_their_foils(claim_id, check, simulation_record):
    assert resolve(BY_ID[claim_id].simulation) is check
    record = simulation_record(claim_id)  # run_simulation at seed 20101, the run test_simulations shares
    assert record["passed"], record["summary"]
    assert all(c["foil"]["rejected"] and c["foil_power_at_least_0.999"] for c in record["cases"])
