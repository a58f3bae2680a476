# mypy: disable-error-code="misc"
# (mypy cannot type lambdas that bind loop variables through default arguments; the dataclass fields state the types.)
"""Simulation cases for SYM-PERCEPTRON-LEARNS and SYM-RELU-STALL: float64 training of one unit (`sims.perceptron`) against `theory.perceptron`."""

from __future__ import annotations

import numpy as np

from initcheck.sims import perceptron as sim_perceptron
from initcheck.simulations import ExactCase, SimulationCheck
from initcheck.theory import perceptron


def _learns_disagreements(rng: np.random.Generator, claimed_learners: set[str]) -> float:
    """Activations whose zero-initialized unit moves (float64, 1 step) differently from `claimed_learners`."""
    names = ("linear", "sigmoid", "tanh", "elu", "leaky_relu", "relu")
    moved = {name for name in names if sim_perceptron.single_unit_moves(activation=name, initial=(0.0, 0.0, 0.0), steps=1) > 0}
    return float(len(moved ^ claimed_learners))


SYM_PERCEPTRON_LEARNS = SimulationCheck(
    (
        ExactCase(
            name="one float64 GD step from zero for 6 activations: disagreements with f'(0) != 0",
            measure=lambda rng: _learns_disagreements(rng, {k for k, v in perceptron.derivative_at_zero().items() if v != 0}),
            theory=lambda: 0.0,
            foil_label="ReLU learns from zero too",
            tolerance=0.0,
            tolerance_reason="movement is exact",
            foil_measure=lambda rng: _learns_disagreements(rng, set(perceptron.derivative_at_zero())),
        ),
    )
)


SYM_RELU_STALL = SimulationCheck(
    (
        ExactCase(
            name="ReLU unit from w = (0.6, -0.3, 0.2): largest |w - w0| after 100 steps",
            measure=lambda rng: sim_perceptron.single_unit_moves(activation="relu", initial=(0.6, -0.3, 0.2)),
            theory=lambda: 0.0,
            foil_label="z = +0.1 (w = (0.6, -0.3, 0.4)): the unit would learn",
            tolerance=0.0,
            tolerance_reason="no update is exactly no change",
            foil_measure=lambda rng: sim_perceptron.single_unit_moves(activation="relu", initial=(0.6, -0.3, 0.4)),
        ),
        ExactCase(
            name="ReLU unit from zero, relu'(0) = 0: largest |w - w0| after 100 steps",
            measure=lambda rng: sim_perceptron.single_unit_moves(activation="relu", initial=(0.0, 0.0, 0.0)),
            theory=lambda: 0.0,
            foil_label="relu'(0) = 1 convention",
            tolerance=0.0,
            tolerance_reason="no update is exactly no change",
            foil_measure=lambda rng: sim_perceptron.single_unit_moves(activation="relu", initial=(0.0, 0.0, 0.0), relu_prime_at_zero=1.0),
        ),
    )
)
