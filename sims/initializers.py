"""Glorot and He initializers, sampled (Glorot & Bengio 2010, eq. 16; He et al. 2015, eq. 7).

The layer-level gains of these initializers are measured with `sims.variance.forward_gain` and `backward_gain`;
this module holds the two one-dimensional estimators the GLOROT-UNIFORM and HE-VAR checks pair with theory.
"""

from __future__ import annotations

import numpy as np

from initcheck.sims.stats import Estimate, mean_estimate, variance_estimate


def uniform_variance(rng: np.random.Generator, *, limit: float, replicates: int) -> Estimate:
    """Var(w) for w ~ U[−a, a], a = `limit`, from independent draws (theory: a²/3, Glorot & Bengio 2010, eq. 16)."""
    return variance_estimate(rng.uniform(-limit, limit, replicates))


def relu_second_moment(rng: np.random.Generator, *, variance: float, replicates: int) -> Estimate:
    """E[relu(y)²] for y ~ N(0, variance), from independent draws (theory: variance·relu_second_moment = variance/2, He et al. 2015, eq. 7)."""
    return mean_estimate(np.maximum(rng.normal(0, np.sqrt(variance), replicates), 0) ** 2)
