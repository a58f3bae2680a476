"""SYM-CONST in floating point: the derived transverse Jacobian, the seeded float64 run, their agreement, and the figure's record."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sympy as sp

from initcheck.reports.figures import transverse as transverse_figure
from initcheck.sims import transverse as sim_transverse
from initcheck.simulations import transverse as join
from initcheck.theory import transverse as theory_transverse


def _residual_weighted_unit_hessian(d: int, k: int) -> tuple[sp.Matrix, tuple[sp.Symbol, ...]]:
    """Typed from the formula in theory.transverse's docstring (per sample, loss ‖y − t‖²): 2[[ (r·v) f'' x̃x̃ᵀ, f' x̃ rᵀ ], [ f' r x̃ᵀ, 0 ]]."""
    _, symbols = theory_transverse.transverse_curvature(d, k)
    x, v, r, f1, f2 = symbols[:d], symbols[d : d + k], symbols[d + k : d + 2 * k], symbols[-3], symbols[-2]
    xt = sp.Matrix([*x, 1])
    rv = sum(a * b for a, b in zip(r, v, strict=True))
    top = sp.Matrix.hstack(2 * rv * f2 * xt * xt.T, 2 * f1 * xt * sp.Matrix([r]))
    bottom = sp.Matrix.hstack(2 * f1 * sp.Matrix(r) * xt.T, sp.zeros(k, k))
    return sp.Matrix.vstack(top, bottom), symbols


@pytest.mark.parametrize(("d", "k"), [(1, 1), (1, 2), (2, 1)])
def test_derived_transverse_block_is_the_residual_weighted_curvature_of_one_unit(d, k):
    derived, _ = theory_transverse.transverse_curvature(d, k)
    typed, _ = _residual_weighted_unit_hessian(d, k)
    assert sp.expand(derived - typed) == sp.zeros(*typed.shape)  # polynomials in the symbols: expanded difference is exactly 0


def test_foil_own_block_keeps_the_gauss_newton_part_the_transverse_block_drops():
    own, _ = theory_transverse.transverse_curvature(1, 1, own_block_only=True)  # the foil carried by transverse_path(with_foil=True)
    transverse, _ = theory_transverse.transverse_curvature(1, 1)
    assert sp.simplify(own - transverse) != sp.zeros(*own.shape)


def test_unseeded_float64_run_keeps_units_bit_identical():
    x, y = join.task_data("regression-3-outputs")
    run = sim_transverse.seeded_training(np.array(x), np.array(y), width=3, activation="sigmoid", c1=0.3, c2=-0.2, rate=0.5, steps=300, seeded=False)
    assert np.all(run.spread == 0.0) and run.seed_size == 0.0


def test_regression_task_same_seed_same_numbers():
    first = sim_transverse.regression_task(np.random.default_rng(4))
    again = sim_transverse.regression_task(np.random.default_rng(4))
    other = sim_transverse.regression_task(np.random.default_rng(5))
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True)) and not np.array_equal(first[1], other[1])


def test_twenty_digits_carry_the_seed_as_thirty_do():
    kwargs = {"width": 2, "activation_name": "tanh", "c1": 0.5, "c2": 0.5, "rate": 0.5, "steps": 60, "seed_size": 2.0**-53}
    low = theory_transverse.transverse_path(join.XOR_X, join.XOR_Y, **kwargs)
    theory_transverse.DIGITS, saved = 30, theory_transverse.DIGITS
    try:
        high = theory_transverse.transverse_path(join.XOR_X, join.XOR_Y, **kwargs)
    finally:
        theory_transverse.DIGITS = saved
    np.testing.assert_allclose(low.log10_spread, high.log10_spread, rtol=1e-10)  # 20 digits: ≥ 12 survive 60 steps


def test_linearization_predicts_the_float64_growth_rate_and_rejects_the_own_block_foil():
    name = "xor-tanh-w2"
    ratio = join.measured_rate(name) / join.predicted_rate(name)
    foil = join.predicted_rate(name, own_block_only=True) / join.predicted_rate(name)
    assert abs(ratio - 1) <= join.RATE_TOLERANCE
    assert abs(foil - 1) > join.RATE_TOLERANCE


def test_xor_width_two_leaves_the_symmetric_set_and_learns_xor():
    decision = join.decide("xor-tanh-w2")
    assert decision["learns_something"] and decision["macroscopic_at_step"] is not None
    assert decision["seeded_final_loss"] < 1e-6 < 1 / 6 <= decision["symmetric_final_loss"] + 1e-9


def test_blas_record_names_library_version_and_kernel():
    from initcheck.environment import blas_libraries

    libraries = [lib for lib in blas_libraries() if lib.get("user_api") == "blas"]
    assert libraries and all({"internal_api", "version", "architecture"} <= set(lib) for lib in libraries)


def _record(by_task: dict) -> dict:
    return {"SYM-CONST": {"checks": [{"kind": "simulation", "passed": True, "measurements": {"by_task": by_task}}]}}


def test_figure_draws_only_what_the_record_holds():
    curve = {"step": [1, 2, 3], "log10_spread": [-16.0, None, -12.0], "linearized_step": [1, 3], "linearized_log10_spread": [-16.0, -12.1]}
    figure = transverse_figure.asymmetry_vs_step(_record({"task-a": {"curve": curve, "learns_something": True}}))
    drawn = figure.axes[0].lines[0].get_ydata()
    assert list(drawn) == [-16.0, -12.0]  # the exact-zero spread (None) is left out, nothing is added
    plt.close(figure)
    empty = transverse_figure.asymmetry_vs_step({})
    assert "SYM-CONST simulation check: measurements.by_task" in empty.axes[0].texts[0].get_text()  # the missing record is named
    plt.close(empty)
