"""Zero and constant initialization, trained in float64 (source 002, 003).

Network: h = f(W₁x + b₁), y = W₂h + b₂, loss Σ(y − y*)², plain gradient descent, hand-written
backprop with the frameworks' conventions (relu'(0) = 0, leaky-ReLU slope at 0).
"""

from __future__ import annotations

import numpy as np

SLOPE = 0.01  # leaky-ReLU negative slope


def activation_and_derivative(name: str, z: np.ndarray, *, relu_prime_at_zero: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """f(z) and f'(z); at z = 0 ReLU uses `relu_prime_at_zero` (0 in TensorFlow and PyTorch), leaky ReLU its slope."""
    if name == "linear":
        return z, np.ones_like(z)
    if name == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-z))
        return s, s * (1.0 - s)
    if name == "tanh":
        t = np.tanh(z)
        return t, 1.0 - t**2
    if name == "elu":
        return np.where(z > 0, z, np.expm1(z)), np.where(z > 0, 1.0, np.exp(z))
    if name == "leaky_relu":
        return np.where(z > 0, z, SLOPE * z), np.where(z > 0, 1.0, SLOPE)
    if name == "relu":
        return np.maximum(z, 0.0), np.where(z > 0, 1.0, np.where(z == 0, relu_prime_at_zero, 0.0))
    raise ValueError(f"unknown activation {name!r}")


def zero_init_first_moves(
    rng: np.random.Generator, *, activation: str, output_bias: bool, steps: int = 2, rate: float = 0.1
) -> dict[str, int | None]:
    """First GD step at which each parameter group of an all-zero 2-2-2 net becomes non-zero (None: not within `steps`)."""
    x, target = rng.normal(size=2), rng.normal(size=2)
    params = {"W1": np.zeros((2, 2)), "b1": np.zeros(2), "W2": np.zeros((2, 2)), "b2": np.zeros(2)}
    first: dict[str, int | None] = {name: None for name in params if output_bias or name != "b2"}
    for step in range(1, steps + 1):
        z = params["W1"] @ x + params["b1"]
        h, h_prime = activation_and_derivative(activation, z)
        y = params["W2"] @ h + (params["b2"] if output_bias else 0.0)
        delta_out = 2.0 * (y - target)
        delta_hidden = (params["W2"].T @ delta_out) * h_prime
        grads = {"W1": np.outer(delta_hidden, x), "b1": delta_hidden, "W2": np.outer(delta_out, h), "b2": delta_out}
        for name in first:
            params[name] = params[name] - rate * grads[name]
            if first[name] is None and np.any(params[name] != 0.0):
                first[name] = step
    return first


def single_unit_moves(*, activation: str, initial: tuple[float, float, float], steps: int = 100, relu_prime_at_zero: float = 0.0) -> float:
    """Largest |w − w₀| after `steps` GD steps of a single unit on 002's sample x = (0.5, 2, 1), y* = 42, rate 0.1."""
    x, target = np.array([0.5, 2.0, 1.0]), 42.0
    w = np.array(initial, dtype=float)
    start = w.copy()
    for _ in range(steps):
        y, slope = activation_and_derivative(activation, np.array(w @ x), relu_prime_at_zero=relu_prime_at_zero)
        w = w - 0.1 * 2.0 * (float(y) - target) * float(slope) * x
    return float(np.max(np.abs(w - start)))
