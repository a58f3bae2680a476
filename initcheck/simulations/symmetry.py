# mypy: disable-error-code="misc"
# (mypy cannot type lambdas that bind loop variables through default arguments; the dataclass fields state the types.)
"""Simulation cases for SYM-ZERO-2LAYER: float64 training (`sims.symmetry`) against `theory.symmetry` (the perceptron claims: simulations.perceptron)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from initcheck.sims import symmetry as sim_symmetry
from initcheck.simulations import ExactCase, SimulationCheck
from initcheck.theory import symmetry


def _movement_disagreements(rng: np.random.Generator, claimed: Callable[[bool, str], dict[str, int | None]]) -> float:
    """Count (config, parameter group) entries where float64 training and `claimed` disagree on the first moving step."""
    count = 0
    for output_bias in (True, False):
        for activation in symmetry.ACTIVATION_AT_ZERO:
            measured = sim_symmetry.zero_init_movement(rng, activation=activation, output_bias=output_bias)
            expected = claimed(output_bias, activation)
            count += sum(measured[name] != expected[name] for name in measured)
    return float(count)


SYM_ZERO_2LAYER = SimulationCheck(
    (
        ExactCase(
            name="float64 training of all-zero 2-2-2 nets, 4 activations x output bias on/off: entries that disagree with the derived table",
            measure=lambda rng: _movement_disagreements(rng, lambda bias, act: symmetry.zero_init_movement(bias)[act]),
            theory=lambda: 0.0,
            foil_label="every parameter moves at step 1",
            tolerance=0.0,
            tolerance_reason="movement is exact: a parameter is either bit-for-bit 0 or not",
            foil_measure=lambda rng: _movement_disagreements(rng, lambda bias, act: dict.fromkeys(("W1", "b1", "W2", "b2"), 1)),
        ),
    )
)
