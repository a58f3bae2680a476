"""The activations the simulations use, written once: σ(z) = 1/(1 + e^(−z)) and f(z) by name for sampled layers.

Every sims/ module takes its sigmoid from here. The MNIST trainers (sims.nielsen, sims.nielsen_training) use
scipy's overflow-free `expit` instead, as their own kernels do in place: the same function, other roundings.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def sigmoid(z: Any) -> Any:
    """σ(z) = 1/(1 + e^(−z)) for floats, complex numbers (the complex step of sims.gradients) and arrays (Nielsen ch. 1, eq. 3)."""
    return 1.0 / (1.0 + np.exp(-z))


def activate(values: np.ndarray, activation: str) -> np.ndarray:
    """f(values) for f in linear, relu (max(z, 0)), tanh, sigmoid."""
    if activation == "linear":
        return values
    if activation == "relu":
        return np.maximum(values, 0.0)
    if activation == "tanh":
        return np.tanh(values)
    if activation == "sigmoid":
        return sigmoid(values)
    raise ValueError(f"unknown activation {activation!r}")
