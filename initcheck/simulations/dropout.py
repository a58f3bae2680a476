# mypy: disable-error-code="misc"
"""Simulation case for REG-DROPOUT-DIST: sims.dropout's training-time variance against theory.dropout (see the package docstring)."""

from __future__ import annotations

import sympy as sp

from initcheck.sims import dropout as sim
from initcheck.simulations import SimulationCheck, StatisticalCase
from initcheck.theory import dropout

DROP, MEAN, STD = sp.Rational(3, 10), sp.Rational(1, 2), sp.Integer(1)
_VALUES = {dropout.p: DROP, dropout.mu: MEAN, dropout.s: STD**2 + MEAN**2}

REG_DROPOUT_DIST = SimulationCheck(
    (
        StatisticalCase(
            name="inverted dropout, p = 0.3, x ~ N(0.5, 1): training-time Var(m·x/(1 − p))",
            estimate=lambda rng, r: sim.training_variance(rng, drop_probability=0.3, mean=0.5, std=1.0, replicates=r),
            replicates=1_000_000,  # relative MDE ≤ 2% (the suite's rule): SE of a variance ≈ √((m₄ − σ⁴)/n) ≈ 0.0029 here
            theory=lambda: float(dropout.unit_moments()["train_variance"].subs(_VALUES)),
            foil=lambda: float(dropout.unit_moments()["predict_variance"].subs(_VALUES)),
            foil_label="the prediction-time variance Var(x) = 1 (the distributions match)",
        ),
    )
)
