# mypy: disable-error-code="misc"
"""Simulation cases for SAT-NIELSEN-FRACTION and SAT-LATER-LAYERS: sims.hidden_saturation against theory.hidden_saturation.

False-failure rate per case 2Φ(−5) ≈ 5.7e-7 and power ≥ 0.999 against the foil (sims.stats); each foil is the value
its plausible wrong formula predicts.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from initcheck.sims import hidden_saturation as sim
from initcheck.simulations import SimulationCheck, StatisticalCase
from initcheck.theory import hidden_saturation as hs

# SAT-LATER-LAYERS compares the finite-width estimate with the mean-field value. The exact width-30 fraction (Gil-Pelaez over
# the characteristic function of w·σ(z₁), computed once at 10 digits with mpmath, minutes) is 0.239827; the mean-field value
# 0.242644 is FINITE_WIDTH_GAP above it, under 0.3 of the case's standard error (≈ 0.0115 at 1000 replicates).
FINITE_WIDTH_GAP = 0.0029


def _erfc_fraction(variance: float) -> float:
    return float(mpmath.erfc(mpmath.log(99) / mpmath.sqrt(2 * variance)))


SAT_NIELSEN_FRACTION = SimulationCheck(
    (
        StatisticalCase(
            "N(0,1) weights and bias, 1000-input example: P(σ(z) within 0.01 of 0 or 1)",
            lambda rng, r: sim.first_layer_saturated_fraction(rng, weights="normal", bias=True, replicates=r),
            20_000,
            lambda: float(sp.N(hs.first_layer_saturated_fraction("normal", "standard_normal"), 15)),
            lambda: _erfc_fraction(1001),
            "Var(z) = 1001 (all 1000 inputs counted)",
        ),
        StatisticalCase(
            "N(0,1) weights, no bias: P(saturated)",
            lambda rng, r: sim.first_layer_saturated_fraction(rng, weights="normal", bias=False, replicates=r),
            20_000,
            lambda: float(sp.N(hs.first_layer_saturated_fraction("normal", "zero"), 15)),
            lambda: _erfc_fraction(1000),
            "Var(z) = 1000 (all 1000 inputs counted)",
        ),
        StatisticalCase(
            "N(0, 1/n_in) weights, N(0,1) bias: P(saturated) (bias integrated out exactly per weight draw)",
            lambda rng, r: sim.first_layer_saturated_fraction(rng, weights="scaled", bias=True, replicates=r),
            20_000,
            lambda: float(sp.N(hs.first_layer_saturated_fraction("scaled", "standard_normal"), 15)),
            lambda: _erfc_fraction(2),
            "Var(z) = 2 (all 1000 inputs counted)",
        ),
    )
)

SAT_LATER_LAYERS = SimulationCheck(
    (
        StatisticalCase(
            "layer-2 unit, N(0,1) weights everywhere, fed by 30 layer-1 units on the 1000-input example: P(saturated)",
            lambda rng, r: sim.second_layer_saturated_fraction(rng, width=30, weights="normal", replicates=r),
            1_000,
            lambda: hs.second_layer_mean_field_fraction(30),
            lambda: float(sp.N(hs.first_layer_saturated_fraction("normal", "standard_normal"), 15)),
            "as saturated as the first layer (0.837)",
        ),
    ),
    measurements=lambda rng: {
        "layer2_mean_distance_to_edge_width_30": vars(sim.second_layer_edge_distance(rng, width=30, replicates=1000)),
        "finite_width_gap_width_30": FINITE_WIDTH_GAP,
    },
)
