# mypy: disable-error-code="misc"
# (mypy cannot type lambdas that bind loop variables through default arguments; the dataclass fields state the types.)
"""Simulation cases for the variance claims (VAR-SUM, VAR-NIELSEN-*, VAR-CALIBRATED, VAR-BACKWARD): `sims.variance` against `theory.variance`.

`layer_case` and `layer_gain` (one sampled layer against n·Var(w)) also serve `initcheck.simulations.initializers`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import sympy as sp

from initcheck.recorded import histogram, rounded
from initcheck.sims import variance as sim_variance
from initcheck.simulations import SimulationCheck, StatisticalCase
from initcheck.theory import variance


def _forward(n: int, mw: float, vw: float, mx: float, vx: float, vb: float) -> float:
    return float(variance.forward_variance(n, sp.nsimplify(mw), sp.nsimplify(vw), sp.nsimplify(mx), sp.nsimplify(vx), sp.nsimplify(vb)))


U01_MEAN, U01_VAR = 0.5, 1.0 / 12.0  # moments of U[0,1): inputs of the VAR-SUM cases
N_IN, N_OUT = 64, 256  # unequal fans: fan_in-for-fan_out mistakes change the answer by 4x

VAR_SUM = SimulationCheck(
    (
        StatisticalCase(
            name="w ~ N(0, 1/64), x ~ U[0,1), b ~ N(0, 1/4)",
            estimate=lambda rng, r: sim_variance.forward_variance(
                rng, fan_in=64, weight_std=1 / 8, input_law="uniform01", bias_std=0.5, replicates=r
            ),
            replicates=340_000,
            theory=lambda: _forward(64, 0, 1 / 64, U01_MEAN, U01_VAR, 0.25),
            foil=lambda: 64 * (1 / 64) * U01_VAR + 0.25,
            foil_label="Var(x) in place of E[x²]",
        ),
        StatisticalCase(
            name="E[w] = 0.1, sd 1/8, x ~ U[0,1)",
            estimate=lambda rng, r: sim_variance.forward_variance(
                rng, fan_in=64, weight_mean=0.1, weight_std=1 / 8, input_law="uniform01", replicates=r
            ),
            replicates=340_000,
            theory=lambda: _forward(64, 0.1, 1 / 64, U01_MEAN, U01_VAR, 0),
            foil=lambda: _forward(64, 0, 1 / 64, U01_MEAN, U01_VAR, 0),
            foil_label="E[w]²Var(x) term dropped",
        ),
        StatisticalCase(
            name="uniform w, sd 1/8, x ~ N(0,1): n·σ²·Var(x)",
            estimate=lambda rng, r: sim_variance.forward_variance(
                rng, fan_in=64, weight_law="uniform", weight_std=1 / 8, input_law="normal", replicates=r
            ),
            replicates=340_000,
            theory=lambda: _forward(64, 0, 1 / 64, 0, 1, 0),
            foil=lambda: 64 * (1 / 8),
            foil_label="sd in place of variance: n·σ_w·Var(x)",
        ),
    )
)


def _nielsen_case(weight_std: float, foil_variance: float, label: str) -> StatisticalCase:
    return StatisticalCase(
        name=label,
        estimate=lambda rng, r: sim_variance.nielsen_variance(rng, weight_std=weight_std, replicates=r),
        replicates=340_000,
        theory=lambda: float(variance.nielsen_variance(sp.nsimplify(weight_std**2))),
        foil=lambda: foil_variance,
        foil_label="all 1000 inputs counted: n·Var(w) + 1",
    )


def _nielsen_histogram(weight_variance: sp.Expr, samples: int = 20_000) -> Callable[[np.random.Generator], dict[str, Any]]:
    """For fig-nielsen-z: a histogram (density) of z for 20,000 draws (sims.variance) and the N(0, Var z) density of theory."""

    def measure(rng: np.random.Generator) -> dict[str, Any]:
        from scipy.stats import norm

        z = sim_variance.nielsen_z_samples(rng, weight_std=float(sp.sqrt(weight_variance)), samples=samples)
        theory = float(variance.nielsen_variance(weight_variance))
        grid = np.linspace(z.min(), z.max(), 81)
        return {
            "figures": {
                "fig-nielsen-z": {
                    "samples": samples,
                    "histogram": histogram(z, bins=60, density=True),
                    "sample_sd": float(z.std(ddof=1)),
                    "theory_variance": theory,
                    "theory_density": {"z": rounded(grid), "density": rounded(norm.pdf(grid, scale=np.sqrt(theory)))},
                }
            }
        }

    return measure


VAR_NIELSEN_LARGE = SimulationCheck(
    (_nielsen_case(1.0, 1001.0, "w, b ~ N(0,1), 500 of 1000 inputs on"),), measurements=_nielsen_histogram(sp.Integer(1))
)
VAR_NIELSEN_SCALED = SimulationCheck(
    (_nielsen_case(1 / np.sqrt(1000), 2.0, "w ~ N(0,1/1000), b ~ N(0,1)"),), measurements=_nielsen_histogram(sp.Rational(1, 1000))
)


def layer_case(
    name: str,
    weight_variance: float,
    direction: str,
    theory: Callable[[], float],
    foil: Callable[[], float],
    foil_label: str,
    input_activation: str = "linear",
    law: str = "normal",
    replicates: int = 8_000,
) -> StatisticalCase:
    return StatisticalCase(
        name=name,
        estimate=lambda rng, r: (
            sim_variance.forward_gain(
                rng, fan_in=N_IN, fan_out=N_OUT, weight_law=law, weight_std=float(np.sqrt(weight_variance)), input_activation=input_activation, replicates=r
            )
            if direction == "forward"
            else sim_variance.backward_gain(rng, fan_in=N_IN, fan_out=N_OUT, weight_law=law, weight_std=float(np.sqrt(weight_variance)), replicates=r)
        ),
        replicates=replicates,
        theory=theory,
        foil=foil,
        foil_label=foil_label,
    )


def layer_gain(expr: sp.Expr, var_w: float) -> float:
    return float(expr.subs({variance.n_in: N_IN, variance.n_out: N_OUT, variance.var_w: sp.nsimplify(var_w)}))


VAR_CALIBRATED = SimulationCheck(
    (
        layer_case(
            "forward, Var(w) = 1/n_in, 64→256",
            1 / N_IN,
            "forward",
            lambda: layer_gain(variance.forward_gain(), 1 / N_IN),
            lambda: N_IN / N_OUT,
            "Var(w) = 1/n_out",
        ),
    )
)


def backward_profiles(rng: np.random.Generator, *, width: int = 128, depth: int = 30, replicates: int = 8) -> dict[str, Any]:
    """For fig-backward: the mean squared gradient after l = 1..depth linear layers g ← Wᵀg (sims.variance), for
    n·Var(w) = 0.9, 1, 1.1, against theory's per-layer gain n_out·Var(w) raised to the power l (theory.variance.backward_gain)."""
    layers = np.arange(1, depth + 1)
    profiles = []
    for c in (0.9, 1.0, 1.1):
        gain = float(variance.backward_gain().subs({variance.n_in: width, variance.n_out: width, variance.var_w: sp.nsimplify(c) / width}))
        measured = sim_variance.backward_profile(rng, width=width, depth=depth, weight_variance_times_width=c, replicates=replicates)
        profiles.append({"weight_variance_times_width": c, "measured": rounded(measured), "theory": rounded(gain**layers)})
    return {"figures": {"fig-backward": {"width": width, "networks": replicates, "layers": layers.tolist(), "profiles": profiles}}}


VAR_BACKWARD = SimulationCheck(
    (
        layer_case(
            "backward, Var(w) = 1/n_in, 64→256",
            1 / N_IN,
            "backward",
            lambda: layer_gain(variance.backward_gain(), 1 / N_IN),
            lambda: 1.0,
            "gain n_in·Var(w)",
        ),
    ),
    measurements=backward_profiles,
)
