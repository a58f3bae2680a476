# mypy: disable-error-code="misc"
"""Properties of zero and constant initialization (sources 002, 003): SYM-CONST, SYM-ZERO-2LAYER, SYM-PERCEPTRON-LEARNS, SYM-RELU-STALL."""

from __future__ import annotations

from typing import Any

import mpmath
import numpy as np
from hypothesis import strategies as st

from initcheck.environment import blas_libraries
from initcheck.properties import Property, PropertyCheck
from initcheck.properties import exact_net as net
from initcheck.recorded import rounded
from initcheck.sims import symmetry as sim_symmetry

ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear", "elu", "leaky_relu")
ZERO_AT_ZERO = ("tanh", "relu", "linear", "elu", "leaky_relu")  # f(0) = 0
OPTIMIZERS = ("sgd", "momentum", "adam")
values = st.floats(-2, 2, allow_nan=False)


@st.composite
def training_runs(draw: Any, activations: tuple[str, ...] = ACTIVATIONS, max_width: int = 8, max_steps: int = 20) -> dict[str, Any]:
    """Data (m ≤ 4 samples, d ≤ 3 inputs), a width, an activation, constants c1, c2, a rate, steps and an optimizer."""
    m, d = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    return {
        "x": np.array(draw(st.lists(st.lists(values, min_size=d, max_size=d), min_size=m, max_size=m))),
        "y": np.array(draw(st.lists(values, min_size=m, max_size=m))),
        "width": draw(st.integers(1, max_width)),
        "activation": draw(st.sampled_from(activations)),
        "c1": draw(values),
        "c2": draw(values),
        "rate": draw(st.floats(1e-3, 0.5)),
        "steps": draw(st.integers(1, max_steps)),
        "optimizer": draw(st.sampled_from(OPTIMIZERS)),
    }


def _units_identical(run: dict[str, Any]) -> None:
    with np.errstate(all="ignore"):  # a diverging run (inf, nan) must stay symmetric too
        params, _, _ = sim_symmetry.train_two_layer(**run, products="unitwise")
    for name in ("W1", "b1", "W2"):
        first = params[name][..., :1]
        same = (params[name] == first) | (np.isnan(params[name]) & np.isnan(first))
        assert same.all(), f"{name}: hidden units differ, spread {np.nanmax(np.abs(params[name] - first))}"


def _close(a: mpmath.mpf, b: mpmath.mpf) -> bool:
    return bool(abs(a - b) <= mpmath.mpf(10) ** -30 * (1 + abs(a)))  # 50-digit arithmetic; 20 digits of slack for cancellation


def _one_unit_commutes(run: dict[str, Any]) -> None:
    """At every step: the hidden units are equal, and one step of the one-unit net from the image equals the image of one wide step."""
    x, y, n = run["x"].tolist(), run["y"].tolist(), run["width"]
    d = len(x[0])
    with mpmath.workdps(net.DIGITS):
        rate, eps = mpmath.mpf(run["rate"]), mpmath.mpf("1e-8")
        rates, eps_wide = dict.fromkeys(net.GROUPS, rate), dict.fromkeys(net.GROUPS, eps)
        one_rates, one_eps = net.one_unit_rates(run["optimizer"], n, rate, eps)
        state = net.constant_state(d, n, run["c1"], run["c2"])
        for _ in range(run["steps"]):
            for group in ("W1", "b1", "W2"):
                values_ = state.params[group]
                assert all(values_[k] == values_[k - k % n] for k in range(len(values_))), f"{group}: units differ"
            grads, outputs = net.gradients(state, x, y, run["activation"])
            image = net.one_unit_image(state, d)
            one_grads, one_outputs = net.gradients(image, x, y, run["activation"])
            assert all(_close(a, b) for a, b in zip(outputs, one_outputs, strict=True)), f"outputs {outputs} vs one-unit {one_outputs}"
            state = net.step(state, grads, run["optimizer"], rates, eps_wide)
            predicted = net.step(image, one_grads, run["optimizer"], one_rates, one_eps)
            mapped = net.one_unit_image(state, d)
            for group in net.GROUPS:
                pairs = zip(mapped.params[group], predicted.params[group], strict=True)
                assert all(_close(a, b) for a, b in pairs), f"{group}: one-unit step {predicted.params[group]} vs wide {mapped.params[group]}"


def _one_unit_same_rates(run: dict[str, Any]) -> None:
    """Foil: the one-unit net with the wide net's own rates (no 1/n, no n)."""
    x, y, n = run["x"].tolist(), run["y"].tolist(), run["width"]
    with mpmath.workdps(net.DIGITS):
        rate = mpmath.mpf(run["rate"])
        state = net.constant_state(len(x[0]), n, run["c1"], run["c2"])
        grads, _ = net.gradients(state, x, y, run["activation"])
        image = net.one_unit_image(state, len(x[0]))
        one_grads, _ = net.gradients(image, x, y, run["activation"])
        same = dict.fromkeys(net.GROUPS, rate)
        eps = dict.fromkeys(net.GROUPS, mpmath.mpf("1e-8"))
        mapped = net.one_unit_image(net.step(state, grads, run["optimizer"], same, eps), len(x[0]))
        predicted = net.step(image, one_grads, run["optimizer"], same, eps)
        for group in net.GROUPS:
            assert all(_close(a, b) for a, b in zip(mapped.params[group], predicted.params[group], strict=True)), f"{group} differs"


_FOIL_RUN = {"x": np.array([[1.0]]), "y": np.array([1.0]), "width": 2, "activation": "linear", "c1": 1.0, "c2": 1.0, "rate": 0.1, "steps": 1, "optimizer": "sgd"}


FIGURE_WIDTHS, FIGURE_BLOCKS = (5, 6, 7), 100  # fig-const-spread: three widths, the spread's maximum over 100 blocks of steps


def blas_asymmetry(rng: np.random.Generator, *, widths: tuple[int, ...] = (3, 4, 5, 6, 7, 8, 16), steps: int = 5000) -> dict[str, Any]:
    """Measured, not asserted: hidden-unit spread of constant-initialized tanh nets trained on XOR with BLAS products.

    Same net with unit-wise products for comparison (spread exactly 0 by construction). The loss
    is compared with the best a one-unit net reaches on XOR (1/6: outputs 0, ⅔, ⅔, ⅔).
    """
    del rng  # deterministic: the XOR data and the constant init draw nothing
    x, y = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0.0, 1.0, 1.0, 0.0])
    rows, curves = {}, {}
    for width in widths:
        run: dict[str, Any] = {"width": width, "activation": "tanh", "c1": 0.5, "c2": 0.5, "rate": 0.4 / width, "steps": steps}
        _, spread, out = sim_symmetry.train_two_layer(x, y, **run, products="blas")
        _, unitwise, _ = sim_symmetry.train_two_layer(x, y, **run, products="unitwise")
        if width in FIGURE_WIDTHS:  # for fig-const-spread: the largest spread in each block of steps (a log plot's envelope)
            block = max(1, steps // FIGURE_BLOCKS)
            count = steps // block
            curves[str(width)] = {
                "last_step": list(range(block, count * block + 1, block)),
                "blas_spread": rounded(spread[: count * block].reshape(count, block).max(axis=1)),
            }
        checkpoints = [c for c in (1, 10, 100, 1000, steps) if c <= steps]
        rows[str(width)] = {
            "blas_spread_at_step": {str(c): float(spread[c - 1]) for c in checkpoints},
            "unitwise_max_spread": float(unitwise.max()),
            "final_loss": float(np.mean((out - y) ** 2)),
        }
    return {
        "task": "XOR, tanh hidden, linear output, c1 = c2 = 0.5, SGD rate 0.4/width",
        "one_unit_optimum_loss": 1 / 6,
        "by_width": rows,
        "blas": blas_libraries(),  # which widths break bit symmetry depends on this library, its version and kernel
        "figures": {"fig-const-spread": {"steps": steps, "block_max_by_width": curves}},
    }


SYM_CONST = PropertyCheck(
    properties=(
        Property(
            "units stay bit-identical in float64 when every unit goes through the same operations",
            "Any data, width ≤ 8, activation, constants c1, c2 (zero included), rate, ≤ 20 steps of SGD, momentum or Adam: "
            "with unit-wise products every hidden unit's W₁ column, b₁ and W₂ entry stay bit-identical (NaN included).",
            training_runs,
            _units_identical,
            conditions=("floating point: every hidden unit computed by the same operation sequence (not guaranteed by BLAS)",),
        ),
        Property(
            "the one-unit net with output weight n·w₂ follows the same trajectory (50-digit arithmetic)",
            "At every step the outputs equal the one-unit net's, and a step of the one-unit net (SGD/momentum: hidden rate α/n, "
            "output-weight rate n·α; Adam: hidden rate α with ε·n, output-weight rate n·α) maps onto the wide net's step.",
            lambda: training_runs(max_width=5, max_steps=6),
            _one_unit_commutes,
            max_examples=60,
        ),
        Property(
            "foil: the one-unit net with the wide net's own rates follows it",
            "The one-unit net trained with the wide net's rates (no 1/n on hidden, no n on the output weight) tracks it.",
            lambda: training_runs(max_width=5, max_steps=1),
            _one_unit_same_rates,
            expect="fails",
            examples=(_FOIL_RUN,),
        ),
    ),
    measurements=blas_asymmetry,
)


def _zero_init_stays(run: dict[str, Any], groups: tuple[str, ...]) -> None:
    with np.errstate(all="ignore"):
        params, _, _ = sim_symmetry.train_two_layer(**{**run, "c1": 0.0, "c2": 0.0}, products="blas")
    for name in groups:
        assert np.all(params[name] == 0.0), f"{name} moved from 0 to {params[name].ravel()[:3]} ({run['activation']})"


SYM_ZERO_2LAYER = PropertyCheck(
    properties=(
        Property(
            "with f(0) = 0, W₁, b₁ and W₂ stay exactly zero (BLAS products, float64)",
            "All-zero init, any data, width, rate ≤ 0.5, ≤ 20 steps, SGD, momentum or Adam, activation with f(0) = 0: "
            "W₁, b₁ and W₂ never move; only the output bias b₂ learns.",
            lambda: training_runs(activations=ZERO_AT_ZERO),
            lambda run: _zero_init_stays(run, ("W1", "b1", "W2")),
            conditions=("f(0) = 0 (tanh, ReLU, linear, elu, leaky ReLU)", "the output bias b₂ does learn"),
        ),
        Property(
            "foil (as published): no parameter moves at all, any activation",
            "All-zero init: no parameter, biases included, ever moves, for sigmoid too.",
            training_runs,
            lambda run: _zero_init_stays(run, ("W1", "b1", "W2", "b2")),
            expect="fails",
            examples=({**_FOIL_RUN, "activation": "tanh"},),
        ),
    )
)
