"""Glorot and He initializers and variance through depth (source 003; Glorot & Bengio 2010, eq. 12, 16; He et al. 2015, eq. 10).

The ReLU factor 1/2 and the uniform factor 1/3 are integrated here, not typed.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, verdict_from_mismatches
from initcheck.theory.variance import backward_gain, forward_gain, n_in, n_out, var_w

a = sp.Symbol("a", positive=True)
q = sp.Symbol("q", positive=True)  # variance of the pre-activation y
y = sp.Symbol("y", real=True)
n_width = sp.Symbol("n", positive=True, integer=True)


def check_glorot_variance(stated: sp.Expr) -> Outcome:
    """GLOROT-VAR: n_in·Var(w) = 1 and n_out·Var(w) = 1 together force n_in = n_out; the compromise averages them.

    Glorot & Bengio (2010, eq. 12) take Var(w) = 2/(n_in + n_out): the solution of the
    averaged condition ½(n_in + n_out)·Var(w) = 1, the harmonic mean of 1/n_in and 1/n_out.
    """
    both = sp.solve([sp.Eq(forward_gain(), 1), sp.Eq(backward_gain(), 1)], [var_w, n_out], dict=True)
    compromise = sp.solve(sp.Eq((forward_gain() + backward_gain()) / 2, 1), var_w)[0]
    harmonic_mean = 2 / (n_in + n_out)
    mismatches = []
    if not (len(both) == 1 and sp.simplify(both[0][n_out] - n_in) == 0):
        mismatches.append("both constraints do not force n_in = n_out")
    if sp.simplify(compromise - stated) != 0:
        mismatches.append(f"compromise stated {stated}, derived {compromise}")
    if sp.simplify(compromise - harmonic_mean) != 0:
        mismatches.append("compromise is not the harmonic mean of 1/n_in and 1/n_out")
    return Outcome(
        verdict=verdict_from_mismatches(mismatches),
        summary=f"Both gains equal 1 only if n_out = n_in; averaging the two conditions gives Var(w) = {compromise}.",
        mismatches=tuple(mismatches),
        derivation=(
            ("forward and backward gains = 1", sp.latex([sp.Eq(forward_gain(), 1), sp.Eq(backward_gain(), 1)])),
            ("their joint solution", sp.latex(both)),
            ("averaged condition", sp.latex(sp.Eq((forward_gain() + backward_gain()) / 2, 1))),
            ("compromise", sp.latex(sp.Eq(var_w, compromise))),
        ),
        details={"compromise": str(compromise), "joint_solution": str(both)},
    )


GLOROT_VAR = SymbolicCheck(check_glorot_variance, 2 / (n_in + n_out), 1 / (n_in + n_out), "1/(n_in+n_out): the factor 2 dropped")


def uniform_variance() -> sp.Expr:
    """Var(U[−a, a]) = ∫₋ₐᵃ x²/(2a) dx = a²/3 (the mean is 0 by symmetry)."""
    x = sp.Symbol("x", real=True)
    mean = sp.integrate(x / (2 * a), (x, -a, a))
    return sp.simplify(sp.integrate((x - mean) ** 2 / (2 * a), (x, -a, a)))


def check_glorot_uniform(stated: sp.Expr) -> Outcome:
    """GLOROT-UNIFORM: a²/3 = 2/(n_in+n_out) gives a = √(6/(n_in+n_out)) (Glorot & Bengio 2010, eq. 16)."""
    variance = uniform_variance()
    limit = sp.solve(sp.Eq(variance, 2 / (n_in + n_out)), a)
    mismatches = [] if len(limit) == 1 and sp.simplify(limit[0] - stated) == 0 else [f"limit stated {stated}, derived {limit}"]
    return Outcome(
        verdict=verdict_from_mismatches(mismatches),
        summary=f"Var(U[-a,a]) = {variance} by integration; matching 2/(n_in+n_out) gives a = {limit[0]}.",
        mismatches=tuple(mismatches),
        derivation=(
            ("variance by integration", r"\int_{-a}^{a} \frac{x^2}{2a}\,dx = " + sp.latex(variance)),
            ("limit", sp.latex(sp.Eq(a, limit[0]))),
        ),
        details={"uniform_variance": str(variance), "limit": str(limit[0])},
    )


GLOROT_UNIFORM = SymbolicCheck(
    check_glorot_uniform, sp.sqrt(6 / (n_in + n_out)), sp.sqrt(2 / (n_in + n_out)), "a = √(2/(n_in+n_out)): the 1/3 of Var(U) forgotten"
)


@lru_cache(maxsize=1)
def relu_second_moments() -> dict[str, sp.Expr]:
    """E[relu(y)²]/Var(y) for three zero-mean symmetric laws of y, by integration: each is 1/2."""
    s = sp.sqrt(q)
    densities = {
        "normal": (sp.exp(-(y**2) / (2 * q)) / sp.sqrt(2 * sp.pi * q), -sp.oo, sp.oo),
        "uniform": (1 / (2 * sp.sqrt(3) * s), -sp.sqrt(3) * s, sp.sqrt(3) * s),
        "laplace": (sp.exp(-sp.sqrt(2) * sp.Abs(y) / s) / (sp.sqrt(2) * s), -sp.oo, sp.oo),
    }
    ratios = {}
    for name, (density, lo, hi) in densities.items():
        variance = sp.integrate(y**2 * density, (y, lo, hi))
        relu_moment = sp.integrate(y**2 * density, (y, 0, hi))  # relu(y)² = y² on y > 0, 0 elsewhere
        ratios[name] = sp.simplify(relu_moment / variance)
    return ratios


def relu_factor() -> sp.Expr:
    """E[relu(y)²] / Var(y) for y ~ N(0, q): ½, integrated (He et al. 2015, eq. 7)."""
    return relu_second_moments()["normal"]


def check_he_variance(stated: sp.Expr) -> Outcome:
    """HE-VAR: Var(z_next) = n_in·Var(w)·E[relu(y)²] = n_in·Var(w)·Var(y)/2, so unit gain needs Var(w) = 2/n_in."""
    ratios = relu_second_moments()
    gain = sp.simplify(forward_gain() * relu_factor())
    unit_gain = sp.solve(sp.Eq(gain, 1), var_w)[0]
    mismatches = [f"E[relu(y)²]/Var(y) = {r} for {law}" for law, r in ratios.items() if r != ratios["normal"]]
    if sp.simplify(unit_gain - stated) != 0:
        mismatches.append(f"He variance stated {stated}, derived {unit_gain}")
    return Outcome(
        verdict=verdict_from_mismatches(mismatches),
        summary=f"E[relu(y)²] = Var(y)·{relu_factor()} (integrated for normal, uniform and Laplace y); "
        f"a ReLU layer's gain is {gain}, equal to 1 iff Var(w) = {unit_gain}.",
        mismatches=tuple(mismatches),
        derivation=(
            ("E[relu(y)²], y ~ N(0, q)", r"\int_0^\infty y^2 \frac{e^{-y^2/2q}}{\sqrt{2\pi q}}\,dy = " + sp.latex(relu_factor() * q)),
            ("ReLU layer gain", sp.latex(gain)),
            ("unit gain", sp.latex(sp.Eq(var_w, unit_gain))),
        ),
        details={"relu_factor_by_law": {k: str(v) for k, v in ratios.items()}, "variance_for_unit_gain": str(unit_gain)},
    )


HE_VAR = SymbolicCheck(check_he_variance, 2 / n_in, 1 / n_in, "He without the ReLU halving: 1/n_in")


def activation_gain_factor(activation: str) -> sp.Expr:
    """E[f(y)²]/Var(y) to leading order as Var(y) → 0 (tanh: f'(0)² from the series), exactly for ReLU."""
    if activation == "relu":
        return relu_factor()
    if activation == "tanh":
        return sp.series(sp.tanh(y) ** 2 / y**2, y, 0, 1).removeO()
    if activation == "linear":
        return sp.Integer(1)
    raise ValueError(f"unknown activation {activation!r}")


def depth_gains() -> dict[tuple[str, str], sp.Expr]:
    """Per-layer gain n·Var(w)·E[f(y)²]/Var(y) in a square net (n_in = n_out = n) for activation × init."""
    inits = {"lecun": 1 / n_width, "glorot": (2 / (n_in + n_out)).subs({n_in: n_width, n_out: n_width}), "he": 2 / n_width}
    return {
        (act, init): sp.simplify(forward_gain().subs({n_in: n_width, var_w: v}) * activation_gain_factor(act))
        for act in ("tanh", "relu", "linear")
        for init, v in inits.items()
    }


def depth_weight_scales() -> dict[str, sp.Expr]:
    """c = n·Var(w) of a square layer (n_in = n_out = n) per initializer: N(0,1) → n, LeCun 1/n → 1, Glorot → 1, He → 2.

    Glorot's 2/(n_in + n_out) and LeCun's 1/n_in coincide on square layers (checked here, not assumed): they share a key.
    """
    variances = {
        "N(0,1)": sp.Integer(1),
        "LeCun": 1 / n_width,
        "Glorot": (2 / (n_in + n_out)).subs({n_in: n_width, n_out: n_width}),
        "He": 2 / n_width,
    }
    scales = {name: sp.simplify(forward_gain().subs({n_in: n_width, var_w: v})) for name, v in variances.items()}
    if sp.simplify(scales["LeCun"] - scales["Glorot"]) != 0:
        raise AssertionError("LeCun and Glorot differ on square layers")
    return {"N(0,1)": scales["N(0,1)"], "LeCun/Glorot": scales["LeCun"], "He": scales["He"]}


def check_depth(stated: dict[tuple[str, str], sp.Expr]) -> Outcome:
    """VAR-DEPTH: E[x²] after L layers is gain^L·E[x²]; unit gain for Glorot·tanh (near 0) and He·ReLU, ½ for Glorot·ReLU."""
    gains = depth_gains()
    depth = sp.Symbol("L", positive=True, integer=True)
    mismatches = [
        f"{act} with {init}: stated gain {g}, derived {gains[act, init]}"
        for (act, init), g in stated.items()
        if sp.simplify(gains[act, init] - g) != 0
    ]
    return Outcome(
        verdict=verdict_from_mismatches(mismatches),
        summary="Per-layer gain: "
        + ", ".join(f"{act}/{init} {g}" for (act, init), g in gains.items())
        + "; after L layers the second moment is gain^L times the input's: geometric unless gain = 1.",
        mismatches=tuple(mismatches),
        derivation=tuple(
            (f"{act}, {init}", sp.latex(g) + r"\quad\Rightarrow\quad " + sp.latex(g**depth)) for (act, init), g in gains.items()
        ),
        details={
            "gains": {f"{act}/{init}": str(g) for (act, init), g in gains.items()},
            "hypotheses": ["tanh gain is the small-variance limit (tanh'(0)² = 1); at larger variance tanh contracts"],
        },
    )


VAR_DEPTH = SymbolicCheck(
    check_depth,
    {("tanh", "glorot"): sp.Integer(1), ("relu", "he"): sp.Integer(1), ("relu", "glorot"): sp.Rational(1, 2)},
    {("tanh", "glorot"): sp.Integer(1), ("relu", "he"): sp.Integer(1), ("relu", "glorot"): sp.Integer(1)},
    "no ReLU halving: Glorot with ReLU keeps gain 1",
)
