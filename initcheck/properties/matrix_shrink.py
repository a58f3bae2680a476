# mypy: disable-error-code="misc"
"""GRAD-MATRIX-SHRINK as properties: ‖Σ'(z)Wᵀ‖ ≤ ‖W‖/4, and when a factor Σ'(z)Wᵀ of eq. 124 shrinks every gradient (source 001, ch. 5).

Norms are spectral (largest singular value, NumPy's SVD). ‖Σ'(z)Wᵀ‖ ≤ ‖Σ'(z)‖‖W‖ and ‖Σ'(z)‖ = maxⱼ σ'(zⱼ) ≤ 1/4, so the
bound holds for any W and z; the factor shrinks every vector (‖Σ'Wᵀg‖ ≤ ‖g‖) whenever ‖W‖ ≤ 4. "Not too large" must be read
in the spectral norm: entries |wᵢⱼ| < 1 (the single-neuron chain's condition) do not suffice once a layer has 5 or more units
(W = 0.9·ones(5, 5) has ‖W‖ = 4.5 and ‖Σ'(0)Wᵀ‖ = 1.125).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from initcheck.properties import Property, PropertyCheck

# SVD is backward stable: a computed singular value is within ~n·eps·‖W‖ of the exact one (n ≤ 6 here), so 1e-12 relative
# covers rounding on both sides with a wide margin and is far below the foils' violations (≥ 1e-3 relative at their examples).
RELATIVE = 1e-12


def _case(entries_bound: float) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray]]:
    """(W of shape n_out × n_in, z of length n_in... ): Σ'(z) is n_in × n_in since δˡ = Σ'(zˡ)(Wˡ⁺¹)ᵀδˡ⁺¹, Wˡ⁺¹ n_out × n_in."""
    entry = st.floats(-entries_bound, entries_bound, allow_nan=False)

    def build(shape: tuple[int, int]) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray]]:
        n_out, n_in = shape
        return st.tuples(
            st.lists(entry, min_size=n_out * n_in, max_size=n_out * n_in).map(lambda v: np.array(v).reshape(n_out, n_in)),
            st.lists(st.floats(-30, 30, allow_nan=False), min_size=n_in, max_size=n_in).map(np.array),
        )

    return st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(build)


def _sigmoid_prime(z: np.ndarray) -> np.ndarray:
    s = 1.0 / (1.0 + np.exp(-z))
    return s * (1.0 - s)


def _factor(w: np.ndarray, z: np.ndarray) -> np.ndarray:
    return np.diag(_sigmoid_prime(z)) @ w.T


def _bound(case: tuple[np.ndarray, np.ndarray], divisor: float = 4.0) -> None:
    w, z = case
    left, right = np.linalg.norm(_factor(w, z), 2), np.linalg.norm(w, 2) / divisor
    assert left <= right * (1 + RELATIVE) + 1e-300, f"‖Σ'(z)Wᵀ‖ = {left!r} > ‖W‖/{divisor:g} = {right!r}"


def _shrinks(case: tuple[np.ndarray, np.ndarray], spectral: bool = True) -> None:
    w, z = case
    if spectral and np.linalg.norm(w, 2) > 4:
        w = w * (4 / np.linalg.norm(w, 2))  # the hypothesis ‖W‖ ≤ 4, imposed by rescaling the drawn matrix
    gain = np.linalg.norm(_factor(w, z), 2)  # the largest ‖Σ'Wᵀg‖/‖g‖ over all g
    assert gain <= 1 + RELATIVE, f"‖Σ'(z)Wᵀ‖ = {gain!r} > 1 with ‖W‖ = {np.linalg.norm(w, 2)!r}, max|wᵢⱼ| = {np.abs(w).max()!r}"


GRAD_MATRIX_SHRINK = PropertyCheck(
    properties=(
        Property(
            "‖Σ'(z)Wᵀ‖ ≤ ‖W‖/4 for any W and z",
            "For any W (up to 6 × 6, entries in [−100, 100]) and z in [−30, 30]ⁿ: ‖Σ'(z)Wᵀ‖₂ ≤ ‖W‖₂/4.",
            lambda: _case(100.0),
            _bound,
        ),
        Property(
            "a factor Σ'(z)Wᵀ shrinks every gradient when ‖W‖₂ ≤ 4",
            "For any W with spectral norm ≤ 4 and any z: ‖Σ'(z)Wᵀg‖ ≤ ‖g‖ for every g.",
            lambda: _case(100.0),
            _shrinks,
            conditions=("'not too large' read as spectral norm ‖W‖₂ ≤ 4; entries |wᵢⱼ| < 1 do not suffice for layers of 5 or more units",),
        ),
        Property(
            "foil: ‖Σ'(z)Wᵀ‖ ≤ ‖W‖/5",
            "‖Σ'(z)Wᵀ‖₂ ≤ ‖W‖₂/5.",
            lambda: _case(100.0),
            lambda c: _bound(c, 5.0),
            expect="fails",
            examples=((np.eye(2), np.zeros(2)),),
        ),
        Property(
            "foil: entries |wᵢⱼ| < 1 make every factor shrink",
            "For any W with entries in (−1, 1) and any z: ‖Σ'(z)Wᵀ‖₂ ≤ 1.",
            lambda: _case(0.99),
            lambda c: _shrinks(c, spectral=False),
            expect="fails",
            examples=((np.full((5, 5), 0.9), np.zeros(5)),),
        ),
    )
)
