# mypy: disable-error-code="misc"
"""REG-BN-GRAD as properties: the batch-norm backward pass against complex-step differentiation of the forward pass.

For any batch (2 to 8 values, equal ones included: ε keeps σ² + ε > 0) and upstream gradient g: the closed-form backward pass
γ/√(σ²+ε)·(gᵢ − mean g − x̂ᵢ·mean(g x̂)) equals the complex-step derivative Im L(x + ihe_i)/h of the forward pass (no
subtraction, so exact to rounding), and its entries sum to zero. Foil: the backward pass with μ and σ² frozen, γgᵢ/√(σ²+ε).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from initcheck.properties import Property, PropertyCheck

EPSILON = 1e-3
STEP = 1e-30  # complex step: the derivative's error is O(h²) ≈ 1e-60 relative, far below rounding
# Both sides are float64 evaluations of the same derivative with O(m) operations of size ≤ ‖g‖/√ε: 1e-9 relative to that
# scale covers rounding with a wide margin; the foil misses by the mean of g and x̂·mean(g x̂), O(1) relative at its example.
RELATIVE = 1e-9


def _loss(x: np.ndarray, g: np.ndarray) -> complex:
    mu = x.mean()
    var = ((x - mu) ** 2).mean()  # squares, not |·|²: analytic, so the complex step applies
    return complex(np.sum(g * (x - mu) / np.sqrt(var + EPSILON)))


def _backward(x: np.ndarray, g: np.ndarray, frozen: bool = False) -> np.ndarray:
    mu, var = x.mean(), x.var()
    scale = 1 / np.sqrt(var + EPSILON)
    if frozen:
        return g * scale
    xh = (x - mu) * scale
    return scale * (g - g.mean() - xh * np.mean(g * xh))


def _batch() -> st.SearchStrategy[tuple[np.ndarray, np.ndarray]]:
    value = st.floats(-100, 100, allow_nan=False)
    return st.integers(2, 8).flatmap(lambda m: st.tuples(st.lists(value, min_size=m, max_size=m).map(np.array), st.lists(value, min_size=m, max_size=m).map(np.array)))


def _matches(case: tuple[np.ndarray, np.ndarray], frozen: bool = False) -> None:
    x, g = case
    m = x.size
    step = np.array([_loss(x + 1j * STEP * np.eye(m)[i], g).imag / STEP for i in range(m)])
    backward = _backward(x, g, frozen)
    scale = (np.abs(g).sum() + 1e-300) / np.sqrt(x.var() + EPSILON)
    assert np.all(np.abs(step - backward) <= RELATIVE * scale), f"backward {backward!r} ≠ complex step {step!r}"
    assert abs(backward.sum()) <= RELATIVE * scale, f"input gradients sum to {backward.sum()!r}"


REG_BN_GRAD = PropertyCheck(
    properties=(
        Property(
            "the batch-norm backward pass is the derivative, and its input gradients sum to zero",
            "For any batch of 2-8 values in [−100, 100] and upstream g: the closed-form backward pass equals the complex-step derivative and sums to 0.",
            _batch,
            _matches,
        ),
        Property(
            "foil: μ and σ² frozen in the backward pass",
            "The gradient γgᵢ/√(σ²+ε) (statistics treated as constants) equals the derivative.",
            _batch,
            lambda c: _matches(c, frozen=True),
            expect="fails",
            examples=((np.array([0.0, 1.0]), np.array([1.0, 0.0])),),
        ),
    )
)


# REG-BATCHNORM as the seed states it: "unit batch variance". With ε the batch variance of x̂ is σ²/(σ² + ε), short of 1 by
# ε/(σ² + ε): the property checks that shortfall (to float64 rounding, 1e-12 relative on values ≤ 1), and the foil the seed's
# literal "unit variance" to 1e-6 with the common ε = 1e-5.
SEED_EPSILON = 1e-5


def _unit_variance_up_to_epsilon(x: np.ndarray, literal: bool = False) -> None:
    var = x.var()
    normalized = (x - x.mean()) / np.sqrt(var + SEED_EPSILON)
    got = normalized.var()
    if literal:
        assert abs(got - 1) <= 1e-6, f"batch variance of x̂ = {got!r}, not 1 (σ² = {var!r}, ε = {SEED_EPSILON})"
        return
    shortfall = SEED_EPSILON / (var + SEED_EPSILON)
    assert abs((1 - got) - shortfall) <= 1e-12, f"1 − Var(x̂) = {1 - got!r} ≠ ε/(σ² + ε) = {shortfall!r}"


_values = st.integers(2, 8).flatmap(lambda m: st.lists(st.floats(-100, 100, allow_nan=False), min_size=m, max_size=m).map(np.array))

REG_BATCHNORM = PropertyCheck(
    properties=(
        Property(
            "the batch variance of x̂ is 1 − ε/(σ² + ε)",
            "For any batch of 2-8 values in [−100, 100] and ε = 1e-5: Var(x̂) = σ²/(σ² + ε), short of 1 by ε/(σ² + ε).",
            lambda: _values,
            _unit_variance_up_to_epsilon,
            conditions=("'unit variance' only when ε ≪ σ²: the shortfall is ε/(σ² + ε) (1/2 at σ² = ε; a constant batch gives x̂ = 0)",),
        ),
        Property(
            "foil: unit batch variance, literally",
            "For any batch and ε = 1e-5: Var(x̂) = 1 within 1e-6.",
            lambda: _values,
            lambda x: _unit_variance_up_to_epsilon(x, literal=True),
            expect="fails",
            examples=(np.array([0.0, 0.001]),),
        ),
    )
)
