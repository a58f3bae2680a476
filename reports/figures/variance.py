"""Variance figures: Krohn's Fig. 9.1, Nielsen's ch. 3 histograms, second moment and gradient variance through depth."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from initcheck.reports.figures import FigureSpec, Record, figure_record, read_all, symbolic_record

INITS = (("normal", "RandomNormal(stddev=1)"), ("glorot_normal", "glorot_normal (truncated)"), ("glorot_uniform", "glorot_uniform"))
KROHN = figure_record("SAT-KROHN-HIST", "reproduction", "fig-krohn-hist")
KROHN_DERIVED = symbolic_record("VAR-KROHN-SATURATION", "saturated_fraction")
NIELSEN = (figure_record("VAR-NIELSEN-LARGE", "simulation", "fig-nielsen-z"), figure_record("VAR-NIELSEN-SCALED", "simulation", "fig-nielsen-z"))
DEPTH = figure_record("VAR-DEPTH", "simulation", "fig-depth")
WIDTH_PROFILES = Record("VAR-DEPTH", "simulation", ("measurements", "profiles (tanh, LeCun/Glorot)"))
MEAN_FIELD = figure_record("VAR-DEPTH", "simulation", "fig-depth-width")
BACKWARD = figure_record("VAR-BACKWARD", "simulation", "fig-backward")
COLORS = ("#4c72b0", "#55a868", "#c44e52", "#dd8452")


KERAS_COLORS = ("#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860")  # one per Keras backend, in the record's order


def _density(histogram: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """A recorded histogram (counts, edges) as a density on its edges, so that samples of any size share one axis."""
    counts, edges = np.asarray(histogram["counts"], dtype=float), np.asarray(histogram["edges"], dtype=float)
    return counts / (counts.sum() * np.diff(edges)), edges


def krohn_histograms(results: dict[str, Any]) -> Any:
    """Fig. 9.1: per initializer, the NumPy layers' activations (bars) and, where Keras ran, listing 9.2's own Keras layer
    on each backend (lines), all as densities; the saturated fraction measured and derived."""
    fig, axes = plt.subplots(1, 3, figsize=(7.2, 2.7), layout="constrained")  # own y scales: N(0,1)'s edge bins would flatten the Glorot bells
    found = read_all(axes[1], results, KROHN, KROHN_DERIVED)
    if found is None:
        return fig
    data, derived = found
    keras = data.get("keras", {})  # a record from before the Keras histograms were kept has none
    for ax, (init, label) in zip(axes, INITS, strict=True):
        measured = data["by_init"][init]
        density, edges = _density(measured["activations"])
        ax.stairs(density, edges, fill=True, color="#4c72b0", alpha=0.55, label=f"NumPy, {data['layers']} layers × {data['units_per_layer']}")
        for color, (backend, drawn) in zip(KERAS_COLORS, keras.items(), strict=False):
            ax.stairs(*_density(drawn[init]), color=color, linewidth=0.9, label=f"Keras on {backend}" if backend != "tf-keras" else "tf-keras (Keras 2)")
        ax.set_ylim(0, ax.get_ylim()[1] * 1.6)  # room above the bars for the saturated fractions
        ax.set_title(label, fontsize=8.5)
        ax.set_xlabel("sigmoid activation a")
        text = f"saturated (a<0.01 or a>0.99):\nmeasured {measured['saturated_fraction']:.3g}\nderived {float(derived[init]):.3g}"
        ax.text(0.5, 0.97, text, transform=ax.transAxes, ha="center", va="top", fontsize=7.5)
    axes[0].set_ylabel("density")
    if keras:
        handles, labels = axes[0].get_legend_handles_labels()
        models = data.get("keras_models")
        fig.legend(handles, [*labels[:1], *(f"{name}, {models} models × 256" if models else name for name in labels[1:])], loc="outside lower center", ncols=3, fontsize=7, frameon=False)
    return fig


def nielsen_z(results: dict[str, Any]) -> Any:
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 2.3))
    for ax, record, label in zip(axes, NIELSEN, ("w, b ~ N(0, 1)", "w ~ N(0, 1/1000), b ~ N(0, 1)"), strict=True):
        found = read_all(ax, results, record)
        if found is None:
            continue
        (data,) = found
        theory = data["theory_density"]
        ax.stairs(data["histogram"]["density"], data["histogram"]["edges"], fill=True, color="#4c72b0", label=f"sampled, sd {data['sample_sd']:.3g}")
        ax.plot(theory["z"], theory["density"], color="#c44e52", label=f"N(0, {data['theory_variance']:.4g}): sd {data['theory_variance'] ** 0.5:.3g}")
        ax.set_title(label, fontsize=8.5)
        ax.set_xlabel("z")
        ax.set_ylim(0, ax.get_ylim()[1] * 1.35)  # room for the legend above the bell
        ax.legend(fontsize=7, frameon=False, loc="upper left")
    axes[0].set_ylabel("density")
    return fig


def depth_profiles(results: dict[str, Any]) -> Any:
    fig, axes = plt.subplots(1, 4, figsize=(7.4, 2.8))
    found = read_all(axes[1], results, DEPTH)
    if found is None:
        for ax in (axes[0], *axes[2:]):
            ax.set_axis_off()
        return fig
    (data,) = found
    for ax, panel in zip(axes, data["panels"], strict=True):
        for curve, color in zip(panel["curves"], COLORS, strict=False):
            ax.semilogy(data["layers"], curve["measured"], color=color, label=curve["setting"] if panel is data["panels"][0] else None)
            ax.semilogy(data["layers"], curve["mean_field"], color=color, linestyle=":", linewidth=1)
        ax.set_title(panel["activation"], fontsize=8.5)
        ax.set_xlabel("layer l")
    axes[0].set_ylabel(f"mean z_l² (width {data['width']})")
    fig.legend(fontsize=7, frameon=False, loc="outside lower center", ncol=3)
    return fig


def finite_width(results: dict[str, Any]) -> Any:
    """tanh with LeCun/Glorot weights (c = 1): E[Q_l] measured at widths 16–1024 against q_l and q_l + β_l/n."""
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 2.6))
    found = read_all(axes[0], results, WIDTH_PROFILES, MEAN_FIELD)
    if found is None:
        axes[1].set_axis_off()
        return fig
    profiles, path = found
    q, beta, layers = np.array(path["mean_field_q"]), np.array(path["beta"]), np.array(path["layers"])
    axes[0].loglog(layers, q, color="black", linewidth=1.2, label="mean field q_l")
    for profile, color in zip(profiles, ("#c44e52", "#dd8452", "#55a868", "#4c72b0"), strict=False):
        n, mean, se = profile["width"], np.array(profile["mean"]), np.array(profile["se"])
        axes[0].loglog(layers, mean, color=color, linewidth=1, label=f"measured, width {n}")
        if n <= 256:  # n·SE grows like √n: the widest net's scaled bias is lost in its noise
            axes[1].plot(layers, n * (mean - q), color=color, linewidth=1, label=f"width {n} (band: ±1 SE)")
            axes[1].fill_between(layers, n * (mean - q - se), n * (mean - q + se), color=color, alpha=0.2, linewidth=0)
    axes[1].plot(layers, beta, color="black", linewidth=1.2, linestyle="--", label="β_l (first-order theory)")
    axes[0].set_xlabel("layer l")
    axes[0].set_ylabel("E[Q_l]")
    axes[0].legend(fontsize=6.5, frameon=False)
    axes[1].set_xlabel("layer l")
    axes[1].set_ylabel("n·(E[Q_l] − q_l)")
    axes[1].set_ylim(beta.min() * 2.2, 0.05)
    axes[1].legend(fontsize=6.5, frameon=False, loc="lower left")
    return fig


def backward_profiles(results: dict[str, Any]) -> Any:
    fig, ax = plt.subplots(figsize=(4.2, 2.5))
    found = read_all(ax, results, BACKWARD)
    if found is None:
        return fig
    (data,) = found
    for profile, color in zip(data["profiles"], ("#c44e52", "#4c72b0", "#55a868"), strict=False):
        ax.semilogy(data["layers"], profile["measured"], color=color, label=f"n·Var(w) = {profile['weight_variance_times_width']}")
        ax.semilogy(data["layers"], profile["theory"], color=color, linestyle=":", linewidth=1)
    ax.set_xlabel("layers back from the output")
    ax.set_ylabel("mean squared gradient")
    ax.legend(fontsize=7, frameon=False)
    return fig


FIGURES = [
    FigureSpec(
        "fig-krohn-hist",
        ("SAT-KROHN-HIST", "VAR-KROHN-SATURATION"),
        "Krohn Fig. 9.1 reproduced: sigmoid outputs of a 784→256 layer with U[0,1) inputs and zero biases, as densities: many independent "
        "layers per initializer in NumPy (bars) and listing 9.2's own Keras layer on each backend that ran (lines; the SAT-KROHN-HIST "
        "reproduction); the saturated fraction measured in the NumPy layers and derived (VAR-KROHN-SATURATION).",
        krohn_histograms,
        (KROHN, KROHN_DERIVED),
    ),
    FigureSpec(
        "fig-nielsen-z",
        ("VAR-NIELSEN-LARGE", "VAR-NIELSEN-SCALED"),
        "Nielsen ch. 3: z = Σwⱼxⱼ + b for 1000 inputs of which 500 are 1; 20,000 samples against N(0, 501) and N(0, 1.5).",
        nielsen_z,
        NIELSEN,
    ),
    FigureSpec(
        "fig-depth",
        ("VAR-DEPTH",),
        "Second moment of the pre-activations through 30 layers of width 128 (mean over 2 networks), weights N(0, c/width); log scale. "
        "Linear nets keep scale at c = 1, ReLU nets at c = 2 (He); N(0,1) weights explode for linear and ReLU and saturate tanh and sigmoid. "
        "Dotted: the mean-field path q_l (theory.meanfield).",
        depth_profiles,
        (DEPTH,),
    ),
    FigureSpec(
        "fig-depth-width",
        ("VAR-DEPTH",),
        "tanh nets with LeCun/Glorot weights (c = 1), 50 layers, widths 16–1024 (sims.meanfield, the VAR-DEPTH measurements). "
        "Left: E[Q_l] against the mean-field path q_l, which falls like 1/(2l), not constant: the linear-regime gain 1 holds only as q → 0. "
        "Right: n·(E[Q_l] − q_l) (widths ≤ 256, band ±1 SE) against the derived first-order coefficient β_l; "
        "width 16 leaves the 1/n regime with depth.",
        finite_width,
        (WIDTH_PROFILES, MEAN_FIELD),
    ),
    FigureSpec(
        "fig-backward",
        ("VAR-BACKWARD",),
        "Backward pass g ← Wᵀg through linear layers of width 128 (mean over 8 networks): the squared gradient scales by n·Var(w) per layer "
        "(dotted: (n·Var(w))^l).",
        backward_profiles,
        (BACKWARD,),
    ),
]
