"""SYM-CONST in floating point: the spread between hidden units after a seed, per task, as recorded.

Draws only what SYM-CONST's simulation check recorded in its measurements (`by_task[...]["curve"]`): the float64
spread from a one-ulp seed, the mpmath linearization's prediction, and for the judged tasks the float64 run from the
judged (2²⁶-ulp) seed at the linearization's steps. Nothing is trained or derived here.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt

from initcheck.reports.figures import FigureSpec, Record, read_all

COLORS = ("#4c72b0", "#55a868", "#c44e52", "#8172b2", "#937860", "#da8bc3")


BY_TASK = Record("SYM-CONST", "simulation", ("measurements", "by_task"))


def asymmetry_vs_step(results_by_claim_id: dict[str, Any]) -> Any:
    """log10 spread against step for each task; dashed: the linearization over its steps."""
    fig, ax = plt.subplots(figsize=(6.2, 3.0))
    found = read_all(ax, results_by_claim_id, BY_TASK)
    if found is None:
        return fig
    (by_task,) = found
    for (name, row), color in zip(by_task.items(), COLORS, strict=False):
        curve = row["curve"]
        points = [(s, v) for s, v in zip(curve["step"], curve["log10_spread"], strict=True) if v is not None]
        verdict = "learns" if row["learns_something"] else "stays"
        ax.plot([p[0] for p in points], [p[1] for p in points], color=color, linewidth=1.2, label=f"{name} ({verdict})")
        ax.plot(curve["linearized_step"], curve["linearized_log10_spread"], color=color, linestyle="--", linewidth=0.9)
        judged = [(s, v) for s, v in zip(curve["linearized_step"], curve.get("judged_log10_spread") or [], strict=False) if v is not None]
        if judged:
            ax.plot([p[0] for p in judged[::3]], [p[1] for p in judged[::3]], "o", color=color, markersize=2.5, markerfacecolor="none", markeredgewidth=0.6)
    ax.axhline(-2, color="grey", linewidth=0.6, linestyle=":")
    ax.set_xscale("log")
    ax.set_xlabel("gradient-descent step")
    ax.set_ylabel("log₁₀ max spread between units")
    ax.legend(fontsize=6.5, frameon=False, loc="upper left")
    return fig


FIGURES = [
    FigureSpec(
        "fig-const-transverse",
        ("SYM-CONST",),
        "Constant init with one weight of one unit moved by one ulp, float64 with unit-wise products (solid; any BLAS kernel: "
        "its first hundreds of steps are round-off, so where it rises depends on the machine's libm and SIMD paths). Dashed: the "
        "spread the transverse Jacobian predicts along the symmetric path at 20 digits, from a seed of 2²⁶ ulps for the three "
        "judged tasks (up to spread 1e-6) and from one ulp for the other two; circles: the float64 run from the same 2²⁶-ulp "
        "seed, which the simulation check compares step by step. Where the spread reaches the dotted line (0.01) the units "
        "differ and the net learns more than one unit can; where it stays near round-off it does not.",
        asymmetry_vs_step,
        (BY_TASK,),
    ),
]
