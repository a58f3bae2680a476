"""Deep random nets at finite width: the second moment Q_l of each layer's pre-activations, layer by layer (VAR-DEPTH).

z₁ = W₁x, z_l = W_l f(z_{l−1}), W_l ~ N(0, c/n) entrywise and fresh in every layer, x ~ N(0, I_n). For one input,
a Gaussian matrix with i.i.d. N(0, c/n) entries times a fixed vector h is exactly N(0, (c/n)|h|²·I_n), and the next
layer's matrix is independent of it. So z_l is drawn as √Q_l·ξ_l with Q_l = (c/n)|f(z_{l−1})|² and ξ_l ~ N(0, I_n):
the same law as multiplying by the matrices, at O(n) instead of O(n²) cost per layer. (`depth_second_moment`
multiplies real matrices; a test checks the two agree.)
"""

from __future__ import annotations

import numpy as np

from initcheck.sims.activations import activate
from initcheck.sims.stats import Estimate, mean_estimate
from initcheck.sims.variance import blocks

_CHUNK = 1 << 21  # units per block: bounds memory whatever the replicate count


def layer_second_moments(
    rng: np.random.Generator, *, width: int, depth: int, activation: str, weight_variance_times_width: float, replicates: int
) -> np.ndarray:
    """Q_l = (c/n)|f(z_{l−1})|² (f(z₀) = x), the variance of layer l's units given layer l−1, for l = 1..depth.

    An array (replicates, depth), one row per independent net; E[Q_l] is also E[mean of z_l²].
    """
    if width < 1 or depth < 1 or replicates < 1:
        raise ValueError(f"width, depth and replicates must be positive, got {width}, {depth}, {replicates}")
    c = weight_variance_times_width
    out = np.empty((replicates, depth))
    block = max(1, _CHUNK // width)
    for start in range(0, replicates, block):
        rows = slice(start, min(start + block, replicates))
        size = rows.stop - rows.start
        signal = rng.normal(size=(size, width))
        for layer in range(depth):
            variance = c * np.mean(signal**2, axis=1)
            out[rows, layer] = variance
            signal = activate(np.sqrt(variance)[:, None] * rng.normal(size=(size, width)), activation)
    return out


def layer_gains(second_moments: np.ndarray) -> np.ndarray:
    """Q_{l+1}/Q_l over every net and layer with Q_l > 0, flattened.

    For ReLU and linear layers Q_{l+1}/Q_l = (c/n)|f(ξ_l)|² depends on the fresh ξ_l alone, so the gains are i.i.d.
    across layers and nets. A ReLU layer can die (all n units ≤ 0, probability 2⁻ⁿ) and stays dead; whether Q_l > 0
    is decided by earlier layers, independent of ξ_l, so leaving those layers out does not bias the mean.
    """
    before, after = second_moments[:, :-1], second_moments[:, 1:]
    alive = before > 0
    return after[alive] / before[alive]


def depth_second_moment(
    rng: np.random.Generator, *, width: int, depth: int, activation: str, weight_variance_times_width: float, replicates: int
) -> Estimate:
    """E[q_L], q_L = mean of z_L² after `depth` layers z_l = W_l·act(z_{l−1}), z_0 = x ~ N(0, I), W ~ N(0, c/width).

    For ReLU and linear nets E[q_L] = c·(c·E[act(y)²]/Var y)^(L−1) exactly at any width (each z_l is Gaussian
    given the previous layer), so no finite-width correction enters the mean; replicates are whole networks.
    """
    results = []
    std = np.sqrt(weight_variance_times_width / width)
    for block in blocks(replicates, width * width):
        signal = rng.normal(size=(block, width))
        for _ in range(depth):
            weights = rng.normal(0.0, std, size=(block, width, width))
            z = np.einsum("boi,bi->bo", weights, signal)
            signal = activate(z, activation)
        results.append(np.mean(z**2, axis=1))
    return mean_estimate(np.concatenate(results), "mean over independent networks of the last layer's mean z²")


def depth_profile(
    rng: np.random.Generator, *, width: int, depth: int, activation: str, weight_variance_times_width: float, replicates: int
) -> np.ndarray:
    """Mean over `replicates` networks of q_l = mean of z_l² for l = 1..depth (the recursion of `depth_second_moment`, recorded per layer)."""
    std = np.sqrt(weight_variance_times_width / width)
    signal = rng.normal(size=(replicates, width))
    profile = np.empty(depth)
    for layer in range(depth):
        z = np.einsum("boi,bi->bo", rng.normal(0.0, std, size=(replicates, width, width)), signal)
        profile[layer] = np.mean(z**2)
        signal = activate(z, activation)
    return profile
