"""Variance figures: Krohn's Fig. 9.1, Nielsen's ch. 3 histograms, second moment and gradient variance through depth."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp

from reports.figures import FigureSpec, symbolic_detail
from sims import saturation, variance

INITS = (("normal", "RandomNormal(stddev=1)"), ("glorot_normal", "glorot_normal (truncated)"), ("glorot_uniform", "glorot_uniform"))


def krohn_histograms(rng: np.random.Generator, results: dict[str, Any]) -> Any:
    from theory.saturation import saturated_fraction

    fig, axes = plt.subplots(1, 3, figsize=(7.2, 2.3), sharey=True)
    for ax, (init, label) in zip(axes, INITS, strict=True):
        outputs = saturation.sigmoid_outputs(rng, init=init, layers=40)
        ax.hist(outputs, bins=50, range=(0, 1), density=True, color="#4c72b0")
        measured = np.mean((outputs < 0.01) | (outputs > 0.99))
        recorded = symbolic_detail(results, "VAR-KROHN-SATURATION", "saturated_fraction", init)
        derived = float(recorded if recorded is not None else saturated_fraction(init)[0])
        ax.set_title(label, fontsize=8.5)
        ax.set_xlabel("sigmoid activation a")
        ax.text(0.5, 0.97, f"saturated (a<0.01 or a>0.99):\nmeasured {measured:.3g}\nderived {derived:.3g}", transform=ax.transAxes, ha="center", va="top", fontsize=7.5)
    axes[0].set_ylabel("density")
    return fig


def nielsen_z(rng: np.random.Generator, results: dict[str, Any]) -> Any:
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 2.3))
    from theory.variance import nielsen_variance

    for ax, (weight_variance, label) in zip(axes, ((1, "w, b ~ N(0, 1)"), (sp.Rational(1, 1000), "w ~ N(0, 1/1000), b ~ N(0, 1)")), strict=True):
        theory = float(sp.sqrt(nielsen_variance(weight_variance)))
        z = variance.nielsen_z_samples(rng, weight_std=float(sp.sqrt(weight_variance)), samples=20000)
        grid = np.linspace(z.min(), z.max(), 200)
        ax.hist(z, bins=60, density=True, color="#4c72b0", label=f"sampled, sd {z.std():.3g}")
        ax.plot(grid, np.exp(-(grid**2) / (2 * theory**2)) / (theory * np.sqrt(2 * np.pi)), color="#c44e52", label=f"N(0, {theory**2:.3g}): sd {theory:.3g}")
        ax.set_title(label, fontsize=8.5)
        ax.set_xlabel("z")
        ax.set_ylim(0, ax.get_ylim()[1] * 1.35)  # room for the legend above the bell
        ax.legend(fontsize=7, frameon=False, loc="upper left")
    axes[0].set_ylabel("density")
    return fig


SETTINGS = {  # weight variance × width: N(0,1) is c = width; LeCun 1; Glorot (square layers) 1; He 2
    "LeCun / Glorot (c = 1)": 1.0,
    "He (c = 2)": 2.0,
}


def depth_profiles(rng: np.random.Generator, results: dict[str, Any]) -> Any:
    width, depth = 128, 30
    fig, axes = plt.subplots(1, 4, figsize=(7.4, 2.8))
    layers = np.arange(1, depth + 1)
    for ax, activation in zip(axes, ("linear", "relu", "tanh", "sigmoid"), strict=True):
        for (label, c), color in zip({**SETTINGS, "N(0, 1) (c = width)": float(width)}.items(), ("#4c72b0", "#55a868", "#c44e52"), strict=True):
            profile = variance.depth_profile(rng, width=width, depth=depth, activation=activation, weight_variance_times_width=c, replicates=2)
            ax.semilogy(layers, profile, color=color, label=label if activation == "linear" else None)
        ax.set_title(activation, fontsize=8.5)
        ax.set_xlabel("layer l")
    axes[0].set_ylabel("mean z_l² (width 128)")
    fig.legend(fontsize=7, frameon=False, loc="outside lower center", ncol=3)
    return fig


def backward_profiles(rng: np.random.Generator, results: dict[str, Any]) -> Any:
    width, depth = 128, 30
    fig, ax = plt.subplots(figsize=(4.2, 2.5))
    layers = np.arange(1, depth + 1)
    for c, color in ((0.9, "#c44e52"), (1.0, "#4c72b0"), (1.1, "#55a868")):
        ax.semilogy(layers, variance.backward_profile(rng, width=width, depth=depth, weight_variance_times_width=c, replicates=8), color=color, label=f"n·Var(w) = {c}")
        ax.semilogy(layers, c**layers, color=color, linestyle=":", linewidth=1)
    ax.set_xlabel("layers back from the output")
    ax.set_ylabel("mean squared gradient")
    ax.legend(fontsize=7, frameon=False)
    return fig


FIGURES = [
    FigureSpec(
        "fig-krohn-hist",
        ("SAT-KROHN-HIST", "VAR-KROHN-SATURATION"),
        "Krohn Fig. 9.1 reproduced: sigmoid outputs of a 784→256 layer with U[0,1) inputs and zero biases, 40 independent layers per initializer; "
        "the saturated fraction measured and derived.",
        krohn_histograms,
    ),
    FigureSpec(
        "fig-nielsen-z",
        ("VAR-NIELSEN-LARGE", "VAR-NIELSEN-SCALED"),
        "Nielsen ch. 3: z = Σwⱼxⱼ + b for 1000 inputs of which 500 are 1; 20,000 samples against N(0, 501) and N(0, 1.5).",
        nielsen_z,
    ),
    FigureSpec(
        "fig-depth",
        ("VAR-DEPTH",),
        "Second moment of the pre-activations through 30 layers of width 128 (mean over 2 networks), weights N(0, c/width); log scale. "
        "Linear nets keep scale at c = 1, ReLU nets at c = 2 (He); N(0,1) weights explode for linear and ReLU and saturate tanh and sigmoid.",
        depth_profiles,
    ),
    FigureSpec(
        "fig-backward",
        ("VAR-BACKWARD",),
        "Backward pass g ← Wᵀg through linear layers of width 128 (mean over 8 networks): the squared gradient scales by n·Var(w) per layer "
        "(dotted: (n·Var(w))^l).",
        backward_profiles,
    ),
]
