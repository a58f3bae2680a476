"""Brute force over (w, a) grids for |w·σ'(wa+b)| (source 001, ch. 5 problems), and the identity neuron."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import optimize

from initcheck.sims.activations import sigmoid


def sigmoid_prime(x: np.ndarray) -> np.ndarray:
    """σ'(x) = σ(x)(1 − σ(x)) in float64."""
    s = sigmoid(x)
    return s * (1.0 - s)


def threshold_weight(*, grid_step: float = 1e-3) -> float:
    """Smallest |w| on a grid at which max over a (b = 0, since b only shifts a) of |wσ'(wa)| reaches 1."""
    a = np.linspace(-5.0, 5.0, 20001)
    for w in np.arange(grid_step, 10.0, grid_step):
        if np.max(w * sigmoid_prime(w * a)) >= 1.0:
            return float(w)
    return float("inf")


def interval_width(abs_w: float, *, grid_step: float = 1e-6) -> float:
    """Length of {a : |w|σ'(|w|a) ≥ 1} on a grid of spacing `grid_step` (b = 0: b only translates the set)."""
    a = np.arange(-1.0, 1.0, grid_step)
    inside = abs_w * sigmoid_prime(abs_w * a) >= 1.0
    return float(np.count_nonzero(inside) * grid_step)


def width_by_root(abs_w: float) -> float:
    """The same width from the root of |w|σ'(x) = 1 on x > 0 (brentq), doubled by symmetry, over |w|."""
    upper = optimize.brentq(lambda x: abs_w * sigmoid_prime(x) - 1.0, 0.0, 50.0, xtol=1e-15, rtol=1e-15)
    return 2.0 * upper / abs_w


@lru_cache(maxsize=4)
def width_maximum(*, lo: float = 4.5, hi: float = 10.0) -> tuple[float, float]:
    """argmax and max of the root-found width over |w| (bounded scalar minimization, xatol 1e-10)."""
    result = optimize.minimize_scalar(lambda w: -width_by_root(w), bounds=(lo, hi), method="bounded", options={"xatol": 1e-10})
    return float(result.x), float(-result.fun)
