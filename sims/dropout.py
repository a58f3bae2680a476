"""A unit under inverted dropout (source 003, "Dropout"): u = m·x/(1 − p) at training time, x at prediction time."""

from __future__ import annotations

import numpy as np

from initcheck.sims.stats import Estimate, variance_estimate


def training_variance(rng: np.random.Generator, *, drop_probability: float, mean: float, std: float, replicates: int) -> Estimate:
    """Var(m·x/(1 − p)) for x ~ N(mean, std²) and m ~ Bernoulli(1 − p) independent, one (x, m) pair per replicate."""
    x = rng.normal(mean, std, replicates)
    keep = rng.random(replicates) >= drop_probability
    return variance_estimate(np.where(keep, x / (1 - drop_probability), 0.0))
