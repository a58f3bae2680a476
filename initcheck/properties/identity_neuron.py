# mypy: disable-error-code="misc"
"""GRAD-IDENTITY as the seed states it (no offset): no (w₁, b, w₂) makes w₂σ(w₁x + b) closer to x than E* ≈ 0.05605.

E* is the minimax error of the symmetric family w₂ = 1, b = −w₁/2 (theory.identity_neuron, mpmath). The property draws
any weights and checks that the largest |w₂σ(w₁x + b) − x| over a grid of [0, 1] is at least E* − SLACK. A grid maximum is
a lower bound on the true maximum, so the check can only err toward failing; SLACK covers the grid's miss at the optimum
(an interior extremum has zero slope, so the miss is ≤ h²·max|f''|/8 ≈ 1e-7 for h = 1/4000 and |f''| ≤ w₁²/10 ≈ 3.2,
and endpoint extremes are on the grid). Foil: the bound E* + 0.001 (not attained: the optimum reaches E*, so the
property's bound is tight).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from initcheck.properties import Property, PropertyCheck
from initcheck.theory import identity_neuron

GRID = np.linspace(0.0, 1.0, 4001)
SLACK = 1e-6


def _best() -> float:
    return float(identity_neuron.best_offset_free_error()["error"])


def _error(weights: tuple[float, float, float]) -> float:
    w1, b, w2 = weights
    with np.errstate(over="ignore"):
        return float(np.max(np.abs(w2 / (1.0 + np.exp(-(w1 * GRID + b))) - GRID)))


def _at_least(weights: tuple[float, float, float], bound: float | None = None) -> None:
    floor = _best() if bound is None else bound
    error = _error(weights)
    assert error >= floor - SLACK, f"max |w₂σ(w₁x + b) − x| = {error!r} < {floor!r} at (w₁, b, w₂) = {weights!r}"


def _optimum() -> tuple[float, float, float]:
    best = identity_neuron.best_offset_free_error()
    return (float(best["w1"]), float(best["b"]), 1.0)


weights = st.tuples(*(st.floats(-60, 60, allow_nan=False) for _ in range(3)))
near_optimum = st.tuples(st.floats(4, 8), st.floats(-4, -2), st.floats(0.8, 1.2))  # where the search has to look hardest

GRAD_IDENTITY = PropertyCheck(
    properties=(
        Property(
            "without an offset, w₂σ(w₁x + b) stays at least E* ≈ 0.0561 from x somewhere on [0, 1]",
            "For any w₁, b, w₂ in [−60, 60]: max over x ∈ [0, 1] of |w₂σ(w₁x + b) − x| ≥ 0.05605 (E*, attained at w₁ = 5.648, b = −w₁/2, w₂ = 1).",
            lambda: st.one_of(weights, near_optimum),
            _at_least,
            conditions=("'≈ x' with an error as small as wanted needs an additive offset (the next layer's bias); without it the best uniform error is 0.0561",),
            examples=(_optimum(), (0.01, -0.005, 400.0)),
        ),
        Property(
            "foil: no weights come within E* + 0.001 of x",
            "For any w₁, b, w₂: max |w₂σ(w₁x + b) − x| ≥ E* + 0.001.",
            lambda: weights,
            lambda v: _at_least(v, _best() + 0.001),
            expect="fails",
            examples=(_optimum(),),
        ),
    )
)
