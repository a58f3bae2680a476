"""Saturated sigmoid units in the first and second hidden layers on Nielsen's 1000-input example (source 004, ch. 3).

Each replicate draws a fresh unit (first layer) or a fresh layer-1 of `width` units feeding one layer-2 unit (second
layer), so replicates are independent. The bias is integrated out exactly given the weights (Rao-Blackwell): given
s = Σ wᵢxᵢ, P(|s + b| > t) = Φ̄(t − s) + Φ(−t − s) for b ~ N(0, 1), a probability per replicate instead of a 0/1 hit,
which makes rare saturation (N(0, 1/n_in) weights) measurable with few replicates.
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

from initcheck.sims.stats import Estimate, mean_estimate

N_INPUT, N_ONES = 1000, 500
THRESHOLD = float(np.log(99))  # σ(z) within 0.01 of 0 or 1
WEIGHT_STD = {"normal": 1.0, "scaled": 1.0 / np.sqrt(N_INPUT)}


def _nielsen_input() -> np.ndarray:
    x = np.zeros(N_INPUT)
    x[:N_ONES] = 1.0
    return x


def _weighted_sums(rng: np.random.Generator, weight_std: float, count: int, block: int = 2048) -> np.ndarray:
    """Σ wᵢxᵢ for `count` independent units on Nielsen's input, drawn in blocks (memory: block × 1000 floats)."""
    x = _nielsen_input()
    sums = np.empty(count)
    for start in range(0, count, block):
        stop = min(start + block, count)
        sums[start:stop] = rng.normal(0.0, weight_std, (stop - start, N_INPUT)) @ x
    return sums


def _saturated_given_sum(s: np.ndarray, bias: bool) -> np.ndarray:
    if not bias:
        return (np.abs(s) > THRESHOLD).astype(float)
    return stats.norm.sf(THRESHOLD - s) + stats.norm.cdf(-THRESHOLD - s)


def first_layer_saturated_fraction(rng: np.random.Generator, *, weights: str, bias: bool, replicates: int) -> Estimate:
    """P(σ(z) within 0.01 of 0 or 1) for one first-layer unit, weights "normal" N(0,1) or "scaled" N(0, 1/n_in)."""
    return mean_estimate(_saturated_given_sum(_weighted_sums(rng, WEIGHT_STD[weights], replicates), bias))


def _active_sums(rng: np.random.Generator, weight_std: float, count: int, block: int = 4096) -> np.ndarray:
    """Σ wᵢxᵢ drawing only the N_ONES weights on inputs equal to 1 (the others multiply 0 exactly)."""
    sums = np.empty(count)
    for start in range(0, count, block):
        stop = min(start + block, count)
        sums[start:stop] = rng.normal(0.0, weight_std, (stop - start, N_ONES)).sum(axis=1)
    return sums


def second_layer_saturated_fraction(rng: np.random.Generator, *, width: int, weights: str, replicates: int) -> Estimate:
    """P(saturated) for a layer-2 unit with N(0,1) weights and bias, fed by `width` layer-1 units (weights `weights`,
    N(0,1) biases) on Nielsen's input; one fresh layer 1 per replicate. Given the activations a, z₂ ~ N(0, Σa² + 1)
    exactly (its weights and bias are N(0,1)), so each replicate contributes erfc(ln 99/√(2(Σa² + 1))) (Rao-Blackwell)."""
    z1 = _active_sums(rng, WEIGHT_STD[weights], replicates * width).reshape(replicates, width) + rng.normal(size=(replicates, width))
    s = np.sum(special.expit(z1) ** 2, axis=1)
    return mean_estimate(special.erfc(THRESHOLD / np.sqrt(2 * (s + 1))))


def second_layer_edge_distance(rng: np.random.Generator, *, width: int, replicates: int) -> Estimate:
    """E[min(a₂, 1 − a₂)] for that layer-2 unit under N(0,1) weights everywhere: how close to 0 or 1 its activation is."""
    z1 = _weighted_sums(rng, 1.0, replicates * width).reshape(replicates, width) + rng.normal(size=(replicates, width))
    z2 = np.sum(rng.normal(size=(replicates, width)) * special.expit(z1), axis=1) + rng.normal(size=replicates)
    return mean_estimate(special.expit(-np.abs(z2)))
