# mypy: disable-error-code="misc"
# (mypy cannot type lambdas that bind loop variables through default arguments; the dataclass fields state the types.)
"""Where a simulation meets its derivation: each case pairs a `sims/` estimator with a `theory/` value.

This module (with the registry) is the only place that imports both sides. Theory
values are SymPy/mpmath results converted to float here, at the edge; the foil is
the value a plausible wrong formula predicts, and the same rule must reject it.
Replicate counts are sized so that the foil is rejected with power ≥ 0.999 and a 2%
error in a variance is detectable (each case's minimum detectable effect is reported).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import mpmath
import numpy as np
import sympy as sp

from sims import gradients as sim_gradients
from sims import interval as sim_interval
from sims import regularization as sim_regularization
from sims import saturation as sim_saturation
from sims import symmetry as sim_symmetry
from sims import variance as sim_variance
from sims.stats import Estimate, mean_estimate, variance_estimate
from theory import initializers, interval, perceptron, regularization, saturation, symmetry, variance


@dataclass(frozen=True)
class StatisticalCase:
    """A Monte Carlo estimate compared with theory by the |z| ≤ Z_CRITICAL rule (sims.stats)."""

    name: str
    estimate: Callable[[np.random.Generator, int], Estimate]  # (rng, replicates)
    replicates: int
    theory: Callable[[], float]
    foil: Callable[[], float]
    foil_label: str


@dataclass(frozen=True)
class ExactCase:
    """A deterministic float64 computation compared with theory within a stated tolerance.

    The foil is either a wrong theory value (`foil_value`, which the measurement must
    contradict) or a wrong computation (`foil_measure`, whose result must contradict the
    theory). With `one_sided`, agreement means measured ≤ theory + tolerance.
    """

    name: str
    measure: Callable[[np.random.Generator], float]
    theory: Callable[[], float]
    foil_label: str
    tolerance: float
    tolerance_reason: str
    foil_value: Callable[[], float] | None = None
    foil_measure: Callable[[np.random.Generator], float] | None = None
    one_sided: bool = False


@dataclass(frozen=True)
class SimulationCheck:
    cases: tuple[StatisticalCase | ExactCase, ...] = field(default_factory=tuple)


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


VAR_NIELSEN_LARGE = SimulationCheck((_nielsen_case(1.0, 1001.0, "w, b ~ N(0,1), 500 of 1000 inputs on"),))
VAR_NIELSEN_SCALED = SimulationCheck((_nielsen_case(1 / np.sqrt(1000), 2.0, "w ~ N(0,1/1000), b ~ N(0,1)"),))


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
    )
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


VAR_DEPTH = SimulationCheck(
    (
        _depth_case("relu", "he", 2.0, 2.0),  # foil: the ReLU halving forgotten, gain n·Var(w) = 2
        _depth_case("relu", "glorot", 1.0, 1.0),  # foil: Glorot assumed to keep ReLU nets' scale
        _depth_case("linear", "lecun", 1.0, 0.5),  # foil: a ReLU-style halving applied to a linear net
    )
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


_FD_REASON = "complex-step derivative (h = 1e-30) has no cancellation: both sides agree to a few ulps, 1e-12 leaves room for depth 8"
GRAD_CHAIN = SimulationCheck(
    tuple(
        ExactCase(
            f"depth {depth}: product formula vs complex-step derivative (200 random chains)",
            lambda rng, depth=depth: sim_gradients.chain_relative_error(rng, depth=depth, replicates=200),
            lambda: 0.0,
            "formula without σ'(z₁)",
            1e-12,
            _FD_REASON,
            foil_measure=lambda rng, depth=depth: sim_gradients.chain_relative_error(rng, depth=depth, replicates=200, skip_first=True),
        )
        for depth in (2, 4, 8)
    )
)
GRAD_MATRIX = SimulationCheck(
    (
        ExactCase(
            "[5,4,4,3] nets: eq. 124 vs complex-step derivative (50 random nets)",
            lambda rng: sim_gradients.matrix_relative_error(rng, sizes=(5, 4, 4, 3), replicates=50),
            lambda: 0.0,
            "W in place of Wᵀ",
            1e-12,
            _FD_REASON,
            foil_measure=lambda rng: sim_gradients.matrix_relative_error(rng, sizes=(4, 4, 4, 4), replicates=50, transpose=False),
        ),
    )
)
GRAD_EXPLODE = SimulationCheck(
    (
        ExactCase(
            "10-layer chain, w = 100, z = 0: largest |ratio − 25|",
            lambda rng: max(abs(r - 25.0) for r in sim_gradients.explode_ratios(depth=10)),
            lambda: 0.0,
            "factor 100·σ(0) = 50: |ratio − 25| would be 25",
            1e-12,
            "z = 100a − 100a is exactly 0 in floating point, so σ'(0) = 0.25 and each ratio is 25 up to one rounding",
            foil_value=lambda: 25.0,
        ),
    )
)
GRAD_W4 = SimulationCheck(
    (
        ExactCase(
            "smallest |w| (grid step 1e-3) where max_a |wσ'(wa)| ≥ 1",
            lambda rng: sim_interval.threshold_weight(),
            lambda: float(interval.check_w4(sp.Integer(4)).details["threshold"]),
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
            lambda rng: sim_interval.width_argmax()[0],
            lambda: float(interval.width_maximum(40)[0]),
            "maximum at the threshold |w| = 4",
            1e-6,
            "the width is flat at its maximum: an argmax error δ costs only O(δ²) in width, so 1e-6 is what xatol 1e-10 buys",
            foil_value=lambda: 4.0,
        ),
        ExactCase(
            "max of the root-found width",
            lambda rng: sim_interval.width_argmax()[1],
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
REG_DROPOUT = SimulationCheck(
    (
        StatisticalCase(
            "inverted dropout, p = 0.3: E[m x/(1−p)]/x",
            lambda rng, r: sim_regularization.dropout_factor(rng, drop_probability=0.3, moment=1, scaled=True, replicates=r),
            400_000,
            lambda: float(regularization.dropout_moments()["mean_factor_scaled"]),
            lambda: 0.7,
            "no rescaling at training time",
        ),
        StatisticalCase(
            "plain dropout, p = 0.3: E[(m x)²]/x²",
            lambda rng, r: sim_regularization.dropout_factor(rng, drop_probability=0.3, moment=2, scaled=False, replicates=r),
            400_000,
            lambda: float(regularization.dropout_moments()["second_moment_factor_unscaled"].subs(regularization.p, sp.Rational(3, 10))),
            lambda: 0.49,
            "(1 − p)²",
        ),
    )
)
REG_BATCHNORM = SimulationCheck(
    (
        ExactCase(
            "a random batch of 8 rescaled to σ² = 4, ε = 1e-3: batch variance of x̂",
            lambda rng: sim_regularization.normalized_batch_variance(rng, batch=8, batch_variance=4.0, epsilon=1e-3),
            lambda: float(
                regularization.batchnorm_moments(2)[2]
                .subs({sp.Symbol("epsilon", positive=True): sp.Rational(1, 1000)})
                .subs({sp.Symbol("x1", real=True): 0, sp.Symbol("x2", real=True): 4})
            ),
            "batch variance 1 (ε ignored)",
            1e-12,
            "float64 rounding of means over 8 values of size ~1",
            foil_value=lambda: 1.0,
        ),
    )
)


def _movement_disagreements(rng: np.random.Generator, claimed: Callable[[bool, str], dict[str, int | None]]) -> float:
    """Count (config, parameter group) entries where float64 training and `claimed` disagree on the first moving step."""
    count = 0
    for output_bias in (True, False):
        for activation in symmetry.ACTIVATION_AT_ZERO:
            measured = sim_symmetry.zero_init_first_moves(rng, activation=activation, output_bias=output_bias)
            expected = claimed(output_bias, activation)
            count += sum(measured[name] != expected[name] for name in measured)
    return float(count)


SYM_ZERO_2LAYER = SimulationCheck(
    (
        ExactCase(
            "float64 training of all-zero 2-2-2 nets, 4 activations x output bias on/off: entries that disagree with the derived table",
            lambda rng: _movement_disagreements(rng, lambda bias, act: symmetry.zero_init_movement(bias)[act]),
            lambda: 0.0,
            "every parameter moves at step 1",
            0.0,
            "movement is exact: a parameter is either bit-for-bit 0 or not",
            foil_measure=lambda rng: _movement_disagreements(rng, lambda bias, act: dict.fromkeys(("W1", "b1", "W2", "b2"), 1)),
        ),
    )
)


def _learns_disagreements(rng: np.random.Generator, claimed_learners: set[str]) -> float:
    """Activations whose zero-initialized unit moves (float64, 1 step) differently from `claimed_learners`."""
    names = ("linear", "sigmoid", "tanh", "elu", "leaky_relu", "relu")
    moved = {name for name in names if sim_symmetry.single_unit_moves(activation=name, initial=(0.0, 0.0, 0.0), steps=1) > 0}
    return float(len(moved ^ claimed_learners))


SYM_PERCEPTRON_LEARNS = SimulationCheck(
    (
        ExactCase(
            "one float64 GD step from zero for 6 activations: disagreements with f'(0) != 0",
            lambda rng: _learns_disagreements(rng, {k for k, v in perceptron.derivative_at_zero().items() if v != 0}),
            lambda: 0.0,
            "ReLU learns from zero too",
            0.0,
            "movement is exact",
            foil_measure=lambda rng: _learns_disagreements(rng, set(perceptron.derivative_at_zero())),
        ),
    )
)
SYM_RELU_STALL = SimulationCheck(
    (
        ExactCase(
            "ReLU unit from w = (0.6, -0.3, 0.2): largest |w - w0| after 100 steps",
            lambda rng: sim_symmetry.single_unit_moves(activation="relu", initial=(0.6, -0.3, 0.2)),
            lambda: 0.0,
            "z = +0.1 (w = (0.6, -0.3, 0.4)): the unit would learn",
            0.0,
            "no update is exactly no change",
            foil_measure=lambda rng: sim_symmetry.single_unit_moves(activation="relu", initial=(0.6, -0.3, 0.4)),
        ),
        ExactCase(
            "ReLU unit from zero, relu'(0) = 0: largest |w - w0| after 100 steps",
            lambda rng: sim_symmetry.single_unit_moves(activation="relu", initial=(0.0, 0.0, 0.0)),
            lambda: 0.0,
            "relu'(0) = 1 convention",
            0.0,
            "no update is exactly no change",
            foil_measure=lambda rng: sim_symmetry.single_unit_moves(activation="relu", initial=(0.0, 0.0, 0.0), relu_prime_at_zero=1.0),
        ),
    )
)
