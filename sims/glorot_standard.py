"""A deep tanh net with uniform weights (Glorot & Bengio 2010): per-layer forward and backward second moments."""

from __future__ import annotations

import numpy as np

from initcheck.sims.stats import Estimate, mean_estimate

BOUNDS = {"standard": lambda n: 1 / np.sqrt(n), "normalized": lambda n: np.sqrt(6 / (2 * n))}


def layer_moments(rng: np.random.Generator, *, init: str, width: int, depth: int, replicates: int, block: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """Per net (rows) and layer (columns): mean of z_l² over units, and mean of δ_l² with δ_L = tanh'(z_L)⊙e, e ~ N(0, I).

    One input x ~ N(0, I) and one fresh net per replicate, so rows are independent; blocks bound the memory."""
    a = BOUNDS[init](width)
    forward, backward = np.empty((replicates, depth)), np.empty((replicates, depth))
    for start in range(0, replicates, block):
        r = min(block, replicates - start)
        weights = rng.uniform(-a, a, (depth, r, width, width))
        h, zs = rng.normal(size=(r, width)), []
        for layer in range(depth):
            z = np.einsum("rij,rj->ri", weights[layer], h)
            zs.append(z)
            h = np.tanh(z)
        delta = (1 - np.tanh(zs[-1]) ** 2) * rng.normal(size=(r, width))
        deltas = [delta]
        for layer in range(depth - 2, -1, -1):
            delta = (1 - np.tanh(zs[layer]) ** 2) * np.einsum("rji,rj->ri", weights[layer + 1], delta)
            deltas.insert(0, delta)
        forward[start : start + r] = np.stack([np.mean(z**2, axis=1) for z in zs], axis=1)
        backward[start : start + r] = np.stack([np.mean(d**2, axis=1) for d in deltas], axis=1)
    return forward, backward


def layer_moment(rng: np.random.Generator, *, init: str, width: int, depth: int, layer: int, direction: str, replicates: int) -> Estimate:
    """E[z_l²] ("forward") or E[δ_l²] ("backward") at `layer` (1-based), over independent nets."""
    forward, backward = layer_moments(rng, init=init, width=width, depth=depth, replicates=replicates)
    return mean_estimate((forward if direction == "forward" else backward)[:, layer - 1])
