"""SYM-PERCEPTRON-LEARNS (convexity sentence of 003): GD on logistic losses needs a step below 2/L and a minimizer."""

from __future__ import annotations

import numpy as np

from initcheck.registry import BY_ID
from initcheck.symbolic.logistic_gd import SYM_PERCEPTRON_LEARNS_CONVEX
from initcheck.theory import logistic_gd
from initcheck.verify import run_symbolic


def test_check_is_conditional_and_rejects_the_every_step_foil():
    record = run_symbolic(BY_ID["SYM-PERCEPTRON-LEARNS"], SYM_PERCEPTRON_LEARNS_CONVEX).as_json()
    assert record["verdict"] == "holds-under-conditions" and len(record["conditions"]) == 2
    assert record["foil"]["verdict"] == "refuted" and record["foil"]["rejected"]


def test_float_gd_shows_each_hypothesis_is_needed():
    w = 3.0
    for _ in range(200):  # η = 2 < 4: converges to the minimizer 0
        w -= 2.0 * np.tanh(w / 2)
    assert abs(w) < 1e-12
    w = float(logistic_gd.two_cycle(8)) * (1 + 1e-9)
    for _ in range(200):  # η = 8: the 2-cycle attracts; |w| stays near w* ≈ 3.83
        w -= 8.0 * np.tanh(w / 2)
    assert abs(abs(w) - 3.830016) < 1e-5
    w, path = 0.0, []
    for _ in range(10_000):  # separable point: w grows without bound (like ln k), the loss falls toward 0
        w += 0.5 / (1 + np.exp(w))
        path.append(w)
    assert path[-1] > path[999] > path[99] > 3 and np.log1p(np.exp(-path[-1])) < 1e-3


def test_the_claims_own_symbolic_check_carries_both_conditions_and_rejects_the_unconditional_reading():
    from initcheck.symbolic.perceptron import SYM_PERCEPTRON_LEARNS, check_learns

    record = run_symbolic(BY_ID["SYM-PERCEPTRON-LEARNS"], SYM_PERCEPTRON_LEARNS).as_json()
    assert record["verdict"] == "holds-under-conditions" and record["passed"]
    assert any("2/L" in c for c in record["conditions"]) and any("minimizer" in c for c in record["conditions"])
    unconditional = {**SYM_PERCEPTRON_LEARNS.stated, "convex_convergence": SYM_PERCEPTRON_LEARNS_CONVEX.foil}  # "from any point, any step"
    assert check_learns(unconditional).verdict == "refuted"
