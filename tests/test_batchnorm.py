"""REG-BN-GRAD: the batch-norm backward pass against SymPy's derivative and against complex-step differentiation."""

from __future__ import annotations

import numpy as np
import sympy as sp

from initcheck.properties.batchnorm import REG_BATCHNORM as UNIT_VARIANCE
from initcheck.properties.batchnorm import REG_BN_GRAD as PROPERTIES
from initcheck.registry import BY_ID
from initcheck.symbolic.batchnorm import REG_BN_GRAD
from initcheck.theory import batchnorm
from initcheck.verify import run_properties, run_symbolic


def test_symbolic_check_holds_and_rejects_the_frozen_statistics_foil():
    record = run_symbolic(BY_ID["REG-BN-GRAD"], REG_BN_GRAD).as_json()
    assert record["passed"] and record["verdict"] == "holds"
    assert record["foil"]["rejected"] and any("statistics_take_part" in m for m in record["foil"]["mismatches"])


def _bn_loss(x: np.ndarray, g: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean()
    var = ((x - mu) ** 2).mean()  # squares, not |·|²: analytic, so the complex step applies
    return np.sum(g * (x - mu) / np.sqrt(var + eps))


def test_closed_form_matches_complex_step_on_random_batches():
    rng = np.random.default_rng(5)
    h = 1e-30  # complex step: no subtraction, so the derivative is exact to rounding (~1e-15 relative)
    grad = sp.lambdify((*batchnorm.batch_symbols(6)[0], *batchnorm.batch_symbols(6)[1], batchnorm.gamma, batchnorm.epsilon), batchnorm.closed_form_gradient(6))
    for _ in range(20):
        x, g, eps = rng.normal(size=6) * 3, rng.normal(size=6), 1e-3
        step = np.array([_bn_loss(x + 1j * h * np.eye(6)[i], g, eps).imag / h for i in range(6)])
        closed = np.array(grad(*x, *g, 1.0, eps))
        assert np.allclose(step, closed, rtol=1e-10, atol=1e-12)  # both float64 evaluations of the same derivative
        assert abs(closed.sum()) < 1e-12 * np.abs(closed).sum()  # sums to zero up to rounding


def test_properties_hold_and_the_frozen_statistics_foil_fails():
    record = run_properties(BY_ID["REG-BN-GRAD"], PROPERTIES, seed=1).as_json()
    assert record["passed"], record["summary"]


def test_unit_variance_holds_only_up_to_epsilon_and_the_literal_reading_fails():
    record = run_properties(BY_ID["REG-BATCHNORM"], UNIT_VARIANCE, seed=1).as_json()
    assert record["passed"], record["summary"]
    assert record["verdict"] == "holds-under-conditions"
