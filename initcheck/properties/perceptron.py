# mypy: disable-error-code="misc"
"""Properties of single-unit perceptrons from zero init (source 002): SYM-PERCEPTRON-LEARNS, SYM-RELU-STALL.

Unit: y = f(w·x̃) with x̃ = (x, 1) (the bias as an input), loss (1/m)Σ(y − y*)², gradient descent in float64.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from initcheck.properties import Property, PropertyCheck
from initcheck.sims.symmetry import activation_and_derivative

LEARNERS = ("linear", "sigmoid", "tanh", "elu", "leaky_relu")  # f'(0) ≠ 0
AT_ZERO = {"linear": 0.0, "sigmoid": 0.5, "tanh": 0.0, "elu": 0.0, "leaky_relu": 0.0, "relu": 0.0}  # f(0)
TINY = 2.0**-1000  # far above the subnormal range: products of the gradient's factors do not underflow to 0


def train_unit(x: np.ndarray, y: np.ndarray, w: np.ndarray, *, activation: str, rate: float, steps: int, relu_prime_at_zero: float = 0.0) -> np.ndarray:
    """Weights after `steps` full-batch GD steps; x̃ carries the bias input 1 as its last column."""
    xt = np.hstack([x, np.ones((len(x), 1))])
    for _ in range(steps):
        out, slope = activation_and_derivative(activation, xt @ w, relu_prime_at_zero=relu_prime_at_zero)
        w = w - rate * (xt.T @ (2.0 * (out - y) * slope)) / len(x)
    return w


@st.composite
def one_sample(draw: Any, activations: tuple[str, ...] = LEARNERS, target_floor: float = TINY) -> dict[str, Any]:
    activation = draw(st.sampled_from(activations))
    y = draw(st.floats(-10, 10, allow_nan=False))
    assume(abs(y - AT_ZERO[activation]) >= target_floor)
    x = np.array([draw(st.lists(st.floats(-10, 10, allow_nan=False), min_size=1, max_size=3))])
    return {"x": x, "y": np.array([y]), "activation": activation, "rate": draw(st.floats(1e-3, 1.0))}


def _moves_from_zero(case: dict[str, Any]) -> None:
    start = np.zeros(case["x"].shape[1] + 1)
    w = train_unit(case["x"], case["y"], start, activation=case["activation"], rate=case["rate"], steps=1)
    assert np.any(w != start), f"{case['activation']}: zero init did not move (y* = {case['y'][0]!r})"


SYM_PERCEPTRON_LEARNS = PropertyCheck(
    properties=(
        Property(
            "zero init moves at the first step when f'(0) ≠ 0 and y* ≠ f(0)",
            "One sample, any x, any target with |y* − f(0)| ≥ 2⁻¹⁰⁰⁰, rate in [0.001, 1], linear/sigmoid/tanh/elu/leaky ReLU: one GD step from w = 0 changes w.",
            one_sample,
            _moves_from_zero,
        ),
        Property(
            "foil: any target ≠ f(0), however close (float64 underflow ignored)",
            "One GD step from zero changes w whenever y* ≠ f(0), however close.",
            lambda: one_sample(target_floor=0.0),
            _moves_from_zero,
            expect="fails",
            examples=({"x": np.array([[0.0]]), "y": np.array([5e-324]), "activation": "tanh", "rate": 0.1},),
        ),
        Property(
            "foil: ReLU learns from zero too",
            "One GD step from zero changes w for ReLU (relu'(0) = 0).",
            lambda: one_sample(activations=("relu",)),
            _moves_from_zero,
            expect="fails",
        ),
    )
)


@st.composite
def relu_runs(draw: Any, negative: bool = False) -> dict[str, Any]:
    """Data, targets, an init w (with negative=True its bias puts every pre-activation below 0), a rate, steps."""
    m, d = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    x = np.array(draw(st.lists(st.lists(st.floats(-10, 10, allow_nan=False), min_size=d, max_size=d), min_size=m, max_size=m)))
    w = np.array(draw(st.lists(st.floats(-10, 10, allow_nan=False), min_size=d + 1, max_size=d + 1)))
    if negative:
        w[-1] = -float(np.max(x @ w[:-1])) - draw(st.floats(1e-3, 5.0))
    return {
        "x": x,
        "y": np.array(draw(st.lists(st.floats(-10, 10, allow_nan=False), min_size=m, max_size=m))),
        "w": w,
        "rate": draw(st.floats(1e-3, 1.0)),
        "steps": draw(st.integers(1, 50)),
    }


def _stalls(run: dict[str, Any], *, from_zero: bool, relu_prime_at_zero: float = 0.0) -> None:
    w0 = np.zeros_like(run["w"]) if from_zero else run["w"]
    if not from_zero:
        xt = np.hstack([run["x"], np.ones((len(run["x"]), 1))])
        assume(np.all(xt @ w0 < 0))  # the hypothesis: every pre-activation negative on the data
    w = train_unit(run["x"], run["y"], w0, activation="relu", rate=run["rate"], steps=run["steps"], relu_prime_at_zero=relu_prime_at_zero)
    assert np.array_equal(w, w0), f"ReLU unit moved from {w0} to {w}"


SYM_RELU_STALL = PropertyCheck(
    properties=(
        Property(
            "relu'(0) = 0: zero init never moves",
            "Any data (m ≤ 5, d ≤ 3), targets, rate, ≤ 50 steps: w stays 0 bit for bit.",
            relu_runs,
            lambda run: _stalls(run, from_zero=True),
        ),
        Property(
            "all pre-activations negative: the unit never moves",
            "Any init w with w·x̃ᵢ < 0 for every sample: w never changes.",
            lambda: relu_runs(negative=True),
            lambda run: _stalls(run, from_zero=False),
        ),
        Property(
            "foil: with the relu'(0) = 1 convention zero init stays put",
            "Zero init never moves even when relu'(0) = 1.",
            relu_runs,
            lambda run: _stalls(run, from_zero=True, relu_prime_at_zero=1.0),
            expect="fails",
            examples=({"x": np.array([[1.0]]), "y": np.array([1.0]), "w": np.zeros(2), "rate": 0.1, "steps": 1},),
        ),
    )
)
