# mypy: disable-error-code="misc"
"""Simulation cases for VAR-GLOROT-STANDARD: 5-layer tanh nets of width 256 against the mean-field path.

The mean-field values are the infinite-width limit; at width 256 the measured gap is within 2 SE at 64 nets (SE 2.3-3.5%
relative, so the relative MDE is 18-29%: a per-layer error compounds over the depth, as in VAR-DEPTH), well inside the
|z| ≤ 5 rule; the foils (the linear-regime value, or 'level') sit ≥ 39 SE away.
"""

from __future__ import annotations

from initcheck.sims import glorot_standard as sim
from initcheck.simulations import SimulationCheck, StatisticalCase
from initcheck.theory import glorot_standard as gs

WIDTH, DEPTH, NETS = 256, 5, 64

VAR_GLOROT_STANDARD = SimulationCheck(
    (
        StatisticalCase(
            name="standard U[±1/√n], width 256: E[z₅²] at the fifth tanh layer",
            estimate=lambda rng, r: sim.layer_moment(rng, init="standard", width=WIDTH, depth=DEPTH, layer=5, direction="forward", replicates=r),
            replicates=NETS,
            theory=lambda: gs.mean_field("standard", DEPTH)["forward"][4],
            foil=lambda: (1 / 3) ** 5,
            foil_label="linear regime, (1/3)⁵ (tanh's compression ignored)",
            relative_mde_bound=0.3,
            relative_mde_reason="a moment after 5 layers over 64 whole nets: a 2% error per layer compounds to ~10%, and each foil sits ≥ 39 SE away",
        ),
        StatisticalCase(
            name="standard U[±1/√n], width 256: E[δ₁²] back-propagated to the first layer",
            estimate=lambda rng, r: sim.layer_moment(rng, init="standard", width=WIDTH, depth=DEPTH, layer=1, direction="backward", replicates=r),
            replicates=NETS,
            theory=lambda: gs.mean_field("standard", DEPTH)["backward"][0],
            foil=lambda: gs.mean_field("standard", DEPTH)["backward"][4],
            foil_label="level: the top layer's value",
            relative_mde_bound=0.3,
            relative_mde_reason="a moment after 5 layers over 64 whole nets: a 2% error per layer compounds to ~10%, and each foil sits ≥ 39 SE away",
        ),
        StatisticalCase(
            name="normalized (Xavier), width 256: E[δ₁²] back-propagated to the first layer",
            estimate=lambda rng, r: sim.layer_moment(rng, init="normalized", width=WIDTH, depth=DEPTH, layer=1, direction="backward", replicates=r),
            replicates=NETS,
            theory=lambda: gs.mean_field("normalized", DEPTH)["backward"][0],
            foil=lambda: gs.mean_field("normalized", DEPTH)["backward"][4],
            foil_label="level: the top layer's value",
            relative_mde_bound=0.3,
            relative_mde_reason="a moment after 5 layers over 64 whole nets: a 2% error per layer compounds to ~10%, and each foil sits ≥ 39 SE away",
        ),
    )
)
