# mypy: disable-error-code="misc"
"""SYM-BACKPROP-2LAYER as properties: the article's eqs. 11-13 in float64 against complex-step derivatives of L (source 002).

For any 2-layer net (≤ 4 inputs, ≤ 4 hidden units, ≤ 3 outputs; bias units appended as in the article), weights, input
and targets in [−3, 3], and activations drawn from tanh, sigmoid and identity: eq. 12 (output weights) and eq. 13 with
eq. 11's Δh_k (hidden weights) equal Im L(w + ih·e)/h, h = 1e-30 (no subtraction: exact to rounding).
Foil: Δh_k without the output derivative f_y'(z_{3,i}).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from initcheck.properties import Property, PropertyCheck

STEP = 1e-30
RELATIVE = 1e-10  # both sides are float64 sums of ≤ 20 products of size ≤ 1e3: rounding ~1e-13 relative to that scale
ACTIVATIONS = {
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    "identity": (lambda z: z, lambda z: np.ones_like(z)),
}


def _forward(x, w1, w2, f_h, f_y):
    z2 = np.append(x, 1.0) @ w1
    h = np.append(f_h(z2), 1.0)
    z3 = h @ w2
    return z2, h, z3, f_y(z3)


def _loss(x, w1, w2, target, f_h, f_y):
    return np.sum((_forward(x, w1, w2, f_h, f_y)[3] - target) ** 2)


def _article(x, w1, w2, target, hname, yname, output_derivative=True):
    (f_h, dh), (f_y, dy) = ACTIVATIONS[hname], ACTIVATIONS[yname]
    z2, h, z3, y = _forward(x, w1, w2, f_h, f_y)
    delta_y = y - target
    fy = dy(z3) if output_derivative else np.ones_like(z3)
    delta_h = w2 @ (delta_y * fy)  # eq. 11 (bias unit's row included, unused below)
    grad_w2 = 2 * np.outer(h, dy(z3) * delta_y)  # eq. 12
    grad_w1 = 2 * np.outer(np.append(x, 1.0), dh(z2) * delta_h[:-1])  # eq. 13
    return grad_w1, grad_w2


def _complex_step(x, w1, w2, target, hname, yname):
    f_h, f_y = ACTIVATIONS[hname][0], ACTIVATIONS[yname][0]
    g1, g2 = np.zeros(w1.shape), np.zeros(w2.shape)
    for idx in np.ndindex(w1.shape):
        w = w1.astype(complex)
        w[idx] += 1j * STEP
        g1[idx] = _loss(x, w, w2, target, f_h, f_y).imag / STEP
    for idx in np.ndindex(w2.shape):
        w = w2.astype(complex)
        w[idx] += 1j * STEP
        g2[idx] = _loss(x, w1, w, target, f_h, f_y).imag / STEP
    return g1, g2


def _matches(case, output_derivative=True) -> None:
    x, w1, w2, target, hname, yname = case
    a1, a2 = _article(x, w1, w2, target, hname, yname, output_derivative)
    c1, c2 = _complex_step(x, w1, w2, target, hname, yname)
    scale = 1.0 + max(np.abs(c1).max(), np.abs(c2).max())
    assert np.abs(a2 - c2).max() <= RELATIVE * scale, f"eq. 12 off by {np.abs(a2 - c2).max()!r}"
    assert np.abs(a1 - c1).max() <= RELATIVE * scale, f"eq. 13 off by {np.abs(a1 - c1).max()!r}"


def _case():
    value = st.floats(-3, 3, allow_nan=False)
    vec = lambda size: st.lists(value, min_size=size, max_size=size).map(np.array)  # noqa: E731
    names = st.sampled_from(sorted(ACTIVATIONS))

    def build(shape):
        n1, n2, n3 = shape
        return st.tuples(vec(n1), vec((n1 + 1) * n2).map(lambda a: a.reshape(n1 + 1, n2)), vec((n2 + 1) * n3).map(lambda a: a.reshape(n2 + 1, n3)), vec(n3), names, names)

    return st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 3)).flatmap(build)


_FOIL_EXAMPLE = (np.array([1.0]), np.array([[1.0], [0.0]]), np.array([[2.0], [0.0]]), np.array([0.0]), "tanh", "sigmoid")

SYM_BACKPROP_2LAYER = PropertyCheck(
    properties=(
        Property(
            "eqs. 11-13 equal the complex-step gradient of L",
            "For any 2-layer net up to 4-4-3 with bias units, values in [−3, 3], tanh/sigmoid/identity activations: eqs. 12 and 13 (with eq. 11) equal ∂L/∂w.",
            _case,
            _matches,
        ),
        Property(
            "foil: Δh_k without f_y'(z_{3,i})",
            "Eq. 13 with Δh_k = Σᵢ Δyᵢ w_{2,k,i} equals ∂L/∂w₁.",
            _case,
            lambda c: _matches(c, output_derivative=False),
            expect="fails",
            examples=(_FOIL_EXAMPLE,),
        ),
    )
)
