"""Symmetry figures: constant init in float64 (BLAS vs unit-wise), XOR decision regions, the perceptron table's convergence."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from scipy.special import erf

from initcheck.reports.figures import FigureSpec
from initcheck.sims import symmetry as sim_symmetry

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0.0, 1.0, 1.0, 0.0])


def constant_init_spread(rng: np.random.Generator, results: dict[str, Any]) -> Any:
    del rng  # XOR data and a constant init: nothing random
    fig, ax = plt.subplots(figsize=(4.6, 2.5))
    steps = 5000
    for width, color in ((5, "#4c72b0"), (6, "#55a868"), (7, "#c44e52")):
        run: dict[str, Any] = {"width": width, "activation": "tanh", "c1": 0.5, "c2": 0.5, "rate": 0.4 / width, "steps": steps}
        _, spread, _ = sim_symmetry.train_two_layer(XOR_X, XOR_Y, **run, products="blas")
        _, exact, _ = sim_symmetry.train_two_layer(XOR_X, XOR_Y, **run, products="unitwise")
        shown = np.where(spread > 0, spread, np.nan)
        ax.semilogy(np.arange(1, steps + 1), shown, color=color, label=f"width {width}, BLAS (unit-wise: max {exact.max():g})")
    ax.set_xlabel("gradient-descent step")
    ax.set_ylabel("max spread between hidden units")
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    return fig


def xor_regions(rng: np.random.Generator, results: dict[str, Any]) -> Any:
    from initcheck.theory.xor import gelu_minimum, two_relu_network

    del rng
    a, b = sp.symbols("a b", real=True)
    grid = np.linspace(-0.3, 1.3, 321)
    xx, yy = np.meshgrid(grid, grid)
    two_relu = sp.lambdify((a, b), two_relu_network(a, b), "numpy")  # type: ignore[arg-type]
    m = float(gelu_minimum()[0])
    u = xx + yy + m - 1
    gelu = -(u * 0.5 * (1 + erf(u / np.sqrt(2))))
    panels = (
        ("one sigmoid unit\nσ(6a + 6b − 3)", 1 / (1 + np.exp(-(6 * xx + 6 * yy - 3))), 0.5),
        ("two ReLU units\nrelu(a+b) − 2·relu(a+b−1)", two_relu(xx, yy), 0.5),
        ("one non-monotone unit\n−GELU(a + b + m − 1)", gelu, float(np.mean([gelu[0, 0], gelu[0, -1]]))),
    )
    fig, axes = plt.subplots(1, 3, figsize=(7.4, 2.5))
    for ax, (title, values, threshold) in zip(axes, panels, strict=True):
        ax.contourf(xx, yy, values > threshold, levels=[-0.5, 0.5, 1.5], colors=["#dfe7f2", "#f6d6d6"]).set_rasterized(True)
        ax.contour(xx, yy, values, levels=[threshold], colors="black", linewidths=0.8)
        for (p, q), label in zip(XOR_X, XOR_Y, strict=True):
            ax.plot(p, q, "o" if label else "s", color="#c44e52" if label else "#4c72b0", markersize=6)
        ax.set_title(title, fontsize=7.5)
        ax.set_xlabel("a")
        ax.set_aspect("equal")
    axes[0].set_ylabel("b")
    return fig


def perceptron_convergence(rng: np.random.Generator, results: dict[str, Any]) -> Any:
    from initcheck.theory.perceptron import PUBLISHED_TABLE, closed_form, replay

    del rng
    rho, _, forms = closed_form()
    limit = forms[3:]
    exact = replay(len(PUBLISHED_TABLE))
    fig, ax = plt.subplots(figsize=(4.8, 2.6))
    steps = np.arange(1, len(PUBLISHED_TABLE) + 1)
    for i, (name, color) in enumerate((("w₁", "#4c72b0"), ("w₂", "#55a868"), ("w₃ (bias)", "#c44e52"))):
        ax.semilogy(steps[1:], [abs(float(row["w"][i] - limit[i])) for row in exact[1:]], color=color, label=f"{name}: exact |w_k − w*|")
        printed = [abs(float(row["w"][i].replace(",", ".")) - float(limit[i])) for row in PUBLISHED_TABLE[1:]]
        ax.semilogy(steps[1:], np.where(np.array(printed) > 0, printed, np.nan), "x", color=color, markersize=6)
    ax.annotate("printed 4,005\n(exact 4.0005)", (4, 0.005), (4.6, 0.05), fontsize=7, arrowprops={"arrowstyle": "->", "linewidth": 0.6})
    ax.set_xlabel("step k")
    ax.set_xticks(steps[1:])
    ax.set_ylabel("distance to the limit (4, 16, 8)")
    ax.set_title(f"contraction ρ = {rho} per step; ×: printed cells", fontsize=8)
    ax.legend(fontsize=7, frameon=False, loc="lower left")
    return fig


FIGURES = [
    FigureSpec(
        "fig-const-spread",
        ("SYM-CONST",),
        "Constant init (c₁ = c₂ = 0.5), tanh hidden units, XOR, SGD rate 0.4/width: the spread between hidden units with NumPy matrix products (BLAS) "
        "grows from round-off; with unit-wise products it is exactly 0 at every step. Widths whose BLAS spread stays 0 are not drawn (log scale).",
        constant_init_spread,
    ),
    FigureSpec(
        "fig-xor",
        ("SYM-XOR", "SYM-CONST-XOR"),
        "XOR decision regions (shaded: output above the threshold; circles: XOR = 1, squares: XOR = 0). One monotone unit draws a single line; "
        "two ReLU units (the seed's construction) and one non-monotone unit (GELU, m its argmin) separate XOR.",
        xor_regions,
    ),
    FigureSpec(
        "fig-perceptron",
        ("SYM-PERCEPTRON-TABLE",),
        "Source 002's perceptron table: the exact distance to the limit (4, 16, 8) per step, from the exact replay, and the printed cells (×). "
        "The step-4 cell w₁ = 4,005 sits ten times too far from the limit: a dropped zero.",
        perceptron_convergence,
    ),
]
