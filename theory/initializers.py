"""Glorot and He initializers: the variances that keep a layer's gain 1 (source 003; Glorot & Bengio 2010, eq. 12, 16; He et al. 2015, eq. 10).

The ReLU factor 1/2 and the uniform factor 1/3 are integrated here, not typed. Their gains through depth
(VAR-DEPTH) are in theory.meanfield; initcheck.symbolic.initializers compares them with the statements.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from initcheck.theory.variance import backward_gain, forward_gain, n_in, n_out, var_w

a = sp.Symbol("a", positive=True)
q = sp.Symbol("q", positive=True)  # variance of the pre-activation y
y = sp.Symbol("y", real=True)


def glorot_solutions() -> tuple[list[dict[sp.Symbol, sp.Expr]], sp.Expr]:
    """Var(w) and n_out solving n_in·Var(w) = 1 and n_out·Var(w) = 1 together, and Var(w) = 2/(n_in + n_out) solving their average.

    Glorot & Bengio (2010, eq. 12): both conditions hold only if n_in = n_out; the compromise solves ½(n_in + n_out)·Var(w) = 1.
    """
    both = sp.solve([sp.Eq(forward_gain(), 1), sp.Eq(backward_gain(), 1)], [var_w, n_out], dict=True)
    compromise = sp.solve(sp.Eq((forward_gain() + backward_gain()) / 2, 1), var_w)[0]
    return both, compromise


def glorot_uniform_limit() -> list[sp.Expr]:
    """The a > 0 with Var(U[−a, a]) = a²/3 = 2/(n_in + n_out): a = √(6/(n_in + n_out)) (Glorot & Bengio 2010, eq. 16)."""
    return sp.solve(sp.Eq(uniform_variance(), 2 / (n_in + n_out)), a)


def relu_layer_gain() -> tuple[sp.Expr, sp.Expr]:
    """n_in·Var(w)·E[relu(y)²]/Var(y) = n_in·Var(w)/2, and the Var(w) = 2/n_in that makes it 1 (He et al. 2015, eq. 10)."""
    gain = sp.simplify(forward_gain() * relu_second_moment())
    return gain, sp.solve(sp.Eq(gain, 1), var_w)[0]


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


def relu_second_moment() -> sp.Expr:
    """E[relu(y)²] / Var(y) for y ~ N(0, q): ½, integrated (He et al. 2015, eq. 7)."""
    return relu_second_moments()["normal"]
