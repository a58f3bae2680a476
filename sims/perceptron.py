"""The single-layer perceptron of source 002, trained in float64: y = f(w·x), x = (0.5, 2, 1), y* = 42, rate 0.1.

The activations and their framework conventions at 0 (relu'(0) = 0) are `sims.symmetry.activation_and_derivative`.
"""

from __future__ import annotations

import numpy as np

from initcheck.sims.symmetry import activation_and_derivative


def single_unit_moves(*, activation: str, initial: tuple[float, float, float], steps: int = 100, relu_prime_at_zero: float = 0.0) -> float:
    """Largest |w − w₀| after `steps` GD steps of a single unit on 002's sample x = (0.5, 2, 1), y* = 42, rate 0.1."""
    x, target = np.array([0.5, 2.0, 1.0]), 42.0
    w = np.array(initial, dtype=float)
    start = w.copy()
    for _ in range(steps):
        y, slope = activation_and_derivative(activation, np.array(w @ x), relu_prime_at_zero=relu_prime_at_zero)
        w = w - 0.1 * 2.0 * (float(y) - target) * float(slope) * x
    return float(np.max(np.abs(w - start)))
