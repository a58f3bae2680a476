"""The audit of one model, as `initcheck audit --out DIR` recorded it (audit.json); draws only the record.

Top: per parameter with an expected random rule, in the model's order, its mean square over the rule's variance
(1 when the documented init holds), with the band the test allows (± critical·SE); red where the documented init is
contradicted. Bottom (torch models): per dense or convolutional layer, in call order, the measured second moment of its
output (forward) and of the gradient it sends back (backward), against Var(w)·S predicted from the rule its weights are
expected (or found) to follow.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

FAILED = "#c44e52"
MEASURED = "#4c72b0"


def audit_figure(record: dict[str, Any]) -> Any:
    """One figure per model: the parameters' mean-square ratios, then (where measured) propagation forward and backward."""
    measured = record.get("propagation", {}).get("status") == "measured"
    if measured:
        fig = plt.figure(figsize=(7.2, 3.3), layout="constrained")
        grid = fig.add_gridspec(2, 2, height_ratios=[1, 1.15])
        _parameters(fig.add_subplot(grid[0, :]), record)
        _propagation(fig.add_subplot(grid[1, 0]), record, "forward", "forward: E[y²] of each layer's output")
        _propagation(fig.add_subplot(grid[1, 1]), record, "backward", "backward: E[(Wᵀ∂C/∂y)²] sent to its input")
        handles = {
            "predicted Var(w)·S": plt.Line2D([], [], color="#333333", linewidth=1.0),
            "measured": plt.Line2D([], [], marker="o", linestyle="", color=MEASURED, markersize=4),
            "measured, off the prediction": plt.Line2D([], [], marker="o", linestyle="", color=FAILED, markersize=4),
        }
        fig.legend(handles.values(), handles.keys(), loc="outside lower center", ncols=3, fontsize=7, frameon=False)
    else:
        fig, ax = plt.subplots(figsize=(7.2, 2.0), layout="constrained")
        _parameters(ax, record)
    fig.suptitle(record["model"], fontsize=9)
    return fig


def _parameters(ax: Any, record: dict[str, Any]) -> None:
    points = []
    for entry in record["parameters"]:
        verdict = entry.get("expected_verdict")
        square = next((t for t in (verdict or {}).get("tests", []) if t["statistic"] == "mean square / Var"), None)
        if square is not None:
            band = square["critical"] * square["se"] if "critical" in square else 0.0  # a record from before critical was kept: no band
            points.append((square["measured"], band, verdict["consistent"] is False))
    if not points:
        ax.text(0.5, 0.5, "no parameter with an expected random rule", ha="center", va="center", transform=ax.transAxes, fontsize=8)
        ax.set_axis_off()
        return
    for failed in (False, True):
        chosen = [(i, m, b) for i, (m, b, f) in enumerate(points) if f == failed]
        if chosen:
            index, ratio, band = zip(*chosen, strict=True)
            ax.errorbar(index, ratio, yerr=band, fmt="o", markersize=3, linewidth=0.8, color=FAILED if failed else MEASURED,
                        label="contradicted" if failed else "measured ± critical·SE")  # fmt: skip
    ax.axhline(1.0, color="#333333", linewidth=0.8, linestyle="--", label="documented variance")
    ratios = [m for m, _, _ in points]
    if min(ratios) < 0.5 or max(ratios) > 2:  # a contradicted init can be off by factors: a log axis; near 1, a linear one reads better
        ax.set_yscale("log")
    ax.set_xlabel("parameter with an expected random rule (model order)", fontsize=8)
    ax.set_ylabel("mean square / Var", fontsize=8)
    ax.set_title("parameters: mean square over the documented rule's variance", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=6.5, frameon=False)


def _propagation(ax: Any, record: dict[str, Any], direction: str, title: str) -> None:
    rows = [(layer["index"], layer[direction]) for layer in record["propagation"]["layers"] if "second_moment" in layer[direction]]
    ax.set_title(title, fontsize=8)
    if not rows:
        ax.text(0.5, 0.5, "not measured", ha="center", va="center", transform=ax.transAxes)
        return
    ax.plot([i for i, _ in rows], [t["predicted_second_moment"] for _, t in rows], color="#333333", linewidth=1.0)
    passed = [(i, t["second_moment"]) for i, t in rows if t["passed"]]
    failed = [(i, t["second_moment"]) for i, t in rows if not t["passed"]]
    if passed:
        ax.scatter(*zip(*passed, strict=True), s=12, color=MEASURED, zorder=3)
    if failed:
        ax.scatter(*zip(*failed, strict=True), s=18, color=FAILED, zorder=4)
    ax.set_yscale("log")
    ax.set_xlabel("layer (call order)", fontsize=8)
    ax.set_ylabel("second moment", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
