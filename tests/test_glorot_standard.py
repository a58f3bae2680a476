"""VAR-GLOROT-STANDARD: the mean-field path of the two uniform inits, its simulation, and the foils."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import integrate

from initcheck.registry import BY_ID, resolve
from initcheck.simulations.glorot_standard import VAR_GLOROT_STANDARD as SIMULATION
from initcheck.symbolic.glorot_standard import VAR_GLOROT_STANDARD
from initcheck.theory import glorot_standard as gs
from initcheck.verify import run_symbolic


def test_uniform_gains_are_one_third_and_one():
    assert gs.uniform_gain(sp.Integer(1)) == sp.Rational(1, 3) and gs.uniform_gain(sp.Integer(3)) == 1


def test_second_layer_of_the_path_matches_scipy_quadrature():
    q1 = 1.0  # normalized init, N(0, 1) inputs
    expected = integrate.quad(lambda x: np.tanh(np.sqrt(q1) * x) ** 2 * np.exp(-(x**2) / 2) / np.sqrt(2 * np.pi), -12, 12)[0]
    assert gs.mean_field("normalized")["forward"][1] == pytest.approx(expected, rel=1e-9)  # quad's default tolerance


def test_symbolic_check_is_conditional_and_rejects_the_exact_level_foil():
    record = run_symbolic(BY_ID["VAR-GLOROT-STANDARD"], VAR_GLOROT_STANDARD).as_json()
    assert record["passed"] and record["verdict"] == "holds-under-conditions"
    assert record["foil"]["verdict"] == "refuted"


def test_simulation_agrees_with_mean_field_and_rejects_the_foils(simulation_record):
    assert resolve(BY_ID["VAR-GLOROT-STANDARD"].simulation) is SIMULATION
    record = simulation_record("VAR-GLOROT-STANDARD")  # run_simulation at seed 20101, the run test_simulations shares
    assert record["passed"], record["summary"]
    assert all(c["foil"]["rejected"] and c["foil_power_at_least_0.999"] for c in record["cases"])
