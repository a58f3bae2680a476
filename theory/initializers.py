"""Glorot and He initializers and variance through depth (source 003; Glorot & Bengio 2010, eq. 12, 16; He et al. 2015, eq. 10).

The ReLU factor 1/2 and the uniform factor 1/3 are integrated here, not typed.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from initcheck.theory.variance import forward_gain, n_in, n_out, var_w

a = sp.Symbol("a", positive=True)
q = sp.Symbol("q", positive=True)  # variance of the pre-activation y
y = sp.Symbol("y", real=True)
n_width = sp.Symbol("n", positive=True, integer=True)


def uniform_variance() -> sp.Expr:
    """Var(U[−a, a]) = ∫₋ₐᵃ x²/(2a) dx = a²/3 (the mean is 0 by symmetry)."""
    x = sp.Symbol("x", real=True)
    mean = sp.integrate(x / (2 * a), (x, -a, a))
    return sp.simplify(sp.integrate((x - mean) ** 2 / (2 * a), (x, -a, a)))


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
