# mypy: disable-error-code="misc"
# (mypy cannot type lambdas that bind loop variables through default arguments; the dataclass fields state the types.)
"""Simulation cases for GRAD-IDENTITY: the identity neuron's error measured on a grid (`sims.identity_neuron`) against the derived bound."""

from __future__ import annotations

import sympy as sp

from initcheck.sims import identity_neuron as sim_identity_neuron
from initcheck.simulations import ExactCase, SimulationCheck
from initcheck.theory import identity_neuron


def _identity_bound(w1: float) -> float:
    parts = identity_neuron.identity_neuron()
    return float(parts["bound"].subs(parts["w1"], sp.nsimplify(w1)))


GRAD_IDENTITY = SimulationCheck(
    tuple(
        ExactCase(
            name=f"w₁ = {w1}: max error on [0,1] against the bound",
            measure=lambda rng, w1=w1: sim_identity_neuron.max_error(w1) - _identity_bound(w1),
            theory=lambda: 0.0,
            foil_label="bound w₁²/192 (half the derived one)",
            tolerance=0.0,
            tolerance_reason="one-sided: a grid maximum is at most the true maximum, so measured − bound must be ≤ 0",
            foil_measure=lambda rng, w1=w1: sim_identity_neuron.max_error(w1) - _identity_bound(w1) / 2,
            one_sided=True,
        )
        for w1 in (0.1, 0.5, 1.0, 2.0)
    )
)
