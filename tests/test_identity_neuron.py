"""GRAD-IDENTITY as the seed states it: the best offset-free error, its tightness, and an independent numerical search."""

from __future__ import annotations

import numpy as np
from scipy import optimize, special

from initcheck.properties.identity_neuron import GRAD_IDENTITY
from initcheck.registry import BY_ID
from initcheck.theory import identity_neuron
from initcheck.verify import run_properties


def test_minimax_error_alternates_at_the_endpoint_and_the_interior_extremum():
    best = identity_neuron.best_offset_free_error()
    w1, error = float(best["w1"]), float(best["error"])
    x = np.linspace(0, 1, 200_001)
    e = special.expit(w1 * (x - 0.5)) - x
    assert abs(np.max(np.abs(e)) - error) < 1e-9  # grid h = 5e-6: miss at the interior extremum ≤ h²·|f''|/8 ≈ 1e-11
    assert abs(e[0] - error) < 1e-12 and abs(-e.min() - error) < 1e-9  # both extremes reach the same error


def test_a_numerical_search_over_all_three_weights_finds_nothing_better():
    x = np.linspace(0, 1, 2001)
    rng = np.random.default_rng(3)
    best = min(
        optimize.minimize(lambda p: np.max(np.abs(p[2] * special.expit(p[0] * x + p[1]) - x)), rng.uniform([-10, -10, -3], [10, 5, 5]), method="Nelder-Mead").fun
        for _ in range(40)
    )
    assert best >= float(identity_neuron.best_offset_free_error()["error"]) - 1e-6  # grid max ≤ true max; slack as in the property


def test_property_is_conditional_and_its_foil_fails():
    record = run_properties(BY_ID["GRAD-IDENTITY"], GRAD_IDENTITY, seed=1).as_json()
    assert record["passed"], record["summary"]
    assert record["verdict"] == "holds-under-conditions"
