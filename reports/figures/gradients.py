"""Gradient figures: σ' and its maximum, the region |wσ'(wa + b)| ≥ 1, the interval width, the per-layer factor's distribution."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp

from initcheck.reports.figures import FigureSpec, symbolic_detail
from initcheck.sims import gradients as sim_gradients
from initcheck.sims import interval as sim_interval


def sigmoid_prime(rng: np.random.Generator, results: dict[str, Any]) -> Any:
    from initcheck.theory.gradients import sigmoid_prime as derived

    del rng  # a curve: nothing drawn at random
    x = sp.Symbol("x", real=True)
    curve = sp.lambdify(x, derived(x), "numpy")
    peak = sp.maximum(derived(x), x)
    z = np.linspace(-8, 8, 801)
    fig, ax = plt.subplots(figsize=(4.2, 2.4))
    ax.plot(z, curve(z), color="#4c72b0", label="σ'(z) = σ(z)(1 − σ(z))")
    ax.axhline(float(peak), color="#c44e52", linestyle="--", linewidth=1, label=f"maximum {peak} at z = 0 (derived)")
    ax.set_xlabel("z")
    ax.set_ylabel("σ'(z)")
    ax.set_ylim(0, 0.32)
    ax.legend(fontsize=7, frameon=False, loc="upper left")
    return fig


def interval_region_and_width(rng: np.random.Generator, results: dict[str, Any]) -> Any:
    from initcheck.theory.interval import W, nielsen_width, width_maximum

    del rng
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 2.6))
    w = np.linspace(0.5, 12, 300)
    a = np.linspace(-1, 1, 300)
    ww, aa = np.meshgrid(w, a)
    value = ww * sim_interval.sigmoid_prime(ww * aa)
    mesh = left.pcolormesh(w, a, value, shading="auto", cmap="viridis", rasterized=True)  # raster inside the SVG: 90,000 cells
    left.contour(w, a, value, levels=[1.0], colors="white", linewidths=1.2)
    left.axvline(4, color="#c44e52", linestyle="--", linewidth=1)
    left.text(4.2, 0.85, "|w| = 4", color="#c44e52", fontsize=7.5)
    fig.colorbar(mesh, ax=left, label="|w σ'(wa)|  (b = 0)")
    left.set_xlabel("|w|")
    left.set_ylabel("a")
    width = sp.lambdify(W, nielsen_width(W), "numpy")
    grid = np.linspace(4.0, 30, 600)
    right.plot(grid, width(grid), color="#4c72b0", label="eq. (123)")
    recorded = [symbolic_detail(results, "GRAD-INTERVAL-MAX", key) for key in ("argmax", "max")]
    argmax, peak = recorded if None not in recorded else width_maximum()
    right.plot([float(argmax)], [float(peak)], "o", color="#c44e52")
    right.annotate(f"max {float(peak):.6f}\nat |w| = {float(argmax):.6f}\n(certified, 40 digits)", (float(argmax), float(peak)), (14, 0.3), fontsize=7.5, arrowprops={"arrowstyle": "->", "linewidth": 0.6})
    right.set_xlabel("|w|")
    right.set_ylabel("width of {a : |wσ'| ≥ 1}")
    return fig


def factor_distribution(rng: np.random.Generator, results: dict[str, Any]) -> Any:
    from initcheck.theory.gradients import factor_statistics

    samples = sim_gradients.factor_samples(rng, replicates=200_000)
    recorded = symbolic_detail(results, "GRAD-BOUND", "usually", "fraction_below_quarter")
    fraction = float(recorded if recorded is not None else factor_statistics()["fraction_below_quarter"])
    fig, ax = plt.subplots(figsize=(4.6, 2.5))
    ax.hist(np.log10(samples[samples > 0]), bins=120, density=True, color="#4c72b0")
    ax.axvline(np.log10(0.25), color="#c44e52", linestyle="--", linewidth=1)
    ax.text(np.log10(0.25) + 0.05, 0.9, "1/4", color="#c44e52", transform=ax.get_xaxis_transform(), fontsize=7.5)
    share = np.mean(samples < 0.25)
    ax.set_title(f"P(|wσ'| < 1/4): sampled {share:.4f}, derived {fraction:.4f}", fontsize=8.5)
    ax.set_xlabel("log₁₀ |w σ'(wa + b)|,  w, b ~ N(0,1), a ~ U[0,1)")
    ax.set_ylabel("density")
    return fig


FIGURES = [
    FigureSpec("fig-sigmoid-prime", ("GRAD-SIGMOID-MAX",), "σ'(z) with its maximum 1/4 at z = 0, the maximum derived by SymPy.", sigmoid_prime),
    FigureSpec(
        "fig-interval",
        ("GRAD-W4", "GRAD-INTERVAL", "GRAD-INTERVAL-MAX"),
        "Left: |wσ'(wa)| in the (|w|, a) plane, the white contour where it equals 1 (nothing to the left of |w| = 4). "
        "Right: the width of the interval where it is ≥ 1 (eq. 123), its maximum at the certified argmax.",
        interval_region_and_width,
    ),
    FigureSpec(
        "fig-factor",
        ("GRAD-BOUND",),
        "Distribution of the per-layer factor |wσ'(z)| for one neuron of a chain (200,000 samples): mostly below 1/4.",
        factor_distribution,
    ),
]
