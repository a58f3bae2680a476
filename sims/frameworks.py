"""Estimates from what a framework's dropout returned (FW-DROPOUT-API): the kept fraction and the agreement of two masks.

The masks come from the frameworks (initcheck.conformance.frameworks); here they are only counted. Each unit of a mask
is an independent Bernoulli draw under the stated law, so the units are the replicates and the SE is s/√n.
"""

from __future__ import annotations

import numpy as np

from initcheck.sims.stats import Estimate, mean_estimate


def kept_fraction(output: np.ndarray) -> Estimate:
    """The fraction of units a dropout call left non-zero (its input has no zeros), with the binomial SE √(p̂(1 − p̂)/n)."""
    return mean_estimate(np.asarray(output).ravel() != 0, "fraction of non-zero units, binomial SE")


def mask_agreement(first: np.ndarray, second: np.ndarray) -> Estimate:
    """The fraction of units on which two dropout calls agree (both kept or both zeroed), with its binomial SE."""
    a, b = np.asarray(first).ravel() != 0, np.asarray(second).ravel() != 0
    return mean_estimate(a == b, "fraction of units on which two masks agree, binomial SE")


def kept_values(output: np.ndarray) -> np.ndarray:
    """The distinct non-zero values of a dropout call on an all-ones input: the scale it applies to kept units."""
    values = np.asarray(output, dtype=np.float64).ravel()
    return np.unique(values[values != 0])
