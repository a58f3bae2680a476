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
    run = sim_transverse.seeded_training(np.array(x), np.array(y), width=3, activation="sigmoid", c1=0.3, c2=-0.2, rate=0.5, steps=300, seed_ulps=0)
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
    assert join.curve_deviation(name) <= join.CURVE_TOLERANCE < join.curve_deviation(name, own_block_only=True)


def test_window_and_linearization_reach_are_read_from_the_judged_run():
    name = "xor-tanh-w2"
    spread = join.float64_run(name, join.SEED_ULPS).spread
    first, last = join.window(name)
    assert first == 1 and spread[last - 1] <= join.LINEAR_BOUND < spread[last]  # the last step before the bound, not a typed count
    assert len(join.linearized(name).log10_spread) == last  # the derivation runs exactly as far as the window


def test_a_seed_of_many_ulps_is_exact_and_one_ulp_is_the_next_float():
    x, y = join.task_data("xor")
    kwargs = {"width": 2, "activation": "tanh", "c1": 0.5, "c2": 0.5, "rate": 0.5, "steps": 1}
    assert sim_transverse.seeded_training(np.array(x), np.array(y), **kwargs, seed_ulps=1).seed_size == np.nextafter(0.5, 1.0) - 0.5
    assert sim_transverse.seeded_training(np.array(x), np.array(y), **kwargs, seed_ulps=2**26).seed_size == 2**26 * np.spacing(0.5)
    with pytest.raises(ValueError, match="not exact"):
        sim_transverse.seeded_training(np.array(x), np.array(y), **{**kwargs, "c1": 0.75}, seed_ulps=2**52 + 1)  # 1.25 + 2⁻⁵³: not a float64


def test_judged_seed_is_far_above_round_off_and_the_one_ulp_seed_is_not():
    """The foil of the design: judged from a one-ulp seed, the curve misses the linearization by far more than its
    tolerance (round-off leads the first hundreds of steps), which is why the rate depended on the machine (issue 24)."""
    name = "xor-tanh-w2"
    one_ulp = join.float64_run(name, 1).spread
    judged_path = np.array(join.linearized(name).log10_spread)
    shift = np.log10(join.float64_run(name, 1).seed_size / join.float64_run(name, join.SEED_ULPS).seed_size)  # linear: same path, smaller seed
    steps = len(judged_path)
    assert np.max(np.abs(np.log10(one_ulp[:steps]) - (judged_path + shift))) > 100 * join.CURVE_TOLERANCE


def test_a_window_too_short_to_fit_is_recorded_as_not_computed_and_fails(monkeypatch):
    from initcheck.registry import BY_ID
    from initcheck.verify import run_check

    monkeypatch.setattr(join, "LINEAR_BOUND", 1e-12)  # below the judged seed: the spread passes it at step 1
    record = run_check(BY_ID["SYM-CONST"], "simulation")
    assert record["passed"] is False and record["verdict"] == "refuted"
    uncomputed = [c for c in record["cases"] if "not_computed" in c]
    assert len(uncomputed) == 2 * len(join.SLOPE_TASKS) and all("no linear window" in c["not_computed"] for c in uncomputed)
    assert all("not_computed" in row for row in record["measurements"]["judged runs: the window each was compared over"])


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
