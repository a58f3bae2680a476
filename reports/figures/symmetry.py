"""Symmetry figures: constant init in float64 (BLAS vs unit-wise), XOR decision regions, the perceptron table's convergence."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from initcheck.reports.figures import FigureSpec, Record, figure_record, read_all, symbolic_record

SPREAD = figure_record("SYM-CONST", "property", "fig-const-spread")
UNITWISE = Record("SYM-CONST", "property", ("measurements", "by_width"))
REGIONS = figure_record("SYM-XOR", "property", "fig-xor")
CELLS, LIMIT = symbolic_record("SYM-PERCEPTRON-TABLE", "cells"), symbolic_record("SYM-PERCEPTRON-TABLE", "limit")
RHO = symbolic_record("SYM-PERCEPTRON-TABLE", "contraction_factor")
COLORS = ("#4c72b0", "#55a868", "#c44e52")


def constant_init_spread(results: dict[str, Any]) -> Any:
    fig, ax = plt.subplots(figsize=(4.6, 2.5))
    found = read_all(ax, results, SPREAD, UNITWISE)
    if found is None:
        return fig
    data, by_width = found
    for (width, curve), color in zip(data["block_max_by_width"].items(), COLORS, strict=False):
        shown = [s if s and s > 0 else np.nan for s in curve["blas_spread"]]  # log scale: a spread of exactly 0 is not drawn
        exact = by_width[width]["unitwise_max_spread"]
        ax.semilogy(curve["last_step"], shown, color=color, label=f"width {width}, BLAS (unit-wise: max {exact:g})")
    ax.set_xlabel("gradient-descent step")
    ax.set_ylabel("max spread between hidden units")
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    return fig


def xor_regions(results: dict[str, Any]) -> Any:
    fig, axes = plt.subplots(1, 3, figsize=(7.4, 2.5))
    found = read_all(axes[1], results, REGIONS)
    if found is None:
        for ax in (axes[0], axes[2]):
            ax.set_axis_off()
        return fig
    (data,) = found
    for ax, panel in zip(axes, data["panels"], strict=True):
        values, threshold = np.array(panel["output"], dtype=float), panel["threshold"]
        ax.contourf(data["a"], data["b"], values > threshold, levels=[-0.5, 0.5, 1.5], colors=["#dfe7f2", "#f6d6d6"]).set_rasterized(True)
        ax.contour(data["a"], data["b"], values, levels=[threshold], colors="black", linewidths=0.8)
        for (p, q), label in zip(data["points"], data["xor"], strict=True):
            ax.plot(p, q, "o" if label else "s", color="#c44e52" if label else "#4c72b0", markersize=6)
        ax.set_title(panel["title"], fontsize=7.5)
        ax.set_xlabel("a")
        ax.set_aspect("equal")
    axes[0].set_ylabel("b")
    return fig


def _decimal(text: str) -> float:
    """A recorded number, printed with a decimal comma (source 002) or a point."""
    return float(text.replace(",", "."))


def perceptron_convergence(results: dict[str, Any]) -> Any:
    fig, ax = plt.subplots(figsize=(4.8, 2.6))
    found = read_all(ax, results, CELLS, LIMIT, RHO)
    if found is None:
        return fig
    cells, limit, rho = found
    limits = [_decimal(v) for v in limit]
    steps: list[int] = []
    for i, (name, color) in enumerate((("w₁", "#4c72b0"), ("w₂", "#55a868"), ("w₃ (bias)", "#c44e52"))):
        column = [c for c in cells if c["cell"].endswith(f" w[{i + 1}]") and not c["cell"].startswith("step 1 ")]  # step 1 is w = 0
        steps = [int(c["cell"].split()[1]) for c in column]
        exact = [abs(_decimal(c["ours"]) - limits[i]) for c in column]
        printed = [abs(_decimal(c["printed"]) - limits[i]) or np.nan for c in column]  # a printed cell equal to the limit: off the log scale
        ax.semilogy(steps, exact, color=color, label=f"{name}: exact |w_k − w*|")
        ax.semilogy(steps, printed, "x", color=color, markersize=6)
    wrong = [c for c in cells if not c["agrees"] and " w[" in c["cell"]]
    for cell in wrong:
        step, index = int(cell["cell"].split()[1]), int(cell["cell"][-2]) - 1
        ax.annotate(
            f"printed {cell['printed']}\n(exact {_decimal(cell['ours']):g})",
            (step, abs(_decimal(cell["printed"]) - limits[index])),
            (step + 0.6, 0.05),
            fontsize=7,
            arrowprops={"arrowstyle": "->", "linewidth": 0.6},
        )
    ax.set_xlabel("step k")
    ax.set_xticks(steps)
    ax.set_ylabel(f"distance to the limit ({', '.join(limit)})")
    ax.set_title(f"contraction ρ = {rho} per step; ×: printed cells", fontsize=8)
    ax.legend(fontsize=7, frameon=False, loc="lower left")
    return fig


FIGURES = [
    FigureSpec(
        "fig-const-spread",
        ("SYM-CONST",),
        "Constant init (c₁ = c₂ = 0.5), tanh hidden units, XOR, SGD rate 0.4/width: the spread between hidden units with NumPy matrix products (BLAS) "
        "grows from round-off; with unit-wise products it is exactly 0 at every step. Each point is the largest spread in a block of 50 steps; "
        "widths whose BLAS spread stays 0 are not drawn (log scale). The spread depends on the BLAS kernel (title page).",
        constant_init_spread,
        (SPREAD, UNITWISE),
    ),
    FigureSpec(
        "fig-xor",
        ("SYM-XOR", "SYM-CONST-XOR"),
        "XOR decision regions (shaded: output above the threshold; circles: XOR = 1, squares: XOR = 0). One monotone unit draws a single line; "
        "two ReLU units (the seed's construction) and one non-monotone unit (GELU, m its argmin) separate XOR.",
        xor_regions,
        (REGIONS,),
    ),
    FigureSpec(
        "fig-perceptron",
        ("SYM-PERCEPTRON-TABLE",),
        "Source 002's perceptron table: the exact distance to the limit (4, 16, 8) per step, from the exact replay, and the printed cells (×). "
        "The step-4 cell w₁ = 4,005 sits ten times too far from the limit: a dropped zero.",
        perceptron_convergence,
        (CELLS, LIMIT, RHO),
    ),
]
