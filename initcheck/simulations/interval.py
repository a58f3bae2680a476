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
            name="smallest |w| (grid step 1e-3) where max_a |wσ'(wa)| ≥ 1",
            measure=lambda rng: sim_interval.threshold_weight(),
            theory=lambda: float(interval.threshold_weight()),
            foil_label="threshold 2",
            tolerance=1.01e-3,
            tolerance_reason="one grid step of |w|",
            foil_value=lambda: 2.0,
        ),
    )
)


GRAD_INTERVAL = SimulationCheck(
    tuple(
        ExactCase(
            name=f"|w| = {w}: measured width on a 1e-6 grid in a",
            measure=lambda rng, w=w: sim_interval.measured_width(w),
            theory=lambda w=w: float(interval.nielsen_width(interval.W).subs(interval.W, sp.nsimplify(w))),
            foil_label="(1/|w|)·ln(…): the factor 2 dropped",
            tolerance=2.5e-6,
            tolerance_reason="two grid cells (each end of the interval can be off by one cell) plus float rounding",
            foil_value=lambda w=w: float(interval.nielsen_width(interval.W).subs(interval.W, sp.nsimplify(w))) / 2,
        )
        for w in (4.5, 6.9, 10.0, 40.0)
    )
)


GRAD_INTERVAL_MAX = SimulationCheck(
    (
        ExactCase(
            name="argmax of the root-found width (scipy bounded search)",
            measure=lambda rng: sim_interval.width_maximum()[0],
            theory=lambda: float(interval.width_maximum(40)[0]),
            foil_label="maximum at the threshold |w| = 4",
            tolerance=1e-6,
            tolerance_reason="the width is flat at its maximum: an argmax error δ costs only O(δ²) in width, so 1e-6 is what xatol 1e-10 buys",
            foil_value=lambda: 4.0,
        ),
        ExactCase(
            name="max of the root-found width",
            measure=lambda rng: sim_interval.width_maximum()[1],
            theory=lambda: float(interval.width_maximum(40)[1]),
            foil_label="the width without its factor 2",
            tolerance=1e-12,
            tolerance_reason="brentq roots to 1e-15 relative; the maximum value is insensitive to the argmax error",
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
            name=f"w₁ = {w1}: max error on [0,1] against the bound",
            measure=lambda rng, w1=w1: sim_interval.identity_max_error(w1) - _identity_bound(w1),
            theory=lambda: 0.0,
            foil_label="bound w₁²/192 (half the derived one)",
            tolerance=0.0,
            tolerance_reason="one-sided: a grid maximum is at most the true maximum, so measured − bound must be ≤ 0",
            foil_measure=lambda rng, w1=w1: sim_interval.identity_max_error(w1) - _identity_bound(w1) / 2,
            one_sided=True,
        )
        for w1 in (0.1, 0.5, 1.0, 2.0)
    )
)
