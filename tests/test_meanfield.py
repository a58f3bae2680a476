"""VAR-DEPTH's mean-field theory and the deep-chain simulations: special cases, identities, two ways to one number."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from initcheck.sims import chain as sim_chain
from initcheck.sims import meanfield as sim_meanfield
from initcheck.sims.stats import Z_CRITICAL, mean_estimate
from initcheck.theory import chain, meanfield


def test_relu_path_is_the_exact_geometric_one():
    path = meanfield.mean_field_path("relu", sp.Integer(2), 5)
    assert path.q == [2.0] * 5 and path.beta == [0.0] * 5  # He: gain c/2 = 1, no finite-width correction
    assert meanfield.mean_field_path("relu", sp.Integer(1), 4).q == [1.0, 0.5, 0.25, 0.125]


def test_tanh_map_reduces_to_its_series_for_small_q():
    # E tanh²(√q ξ) = q − 2q² + O(q³) (tanh² = y² − (2/3)y⁴ + …, E ξ⁴ = 3): the quadrature must reproduce it
    q = 1e-3
    f2 = meanfield.gaussian_expectations("tanh", q)[2]
    assert abs(f2 - (q - 2 * q**2)) < 20 * q**3  # the next term is (17/45)·15·q³ ≈ 5.7q³


def test_sigmoid_map_is_the_shifted_tanh_map():
    # σ(y) = ½ + ½tanh(y/2) and E tanh = 0, so E σ(√q ξ)² = ¼ + ¼·E tanh²(√(q/4) ξ): two quadratures, one identity
    for q in (0.01, 1.0, 30.0):
        sigmoid = meanfield.gaussian_expectations("sigmoid", q)[2]
        tanh = meanfield.gaussian_expectations("tanh", q / 4)[2]
        assert sigmoid == pytest.approx(0.25 + tanh / 4, rel=1e-13)  # both sums carry ~1e-14 relative rounding


def test_paths_are_certified():
    for activation in ("tanh", "sigmoid"):
        for c in (1, 2, 1024):
            assert meanfield.mean_field_path(activation, sp.Integer(c), 50).digits >= 8


def test_reduced_chain_matches_real_weight_matrices():
    # sims.meanfield draws z_l = √Q_l·ξ instead of multiplying by W_l: both must give the same E[mean z_L²]
    rng = np.random.default_rng(7)
    width, depth, replicates = 32, 6, 4000
    matrices = sim_meanfield.depth_second_moment(
        rng, width=width, depth=depth, activation="tanh", weight_variance_times_width=2.0, replicates=replicates
    )
    reduced = mean_estimate(
        sim_meanfield.layer_second_moments(
            rng, width=width, depth=depth, activation="tanh", weight_variance_times_width=2.0, replicates=replicates
        )[:, -1]
    )
    z = (matrices.value - reduced.value) / math.hypot(matrices.standard_error, reduced.standard_error)
    assert abs(z) <= Z_CRITICAL
    wrong = mean_estimate(  # foil: one layer short of the same net
        sim_meanfield.layer_second_moments(
            rng, width=width, depth=depth - 1, activation="tanh", weight_variance_times_width=2.0, replicates=replicates
        )[:, -1]
    )
    assert abs((matrices.value - wrong.value) / math.hypot(matrices.standard_error, wrong.standard_error)) > Z_CRITICAL


def test_dead_relu_layers_leave_gains_finite_and_unbiased():
    rng = np.random.default_rng(3)
    moments = sim_meanfield.layer_second_moments(
        rng, width=2, depth=30, activation="relu", weight_variance_times_width=2.0, replicates=5000
    )
    assert (moments == 0).any()  # width 2: a layer dies with probability 1/4
    gains = mean_estimate(sim_meanfield.layer_gains(moments))
    assert np.isfinite(gains.value) and abs(gains.value - 1.0) <= Z_CRITICAL * gains.standard_error


def test_bad_sizes_are_named():
    with pytest.raises(ValueError, match="width, depth and replicates must be positive, got 0"):
        sim_meanfield.layer_second_moments(
            np.random.default_rng(0), width=0, depth=3, activation="tanh", weight_variance_times_width=1.0, replicates=2
        )
    with pytest.raises(ValueError, match="'softplus'"):
        sim_chain.chain_factors(np.random.default_rng(0), activation="softplus", chains=2, depth=3, burn_in=1)
    with pytest.raises(ValueError, match="burn_in=5, depth=3"):
        sim_chain.chain_factors(np.random.default_rng(0), activation="tanh", chains=2, depth=3, burn_in=5)


def test_stationary_law_is_a_fixed_point():
    law = chain.stationary_law("sigmoid")
    assert sum(p for _, p in law) == pytest.approx(1.0, abs=1e-14)
    # E[a²] in the stationary law against a long simulated chain
    rng = np.random.default_rng(11)
    a = 1 / (1 + np.exp(-rng.normal(size=20000)))
    samples = []
    for layer in range(40):
        a = 1 / (1 + np.exp(-(rng.normal(size=a.size) * a + rng.normal(size=a.size))))
        if layer >= 10:
            samples.append(a**2)
    estimate = mean_estimate(np.mean(samples, axis=0))
    theory = chain.chain_factor_statistics("sigmoid")["stationary_mean_a_squared"]
    assert abs(estimate.value - theory) <= Z_CRITICAL * estimate.standard_error
    assert abs(estimate.value - 1 / 3) > Z_CRITICAL * estimate.standard_error  # foil: a ~ U[0,1) has E a² = 1/3
