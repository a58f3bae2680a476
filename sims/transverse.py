"""A constant-initialized two-layer net trained in float64 with a seeded asymmetry of one unit in the last place (source 003).

Network: H = f(XW₁ + b₁), Y = HW₂ + c (k outputs), loss (1/m)Σ‖y − t‖², plain gradient descent. Every product is formed
unit-wise, by broadcasting and a reduction over one axis in a fixed order, never by a matrix product: each hidden unit
goes through the same floating-point operations, so without the seed the units stay bit-identical (SYM-CONST's
property), whatever the BLAS kernel. The seed is w₁₁ of unit 0 moved by a whole number of ulps (one: the next float64,
003's numerical noise; many: a seed far above round-off, whose growth no libm or SIMD path can change); the spread
max over groups and units of |θⱼ − θ₀| is recorded after every step, with the loss.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _activation(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if name == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-z))
        return s, s * (1.0 - s)
    if name == "tanh":
        t = np.tanh(z)
        return t, 1.0 - t * t
    raise ValueError(f"unknown activation {name!r}")


@dataclass(frozen=True)
class SeededRun:
    spread: np.ndarray  # after each step
    loss: np.ndarray  # before each step
    final_loss: float
    seed_size: float  # |w₁₁ − c1| at step 0: seed_ulps ulps of c1


def seeded_training(
    x: np.ndarray, targets: np.ndarray, *, width: int, activation: str, c1: float, c2: float, rate: float, steps: int, seed_ulps: int = 1
) -> SeededRun:
    """GD from W₁ ≡ c1, W₂ ≡ c2, biases 0, with W₁[0, 0] of unit 0 moved away from 0 by `seed_ulps` ulps of c1 (0: unseeded).

    c1 + k·ulp(c1) must be exact (it is while it stays in c1's binade; an inexact seed is refused); k = 1 is the next float64 away from 0."""
    x, targets = np.asarray(x, dtype=float), np.asarray(targets, dtype=float)
    m, d = x.shape
    k = targets.shape[1]
    w1, b1 = np.full((d, width), float(c1)), np.zeros(width)
    w2, c = np.full((width, k), float(c2)), np.zeros(k)
    if seed_ulps < 0 or int(seed_ulps) != seed_ulps:
        raise ValueError(f"seed_ulps must be a whole number ≥ 0, got {seed_ulps!r}")
    w1[0, 0] = w1[0, 0] + seed_ulps * np.spacing(w1[0, 0])
    if w1[0, 0] - float(c1) != seed_ulps * np.spacing(float(c1)):
        raise ValueError(f"a seed of {seed_ulps} ulps of c1 = {c1!r} is not exact in float64 (it leaves c1's binade)")
    seed_size = float(abs(w1[0, 0] - c1))
    spread, losses = np.empty(steps), np.empty(steps)
    for t in range(steps):
        z = (x[:, :, None] * w1[None, :, :]).sum(axis=1) + b1  # m × width, one reduction over the d inputs per unit
        h, slope = _activation(activation, z)
        y = (h[:, :, None] * w2[None, :, :]).sum(axis=1) + c  # m × k
        residual = y - targets
        losses[t] = np.mean(np.sum(residual * residual, axis=1))
        delta_y = 2.0 * residual / m
        back = (delta_y[:, None, :] * w2[None, :, :]).sum(axis=2) * slope  # m × width, one reduction over the k outputs per unit
        w1 = w1 - rate * (x[:, :, None] * back[:, None, :]).sum(axis=0)
        b1 = b1 - rate * back.sum(axis=0)
        w2 = w2 - rate * (h[:, :, None] * delta_y[:, None, :]).sum(axis=0)
        c = c - rate * delta_y.sum(axis=0)
        spread[t] = max(np.max(np.abs(w1 - w1[:, :1])), np.max(np.abs(b1 - b1[0])), np.max(np.abs(w2 - w2[:1, :])))
    z = (x[:, :, None] * w1[None, :, :]).sum(axis=1) + b1
    y = (_activation(activation, z)[0][:, :, None] * w2[None, :, :]).sum(axis=1) + c
    return SeededRun(spread, losses, float(np.mean(np.sum((y - targets) ** 2, axis=1))), seed_size)


def log_growth_rate(spread: np.ndarray, *, low: float = 1e-13, high: float = 1e-4) -> tuple[float, int, int] | None:
    """Least-squares slope of ln(spread) per step from the first step where spread ≥ low (above round-off) to the last
    before it passes high (still linear), with that window's first and last step (1-based); None if under 10 steps."""
    above = np.flatnonzero(spread >= low)
    if not len(above):
        return None
    first = int(above[0])
    past = np.flatnonzero(spread[first:] > high)
    last = first + int(past[0]) - 1 if len(past) else len(spread) - 1
    window = np.arange(first, last + 1)
    if len(window) < 10 or np.any(spread[window] <= 0):
        return None
    return float(np.polyfit(window + 1.0, np.log(spread[window]), 1)[0]), first + 1, last + 1


def regression_task(rng: np.random.Generator, *, samples: int = 8, inputs: int = 2, outputs: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """A regression with several outputs: x ~ U[−1, 1]^inputs, targets t = sin(x·A) with A ~ N(0, 1) (inputs × outputs)."""
    x = rng.uniform(-1.0, 1.0, size=(samples, inputs))
    mixing = rng.normal(size=(inputs, outputs))
    return x, np.sin((x[:, :, None] * mixing[None, :, :]).sum(axis=1))  # unit-wise: the same targets on every BLAS
