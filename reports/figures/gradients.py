"""Gradient figures: σ' and its maximum, the region |wσ'(wa + b)| ≥ 1, the interval width, the per-layer factor's distribution."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from initcheck.reports.figures import FigureSpec, figure_record, read_all, symbolic_record

SIGMOID_PRIME = figure_record("GRAD-SIGMOID-MAX", "property", "fig-sigmoid-prime")
REGION = figure_record("GRAD-W4", "simulation", "fig-interval")
WIDTHS = figure_record("GRAD-INTERVAL", "simulation", "fig-interval")
ARGMAX, PEAK = symbolic_record("GRAD-INTERVAL-MAX", "argmax"), symbolic_record("GRAD-INTERVAL-MAX", "max")
CERTIFIED = symbolic_record("GRAD-INTERVAL-MAX", "certified_digits")
FACTOR = figure_record("GRAD-BOUND", "simulation", "fig-factor")
DERIVED_FRACTION = symbolic_record("GRAD-BOUND", "usually", "fraction_below_quarter")


def sigmoid_prime(results: dict[str, Any]) -> Any:
    fig, ax = plt.subplots(figsize=(4.2, 2.4))
    found = read_all(ax, results, SIGMOID_PRIME)
    if found is None:
        return fig
    (data,) = found
    ax.plot(data["z"], data["sigmoid_prime"], color="#4c72b0", label="σ'(z) = σ(z)(1 − σ(z))")
    for point in data["critical_points"]:
        ax.axhline(point["sigmoid_prime"], color="#c44e52", linestyle="--", linewidth=1, label=f"maximum {point['exact']} at z = {point['z']:g} (derived)")
    ax.set_xlabel("z")
    ax.set_ylabel("σ'(z)")
    ax.set_ylim(0, 0.32)
    ax.legend(fontsize=7, frameon=False, loc="upper left")
    return fig


def interval_region_and_width(results: dict[str, Any]) -> Any:
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 2.6))
    region = read_all(left, results, REGION)
    if region is not None:
        (data,) = region
        mesh = left.pcolormesh(data["abs_w"], data["a"], np.array(data["value"]), shading="gouraud", cmap="viridis", rasterized=True)
        edge = data["boundary"]
        left.plot(edge["abs_w"], edge["upper_a"], color="white", linewidth=1.2)
        left.plot(edge["abs_w"], edge["lower_a"], color="white", linewidth=1.2)
        left.axvline(4, color="#c44e52", linestyle="--", linewidth=1)
        left.text(4.2, 0.85, "|w| = 4", color="#c44e52", fontsize=7.5)
        fig.colorbar(mesh, ax=left, label="|w σ'(wa)|  (b = 0)")
        left.set_xlabel("|w|")
        left.set_ylabel("a")
    width = read_all(right, results, WIDTHS, ARGMAX, PEAK, CERTIFIED)
    if width is not None:
        data, argmax, peak, digits = width
        right.plot(data["abs_w"], data["width_eq123"], color="#4c72b0", label="eq. (123)")
        right.plot(data["measured"]["abs_w"], data["measured"]["width"], "+", color="#333", markersize=6, label="root-found (sims)")
        right.plot([float(argmax)], [float(peak)], "o", color="#c44e52")
        right.annotate(
            f"max {float(peak):.6f}\nat |w| = {float(argmax):.6f}\n(certified, {digits} digits)",
            (float(argmax), float(peak)),
            (11, 0.06),  # below the curve's tail, clear of the markers
            fontsize=7.5,
            arrowprops={"arrowstyle": "->", "linewidth": 0.6},
        )
        right.set_xlabel("|w|")
        right.set_ylabel("width of {a : |wσ'| ≥ 1}")
        right.legend(fontsize=7, frameon=False, loc="upper right")
    return fig


def factor_distribution(results: dict[str, Any]) -> Any:
    fig, ax = plt.subplots(figsize=(4.6, 2.5))
    found = read_all(ax, results, FACTOR, DERIVED_FRACTION)
    if found is None:
        return fig
    data, derived = found
    counts, edges = data["log10_factor"]["counts"], data["log10_factor"]["edges"]
    ax.stairs(counts, edges, fill=True, color="#4c72b0")
    ax.axvline(np.log10(0.25), color="#c44e52", linestyle="--", linewidth=1)
    ax.text(np.log10(0.25) + 0.05, 0.9, "1/4", color="#c44e52", transform=ax.get_xaxis_transform(), fontsize=7.5)
    ax.set_title(f"P(|wσ'| < 1/4): sampled {data['fraction_below_quarter']:.4f}, derived {float(derived):.4f}", fontsize=8.5)
    ax.set_xlabel("log₁₀ |w σ'(wa + b)|,  w, b ~ N(0,1), a ~ U[0,1)")
    ax.set_ylabel(f"samples per bin (of {data['samples']:,})")
    return fig


FIGURES = [
    FigureSpec(
        "fig-sigmoid-prime",
        ("GRAD-SIGMOID-MAX",),
        "σ'(z) with its maximum 1/4 at z = 0, the maximum derived by SymPy.",
        sigmoid_prime,
        (SIGMOID_PRIME,),
    ),
    FigureSpec(
        "fig-interval",
        ("GRAD-W4", "GRAD-INTERVAL", "GRAD-INTERVAL-MAX"),
        "Left: |wσ'(wa)| in the (|w|, a) plane, the white curves where it equals 1 (nothing to the left of |w| = 4). "
        "Right: the width of the interval where it is ≥ 1 (eq. 123; +: found by root finding), its maximum at the certified argmax.",
        interval_region_and_width,
        (REGION, WIDTHS, ARGMAX, PEAK, CERTIFIED),
    ),
    FigureSpec(
        "fig-factor",
        ("GRAD-BOUND",),
        "Distribution of the per-layer factor |wσ'(z)| for one neuron of a chain (200,000 samples): mostly below 1/4.",
        factor_distribution,
        (FACTOR, DERIVED_FRACTION),
    ),
]
