"""REG-DROPOUT-DIST and REG-DROPOUT-ENSEMBLE: moments of a dropped unit, the exact mask average, and their foils."""

from __future__ import annotations

import sympy as sp

from initcheck.properties.dropout import REG_DROPOUT_ENSEMBLE as ENSEMBLE_PROPERTIES
from initcheck.registry import BY_ID
from initcheck.simulations.dropout import REG_DROPOUT_DIST as SIMULATION
from initcheck.symbolic.dropout import REG_DROPOUT_DIST, REG_DROPOUT_ENSEMBLE
from initcheck.theory import dropout
from initcheck.verify import run_properties, run_simulation, run_symbolic


def test_training_variance_exceeds_prediction_variance_by_p_s_over_1_minus_p():
    m = dropout.unit_moments()
    assert sp.simplify(m["train_variance"] - m["predict_variance"] - dropout.p * dropout.s / (1 - dropout.p)) == 0
    for drop in (sp.Rational(3, 10), sp.Rational(1, 2)):  # SymPy keeps √(−1/(p − 1)) for p only known positive: compare at exact p
        assert sp.simplify(dropout.variance_matching_scale()[0].subs(dropout.p, drop) - 1 / sp.sqrt(1 - drop)) == 0


def test_relu_counterexample_by_hand():
    # masks (1,1), (1,0), (0,1), (0,0), each 1/4, inputs scaled by 2: relu(4 − 1), relu(2 − 1) twice, relu(−1) → 5/4; network relu(1) = 1
    assert dropout.mask_average(lambda m: sp.Max(0, m[0] + m[1] - 1), 2, sp.Rational(1, 2)) == sp.Rational(5, 4)


def test_distribution_claim_is_refuted_and_the_shortfall_foil_rejected():
    record = run_symbolic(BY_ID["REG-DROPOUT-DIST"], REG_DROPOUT_DIST).as_json()
    assert record["passed"] and record["verdict"] == "refuted"
    assert record["mismatches"] == ["variance_difference: stated 0, derived -p*s/(p - 1)"] and record["foil"]["rejected"]


def test_ensemble_claim_holds_for_linear_nets_only():
    record = run_symbolic(BY_ID["REG-DROPOUT-ENSEMBLE"], REG_DROPOUT_ENSEMBLE).as_json()
    assert record["passed"] and record["verdict"] == "holds-under-conditions"
    assert record["foil"]["verdict"] == "refuted" and any("relu" in m for m in record["foil"]["mismatches"])


def test_simulated_training_variance_agrees_and_rejects_the_matching_foil():
    record = run_simulation(BY_ID["REG-DROPOUT-DIST"], SIMULATION, seed=20101).as_json()
    assert record["passed"], record["summary"]
    assert all(c["foil"]["rejected"] and c["foil_power_at_least_0.999"] for c in record["cases"])


def test_ensemble_properties_hold_for_linear_nets_and_the_relu_foil_fails():
    record = run_properties(BY_ID["REG-DROPOUT-ENSEMBLE"], ENSEMBLE_PROPERTIES, seed=1).as_json()
    assert record["passed"], record["summary"]
    assert record["verdict"] == "holds-under-conditions"
