# mypy: disable-error-code="misc"
# (mypy cannot type lambdas that bind loop variables through default arguments; the dataclass fields state the types.)
"""Simulation cases for GRAD-CHAIN, GRAD-MATRIX, GRAD-EXPLODE, GRAD-BOUND and GRAD-ACTIVATION: `sims.gradients` and `sims.chain` against `theory.gradients` and `theory.chain`."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from initcheck.recorded import histogram
from initcheck.sims import chain as sim_chain
from initcheck.sims import gradients as sim_gradients
from initcheck.sims.stats import mean_estimate
from initcheck.simulations import ExactCase, SimulationCheck, StatisticalCase

_FD_REASON = "complex-step derivative (h = 1e-30) has no cancellation: both sides agree to a few ulps, 1e-12 leaves room for depth 8"
GRAD_CHAIN = SimulationCheck(
    tuple(
        ExactCase(
            name=f"depth {depth}: product formula vs complex-step derivative (200 random chains)",
            measure=lambda rng, depth=depth: sim_gradients.chain_relative_error(rng, depth=depth, replicates=200),
            theory=lambda: 0.0,
            foil_label="formula without σ'(z₁)",
            tolerance=1e-12,
            tolerance_reason=_FD_REASON,
            foil_measure=lambda rng, depth=depth: sim_gradients.chain_relative_error(rng, depth=depth, replicates=200, skip_first=True),
        )
        for depth in (2, 4, 8)
    )
)
GRAD_MATRIX = SimulationCheck(
    (
        ExactCase(
            name="[5,4,4,3] nets: eq. 124 vs complex-step derivative (50 random nets)",
            measure=lambda rng: sim_gradients.matrix_relative_error(rng, sizes=(5, 4, 4, 3), replicates=50),
            theory=lambda: 0.0,
            foil_label="W in place of Wᵀ",
            tolerance=1e-12,
            tolerance_reason=_FD_REASON,
            foil_measure=lambda rng: sim_gradients.matrix_relative_error(rng, sizes=(4, 4, 4, 4), replicates=50, transpose=False),
        ),
    )
)
GRAD_EXPLODE = SimulationCheck(
    (
        ExactCase(
            name="10-layer chain, w = 100, z = 0: largest |ratio − 25|",
            measure=lambda rng: max(abs(r - 25.0) for r in sim_gradients.explode_ratios(depth=10)),
            theory=lambda: 0.0,
            foil_label="factor 100·σ(0) = 50: |ratio − 25| would be 25",
            tolerance=1e-12,
            tolerance_reason="z = 100a − 100a is exactly 0 in floating point, so σ'(0) = 0.25 and each ratio is 25 up to one rounding",
            foil_value=lambda: 25.0,
        ),
    )
)


def _usually(key: str) -> float:
    from initcheck.theory.gradients import factor_statistics

    return float(factor_statistics()[key])


def _chain(activation: str, key: str) -> float:
    from initcheck.theory.chain import chain_factor_statistics

    return float(chain_factor_statistics(activation)[key])


def factor_distribution(rng: np.random.Generator, *, samples: int = 200_000) -> dict[str, Any]:
    """For fig-factor: the histogram of log₁₀|wσ'(wa + b)|, w, b ~ N(0,1), a ~ U[0,1), and the sampled share below 1/4."""
    factors = sim_gradients.factor_samples(rng, replicates=samples)
    positive = factors[factors > 0]
    return {
        "figures": {
            "fig-factor": {
                "log10_factor": histogram(np.log10(positive), bins=120),
                "samples": samples,
                "zero_factors": samples - len(positive),  # σ' underflows to 0 far in the tails: no logarithm
                "fraction_below_quarter": float(np.mean(factors < 0.25)),
            }
        }
    }


# A deep sigmoid chain (60 layers, the first 10 discarded) with fresh w, b ~ N(0,1): each layer's input a = σ(z) has
# the chain's stationary law, not U[0,1). Foil: the same statistic with a ~ U[0,1) (theory.gradients.factor_statistics).
GRAD_BOUND = SimulationCheck(
    (
        StatisticalCase(
            name="deep sigmoid chain: P(|wσ'(z)| < 1/4) in the stationary law",
            estimate=lambda rng, r: sim_chain.fraction_below(rng, threshold=0.25, activation="sigmoid", chains=r),
            replicates=40_000,
            theory=lambda: _chain("sigmoid", "fraction_below_quarter"),
            foil=lambda: _usually("fraction_below_quarter"),
            foil_label="inputs a ~ U[0,1) in place of the chain's stationary law",
        ),
        StatisticalCase(
            name="deep sigmoid chain: E log|wσ'(z)|, the per-layer log-decay of the gradient",
            estimate=lambda rng, r: sim_chain.mean_log_factor(rng, activation="sigmoid", chains=r),
            replicates=80_000,
            theory=lambda: _chain("sigmoid", "mean_log_factor"),
            foil=lambda: _usually("mean_log_factor"),
            foil_label="inputs a ~ U[0,1) in place of the chain's stationary law",
        ),
        StatisticalCase(
            name="one neuron, a ~ U[0,1): P(|wσ'(wa+b)| < 1/4)",
            estimate=lambda rng, r: sim_gradients.factor_statistics(rng, replicates=r)["fraction_below_quarter"],
            replicates=1_000_000,
            theory=lambda: _usually("fraction_below_quarter"),
            foil=lambda: float(sp.erf(1 / sp.sqrt(2))),
            foil_label="only |w| < 1 counts: P(|w| < 1) = 0.6827",
        ),
    ),
    measurements=factor_distribution,
)


GRAD_ACTIVATION = SimulationCheck(
    (
        StatisticalCase(
            name="f = 4σ (f' peaks at 1): E log|w f'(wa+b)|, w, b ~ N(0,1), a ~ U[0,1)",
            estimate=lambda rng, r: mean_estimate(np.log(4.0 * sim_gradients.factor_samples(rng, replicates=r))),
            replicates=1_000_000,
            theory=lambda: _usually("mean_log_factor") + float(sp.log(4)),  # f' = 4σ': the same factors, shifted by log 4
            foil=lambda: 0.0,
            foil_label="a larger derivative cures it: E log|w f'| = 0 (no geometric change with depth)",
        ),
        StatisticalCase(
            name="deep tanh chain (tanh' peaks at 1): E log|w tanh'(z)| in the stationary law",
            estimate=lambda rng, r: sim_chain.mean_log_factor(rng, activation="tanh", chains=r),
            replicates=40_000,
            theory=lambda: _chain("tanh", "mean_log_factor"),
            foil=lambda: 0.0,
            foil_label="a larger derivative cures it: E log|w f'| = 0 (no geometric change with depth)",
        ),
    )
)
