"""Dropout at training vs prediction time (source 003, "Dropout"): the unit's moments and the ensemble average.

A unit x is multiplied at training time by m/(1 − p), m ~ Bernoulli(1 − p) independent of x (inverted dropout); at
prediction time it is used as is. REG-DROPOUT-DIST: the moments of u = m·x/(1 − p) against those of x, for x with mean μ
and second moment s (SymPy's expectation over the mask, then over x). REG-DROPOUT-ENSEMBLE: the exact average over all
2ⁿ masks of a network's output (each mask with probability (1 − p)^kept · p^dropped), against the network without masks.

Values only: the comparison with the text is in initcheck.symbolic.dropout.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import sympy as sp
from sympy.stats import Bernoulli, E

p = sp.Symbol("p", positive=True)  # drop probability, 0 < p < 1
mu = sp.Symbol("mu", real=True)  # E[x]
s = sp.Symbol("s", positive=True)  # E[x²]


def unit_moments(scale: sp.Expr = 1 / (1 - p)) -> dict[str, sp.Expr]:
    """Training-time E[u], Var(u) of u = scale·m·x, and prediction-time E[x], Var(x), in terms of μ = E[x], s = E[x²]."""
    m = Bernoulli("m", 1 - p)
    mean_m, second_m = E(m), E(m**2)  # x independent of m: E[u] = scale·E[m]·μ, E[u²] = scale²·E[m²]·s
    train_mean = sp.simplify(scale * mean_m * mu)
    train_variance = sp.simplify(scale**2 * second_m * s - train_mean**2)
    return {"train_mean": train_mean, "train_variance": train_variance, "predict_mean": mu, "predict_variance": s - mu**2}


def variance_matching_scale() -> list[sp.Expr]:
    """The positive scales c with Var(c·m·x) = Var(x) for a zero-mean x: c = 1/√(1 − p) (not 1/(1 − p))."""
    c = sp.Symbol("c", positive=True)
    moments = unit_moments(c)
    roots = sp.solve(sp.Eq(moments["train_variance"].subs(mu, 0), s), c)
    return [r for r in roots if r.subs(p, sp.Rational(1, 2)) > 0]  # p is only known positive; 0 < p < 1 picks the positive root


def zero_mass(scale: sp.Expr = 1 / (1 - p)) -> sp.Expr:
    """P(u = 0) at training time for a continuous x: p (an atom the prediction-time x does not have)."""
    m = Bernoulli("m", 1 - p)
    return sp.simplify(1 - E(m))


def mask_average(network: Callable[[Sequence[sp.Expr]], sp.Expr], n_units: int, drop: sp.Expr) -> sp.Expr:
    """Σ over the 2ⁿ masks of P(mask)·network(mask/(1 − p)): the ensemble's exact average output."""
    total = sp.Integer(0)
    for mask in itertools.product((0, 1), repeat=n_units):
        kept = sum(mask)
        weight = (1 - drop) ** kept * drop ** (n_units - kept)
        total += weight * network([sp.Integer(m) / (1 - drop) for m in mask])
    return sp.simplify(total)


def ensemble_gap(network: Callable[[Sequence[sp.Expr]], sp.Expr], n_units: int, drop: sp.Expr = p) -> sp.Expr:
    """Ensemble average minus the prediction-time network (all masks 1, no scaling), simplified."""
    return sp.simplify(mask_average(network, n_units, drop) - network([sp.Integer(1)] * n_units))
