"""Signal propagation at init, as `initcheck audit --out DIR` recorded it: per dense or convolutional layer, in call order,
the measured second moment of its output (forward) and of the gradient it sends back (backward), against Var(w)·S
predicted from the rule its weights are expected (or found) to follow. Draws only the record (audit.json).
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt

FAILED = "#c44e52"
MEASURED = "#4c72b0"


def audit_figure(record: dict[str, Any]) -> Any:
    """Two panels (forward, backward): measured (dots) and predicted (line) second moment per layer, log axis."""
    layers = record["propagation"]["layers"]
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 2.9), layout="constrained")
    for ax, direction, title in ((axes[0], "forward", "forward: E[y²] of each layer's output"), (axes[1], "backward", "backward: E[(Wᵀ∂C/∂y)²] sent to its input")):
        rows = [(layer["index"], layer[direction]) for layer in layers if "second_moment" in layer[direction]]
        if not rows:
            ax.text(0.5, 0.5, "not measured", ha="center", va="center", transform=ax.transAxes)
            ax.set_title(title, fontsize=8)
            continue
        index = [i for i, _ in rows]
        ax.plot(index, [t["predicted_second_moment"] for _, t in rows], color="#333333", linewidth=1.0, label="predicted Var(w)·S")
        passed = [(i, t["second_moment"]) for i, t in rows if t["passed"]]
        failed = [(i, t["second_moment"]) for i, t in rows if not t["passed"]]
        if passed:
            ax.scatter(*zip(*passed, strict=True), s=12, color=MEASURED, zorder=3, label="measured")
        if failed:
            ax.scatter(*zip(*failed, strict=True), s=18, color=FAILED, zorder=4, label="measured, off the prediction")
        ax.set_yscale("log")
        ax.set_xlabel("layer (call order)", fontsize=8)
        ax.set_title(title, fontsize=8)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=6.5, frameon=False)
    axes[0].set_ylabel("second moment", fontsize=8)
    fig.suptitle(record["model"], fontsize=9)
    return fig
