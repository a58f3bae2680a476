"""Glorot and He initializers: the variances that keep a layer's gain 1 (source 003; Glorot & Bengio 2010, eq. 12, 16; He et al. 2015, eq. 10).

The ReLU factor 1/2 and the uniform factor 1/3 are integrated here, not typed. Their gains through depth
(VAR-DEPTH) are in theory.meanfield; initcheck.symbolic.initializers compares them with the statements.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

a = sp.Symbol("a", positive=True)
q = sp.Symbol("q", positive=True)  # variance of the pre-activation y
y = sp.Symbol("y", real=True)


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
