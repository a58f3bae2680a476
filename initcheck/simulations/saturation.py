# mypy: disable-error-code="misc"
# (mypy cannot type lambdas that bind loop variables through default arguments; the dataclass fields state the types.)
"""Simulation cases for VAR-KROHN-SATURATION: Krohn's 784 → 256 layer sampled (`sims.saturation`) against `theory.saturation`."""

from __future__ import annotations

import mpmath

from initcheck.sims import saturation as sim_saturation
from initcheck.simulations import SimulationCheck, StatisticalCase
from initcheck.theory import saturation


def _krohn_normal_foil() -> float:
    with mpmath.workdps(20):  # Var(x) = 1/12 in place of E[x²] = 1/3, normal approximation of z
        return float(2 * mpmath.ncdf(-mpmath.log(99) / mpmath.sqrt(mpmath.mpf(784) / 12)))


VAR_KROHN_SATURATION = SimulationCheck(
    (
        StatisticalCase(
            name="N(0,1) weights: saturated fraction",
            estimate=lambda rng, r: sim_saturation.saturated_fraction(rng, init="normal", replicates=r),
            replicates=1_000,
            theory=lambda: float(saturation.saturated_fraction("normal")[0]),
            foil=_krohn_normal_foil,
            foil_label="Var(x) = 1/12 in place of E[x²] = 1/3",
        ),
        *(
            StatisticalCase(
                name=f"{init}: E[z²]",
                estimate=lambda rng, r, init=init: sim_saturation.preactivation_second_moment(rng, init=init, replicates=r),
                replicates=1_600,
                theory=lambda: float(saturation.WEIGHT_VARIANCES["glorot_normal"] * 784 / 3),
                foil=lambda: float(saturation.WEIGHT_VARIANCES["glorot_normal"] * 784 / 12),
                foil_label="Var(x) = 1/12 in place of E[x²] = 1/3",
            )
            for init in ("glorot_normal", "glorot_uniform")
        ),
    )
)
