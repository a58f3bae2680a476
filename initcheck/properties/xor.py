# mypy: disable-error-code="misc"
"""Properties of XOR with one hidden unit and under constant init (source 002): SYM-XOR, SYM-CONST-XOR.

"Cannot output XOR" is tested in its strong form: no threshold separates the outputs on
{(0,1), (1,0)} from those on {(0,0), (1,1)}, in either direction. Why it holds: the hidden
pre-activation u is affine, so u(0,1) + u(1,0) = u(0,0) + u(1,1), and a monotone unit can only
preserve or reverse order. The checks below never rely on the libm being monotone: they test
the exact pre-activations, or float outputs of activations that are monotone by construction
(max, a multiplication by a positive constant, a clip).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st

from initcheck.properties import Property, PropertyCheck
from initcheck.properties.symmetry import training_runs
from initcheck.recorded import rounded
from initcheck.sims import symmetry as sim_symmetry

POINTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR = np.array([0.0, 1.0, 1.0, 0.0])
FLOAT_MONOTONE: dict[str, Any] = {  # monotone as float functions: each is a max/min, or a product with a nonnegative constant
    "relu": lambda u: np.maximum(u, 0.0),
    "leaky_relu": lambda u: np.maximum(u, 0.01 * u),
    "linear": lambda u: u,
    "step": lambda u: (u > 0).astype(float),
    "hard_sigmoid": lambda u: np.clip(0.2 * u + 0.5, 0.0, 1.0),
}
NON_MONOTONE: dict[str, Any] = {"abs": np.abs, "square": np.square}
weights = st.floats(-100, 100, allow_nan=False)


def separated(outputs: Any) -> bool:
    """True when a threshold strictly separates outputs on (0,1), (1,0) from those on (0,0), (1,1), either way."""
    neg, pos = (outputs[0], outputs[3]), (outputs[1], outputs[2])
    return bool(min(pos) > max(neg) or max(pos) < min(neg))


def _exact_preactivations_not_separated(wb: tuple[float, float, float]) -> None:
    w1, w2, b = (Fraction(v) for v in wb)  # floats converted exactly: no rounding anywhere
    u = [w1 * p + w2 * q + b for p, q in ((0, 0), (0, 1), (1, 0), (1, 1))]
    assert not separated(u), f"pre-activations {u} separated"


@st.composite
def one_unit_nets(draw: Any, activations: dict[str, Any] = FLOAT_MONOTONE) -> dict[str, Any]:
    return {
        "w": np.array([draw(weights), draw(weights)]),
        "b": draw(weights),
        "v": draw(weights),
        "c": draw(weights),
        "f": draw(st.sampled_from(sorted(activations))),
        "g": draw(st.sampled_from(sorted(FLOAT_MONOTONE))),
    }


def _float_outputs_not_separated(net: dict[str, Any]) -> None:
    hidden = {**FLOAT_MONOTONE, **NON_MONOTONE}[net["f"]](POINTS @ net["w"] + net["b"])
    outputs = FLOAT_MONOTONE[net["g"]](net["v"] * hidden + net["c"])
    assert not separated(outputs), f"one {net['f']} unit, {net['g']} output: outputs {outputs} separate XOR"


def _two_relu_units(delta: tuple[Fraction, ...]) -> None:
    """The seed's construction h₁ = relu(x₁ + x₂), h₂ = relu(x₁ + x₂ − 1), y = h₁ − 2h₂, weights perturbed by δ, in exact arithmetic."""
    a, b, c, d, e, f, g = (Fraction(1) + delta[0], 1 + delta[1], delta[2], 1 + delta[3], 1 + delta[4], -1 + delta[5], -2 + delta[6])

    def relu(t: Fraction) -> Fraction:
        return max(t, Fraction(0))

    outputs = [relu(a * p + b * q + c) + g * relu(d * p + e * q + f) for p, q in ((0, 0), (0, 1), (1, 0), (1, 1))]
    assert separated(outputs) and min(outputs[1], outputs[2]) > max(outputs[0], outputs[3]), f"outputs {outputs}"


small = st.fractions(Fraction(-1, 20), Fraction(1, 20), max_denominator=1000)

def decision_regions(rng: np.random.Generator) -> dict[str, Any]:
    """For fig-xor: three one-output nets on a grid of (a, b), each with its decision threshold.

    One sigmoid unit σ(6a + 6b − 3) (threshold ½: a single line); the seed's two ReLU units (theory.xor.two_relu_network,
    threshold ½); one non-monotone unit −GELU(a + b + m − 1), m = GELU's argmin (theory.xor.gelu_minimum), GELU(u) = u·Φ(u),
    threshold midway between its output on the XOR-true inputs and the larger output on the XOR-false ones.
    """
    import sympy as sp
    from scipy.special import ndtr

    from initcheck.theory.xor import gelu_minimum, two_relu_network

    del rng  # fixed nets on a grid: nothing random
    grid = np.linspace(-0.3, 1.3, 17)  # step 0.1: the regions are bounded by lines and one smooth curve
    a, b = np.meshgrid(grid, grid)  # rows b, columns a
    p, q = sp.symbols("p q", real=True)
    relu_net = sp.lambdify((p, q), two_relu_network(p, q), "numpy")  # type: ignore[arg-type]
    m = float(gelu_minimum()[0])

    def gelu_net(x: Any, y: Any) -> Any:
        u = x + y + m - 1
        return -(u * ndtr(u))

    def sigmoid_net(x: Any, y: Any) -> Any:
        return sim_symmetry.activation_and_derivative("sigmoid", 6 * x + 6 * y - 3)[0]

    panels = []
    for name, net, threshold in (
        ("one sigmoid unit\nσ(6a + 6b − 3)", sigmoid_net, 0.5),
        ("two ReLU units\nrelu(a+b) − 2·relu(a+b−1)", relu_net, 0.5),
        ("one non-monotone unit\n−GELU(a + b + m − 1)", gelu_net, None),
    ):
        at_points = np.array([float(net(x, y)) for x, y in POINTS])
        if threshold is None:
            threshold = (min(at_points[1], at_points[2]) + max(at_points[0], at_points[3])) / 2
        panels.append({"title": name, "output": rounded(net(a, b) + 0 * a, 4), "threshold": float(threshold), "at_xor_points": rounded(at_points, 8)})
    return {
        "figures": {
            "fig-xor": {"a": rounded(grid), "b": rounded(grid), "points": POINTS.tolist(), "xor": XOR.tolist(), "gelu_argmin": m, "panels": panels}
        }
    }


SYM_XOR = PropertyCheck(
    properties=(
        Property(
            "one hidden unit: exact pre-activations never separate XOR",
            "Any float w₁, w₂, b (converted exactly to rationals): no threshold separates u on (0,1), (1,0) from u on (0,0), (1,1); "
            "hence no monotone hidden and output activation can.",
            lambda: st.tuples(weights, weights, weights),
            _exact_preactivations_not_separated,
        ),
        Property(
            "one hidden unit in float64: outputs never separate XOR",
            "Any weights, hidden activation and output activation from ReLU, leaky ReLU, linear, step, hard sigmoid (monotone in floating point too).",
            one_unit_nets,
            _float_outputs_not_separated,
        ),
        Property(
            "two ReLU units: the seed's construction, and every perturbation of its 7 weights by ≤ 1/20, computes XOR (exact)",
            "h₁ = relu(x₁ + x₂), h₂ = relu(x₁ + x₂ − 1), y = h₁ − 2h₂ separates XOR with margin; perturbed weights still do.",
            lambda: st.tuples(*[small] * 7),
            _two_relu_units,
            examples=((Fraction(0),) * 7,),
        ),
        Property(
            "foil: a non-monotone hidden activation (|u|, u²) cannot compute XOR either",
            "One hidden unit with |u| or u² never separates XOR.",
            lambda: one_unit_nets(activations=NON_MONOTONE),
            _float_outputs_not_separated,
            expect="fails",
            examples=({"w": np.array([1.0, 1.0]), "b": -1.0, "v": -1.0, "c": 1.0, "f": "abs", "g": "linear"},),
        ),
    ),
    measurements=decision_regions,
)


def _constant_init_never_fits(run: dict[str, Any]) -> None:
    with np.errstate(all="ignore"):
        params, _, out = sim_symmetry.train_two_layer(POINTS, XOR, **run, products="unitwise")
    assert np.all(params["W1"] == params["W1"][:, :1]) or np.isnan(params["W1"]).any(), "units differ"
    u = POINTS @ params["W1"][:, 0] + params["b1"][0]
    assert not separated(u), f"unit 0's pre-activations {u} separate XOR"
    if run["activation"] in FLOAT_MONOTONE:
        assert not separated(out), f"outputs {out} separate XOR"


def random_init_fit_fraction(rng: np.random.Generator, *, widths: tuple[int, ...] = (2, 3, 4), inits: int = 200, steps: int = 3000) -> dict[str, Any]:
    """Measured: fraction of N(0,1) inits of the same tanh architecture whose trained outputs separate XOR at threshold ½.

    All inits of one width train at once (a batch axis in front), plain GD, rate 0.1, loss (1/4)Σ(y − y*)².
    """
    found = {}
    for width in widths:
        w1, w2 = rng.normal(size=(inits, 2, width)), rng.normal(size=(inits, width))
        b1, b2 = np.zeros((inits, width)), np.zeros(inits)
        for _ in range(steps):
            h = np.tanh(np.einsum("pi,sij->spj", POINTS, w1) + b1[:, None, :])
            out = np.einsum("spj,sj->sp", h, w2) + b2[:, None]
            delta = 2.0 * (out - XOR) / 4
            back = delta[:, :, None] * w2[:, None, :] * (1 - h**2)
            w1 = w1 - 0.1 * np.einsum("pi,spj->sij", POINTS, back)
            b1, w2, b2 = b1 - 0.1 * back.sum(1), w2 - 0.1 * np.einsum("spj,sp->sj", h, delta), b2 - 0.1 * delta.sum(1)
        fitted = np.all((out > 0.5) == (XOR > 0.5), axis=1)
        found[str(width)] = {"fraction_fitted": float(fitted.mean()), "inits": inits}
    return {"task": f"XOR, tanh hidden, linear output, N(0,1) weights, zero biases, GD rate 0.1, {steps} steps", "by_width": found}


SYM_CONST_XOR = PropertyCheck(
    foil_elsewhere="SYM-XOR's foil property (one GELU unit represents XOR) is the counterexample to the statement without monotonicity",
    properties=(
        Property(
            "constant init never fits XOR (float64, unit-wise products)",
            "Any width ≤ 8, constants, rate, ≤ 20 steps of SGD/momentum/Adam, monotone activation: the units stay equal, unit 0's "
            "pre-activations never separate XOR, and for float-monotone activations neither do the outputs.",
            lambda: training_runs(activations=("sigmoid", "tanh", "relu", "linear", "leaky_relu", "elu")),
            lambda run: _constant_init_never_fits({k: v for k, v in run.items() if k not in ("x", "y")}),
            conditions=("monotone hidden activation (a GELU unit represents XOR)", "every unit computed by the same operations"),
        ),
    ),
    measurements=random_init_fit_fraction,
)
