# mypy: disable-error-code="misc"
# (mypy cannot type lambdas that bind loop variables through default arguments; the dataclass fields state the types.)
"""Simulation cases for GLOROT-VAR, GLOROT-UNIFORM and HE-VAR: `sims.initializers` and `sims.variance` layers against `theory.initializers`."""

from __future__ import annotations

import numpy as np
import sympy as sp

from initcheck.sims import initializers as sim_initializers
from initcheck.simulations import SimulationCheck, StatisticalCase
from initcheck.simulations.variance import N_IN, N_OUT, layer_case, layer_gain
from initcheck.theory import initializers, variance

_GLOROT = 2 / (N_IN + N_OUT)


GLOROT_VAR = SimulationCheck(
    (
        layer_case(
            "forward, Glorot normal",
            _GLOROT,
            "forward",
            lambda: layer_gain(variance.forward_gain(), _GLOROT),
            lambda: N_IN / (N_IN + N_OUT),
            "Var(w) = 1/(n_in+n_out)",
        ),
        layer_case(
            "backward, Glorot normal",
            _GLOROT,
            "backward",
            lambda: layer_gain(variance.backward_gain(), _GLOROT),
            lambda: N_OUT / (N_IN + N_OUT),
            "Var(w) = 1/(n_in+n_out)",
        ),
    )
)


GLOROT_UNIFORM = SimulationCheck(
    (
        StatisticalCase(
            name="Var of U[−a, a] draws, a = √(6/(n_in+n_out))",
            estimate=lambda rng, r: sim_initializers.uniform_variance(rng, limit=np.sqrt(6.0 / (N_IN + N_OUT)), replicates=r),
            replicates=400_000,
            theory=lambda: float(initializers.uniform_variance().subs(initializers.a, sp.sqrt(sp.Rational(6, N_IN + N_OUT)))),
            foil=lambda: 6 / (N_IN + N_OUT),
            foil_label="Var(U[−a,a]) = a² (the 1/3 forgotten)",
        ),
    )
)


HE_VAR = SimulationCheck(
    (
        StatisticalCase(
            name="E[relu(y)²], y ~ N(0, 2.5)",
            estimate=lambda rng, r: sim_initializers.relu_second_moment(rng, variance=2.5, replicates=r),
            replicates=850_000,
            theory=lambda: float(initializers.relu_second_moment() * sp.Rational(5, 2)),
            foil=lambda: 2.5,
            foil_label="no halving: E[relu(y)²] = Var(y)",
        ),
        layer_case(
            "ReLU inputs, He weights, forward second moment",
            2 / N_IN,
            "forward",
            lambda: layer_gain(variance.forward_gain(), 2 / N_IN) * float(initializers.relu_second_moment()),
            lambda: layer_gain(variance.forward_gain(), 1 / N_IN) * float(initializers.relu_second_moment()),
            "He without the 2: Var(w) = 1/n_in",
            input_activation="relu",
            replicates=16_000,  # relu inputs raise the per-layer spread: twice the layers keep the relative MDE under 2%
        ),
    )
)
