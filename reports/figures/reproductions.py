"""Figures of the MNIST reproductions, drawn from the numbers in the results JSON (nothing is rerun here)."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from initcheck.reports.figures import FigureSpec, Record, figure_record, missing

COLORS = ("#4c72b0", "#55a868", "#c44e52", "#8172b2")


SPEED = Record("GRAD-LAYER-SPEED", "reproduction", ("results",))
TRAIN = Record("GRAD-LAYER-TRAIN", "reproduction", ("curves",))
ACCURACY = Record("SAT-NIELSEN-MNIST", "reproduction", ("ours",))
L2 = Record("SAT-L2", "reproduction", ("ours",))
DECAY = Record("SAT-L2", "reproduction", ("measurements", "figures", "fig-old-new-init"))
HE_DEPTH = figure_record("HE-DEPTH-TRAIN", "reproduction", "fig-he-depth")
TOP = figure_record("GRAD-GLOROT-TOP", "reproduction", "fig-top-saturation")


def _three_nets(results: dict[str, Any], source: Record, height: float) -> tuple[Any, Any, Any]:
    """The recorded value and a row of three panels sharing y, one per net; the others blank and the middle one says so if it is missing."""
    value = source.read(results)
    fig, axes = plt.subplots(1, 3, figsize=(7.4, height), sharey=True)
    if value is None:
        missing(axes[1], source)
        for ax in (axes[0], axes[2]):
            ax.set_axis_off()
    return value, fig, axes


def speed(results: dict[str, Any]) -> Any:
    record, fig, axes = _three_nets(results, SPEED, 2.5)
    if record is None:
        return fig
    for ax, (net, data) in zip(axes, record.items(), strict=True):
        layers = data["layers"]
        x = np.arange(1, len(layers) + 1)
        ax.errorbar(x, [r["median"] for r in layers], yerr=[[r["median"] - r["q0.025"] for r in layers], [r["q0.975"] - r["median"] for r in layers]], fmt="o", color=COLORS[0], capsize=3, label="ours: median, 95% of seeds")
        ax.plot(x, [r["published"] for r in layers], "x", color=COLORS[2], markersize=8, label="published (one run)")
        ax.set_yscale("log")
        ax.set_xticks(x)
        ax.set_title(net, fontsize=8)
        ax.set_xlabel("hidden layer")
    axes[0].set_ylabel("‖∂C/∂bˡ‖ at init")
    axes[0].legend(fontsize=6.5, frameon=False, loc="upper left")
    return fig


def train(results: dict[str, Any]) -> Any:
    record, fig, axes = _three_nets(results, TRAIN, 2.9)
    if record is None:
        return fig
    for ax, (net, curves) in zip(axes, record.items(), strict=True):
        curves = np.array(curves)
        epochs = np.linspace(0, 500, len(curves), endpoint=False)
        for layer in range(curves.shape[1]):
            ax.semilogy(epochs, curves[:, layer], color=COLORS[layer], label=f"hidden layer {layer + 1}" if net == list(record)[-1] else None)
        ax.set_title(net, fontsize=8)
        ax.set_xlabel("epoch")
    axes[0].set_ylabel("‖∂C/∂bˡ‖ (geometric mean over seeds)")
    fig.legend(fontsize=7, frameon=False, loc="outside lower center", ncol=4)
    return fig


def accuracy(results: dict[str, Any]) -> Any:
    ours, l2, decay = ACCURACY.read(results), L2.read(results), DECAY.read(results)
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 2.6))
    if ours is None:
        missing(left, ACCURACY)
    else:
        for (init, label), color in zip((("large", "old: N(0, 1)"), ("scaled", "new: N(0, 1/n_in)")), COLORS[::2], strict=True):
            mean, sd = np.array(ours["accuracy_by_epoch"][init]) * 100, np.array(ours["accuracy_sd_by_epoch"][init]) * 100
            epochs = np.arange(1, len(mean) + 1)
            left.plot(epochs, mean, color=color, label=label)
            left.fill_between(epochs, mean - sd, mean + sd, color=color, alpha=0.2, linewidth=0)
        left.axvline(ours["book_epoch_is_our_epoch"], color="#777", linestyle=":", linewidth=1)
        left.text(ours["book_epoch_is_our_epoch"] - 0.2, 0.04, "one book epoch\nof updates", fontsize=7, ha="right", va="bottom", transform=left.get_xaxis_transform())
        left.set_xlabel("epoch (4000 training images)")
        left.set_ylabel("held-out accuracy (%)")
        left.legend(fontsize=7, frameon=False, loc="center right")
    if l2 is None or decay is None:
        missing(right, *(r for r, v in ((L2, l2), (DECAY, decay)) if v is None))
    else:
        rms = np.array(l2["rms_by_epoch"])
        epochs = np.arange(1, len(rms) + 1)
        right.plot(epochs, rms, "o", color=COLORS[0], markersize=3, label="RMS of W¹, old init")
        right.plot(decay["epochs"], decay["pure_decay_rms"], color=COLORS[2], label="pure weight decay")
        right.set_xlabel("epoch")
        right.set_ylabel("RMS of first-layer weights")
        right.legend(fontsize=7, frameon=False)
    return fig


def he_depth(results: dict[str, Any]) -> Any:
    record = HE_DEPTH.read(results)
    fig, ax = plt.subplots(figsize=(5.6, 2.9))
    if record is None:
        missing(ax, HE_DEPTH)
        return fig
    updates = np.array(record["updates"])
    for (label, curves), color in zip(record["loss"].items(), (COLORS[0], COLORS[2], COLORS[1]), strict=True):
        for k, curve in enumerate(curves):
            ax.plot(updates, curve, color=color, linewidth=1.2, alpha=0.85, linestyle="--" if "foil" in label else "-", label=label if k == 0 else None)
    ax.axhline(record["chance_loss"], color="#777", linestyle=":", linewidth=1)
    ax.text(updates[-1], record["chance_loss"], "ln 10 (uniform prediction)", fontsize=7, ha="right", va="bottom", color="#555")
    ax.set_xlabel("SGD updates")
    ax.set_ylabel("held-out cross-entropy")
    ax.set_ylim(0, None)
    ax.legend(fontsize=7, frameon=False, loc="lower left", title=f"one line per seed ({record['seeds']} per init)", title_fontsize=7)
    return fig


def top_saturation(results: dict[str, Any]) -> Any:
    record = TOP.read(results)
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 2.7), sharey=True)
    if record is None:
        missing(axes[0], TOP)
        axes[1].set_axis_off()
        return fig
    epochs = np.array(record["updates"]) / record["updates_per_book_epoch"]
    titles = {"standard": "U[±1/√n_in], b = 0 (Glorot & Bengio)", "nielsen": "N(0, 1/n_in), b ~ N(0, 1) (network2)"}
    for ax, (init, data) in zip(axes, record["by_init"].items(), strict=True):
        for layer, curve in enumerate(data["mean_by_layer"]):
            ax.plot(epochs, curve, color=COLORS[layer], label=f"hidden layer {layer + 1}{' (top)' if layer == len(data['mean_by_layer']) - 1 else ''}: mean activation")
        ax.axhline(0.25, color="#aaa", linestyle=":", linewidth=1, label="half the start: 'pushed toward 0'")
        ax.plot(epochs, data["accuracy"], color="#777", linestyle="--", linewidth=1, label="held-out accuracy")
        ax.set_title(titles.get(init, init), fontsize=8)
        ax.set_xlabel("book epochs of updates (5000 each)")
        ax.set_ylim(0, 1)
    axes[0].set_ylabel(f"mean over {record['seeds']} seeds")
    fig.legend(*axes[0].get_legend_handles_labels(), fontsize=7, frameon=False, loc="outside lower center", ncol=3)
    return fig


FIGURES = [
    FigureSpec(
        "fig-layer-speed",
        ("GRAD-LAYER-SPEED",),
        "Gradient norm per hidden layer right after init, on real MNIST: our seed distribution against the published single run.",
        speed,
        (SPEED,),
    ),
    FigureSpec(
        "fig-layer-train",
        ("GRAD-LAYER-TRAIN",),
        "Per-layer gradient norms during 500 epochs of full-batch gradient descent on 1000 real MNIST images (η = 0.1, λ = 5), in the style of Nielsen's figures.",
        train,
        (TRAIN,),
    ),
    FigureSpec(
        "fig-old-new-init",
        ("SAT-NIELSEN-MNIST", "SAT-L2"),
        "Left: held-out accuracy per epoch for the old and new init ([784,30,10], mini-batch 10, mean ± sd over seeds). Right: the old init's first-layer weight RMS against pure weight decay.",
        accuracy,
        (ACCURACY, L2, DECAY),
    ),
    FigureSpec(
        "fig-he-depth",
        ("HE-DEPTH-TRAIN",),
        "Held-out loss of a 30-layer ReLU MLP (width 48) on real MNIST under plain SGD, from Kaiming and from Xavier weights, and a 10-layer net from Xavier weights (the foil): "
        "Xavier's 30-layer nets never leave ln 10, as in He et al. (2015), Fig. 3.",
        he_depth,
        (HE_DEPTH,),
    ),
    FigureSpec(
        "fig-top-saturation",
        ("GRAD-GLOROT-TOP",),
        "Mean activation of each hidden layer of a sigmoid [784,100,100,100,100,10] during mini-batch SGD on real MNIST (mean over seeds), with the held-out accuracy: Glorot & Bengio's standard init (left) and Nielsen's (right).",
        top_saturation,
        (TOP,),
    ),
]
