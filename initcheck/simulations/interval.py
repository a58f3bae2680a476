# mypy: disable-error-code="misc"
# (mypy cannot type lambdas that bind loop variables through default arguments; the dataclass fields state the types.)
"""Simulation cases for GRAD-W4, GRAD-INTERVAL and GRAD-INTERVAL-MAX: grids and root finding (`sims.interval`) against `theory.interval`."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from initcheck.recorded import rounded
from initcheck.sims import interval as sim_interval
from initcheck.simulations import ExactCase, SimulationCheck
from initcheck.theory import interval


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
            name="smallest |w| (grid step 1e-3) where max_a |wσ'(wa)| ≥ 1",
            measure=lambda rng: sim_interval.threshold_weight(),
            theory=lambda: float(interval.threshold_weight()),
            foil_label="threshold 2",
            tolerance=1.01e-3,
            tolerance_reason="one grid step of |w|",
            foil_value=lambda: 2.0,
        ),
    ),
    measurements=interval_region,
)


GRAD_INTERVAL = SimulationCheck(
    tuple(
        ExactCase(
            name=f"|w| = {w}: measured width on a 1e-6 grid in a",
            measure=lambda rng, w=w: sim_interval.interval_width(w),
            theory=lambda w=w: float(interval.nielsen_width(interval.W).subs(interval.W, sp.nsimplify(w))),
            foil_label="(1/|w|)·ln(…): the factor 2 dropped",
            tolerance=2.5e-6,
            tolerance_reason="two grid cells (each end of the interval can be off by one cell) plus float rounding",
            foil_value=lambda w=w: float(interval.nielsen_width(interval.W).subs(interval.W, sp.nsimplify(w))) / 2,
        )
        for w in (4.5, 6.9, 10.0, 40.0)
    ),
    measurements=interval_widths,
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
