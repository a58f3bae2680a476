"""Deep chains of single neurons with fresh w, b ~ N(0,1) per layer: the per-layer gradient factors |w_j f'(z_j)| (GRAD-BOUND).

Factors along one chain are dependent (each z_j depends on z_{j−1}), so one chain is one replicate: its factors after
a burn-in are averaged, and the standard error is taken across independent chains.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from initcheck.sims.activations import sigmoid
from initcheck.sims.stats import Estimate, mean_estimate

_PRIME: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sigmoid": lambda a: a * (1.0 - a),  # σ' written in σ
    "tanh": lambda a: 1.0 - a * a,
}
_ACTIVATE: dict[str, Callable[[np.ndarray], np.ndarray]] = {"sigmoid": sigmoid, "tanh": np.tanh}


def chain_factors(rng: np.random.Generator, *, activation: str, chains: int, depth: int, burn_in: int) -> np.ndarray:
    """|w_j f'(z_j)| for layers burn_in+1..depth of `chains` independent chains: an array (chains, depth − burn_in).

    z_j = w_j·f(z_{j−1}) + b_j with z₀ ~ N(0, 1); the burn-in lets the chain reach its stationary law.
    """
    if activation not in _PRIME:
        raise ValueError(f"unknown activation {activation!r}: expected 'sigmoid' or 'tanh'")
    if not 0 <= burn_in < depth:
        raise ValueError(f"burn_in must be in [0, depth), got burn_in={burn_in}, depth={depth}")
    a = _ACTIVATE[activation](rng.normal(size=chains))
    out = np.empty((chains, depth - burn_in))
    for layer in range(depth):
        w = rng.normal(size=chains)
        a = _ACTIVATE[activation](w * a + rng.normal(size=chains))
        if layer >= burn_in:
            out[:, layer - burn_in] = np.abs(w * _PRIME[activation](a))
    return out


def fraction_below(
    rng: np.random.Generator, *, threshold: float, activation: str, chains: int, depth: int = 60, burn_in: int = 10
) -> Estimate:
    """P(|w f'(z)| < threshold) in the stationary chain: per-chain fractions averaged over independent chains."""
    factors = chain_factors(rng, activation=activation, chains=chains, depth=depth, burn_in=burn_in)
    return mean_estimate(np.mean(factors < threshold, axis=1), "mean over independent chains of the per-chain fraction")


def mean_log_factor(rng: np.random.Generator, *, activation: str, chains: int, depth: int = 60, burn_in: int = 10) -> Estimate:
    """E log|w f'(z)|, the gradient's per-layer log-decay: (1/L)·log|∂C/∂b_first / ∂C/∂b_last| averaged over chains."""
    factors = chain_factors(rng, activation=activation, chains=chains, depth=depth, burn_in=burn_in)
    return mean_estimate(np.mean(np.log(factors), axis=1), "mean over independent chains of the per-chain mean log factor")
