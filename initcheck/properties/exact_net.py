"""A two-layer scalar-output network trained at 50 significant digits (mpmath), for properties that need exactness.

Network: zⱼ = Σᵢ W₁[i][j] xᵢ + b₁[j], hⱼ = f(zⱼ), y = Σⱼ W₂[j] hⱼ + b₂, loss (1/m) Σ (y − y*)².
Optimizers: SGD θ ← θ − α g; momentum u ← μu + g, θ ← θ − α u; Adam (Kingma & Ba 2015, Alg. 1).
Each parameter group has its own rate (and Adam its own ε), which is what the one-unit
equivalent of a constant-initialized network needs (see `one_unit_image`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import mpmath

DIGITS = 50
GROUPS = ("W1", "b1", "W2", "b2")
BETA1, BETA2, MOMENTUM = mpmath.mpf("0.9"), mpmath.mpf("0.999"), mpmath.mpf("0.9")
LEAKY_SLOPE = mpmath.mpf(1) / 100


def activation(name: str, z: mpmath.mpf) -> tuple[mpmath.mpf, mpmath.mpf]:
    """f(z), f'(z); relu'(0) = 0 and leaky-ReLU'(0) = slope (the frameworks' conventions)."""
    if name == "linear":
        return z, mpmath.mpf(1)
    if name == "sigmoid":
        s = 1 / (1 + mpmath.exp(-z))
        return s, s * (1 - s)
    if name == "tanh":
        t = mpmath.tanh(z)
        return t, 1 - t**2
    if name == "elu":
        return (z, mpmath.mpf(1)) if z > 0 else (mpmath.expm1(z), mpmath.exp(z))
    if name == "leaky_relu":
        return (z, mpmath.mpf(1)) if z > 0 else (LEAKY_SLOPE * z, LEAKY_SLOPE)
    if name == "relu":
        return (z, mpmath.mpf(1)) if z > 0 else (mpmath.mpf(0), mpmath.mpf(0))
    raise ValueError(f"unknown activation {name!r}")


@dataclass
class State:
    """Parameters (flat lists: W1 is d·n, index i·n + j) and optimizer moments per group."""

    params: dict[str, list[mpmath.mpf]]
    first: dict[str, list[mpmath.mpf]] = field(default_factory=dict)
    second: dict[str, list[mpmath.mpf]] = field(default_factory=dict)
    steps: int = 0


def constant_state(d: int, n: int, c1: float, c2: float) -> State:
    """W₁ ≡ c1, W₂ ≡ c2, biases 0."""
    zero = mpmath.mpf(0)
    params = {"W1": [mpmath.mpf(c1)] * (d * n), "b1": [zero] * n, "W2": [mpmath.mpf(c2)] * n, "b2": [zero]}
    return State(params, {k: [zero] * len(v) for k, v in params.items()}, {k: [zero] * len(v) for k, v in params.items()})


def gradients(state: State, x: Sequence[Sequence[float]], y: Sequence[float], act: str) -> tuple[dict[str, list[mpmath.mpf]], list[mpmath.mpf]]:
    """∂loss/∂θ for every parameter, and the outputs."""
    p = state.params
    d, n, m = len(x[0]), len(p["b1"]), len(x)
    grads = {k: [mpmath.mpf(0)] * len(v) for k, v in p.items()}
    outputs = []
    for xs, target in zip(x, y, strict=True):
        pairs = [activation(act, mpmath.fsum(mpmath.mpf(xs[i]) * p["W1"][i * n + j] for i in range(d)) + p["b1"][j]) for j in range(n)]
        out = mpmath.fsum(p["W2"][j] * pairs[j][0] for j in range(n)) + p["b2"][0]
        outputs.append(out)
        delta = 2 * (out - mpmath.mpf(target)) / m
        grads["b2"][0] += delta
        for j, (h, slope) in enumerate(pairs):
            grads["W2"][j] += delta * h
            back = delta * p["W2"][j] * slope
            grads["b1"][j] += back
            for i in range(d):
                grads["W1"][i * n + j] += back * mpmath.mpf(xs[i])
    return grads, outputs


def step(state: State, grads: dict[str, list[mpmath.mpf]], optimizer: str, rates: dict[str, mpmath.mpf], eps: dict[str, mpmath.mpf]) -> State:
    """One optimizer step with per-group rates; returns a new State."""
    t = state.steps + 1
    params, first, second = {}, {}, {}
    for k, theta in state.params.items():
        g = grads[k]
        if optimizer == "sgd":
            first[k], second[k] = state.first[k], state.second[k]
            params[k] = [a - rates[k] * b for a, b in zip(theta, g, strict=True)]
        elif optimizer == "momentum":
            first[k], second[k] = [MOMENTUM * u + gi for u, gi in zip(state.first[k], g, strict=True)], state.second[k]
            params[k] = [a - rates[k] * u for a, u in zip(theta, first[k], strict=True)]
        elif optimizer == "adam":
            first[k] = [BETA1 * u + (1 - BETA1) * gi for u, gi in zip(state.first[k], g, strict=True)]
            second[k] = [BETA2 * v + (1 - BETA2) * gi**2 for v, gi in zip(state.second[k], g, strict=True)]
            params[k] = [
                a - rates[k] * (u / (1 - BETA1**t)) / (mpmath.sqrt(v / (1 - BETA2**t)) + eps[k])
                for a, u, v in zip(theta, first[k], second[k], strict=True)
            ]
        else:
            raise ValueError(f"unknown optimizer {optimizer!r}")
    return State(params, first, second, t)


def one_unit_image(state: State, d: int) -> State:
    """The one-hidden-unit state a symmetric width-n state maps to: unit 0's W₁, b₁; output weight v = n·w₂.

    Moments map as the gradients do: the one-unit net's hidden gradient is n times a wide
    unit's (first moment ×n, second ×n²); its output-weight gradient equals a wide unit's.
    """
    p, n = state.params, len(state.params["b1"])
    hidden = {"W1": [p["W1"][i * n] for i in range(d)], "b1": [p["b1"][0]]}
    params = {**hidden, "W2": [n * p["W2"][0]], "b2": list(p["b2"])}
    first = {"W1": [n * state.first["W1"][i * n] for i in range(d)], "b1": [n * state.first["b1"][0]], "W2": [state.first["W2"][0]], "b2": list(state.first["b2"])}
    second = {
        "W1": [n**2 * state.second["W1"][i * n] for i in range(d)],
        "b1": [n**2 * state.second["b1"][0]],
        "W2": [state.second["W2"][0]],
        "b2": list(state.second["b2"]),
    }
    return State(params, first, second, state.steps)


def one_unit_rates(optimizer: str, n: int, rate: mpmath.mpf, eps: mpmath.mpf) -> tuple[dict[str, mpmath.mpf], dict[str, mpmath.mpf]]:
    """Per-group rates and ε under which the one-unit net's step equals the wide net's step (derived in the module docstring of symmetry).

    SGD and momentum: hidden α/n, output weight n·α, output bias α. Adam is invariant to the
    gradient's scale, so the hidden rate stays α but its ε becomes n·ε; output weight n·α.
    """
    if optimizer == "adam":
        return {"W1": rate, "b1": rate, "W2": n * rate, "b2": rate}, {"W1": n * eps, "b1": n * eps, "W2": eps, "b2": eps}
    return {"W1": rate / n, "b1": rate / n, "W2": n * rate, "b2": rate}, dict.fromkeys(GROUPS, eps)
