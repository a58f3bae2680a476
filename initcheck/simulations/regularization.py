# mypy: disable-error-code="misc"
# (mypy cannot type lambdas that bind loop variables through default arguments; the dataclass fields state the types.)
"""Simulation cases for the regularization claims: each pairs a `sims/` estimator with a `theory/` value (see the package docstring)."""

from __future__ import annotations

import sympy as sp

from initcheck.sims import regularization as sim_regularization
from initcheck.simulations import ExactCase, SimulationCheck, StatisticalCase
from initcheck.theory import regularization

REG_DROPOUT = SimulationCheck(
    (
        StatisticalCase(
            name="inverted dropout, p = 0.3: E[m x/(1−p)]/x",
            estimate=lambda rng, r: sim_regularization.dropout_moments(rng, drop_probability=0.3, moment=1, scaled=True, replicates=r),
            replicates=400_000,
            theory=lambda: float(regularization.dropout_moments()["mean_factor_scaled"]),
            foil=lambda: 0.7,
            foil_label="no rescaling at training time",
        ),
        StatisticalCase(
            name="plain dropout, p = 0.3: E[(m x)²]/x²",
            estimate=lambda rng, r: sim_regularization.dropout_moments(rng, drop_probability=0.3, moment=2, scaled=False, replicates=r),
            replicates=400_000,
            theory=lambda: float(regularization.dropout_moments()["second_moment_factor_unscaled"].subs(regularization.p, sp.Rational(3, 10))),
            foil=lambda: 0.49,
            foil_label="(1 − p)²",
        ),
    )
)
REG_BATCHNORM = SimulationCheck(
    (
        ExactCase(
            name="a random batch of 8 rescaled to σ² = 4, ε = 1e-3: batch variance of x̂",
            measure=lambda rng: sim_regularization.batchnorm_moments(rng, batch=8, batch_variance=4.0, epsilon=1e-3),
            theory=lambda: float(
                regularization.batchnorm_moments(2)[2]
                .subs({sp.Symbol("epsilon", positive=True): sp.Rational(1, 1000)})
                .subs({sp.Symbol("x1", real=True): 0, sp.Symbol("x2", real=True): 4})
            ),
            foil_label="batch variance 1 (ε ignored)",
            tolerance=1e-12,
            tolerance_reason="float64 rounding of means over 8 values of size ~1",
            foil_value=lambda: 1.0,
        ),
    )
)
