# mypy: disable-error-code="misc"
# (mypy cannot type lambdas that bind loop variables through default arguments; the dataclass fields state the types.)
"""Simulation cases for GRAD-W4, GRAD-INTERVAL, GRAD-INTERVAL-MAX and GRAD-IDENTITY: grids and root finding (`sims.interval`) against `theory.interval`."""

from __future__ import annotations

import sympy as sp

from initcheck.sims import interval as sim_interval
from initcheck.simulations import ExactCase, SimulationCheck
from initcheck.theory import interval

GRAD_W4 = SimulationCheck(
    (
        ExactCase(
            "smallest |w| (grid step 1e-3) where max_a |wσ'(wa)| ≥ 1",
            lambda rng: sim_interval.threshold_weight(),
            lambda: float(interval.threshold_weight()),
            "threshold 2",
            1.01e-3,
            "one grid step of |w|",
            foil_value=lambda: 2.0,
        ),
    )
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
    )
)


GRAD_INTERVAL_MAX = SimulationCheck(
    (
        ExactCase(
            "argmax of the root-found width (scipy bounded search)",
            lambda rng: sim_interval.width_maximum()[0],
            lambda: float(interval.width_maximum(40)[0]),
            "maximum at the threshold |w| = 4",
            1e-6,
            "the width is flat at its maximum: an argmax error δ costs only O(δ²) in width, so 1e-6 is what xatol 1e-10 buys",
            foil_value=lambda: 4.0,
        ),
        ExactCase(
            "max of the root-found width",
            lambda rng: sim_interval.width_maximum()[1],
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
