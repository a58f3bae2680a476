# mypy: disable-error-code="misc"
"""REG-DROPOUT-ENSEMBLE as properties: the mask average of a random net against the prediction-time net, by enumeration.

A net with dropout (keep-scaling 1/(1 − p)) on its n inputs: the ensemble mean is Σ over all 2ⁿ masks of P(mask)·net(mask·x/(1 − p)),
computed in float64 by enumeration (n ≤ 6). For a net linear in the inputs (two linear layers) it equals the
unmasked net for every weight draw, up to rounding; through a ReLU hidden layer it does not (the foil: found by search,
and at the known example x = (1, 1), one unit with weights (1, 1), bias −1, p = 1/2: 5/4 vs 1).
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import strategies as st

from initcheck.properties import Property, PropertyCheck

# float64 sums of ≤ 64 terms of size ≤ |W||V||x|/(1 − p)² ≲ 1e5: 1e-9 relative to that scale covers rounding; the ReLU
# foil misses by O(1) at its example
RELATIVE = 1e-9


def _net(x: np.ndarray, w: np.ndarray, b: np.ndarray, v: np.ndarray, relu: bool) -> float:
    hidden = w @ x + b
    return float(v @ (np.maximum(hidden, 0.0) if relu else hidden))


def _ensemble_equals_net(case: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float], relu: bool = False) -> None:
    x, w, b, v, p = case
    n = x.size
    total = 0.0
    for mask in itertools.product((0.0, 1.0), repeat=n):
        m = np.array(mask)
        total += (1 - p) ** m.sum() * p ** (n - m.sum()) * _net(m * x / (1 - p), w, b, v, relu)
    plain = _net(x, w, b, v, relu)
    scale = (np.abs(v) @ (np.abs(w) @ np.abs(x) + np.abs(b))) / (1 - p) + 1e-300
    assert abs(total - plain) <= RELATIVE * scale, f"ensemble mean {total!r} ≠ network {plain!r}"


def _case() -> st.SearchStrategy[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]]:
    value = st.floats(-10, 10, allow_nan=False)

    def build(shape: tuple[int, int]) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]]:
        n, k = shape
        vec = lambda size: st.lists(value, min_size=size, max_size=size).map(np.array)  # noqa: E731
        return st.tuples(vec(n), vec(n * k).map(lambda a: a.reshape(k, n)), vec(k), vec(k), st.floats(0.05, 0.9))

    return st.tuples(st.integers(1, 6), st.integers(1, 4)).flatmap(build)


_RELU_EXAMPLE = (np.array([1.0, 1.0]), np.array([[1.0, 1.0]]), np.array([-1.0]), np.array([1.0]), 0.5)

REG_DROPOUT_ENSEMBLE = PropertyCheck(
    properties=(
        Property(
            "a net linear in the dropped inputs computes the exact ensemble mean",
            "For any two-layer linear net (≤ 6 inputs, ≤ 4 hidden units, weights in [−10, 10]) and p in [0.05, 0.9]: the mean over all 2ⁿ masks equals the unmasked net.",
            _case,
            _ensemble_equals_net,
            conditions=("the output is linear in the dropped units; through a ReLU hidden layer the scaled net is only an approximation",),
        ),
        Property(
            "foil: the same through a ReLU hidden layer",
            "For any net with a ReLU hidden layer: the mean over all 2ⁿ masks equals the unmasked net.",
            _case,
            lambda c: _ensemble_equals_net(c, relu=True),
            expect="fails",
            examples=(_RELU_EXAMPLE,),
        ),
    )
)
