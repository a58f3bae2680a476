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

from initcheck.sims import glorot_standard as sim
from initcheck.simulations import SimulationCheck, StatisticalCase
from initcheck.theory import glorot_standard as gs

WIDTH, DEPTH, NETS = 256, 5, 300

VAR_GLOROT_STANDARD = SimulationCheck(
    (
        StatisticalCase(
            name="standard U[±1/√n], width 256: E[z₅²] at the fifth tanh layer",
            estimate=lambda rng, r: sim.layer_moment(rng, init="standard", width=WIDTH, depth=DEPTH, layer=5, direction="forward", replicates=r),
            replicates=NETS,
            theory=lambda: gs.mean_field("standard", DEPTH)["forward"][4],
            foil=lambda: (1 / 3) ** 5,
            foil_label="linear regime, (1/3)⁵ (tanh's compression ignored)",
            relative_mde_bound=0.15,
            relative_mde_reason="a moment after 5 layers over 300 whole nets (per-net relative sd up to 0.25): a 2% error per layer compounds to ~10%, which this detects; each foil sits ≥ 80 SE away",
        ),
        StatisticalCase(
            name="standard U[±1/√n], width 256: E[δ₁²] back-propagated to the first layer",
            estimate=lambda rng, r: sim.layer_moment(rng, init="standard", width=WIDTH, depth=DEPTH, layer=1, direction="backward", replicates=r),
            replicates=NETS,
            theory=lambda: gs.mean_field("standard", DEPTH)["backward"][0],
            foil=lambda: gs.mean_field("standard", DEPTH)["backward"][4],
            foil_label="level: the top layer's value",
            relative_mde_bound=0.15,
            relative_mde_reason="a moment after 5 layers over 300 whole nets (per-net relative sd up to 0.25): a 2% error per layer compounds to ~10%, which this detects; each foil sits ≥ 80 SE away",
        ),
        StatisticalCase(
            name="normalized (Xavier), width 256: E[δ₁²] back-propagated to the first layer",
            estimate=lambda rng, r: sim.layer_moment(rng, init="normalized", width=WIDTH, depth=DEPTH, layer=1, direction="backward", replicates=r),
            replicates=NETS,
            theory=lambda: gs.mean_field("normalized", DEPTH)["backward"][0],
            foil=lambda: gs.mean_field("normalized", DEPTH)["backward"][4],
            foil_label="level: the top layer's value",
            relative_mde_bound=0.15,
            relative_mde_reason="a moment after 5 layers over 300 whole nets (per-net relative sd up to 0.25): a 2% error per layer compounds to ~10%, which this detects; each foil sits ≥ 80 SE away",
        ),
    )
)
