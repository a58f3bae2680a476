"""Judge SYM-ZERO-2LAYER and SYM-CONST against `initcheck.theory.symmetry` (gradients of the two-layer net by SymPy)."""

from __future__ import annotations

from typing import Any

from initcheck.outcome import Outcome, SymbolicCheck, Verdict, fact_mismatches, judged
from initcheck.theory.symmetry import constant_init_symmetry, zero_init_movement


def check_zero_two_layer(stated: dict[str, Any]) -> Outcome:
    """SYM-ZERO-2LAYER: "does not learn at all" holds exactly in the configurations where no parameter ever moves."""
    claimed_moving = set(stated["moving"])
    holds_in: list[str] = []
    fails_in: list[str] = []
    table: dict[str, dict[str, int | None]] = {}
    for output_bias in (True, False):
        for activation, first in zero_init_movement(output_bias).items():
            config = f"{activation}, {'with' if output_bias else 'without'} output bias"
            moving = {name for name, step in first.items() if step is not None}
            table[config] = first
            (holds_in if moving == claimed_moving else fails_in).append(f"{config}: moves {sorted(moving) or 'nothing'}")
    verdict: Verdict = "refuted" if not holds_in else ("holds" if not fails_in else "holds-under-conditions")
    return judged(
        fails_in,
        verdict=verdict,
        summary="From all-zero weights: b₂ moves at step 1 whenever there is an output bias; W₂ moves at step 1 iff f(0) ≠ 0 "
        "(sigmoid), and then W₁, b₁ move at step 2 iff f(0)·f'(0) ≠ 0. The claim holds only where nothing moves: "
        + "; ".join(holds_in)
        + ".",
        conditions=tuple(holds_in),
        details={"first_step_moving": table},
    )


SYM_ZERO_2LAYER = SymbolicCheck(
    check_zero_two_layer, {"moving": []}, {"moving": ["W1", "W2", "b1", "b2"]}, "every parameter moves (zero init behaves like random init)"
)


def check_constant_init(stated: dict[str, bool]) -> Outcome:
    """SYM-CONST: identical hidden units get identical gradients, so GD (and momentum, Adam) keep them identical."""
    n_hidden = 3
    result = constant_init_symmetry(n_hidden)
    derived = {"units_stay_identical": bool(result["unit_differences_zero"]), "equals_one_unit_net": result["same_output"] == 0}
    mismatches = fact_mismatches(stated, derived)
    return judged(
        mismatches,
        verdict="refuted" if mismatches else "holds-under-conditions",
        summary=f"For any differentiable f, hidden units with equal incoming and outgoing weights receive equal gradients "
        f"(checked for n = {n_hidden}, generic f), so by induction they stay equal under any optimizer whose update is the same "
        "function of each coordinate's gradient history (GD, momentum, Adam). The net equals the one-unit net with output "
        f"weight n·w₂; its gradients are {result['hidden_gradient_ratio']}× (hidden) and {result['output_gradient_ratio']}× (output) "
        "the wide net's, so the trajectories coincide when the one-unit net uses rate α/n on its hidden weights and n·α on its output weights.",
        conditions=(
            "exact arithmetic, or floating-point kernels that compute identical units identically (measured by the property tests)",
            "deterministic updates: no dropout or other per-unit noise",
        ),
        details={
            "hidden_gradient_ratio": str(result["hidden_gradient_ratio"]),
            "output_gradient_ratio": str(result["output_gradient_ratio"]),
            "checked_width": n_hidden,
        },
    )


SYM_CONST = SymbolicCheck(
    check_constant_init,
    {"units_stay_identical": True, "equals_one_unit_net": True},
    {"units_stay_identical": False, "equals_one_unit_net": True},
    "constant init breaks symmetry after one step",
)
