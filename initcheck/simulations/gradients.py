# mypy: disable-error-code="misc"
# (mypy cannot type lambdas that bind loop variables through default arguments; the dataclass fields state the types.)
"""Simulation cases for the gradients claims: each pairs a `sims/` estimator with a `theory/` value (see the package docstring)."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from initcheck.recorded import histogram, rounded
from initcheck.sims import chain as sim_chain
from initcheck.sims import gradients as sim_gradients
from initcheck.sims import interval as sim_interval
from initcheck.sims.stats import mean_estimate
from initcheck.simulations import ExactCase, SimulationCheck, StatisticalCase
from initcheck.theory import interval

_FD_REASON = "complex-step derivative (h = 1e-30) has no cancellation: both sides agree to a few ulps, 1e-12 leaves room for depth 8"
GRAD_CHAIN = SimulationCheck(
    tuple(
        ExactCase(
            f"depth {depth}: product formula vs complex-step derivative (200 random chains)",
            lambda rng, depth=depth: sim_gradients.chain_relative_error(rng, depth=depth, replicates=200),
            lambda: 0.0,
            "formula without σ'(z₁)",
            1e-12,
            _FD_REASON,
            foil_measure=lambda rng, depth=depth: sim_gradients.chain_relative_error(rng, depth=depth, replicates=200, skip_first=True),
        )
        for depth in (2, 4, 8)
    )
)
GRAD_MATRIX = SimulationCheck(
    (
        ExactCase(
            "[5,4,4,3] nets: eq. 124 vs complex-step derivative (50 random nets)",
            lambda rng: sim_gradients.matrix_relative_error(rng, sizes=(5, 4, 4, 3), replicates=50),
            lambda: 0.0,
            "W in place of Wᵀ",
            1e-12,
            _FD_REASON,
            foil_measure=lambda rng: sim_gradients.matrix_relative_error(rng, sizes=(4, 4, 4, 4), replicates=50, transpose=False),
        ),
    )
)
GRAD_EXPLODE = SimulationCheck(
    (
        ExactCase(
            "10-layer chain, w = 100, z = 0: largest |ratio − 25|",
            lambda rng: max(abs(r - 25.0) for r in sim_gradients.explode_ratios(depth=10)),
            lambda: 0.0,
            "factor 100·σ(0) = 50: |ratio − 25| would be 25",
            1e-12,
            "z = 100a − 100a is exactly 0 in floating point, so σ'(0) = 0.25 and each ratio is 25 up to one rounding",
            foil_value=lambda: 25.0,
        ),
    )
)


def interval_region(rng: np.random.Generator) -> dict[str, Any]:
    """For fig-interval (left): |w|σ'(|w|a) on a (|w|, a) grid (b = 0 only shifts a), and where it equals 1 (brentq roots)."""
    del rng  # a grid and roots: nothing random
    abs_w, a = np.linspace(0.5, 12.0, 24), np.linspace(-1.0, 1.0, 17)  # a colour map under the exact boundary: coarse is enough
    ends_w = 4.0 + 8.0 * np.linspace(0.0, 1.0, 41) ** 2  # dense near |w| = 4, where the interval opens like √(|w| − 4)
    half = np.array([sim_interval.width_by_root(w) / 2 for w in ends_w])
    return {
        "figures": {
            "fig-interval": {
                "abs_w": rounded(abs_w),
                "a": rounded(a),
                "value": rounded(abs_w[None, :] * sim_interval.sigmoid_prime(abs_w[None, :] * a[:, None]), 3),  # rows a, columns |w|; a colour map
                "boundary": {"abs_w": rounded(ends_w), "lower_a": rounded(-half), "upper_a": rounded(half)},
            }
        }
    }


def interval_widths(rng: np.random.Generator) -> dict[str, Any]:
    """For fig-interval (right): eq. 123 along |w| ∈ [4, 30] (theory) and the root-found width at a few |w| (sims)."""
    del rng
    abs_w = 4.0 + 26.0 * np.linspace(0.0, 1.0, 81) ** 2  # dense near 4, where the width rises like √(|w| − 4)
    width = sp.lambdify(interval.W, interval.nielsen_width(interval.W), "numpy")
    measured_w = np.array([4.5, 5.0, 6.0, 7.0, 8.0, 10.0, 13.0, 17.0, 22.0, 30.0])
    return {
        "figures": {
            "fig-interval": {
                "abs_w": rounded(abs_w),
                "width_eq123": rounded(width(abs_w)),
                "measured": {"abs_w": rounded(measured_w), "width": rounded([sim_interval.width_by_root(w) for w in measured_w])},
            }
        }
    }


GRAD_W4 = SimulationCheck(
    (
        ExactCase(
            "smallest |w| (grid step 1e-3) where max_a |wσ'(wa)| ≥ 1",
            lambda rng: sim_interval.threshold_weight(),
            lambda: float(interval.check_w4(sp.Integer(4)).details["threshold"]),
            "threshold 2",
            1.01e-3,
            "one grid step of |w|",
            foil_value=lambda: 2.0,
        ),
    ),
    measurements=interval_region,
)
GRAD_INTERVAL = SimulationCheck(
    tuple(
        ExactCase(
            f"|w| = {w}: measured width on a 1e-6 grid in a",
            lambda rng, w=w: sim_interval.measured_width(w),
            lambda w=w: float(interval.nielsen_width(interval.W).subs(interval.W, sp.nsimplify(w))),
            "(1/|w|)·ln(…): the factor 2 dropped",
            2.5e-6,
            "two grid cells (each end of the interval can be off by one cell) plus float rounding",
            foil_value=lambda w=w: float(interval.nielsen_width(interval.W).subs(interval.W, sp.nsimplify(w))) / 2,
        )
        for w in (4.5, 6.9, 10.0, 40.0)
    ),
    measurements=interval_widths,
)
GRAD_INTERVAL_MAX = SimulationCheck(
    (
        ExactCase(
            "argmax of the root-found width (scipy bounded search)",
            lambda rng: sim_interval.width_argmax()[0],
            lambda: float(interval.width_maximum(40)[0]),
            "maximum at the threshold |w| = 4",
            1e-6,
            "the width is flat at its maximum: an argmax error δ costs only O(δ²) in width, so 1e-6 is what xatol 1e-10 buys",
            foil_value=lambda: 4.0,
        ),
        ExactCase(
            "max of the root-found width",
            lambda rng: sim_interval.width_argmax()[1],
            lambda: float(interval.width_maximum(40)[1]),
            "the width without its factor 2",
            1e-12,
            "brentq roots to 1e-15 relative; the maximum value is insensitive to the argmax error",
            foil_value=lambda: float(interval.width_maximum(40)[1]) / 2,
        ),
    )
)


def _identity_bound(w1: float) -> float:
    parts = interval.identity_neuron()
    return float(parts["bound"].subs(parts["w1"], sp.nsimplify(w1)))


GRAD_IDENTITY = SimulationCheck(
    tuple(
        ExactCase(
            f"w₁ = {w1}: max error on [0,1] against the bound",
            lambda rng, w1=w1: sim_interval.identity_max_error(w1) - _identity_bound(w1),
            lambda: 0.0,
            "bound w₁²/192 (half the derived one)",
            0.0,
            "one-sided: a grid maximum is at most the true maximum, so measured − bound must be ≤ 0",
            foil_measure=lambda rng, w1=w1: sim_interval.identity_max_error(w1) - _identity_bound(w1) / 2,
            one_sided=True,
        )
        for w1 in (0.1, 0.5, 1.0, 2.0)
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
            "deep sigmoid chain: P(|wσ'(z)| < 1/4) in the stationary law",
            lambda rng, r: sim_chain.fraction_below(rng, threshold=0.25, activation="sigmoid", chains=r),
            40_000,
            lambda: _chain("sigmoid", "fraction_below_quarter"),
            lambda: _usually("fraction_below_quarter"),
            "inputs a ~ U[0,1) in place of the chain's stationary law",
        ),
        StatisticalCase(
            "deep sigmoid chain: E log|wσ'(z)|, the per-layer log-decay of the gradient",
            lambda rng, r: sim_chain.mean_log_factor(rng, activation="sigmoid", chains=r),
            80_000,
            lambda: _chain("sigmoid", "mean_log_factor"),
            lambda: _usually("mean_log_factor"),
            "inputs a ~ U[0,1) in place of the chain's stationary law",
        ),
        StatisticalCase(
            "one neuron, a ~ U[0,1): P(|wσ'(wa+b)| < 1/4)",
            lambda rng, r: mean_estimate(sim_gradients.factor_samples(rng, replicates=r) < 0.25),
            1_000_000,
            lambda: _usually("fraction_below_quarter"),
            lambda: float(sp.erf(1 / sp.sqrt(2))),
            "only |w| < 1 counts: P(|w| < 1) = 0.6827",
        ),
    ),
    measurements=factor_distribution,
)


GRAD_ACTIVATION = SimulationCheck(
    (
        StatisticalCase(
            "f = 4σ (f' peaks at 1): E log|w f'(wa+b)|, w, b ~ N(0,1), a ~ U[0,1)",
            lambda rng, r: mean_estimate(np.log(4.0 * sim_gradients.factor_samples(rng, replicates=r))),
            1_000_000,
            lambda: _usually("mean_log_factor") + float(sp.log(4)),  # f' = 4σ': the same factors, shifted by log 4
            lambda: 0.0,
            "a larger derivative cures it: E log|w f'| = 0 (no geometric change with depth)",
        ),
        StatisticalCase(
            "deep tanh chain (tanh' peaks at 1): E log|w tanh'(z)| in the stationary law",
            lambda rng, r: sim_chain.mean_log_factor(rng, activation="tanh", chains=r),
            40_000,
            lambda: _chain("tanh", "mean_log_factor"),
            lambda: 0.0,
            "a larger derivative cures it: E log|w f'| = 0 (no geometric change with depth)",
        ),
    )
)
