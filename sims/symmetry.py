"""Zero and constant initialization, trained in float64 (source 002, 003).

Network: h = f(W₁x + b₁), y = W₂h + b₂, loss Σ(y − y*)², plain gradient descent, hand-written
backprop with the frameworks' conventions (relu'(0) = 0, leaky-ReLU slope at 0).
"""

from __future__ import annotations

import numpy as np

from initcheck.sims.activations import sigmoid

SLOPE = 0.01  # leaky-ReLU negative slope


def activation_and_derivative(name: str, z: np.ndarray, *, relu_prime_at_zero: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """f(z) and f'(z); at z = 0 ReLU uses `relu_prime_at_zero` (0 in TensorFlow and PyTorch), leaky ReLU its slope."""
    if name == "linear":
        return z, np.ones_like(z)
    if name == "sigmoid":
        s = sigmoid(z)
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


def zero_init_movement(
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


def train_two_layer(
    x: np.ndarray,
    y: np.ndarray,
    *,
    width: int,
    activation: str,
    c1: float,
    c2: float,
    rate: float,
    steps: int,
    optimizer: str = "sgd",
    products: str = "unitwise",
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Train a constant-initialized d-width-1 net (loss (1/m)Σ(y − y*)²) in float64.

    products="unitwise" forms every sum with broadcasting and a reduction over one axis, so
    each hidden unit goes through the same floating-point operations in the same order;
    products="blas" uses matrix products (`@`), whose kernels may treat columns differently.
    Returns the final parameters, the spread max_j |θⱼ − θ₀| of the hidden units after each
    step, and the final outputs. Optimizers as in Kingma & Ba (2015), momentum μ = 0.9.
    """
    m, d = x.shape
    params = {"W1": np.full((d, width), float(c1)), "b1": np.zeros(width), "W2": np.full(width, float(c2)), "b2": np.zeros(1)}
    first = {k: np.zeros_like(v) for k, v in params.items()}
    second = {k: np.zeros_like(v) for k, v in params.items()}
    spread = np.empty(steps)
    out = np.zeros(m)
    for t in range(1, steps + 1):
        if products == "blas":
            z = x @ params["W1"] + params["b1"]
        else:
            z = (x[:, :, None] * params["W1"][None, :, :]).sum(axis=1) + params["b1"]
        h, slope = activation_and_derivative(activation, z)
        out = (h @ params["W2"] if products == "blas" else (h * params["W2"]).sum(axis=1)) + params["b2"][0]
        delta = 2.0 * (out - y) / m
        back = delta[:, None] * params["W2"][None, :] * slope
        grads = {
            "W1": x.T @ back if products == "blas" else (x[:, :, None] * back[:, None, :]).sum(axis=0),
            "b1": back.sum(axis=0),
            "W2": h.T @ delta if products == "blas" else (h * delta[:, None]).sum(axis=0),
            "b2": np.array([delta.sum()]),
        }
        for k, g in grads.items():
            if optimizer == "sgd":
                params[k] = params[k] - rate * g
            elif optimizer == "momentum":
                first[k] = 0.9 * first[k] + g
                params[k] = params[k] - rate * first[k]
            elif optimizer == "adam":
                first[k] = 0.9 * first[k] + 0.1 * g
                second[k] = 0.999 * second[k] + 0.001 * g * g
                params[k] = params[k] - rate * (first[k] / (1 - 0.9**t)) / (np.sqrt(second[k] / (1 - 0.999**t)) + 1e-8)
            else:
                raise ValueError(f"unknown optimizer {optimizer!r}")
        spread[t - 1] = max(np.max(np.abs(params[k] - params[k][..., :1])) for k in ("W1", "b1", "W2"))
    return params, spread, out
