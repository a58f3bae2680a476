"""Dropout masks and batch normalization, sampled and computed in float64 (source 003)."""

from __future__ import annotations

import numpy as np

from initcheck.sims.stats import Estimate, mean_estimate


def dropout_moments(rng: np.random.Generator, *, drop_probability: float, moment: int, scaled: bool, replicates: int) -> Estimate:
    """E[(m·x·s)^k]/E[x^k] with m ~ Bernoulli(1−p), s = 1/(1−p) if scaled, for a fixed x = 1 (so the ratio is exact per draw)."""
    if not 0 < drop_probability < 1:
        raise ValueError(f"drop_probability must be in (0, 1), got {drop_probability!r}")
    mask = rng.random(replicates) >= drop_probability
    unit = mask / (1.0 - drop_probability) if scaled else mask.astype(float)
    return mean_estimate(unit**moment, "mean over independent masks")


def batchnorm_moments(rng: np.random.Generator, *, batch: int, batch_variance: float, epsilon: float) -> float:
    """Batch variance (1/m) of x̂ = (x − μ)/√(σ² + ε) for a random batch rescaled to have batch variance σ² exactly."""
    x = rng.normal(size=batch)
    x = (x - x.mean()) / x.std() * np.sqrt(batch_variance) + 3.0
    mu, sigma2 = x.mean(), x.var()
    return float(((x - mu) / np.sqrt(sigma2 + epsilon)).var())
