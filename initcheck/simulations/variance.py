# mypy: disable-error-code="misc"
# (mypy cannot type lambdas that bind loop variables through default arguments; the dataclass fields state the types.)
"""Simulation cases for the variance claims: each pairs a `sims/` estimator with a `theory/` value (see the package docstring)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from initcheck.recorded import histogram, rounded
from initcheck.sims import saturation as sim_saturation
from initcheck.sims import variance as sim_variance
from initcheck.sims.stats import Estimate, mean_estimate, variance_estimate
from initcheck.simulations import SimulationCheck, StatisticalCase
from initcheck.theory import initializers, meanfield, saturation, variance


def _forward(n: int, mw: float, vw: float, mx: float, vx: float, vb: float) -> float:
    return float(variance.forward_variance(n, sp.nsimplify(mw), sp.nsimplify(vw), sp.nsimplify(mx), sp.nsimplify(vx), sp.nsimplify(vb)))


U01_MEAN, U01_VAR = 0.5, 1.0 / 12.0  # moments of U[0,1): inputs of the VAR-SUM cases
N_IN, N_OUT = 64, 256  # unequal fans: fan_in-for-fan_out mistakes change the answer by 4x

VAR_SUM = SimulationCheck(
    (
        StatisticalCase(
            "w ~ N(0, 1/64), x ~ U[0,1), b ~ N(0, 1/4)",
            lambda rng, r: sim_variance.preactivation_variance(
                rng, fan_in=64, weight_std=1 / 8, input_law="uniform01", bias_std=0.5, replicates=r
            ),
            340_000,
            lambda: _forward(64, 0, 1 / 64, U01_MEAN, U01_VAR, 0.25),
            lambda: 64 * (1 / 64) * U01_VAR + 0.25,
            "Var(x) in place of E[x²]",
        ),
        StatisticalCase(
            "E[w] = 0.1, sd 1/8, x ~ U[0,1)",
            lambda rng, r: sim_variance.preactivation_variance(
                rng, fan_in=64, weight_mean=0.1, weight_std=1 / 8, input_law="uniform01", replicates=r
            ),
            340_000,
            lambda: _forward(64, 0.1, 1 / 64, U01_MEAN, U01_VAR, 0),
            lambda: _forward(64, 0, 1 / 64, U01_MEAN, U01_VAR, 0),
            "E[w]²Var(x) term dropped",
        ),
        StatisticalCase(
            "uniform w, sd 1/8, x ~ N(0,1): n·σ²·Var(x)",
            lambda rng, r: sim_variance.preactivation_variance(
                rng, fan_in=64, weight_law="uniform", weight_std=1 / 8, input_law="normal", replicates=r
            ),
            340_000,
            lambda: _forward(64, 0, 1 / 64, 0, 1, 0),
            lambda: 64 * (1 / 8),
            "sd in place of variance: n·σ_w·Var(x)",
        ),
    )
)


def _nielsen_case(weight_std: float, foil_variance: float, label: str) -> StatisticalCase:
    pattern = np.repeat([1.0, 0.0], 500)

    def estimate(rng: np.random.Generator, replicates: int) -> Estimate:
        samples = []
        for start in range(0, replicates, 4096):
            size = min(4096, replicates - start)
            samples.append(rng.normal(0, weight_std, (size, 1000)) @ pattern + rng.normal(0, 1, size))
        return variance_estimate(np.concatenate(samples))

    return StatisticalCase(
        label,
        estimate,
        340_000,
        lambda: float(variance.nielsen_variance(sp.nsimplify(weight_std**2))),
        lambda: foil_variance,
        "all 1000 inputs counted: n·Var(w) + 1",
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


def _layer_case(
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
        name,
        lambda rng, r: sim_variance.layer_second_moment(
            rng,
            fan_in=N_IN,
            fan_out=N_OUT,
            weight_law=law,
            weight_std=float(np.sqrt(weight_variance)),
            direction=direction,
            input_activation=input_activation,
            replicates=r,
        ),
        replicates,
        theory,
        foil,
        foil_label,
    )


def _gain(expr: sp.Expr, var_w: float) -> float:
    return float(expr.subs({variance.n_in: N_IN, variance.n_out: N_OUT, variance.var_w: sp.nsimplify(var_w)}))


VAR_CALIBRATED = SimulationCheck(
    (
        _layer_case(
            "forward, Var(w) = 1/n_in, 64→256",
            1 / N_IN,
            "forward",
            lambda: _gain(variance.forward_gain(), 1 / N_IN),
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
        _layer_case(
            "backward, Var(w) = 1/n_in, 64→256",
            1 / N_IN,
            "backward",
            lambda: _gain(variance.backward_gain(), 1 / N_IN),
            lambda: 1.0,
            "gain n_in·Var(w)",
        ),
    ),
    measurements=backward_profiles,
)
_GLOROT = 2 / (N_IN + N_OUT)
GLOROT_VAR = SimulationCheck(
    (
        _layer_case(
            "forward, Glorot normal",
            _GLOROT,
            "forward",
            lambda: _gain(variance.forward_gain(), _GLOROT),
            lambda: N_IN / (N_IN + N_OUT),
            "Var(w) = 1/(n_in+n_out)",
        ),
        _layer_case(
            "backward, Glorot normal",
            _GLOROT,
            "backward",
            lambda: _gain(variance.backward_gain(), _GLOROT),
            lambda: N_OUT / (N_IN + N_OUT),
            "Var(w) = 1/(n_in+n_out)",
        ),
    )
)


def _uniform_weight_variance(rng: np.random.Generator, replicates: int) -> Estimate:
    limit = np.sqrt(6.0 / (N_IN + N_OUT))
    return variance_estimate(rng.uniform(-limit, limit, replicates))


GLOROT_UNIFORM = SimulationCheck(
    (
        StatisticalCase(
            "Var of U[−a, a] draws, a = √(6/(n_in+n_out))",
            _uniform_weight_variance,
            400_000,
            lambda: float(initializers.uniform_variance().subs(initializers.a, sp.sqrt(sp.Rational(6, N_IN + N_OUT)))),
            lambda: 6 / (N_IN + N_OUT),
            "Var(U[−a,a]) = a² (the 1/3 forgotten)",
        ),
    )
)
HE_VAR = SimulationCheck(
    (
        StatisticalCase(
            "E[relu(y)²], y ~ N(0, 2.5)",
            lambda rng, r: mean_estimate(np.maximum(rng.normal(0, np.sqrt(2.5), r), 0) ** 2),
            850_000,
            lambda: float(initializers.relu_factor() * sp.Rational(5, 2)),
            lambda: 2.5,
            "no halving: E[relu(y)²] = Var(y)",
        ),
        _layer_case(
            "ReLU inputs, He weights, forward second moment",
            2 / N_IN,
            "forward",
            lambda: _gain(variance.forward_gain(), 2 / N_IN) * float(initializers.relu_factor()),
            lambda: _gain(variance.forward_gain(), 1 / N_IN) * float(initializers.relu_factor()),
            "He without the 2: Var(w) = 1/n_in",
            input_activation="relu",
            replicates=16_000,  # relu inputs raise the per-layer spread: twice the layers keep the relative MDE under 2%
        ),
    )
)


def _depth_case(activation: str, init: str, c: float, foil_gain: float) -> StatisticalCase:
    depth = 10
    gain = float(initializers.depth_gains()[(activation, init)])
    return StatisticalCase(
        f"{activation} with {init}, width 128, depth {depth}",
        lambda rng, r: sim_variance.depth_second_moment(
            rng, width=128, depth=depth, activation=activation, weight_variance_times_width=c, replicates=r
        ),
        1_000,
        lambda: c * gain ** (depth - 1),
        lambda: c * foil_gain ** (depth - 1),
        f"per-layer gain {foil_gain} in place of {gain}",
    )


# Real weight matrices (O(n²) per layer); the 50-layer sweep in initcheck.simulations.meanfield draws the same law at O(n).
DEPTH_MATRIX_CASES = (
    _depth_case("relu", "he", 2.0, 2.0),  # foil: the ReLU halving forgotten, gain n·Var(w) = 2
    _depth_case("relu", "glorot", 1.0, 1.0),  # foil: Glorot assumed to keep ReLU nets' scale
    _depth_case("linear", "lecun", 1.0, 0.5),  # foil: a ReLU-style halving applied to a linear net
    StatisticalCase(
        "tanh with he, width 128, depth 10: mean field + β/n",
        lambda rng, r: sim_variance.depth_second_moment(rng, width=128, depth=10, activation="tanh", weight_variance_times_width=2.0, replicates=r),
        400,  # the foil is off by orders of magnitude; the sweep carries the precision
        lambda: meanfield.expected_second_moment("tanh", sp.Integer(2), 10, 128),
        lambda: meanfield.mean_field_path("tanh", sp.Integer(2), 10).foil[-1],
        "linear regime: gain c·tanh'(0)² = 2 per layer",
    ),
)


def _krohn_normal_foil() -> float:
    with mpmath.workdps(20):  # Var(x) = 1/12 in place of E[x²] = 1/3, normal approximation of z
        return float(2 * mpmath.ncdf(-mpmath.log(99) / mpmath.sqrt(mpmath.mpf(784) / 12)))


VAR_KROHN_SATURATION = SimulationCheck(
    (
        StatisticalCase(
            "N(0,1) weights: saturated fraction",
            lambda rng, r: sim_saturation.saturated_fraction(rng, init="normal", replicates=r),
            1_000,
            lambda: float(saturation.saturated_fraction("normal")[0]),
            _krohn_normal_foil,
            "Var(x) = 1/12 in place of E[x²] = 1/3",
        ),
        *(
            StatisticalCase(
                f"{init}: E[z²]",
                lambda rng, r, init=init: sim_saturation.preactivation_second_moment(rng, init=init, replicates=r),
                1_600,
                lambda: float(saturation.WEIGHT_VARIANCES["glorot_normal"] * 784 / 3),
                lambda: float(saturation.WEIGHT_VARIANCES["glorot_normal"] * 784 / 12),
                "Var(x) = 1/12 in place of E[x²] = 1/3",
            )
            for init in ("glorot_normal", "glorot_uniform")
        ),
    )
)
