"""Gradients of sampled sigmoid chains and nets: product formula vs central finite differences (source 001, eqs. 121-124)."""

from __future__ import annotations

from typing import Any

import numpy as np

from initcheck.sims.activations import sigmoid
from initcheck.sims.stats import Estimate, mean_estimate


def _chain_forward(w: np.ndarray, b: np.ndarray, a0: float) -> tuple[list[Any], list[Any]]:
    zs: list[Any] = []
    activations: list[Any] = [a0]
    for wj, bj in zip(w, b, strict=True):
        zs.append(wj * activations[-1] + bj)
        activations.append(sigmoid(zs[-1]))
    return zs, activations


def chain_product(w: np.ndarray, b: np.ndarray, a0: float, target: float, *, skip_first: bool = False) -> float:
    """∂C/∂b₁ = σ'(z₁)·Π_{j≥2} wⱼσ'(zⱼ)·(a_L − y), C = (a_L − y)²/2 (eq. 121-122)."""
    zs, activations = _chain_forward(w, b, a0)
    prime = [float(np.real(sigmoid(z) * (1 - sigmoid(z)))) for z in zs]
    product = 1.0 if skip_first else prime[0]
    for j in range(1, len(w)):
        product *= w[j] * prime[j]
    return float(np.real(product * (activations[-1] - target)))


def chain_cost(w: np.ndarray, b: np.ndarray, a0: float, target: float) -> complex:
    """C = (a_L − y)²/2; complex-valued when b carries a complex step."""
    return 0.5 * (_chain_forward(w, b, a0)[1][-1] - target) ** 2


COMPLEX_STEP = 1e-30


def chain_relative_error(rng: np.random.Generator, *, depth: int, replicates: int, skip_first: bool = False) -> float:
    """Largest |formula − complex-step derivative| / |complex-step derivative| over random chains (w, b ~ N(0,1)).

    The complex step ∂C/∂b₁ ≈ Im C(b₁ + ih)/h, h = 1e-30, has no subtractive cancellation: unlike a central
    difference it stays accurate to a few ulps even where deep chains make the gradient tiny.
    """
    worst = 0.0
    for _ in range(replicates):
        w, b = rng.normal(size=depth), rng.normal(size=depth)
        a0, target = float(rng.random()), float(rng.random())
        stepped = b.astype(complex)
        stepped[0] += 1j * COMPLEX_STEP
        numeric = chain_cost(w, stepped, a0, target).imag / COMPLEX_STEP
        formula = chain_product(w, b, a0, target, skip_first=skip_first)
        worst = max(worst, abs(formula - numeric) / abs(numeric))
    return worst


def matrix_relative_error(rng: np.random.Generator, *, sizes: tuple[int, ...], replicates: int, transpose: bool = True) -> float:
    """eq. 124, δ¹ = Σ'(z¹)(W²)ᵀ…Σ'(z^L)∇_aC, against the complex-step derivative in each b¹ᵢ; largest relative error."""
    worst = 0.0
    for _ in range(replicates):
        weights = [rng.normal(size=(sizes[i + 1], sizes[i])) / np.sqrt(sizes[i]) for i in range(len(sizes) - 1)]
        biases = [rng.normal(size=sizes[i + 1]) for i in range(len(sizes) - 1)]
        x, target = rng.random(sizes[0]), rng.random(sizes[-1])

        def cost(first_bias: np.ndarray, weights=weights, biases=biases, x=x, target=target) -> complex:
            a = x
            for layer, (weight, bias) in enumerate(zip(weights, biases, strict=True)):
                a = sigmoid(weight @ a + (first_bias if layer == 0 else bias))
            return 0.5 * np.sum((a - target) ** 2)

        a, primes = x, []
        for weight, bias in zip(weights, biases, strict=True):
            z = weight @ a + bias
            a = sigmoid(z)
            primes.append(a * (1 - a))
        delta = primes[-1] * (a - target)
        for layer in range(len(weights) - 1, 0, -1):
            matrix = weights[layer].T if transpose else weights[layer]
            delta = primes[layer - 1] * (matrix @ delta)
        numeric = np.array([cost(biases[0] + 1j * COMPLEX_STEP * e).imag / COMPLEX_STEP for e in np.eye(sizes[1])])
        worst = max(worst, float(np.max(np.abs(delta - numeric)) / np.max(np.abs(numeric))))
    return worst


def explode_ratios(*, depth: int, weight: float = 100.0, a0: float = 0.5) -> list[float]:
    """Ratios ∂C/∂b_j / ∂C/∂b_{j+1} in a chain with w = 100 and b_j = −w·a_{j−1} (so z_j = 0 in floating point)."""
    activations, primes = [a0], []
    for _ in range(depth):
        z = weight * activations[-1] + (-weight * activations[-1])
        activations.append(float(sigmoid(z)))
        primes.append(float(sigmoid(z) * (1 - sigmoid(z))))
    grads = [primes[j] * np.prod([weight * primes[k] for k in range(j + 1, depth)]) for j in range(depth)]
    return [float(grads[j] / grads[j + 1]) for j in range(depth - 1)]


def factor_samples(rng: np.random.Generator, *, replicates: int) -> np.ndarray:
    """|w·σ'(wa + b)| for independent w, b ~ N(0,1) and a ~ U[0,1): one neuron of a chain fed a uniform activation."""
    w, b, a = rng.normal(size=replicates), rng.normal(size=replicates), rng.random(replicates)
    s = sigmoid(w * a + b)
    return np.abs(w * s * (1.0 - s))


def factor_statistics(rng: np.random.Generator, *, replicates: int) -> dict[str, Estimate]:
    """The measured pair of theory.gradients.factor_statistics (the same keys), from one draw of factor_samples:
    P(|wσ'(wa+b)| < 1/4) and E log|wσ'(wa+b)|."""
    factors = factor_samples(rng, replicates=replicates)
    return {"fraction_below_quarter": mean_estimate(factors < 0.25), "mean_log_factor": mean_estimate(np.log(factors))}
