"""Krohn's 784 → 256 sigmoid layer, sampled (source 000, ch. 9, listings 9.1-9.2).

Each replicate draws a fresh input x ~ U[0,1)^784 and a fresh weight matrix, as the
notebook does once; the 256 units share x, so per-layer averages are the samples.
"""

from __future__ import annotations

import numpy as np

from initcheck.sims.activations import sigmoid
from initcheck.sims.stats import Estimate, mean_estimate

N_INPUT, N_DENSE = 784, 256
KERAS_TRUNCATED_SD = 0.87962566103423978  # Keras VarianceScaling: sd of N(0,1) truncated to [−2, 2]


def keras_weights(rng: np.random.Generator, init: str, shape: tuple[int, ...]) -> np.ndarray:
    """RandomNormal(stddev=1), glorot_normal (Keras ≥ 2.3: truncated at ±2 sd, sd divided by .8796…), glorot_uniform."""
    fan_sum = N_INPUT + N_DENSE
    if init == "normal":
        return rng.normal(0.0, 1.0, size=shape)
    if init == "glorot_normal":
        scale = np.sqrt(2.0 / fan_sum) / KERAS_TRUNCATED_SD
        return scale * truncated_standard_normal(rng, shape)
    if init == "glorot_uniform":
        limit = np.sqrt(6.0 / fan_sum)
        return rng.uniform(-limit, limit, size=shape)
    raise ValueError(f"unknown initializer {init!r}: expected 'normal', 'glorot_normal' or 'glorot_uniform'")


def truncated_standard_normal(rng: np.random.Generator, shape: tuple[int, ...], bound: float = 2.0) -> np.ndarray:
    """N(0,1) conditioned on |t| ≤ bound, by redrawing the rejected entries (4.6% per round for bound 2), as Keras does."""
    values = rng.standard_normal(size=shape)
    rejected = np.abs(values) > bound
    while rejected.any():
        values[rejected] = rng.standard_normal(size=int(rejected.sum()))
        rejected = np.abs(values) > bound
    return values


def _layers(rng: np.random.Generator, init: str, replicates: int, block: int = 16) -> list[np.ndarray]:
    outputs = []
    for start in range(0, replicates, block):
        size = min(block, replicates - start)
        x = rng.random(size=(size, 1, N_INPUT))
        weights = keras_weights(rng, init, (size, N_INPUT, N_DENSE))
        outputs.append(np.matmul(x, weights)[:, 0, :])
    return outputs


def saturated_fraction(rng: np.random.Generator, *, init: str, replicates: int) -> Estimate:
    """Fraction of sigmoid outputs within 0.01 of 0 or 1, averaged per layer, over independent layers."""
    threshold = np.log(99.0)  # σ(z) < 0.01 ⇔ z < −ln 99
    per_layer = [np.mean(np.abs(z) > threshold, axis=1) for z in _layers(rng, init, replicates)]
    return mean_estimate(np.concatenate(per_layer), "mean over independent layers of the per-layer saturated fraction")


def preactivation_second_moment(rng: np.random.Generator, *, init: str, replicates: int) -> Estimate:
    """E[z²] of the layer's pre-activations, per-layer means over independent layers."""
    per_layer = [np.mean(z**2, axis=1) for z in _layers(rng, init, replicates)]
    return mean_estimate(np.concatenate(per_layer), "mean over independent layers of the per-layer mean z²")


def sigmoid_outputs(rng: np.random.Generator, *, init: str, layers: int) -> np.ndarray:
    """All sigmoid outputs of `layers` independent 784→256 layers (one U[0,1) input each), flattened: Fig. 9.1's histogram data."""
    return np.concatenate([sigmoid(z) for z in _layers(rng, init, layers)]).ravel()
