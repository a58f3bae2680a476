# mypy: disable-error-code="misc"
"""Simulation cases for VAR-GLOROT-STANDARD: 5-layer tanh nets of width 256 against the mean-field path.

The mean-field values are the infinite-width limit. At width 256 the finite-width gap is 0.2-0.6% relative (measured over
3000 nets per case, seed 1: |gap| ≤ 1.2 SE there), 0.4 SE at the 300 nets used here (SE 0.8-1.5% relative, the per-net
relative sd being 0.13-0.25), far inside the |z| ≤ 5 rule; the relative MDE at power 0.999 is (5 + 3.09)·SE ≤ 12%.
NETS is a mean over whole nets, so it is sized for the calibration too: at 1/10 size the z of 64 nets (6 nets, t with
5 df and skewed per-net values) had sd 1.55 over 100 seeds; 300 nets keep 30 there (t with 29 df, sd ≈ 1.04), as
VAR-DEPTH's MIN_NETS does. The foils (the linear-regime value, or 'level') sit ≥ 80 SE away.
"""

from __future__ import annotations

from collections.abc import Callable

from initcheck.sims import glorot_standard as sim
from initcheck.simulations import SimulationCheck, StatisticalCase
from initcheck.theory import glorot_standard as gs

WIDTH, DEPTH, NETS = 256, 5, 300

MDE_BOUND = 0.15
MDE_REASON = "a moment after 5 layers over 300 whole nets (per-net relative sd up to 0.25): a 2% error per layer compounds to ~10%, which this detects; each foil sits ≥ 80 SE away"


def _case(name: str, init: str, direction: str, layer: int, foil: Callable[[], float], foil_label: str) -> StatisticalCase:
    """E[z_layer²] ("forward") or E[δ_layer²] ("backward") of width-256 tanh nets against the mean-field path at that layer."""
    return StatisticalCase(
        name=name,
        estimate=lambda rng, r: sim.layer_moment(rng, init=init, width=WIDTH, depth=DEPTH, layer=layer, direction=direction, replicates=r),
        replicates=NETS,
        theory=lambda: gs.mean_field(init, DEPTH)[direction][layer - 1],
        foil=foil,
        foil_label=foil_label,
        relative_mde_bound=MDE_BOUND,
        relative_mde_reason=MDE_REASON,
    )


VAR_GLOROT_STANDARD = SimulationCheck(
    (
        _case("standard U[±1/√n], width 256: E[z₅²] at the fifth tanh layer", "standard", "forward", 5,
              lambda: (1 / 3) ** 5, "linear regime, (1/3)⁵ (tanh's compression ignored)"),
        _case("standard U[±1/√n], width 256: E[δ₁²] back-propagated to the first layer", "standard", "backward", 1,
              lambda: gs.mean_field("standard", DEPTH)["backward"][4], "level: the top layer's value"),
        _case("normalized (Xavier), width 256: E[δ₁²] back-propagated to the first layer", "normalized", "backward", 1,
              lambda: gs.mean_field("normalized", DEPTH)["backward"][4], "level: the top layer's value"),
    )
)  # fmt: skip
