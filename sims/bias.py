"""Bias initialization in Nielsen's network (source 004, ch. 3): the same weights with b ~ N(0, 1) and with b = 0.

Pairing the two bias inits on one weight draw makes the accuracy gap a paired difference: the seed-to-seed spread of
the weights, common to both, drops out of it.
"""

from __future__ import annotations

import numpy as np

from initcheck.sims.nielsen import Networks, initialize


def paired_networks(rng: np.random.Generator, *, sizes: tuple[int, ...], count: int, weights: str) -> tuple[Networks, Networks]:
    """(zero-bias networks, N(0,1)-bias networks): `count` weight draws ("scaled" N(0, 1/n_in) or "large" N(0, 1)), each twice."""
    standard = initialize(rng, sizes=sizes, count=count, weights=weights)
    zero = Networks([w.copy() for w in standard.weights], [np.zeros_like(b) for b in standard.biases])
    return zero, standard


def paired_gap(zero_accuracy: np.ndarray, standard_accuracy: np.ndarray) -> np.ndarray:
    """Accuracy with b ~ N(0,1) minus accuracy with b = 0, per weight draw (the last axis)."""
    return np.asarray(standard_accuracy) - np.asarray(zero_accuracy)
