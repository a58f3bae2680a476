"""Nielsen ch. 5 on real MNIST: per-layer gradient norms at init (GRAD-LAYER-SPEED) and during training (GRAD-LAYER-TRAIN)."""

from __future__ import annotations

from typing import Any

import numpy as np

from initcheck.reproductions import Z_SPREAD, ReproductionCheck, spread_z, summary_stats
from initcheck.sims import nielsen, nielsen_training

PUBLISHED_SPEED = {  # ‖δˡ‖ right after init (source 001): hidden layers, first to last
    (784, 30, 30, 10): (0.07, 0.31),
    (784, 30, 30, 30, 10): (0.012, 0.060, 0.283),
    (784, 30, 30, 30, 30, 10): (0.003, 0.017, 0.070, 0.285),
}
IMAGES = 1000  # "1000 training images" (source 001)
BLOCK = 25  # networks per vectorized block: 25 × 1000 × 784 float64 inputs is 157 MB


def speed_norms(rng: np.random.Generator, sizes: tuple[int, ...], seeds: int, x: np.ndarray, labels: np.ndarray, weights: str) -> np.ndarray:
    """seeds × hidden layers: ‖∂C/∂bˡ‖ averaged over a fresh random 1000-image subset, for a fresh network, per seed."""
    norms = []
    for start in range(0, seeds, BLOCK):
        count = min(BLOCK, seeds - start)
        chosen = np.stack([rng.choice(len(x), IMAGES, replace=False) for _ in range(count)])
        nets = nielsen.initialize(rng, sizes=sizes, count=count, weights=weights)
        norms.append(nielsen.bias_gradient_norms(nets, x[chosen], labels[chosen]))
    return np.concatenate(norms)


def layer_speed(rng: np.random.Generator, size: str, data: Any) -> dict[str, Any]:
    x, labels, description = data
    seeds = {"default": 100, "full": 400}[size]
    nets, inconsistent, foil_inconsistent = {}, [], []
    for sizes, published in PUBLISHED_SPEED.items():
        ours = speed_norms(rng, sizes, seeds, x, labels, "scaled")
        foil = speed_norms(rng, sizes, seeds, x, labels, "large")
        rows = []
        for layer, value in enumerate(published):
            z, foil_z = spread_z(value, ours[:, layer]), spread_z(value, foil[:, layer])
            rows.append({"layer": layer + 1, "published": value, **summary_stats(ours[:, layer]), "z_log": z, "foil_z_log": foil_z})
            if abs(z) > Z_SPREAD:
                inconsistent.append(f"{list(sizes)} layer {layer + 1}: published {value}, ours {np.median(ours[:, layer]):.3g} (z = {z:.1f})")
            if abs(foil_z) > Z_SPREAD:
                foil_inconsistent.append(f"{list(sizes)} layer {layer + 1}")
        increasing = float(np.mean(np.all(np.diff(ours, axis=1) > 0, axis=1)))
        nets[str(list(sizes))] = {"layers": rows, "fraction_of_seeds_increasing": increasing}
        if increasing < 0.99:
            inconsistent.append(f"{list(sizes)}: norms increase with depth in only {increasing:.0%} of seeds")
    return {
        "verdict": "refuted" if inconsistent else "holds",
        "summary": f"{seeds} seeds per net, each a fresh init and a fresh random subset of {IMAGES} images; "
        + ("every published norm lies within our seed spread, and norms grow with depth in every seed" if not inconsistent else "; ".join(inconsistent)),
        "mismatches": inconsistent,
        "conditions": [],
        "data": description,
        "rule": f"|log published − mean log ours| ≤ {Z_SPREAD}·sd log ours (two-sided 0.001 for a log-normal spread)",
        "results": nets,
        "foil": {"label": "N(0, 1) weights (the old init) in place of N(0, 1/n_in)", "rejected": bool(foil_inconsistent), "inconsistent_layers": foil_inconsistent},
    }


ABOUT = 100.0  # "about 100 times slower" (source 001); read as within half a decade: [100/√10, 100·√10]
TRAIN_NETS = tuple(PUBLISHED_SPEED)


def train_curves(rng: np.random.Generator, seeds: int, epochs: int, x: np.ndarray, labels: np.ndarray) -> dict[tuple[int, ...], np.ndarray]:
    """Per net: epochs × seeds × hidden layers of ‖∂C/∂bˡ‖ under full-batch GD (η = 0.1, λ = 5) on a random 1000-image subset per seed."""
    per_seed = []
    for _ in range(seeds):  # per seed: one subset, the three nets trained jointly on it (one BLAS call per epoch for their first layers)
        chosen = rng.choice(len(x), IMAGES, replace=False)
        nets = [nielsen.initialize(rng, sizes=sizes, count=1) for sizes in TRAIN_NETS]
        per_seed.append(nielsen_training.train_full_batch_joint(nets, x[chosen], labels[chosen], epochs=epochs))
    return {sizes: np.concatenate([run[i] for run in per_seed], axis=1) for i, sizes in enumerate(TRAIN_NETS)}


def layer_train(rng: np.random.Generator, size: str, data: Any, *, epochs: int = 500) -> dict[str, Any]:
    x, labels, description = data
    seeds = {"default": 2, "full": 8}[size]
    curves = train_curves(rng, seeds, epochs, x, labels)
    deepest = curves[TRAIN_NETS[-1]]
    ratios = deepest[:, :, -1] / deepest[:, :, 0]  # epochs × seeds: last hidden layer over first
    per_seed = np.exp(np.mean(np.log(ratios), axis=0))  # geometric mean over epochs
    ratio = float(np.exp(np.mean(np.log(per_seed))))
    low, high = ABOUT / np.sqrt(10), ABOUT * np.sqrt(10)
    holds = bool(low <= ratio <= high)
    foil = ABOUT / 10
    return {
        "verdict": "holds" if holds else "refuted",
        "summary": f"[784,30,30,30,30,10], {epochs} epochs of full-batch GD on 1000 images, {seeds} seed(s): the last hidden layer's ‖δ‖ is "
        f"{ratio:.0f}× the first's (geometric mean over epochs and seeds; per seed {', '.join(f'{r:.0f}' for r in per_seed)}; "
        f"over epochs {ratios.min():.0f}–{ratios.max():.0f}); 'about 100' read as [{low:.0f}, {high:.0f}]",
        "mismatches": [] if holds else [f"ratio {ratio:.0f}, not about {ABOUT:.0f}"],
        "conditions": [],
        "data": description,
        "published": {"ratio": ABOUT},
        "ours": {"ratio_geometric_mean": ratio, "ratio_per_seed": per_seed.tolist(), "ratio_min": float(ratios.min()), "ratio_max": float(ratios.max())},
        "curves": {str(list(k)): np.exp(np.mean(np.log(v), axis=1))[:: max(1, epochs // 100)].tolist() for k, v in curves.items()},
        "foil": {"label": f"about {foil:.0f} times slower", "rejected": not (low / 10 <= ratio <= high / 10)},
    }


GRAD_LAYER_SPEED = ReproductionCheck(experiment=layer_speed, in_test_tier=True)
GRAD_LAYER_TRAIN = ReproductionCheck(experiment=layer_train)
