"""Nielsen ch. 5 on real MNIST: per-layer gradient norms at init (GRAD-LAYER-SPEED) and during training (GRAD-LAYER-TRAIN, GRAD-LAYER-TRAIN-2)."""

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


TWO_LAYERS = (784, 30, 30, 10)
EARLY = 50  # "very fast": within the first tenth of the 500 epochs
FALL = 10.0  # "fall": the early minimum at most a tenth of the epoch-0 speed
BOUNCE = 2.0  # "bounce back": a later maximum at least twice the minimum
MUCH = 2.0  # "much more slowly": at least a factor 2 (the published start is 0.31/0.07 = 4.4)


def judge_two_layer_curves(curves: np.ndarray) -> dict[str, Any]:
    """GRAD-LAYER-TRAIN-2's parts, per seed, for curves epochs × seeds × 2 (‖δ¹‖, ‖δ²‖):
    fall: min over epochs < EARLY ≤ speed at epoch 0 / FALL, both layers; bounce: max after the minimum ≥ BOUNCE × minimum, both layers;
    slower: ‖δ²‖/‖δ¹‖ > 1 at every epoch; much slower: ≥ MUCH at every epoch."""
    early = curves[:EARLY]
    fall = np.min(early, axis=0) <= curves[0] / FALL  # seeds × layers
    bounce = np.empty_like(fall)
    for s in range(curves.shape[1]):
        for layer in range(2):
            trough = int(np.argmin(curves[:, s, layer]))
            bounce[s, layer] = curves[trough:, s, layer].max() >= BOUNCE * curves[trough, s, layer]
    ratio = curves[:, :, 1] / curves[:, :, 0]
    return {
        "fall": bool(fall.all()),
        "bounce": bool(bounce.all()),
        "slower_every_epoch_fraction_of_seeds": float(np.mean(np.all(ratio > 1, axis=0))),
        "much_slower_every_epoch_fraction_of_seeds": float(np.mean(np.all(ratio >= MUCH, axis=0))),
        "fall_factor": (curves[0] / np.min(early, axis=0)).tolist(),
        "bounce_factor": [[float(curves[int(np.argmin(curves[:, s, k])) :, s, k].max() / curves[:, s, k].min()) for k in range(2)] for s in range(curves.shape[1])],
        "trough_epoch": np.argmin(curves, axis=0).tolist(),
        "ratio_min_per_seed": ratio.min(axis=0).tolist(),
        "ratio_min_epoch_per_seed": np.argmin(ratio, axis=0).tolist(),
        "ratio_start_per_seed": ratio[0].tolist(),
    }


def two_layer_train(rng: np.random.Generator, size: str, data: Any, *, epochs: int = 500) -> dict[str, Any]:
    """[784,30,30,10], full-batch GD on a fresh random 1000-image subset per seed (η = 0.1, λ = 5), ‖δ¹‖ and ‖δ²‖ each epoch."""
    x, labels, description = data
    seeds = {"default": 4, "full": 12}[size]
    runs = []
    for _ in range(seeds):
        chosen = rng.choice(len(x), IMAGES, replace=False)
        runs.append(nielsen_training.train_full_batch(nielsen.initialize(rng, sizes=TWO_LAYERS, count=1), x[chosen], labels[chosen], epochs=epochs))
    curves = np.concatenate(runs, axis=1)  # epochs × seeds × 2
    parts = judge_two_layer_curves(curves)
    foil = judge_two_layer_curves(np.minimum.accumulate(curves, axis=0))  # the same curves without a bounce: each epoch's running minimum
    ratio_min = np.array(parts["ratio_min_per_seed"])
    much = parts["much_slower_every_epoch_fraction_of_seeds"]
    mismatches = [] if parts["fall"] else [f"the speeds do not fall {FALL:g}× within {EARLY} epochs in every seed"]
    mismatches += [] if parts["bounce"] else [f"the speeds do not bounce back {BOUNCE:g}× in every seed"]
    mismatches += [] if much >= 0.5 else [
        f"'all the time much more slowly' (‖δ²‖/‖δ¹‖ ≥ {MUCH:g} at every epoch) holds in {much:.0%} of seeds: near the trough the ratio falls to "
        f"{np.median(ratio_min):.2f} (median over seeds; {ratio_min.min():.2f}-{ratio_min.max():.2f}), from {np.median(parts['ratio_start_per_seed']):.1f} at epoch 0"
    ]
    return {
        "verdict": "refuted" if mismatches else "holds",
        "summary": f"[784,30,30,10], {epochs} epochs of full-batch GD on 1000 images, {seeds} seeds: both speeds fall "
        f"{np.min(parts['fall_factor']):.0f}×-{np.max(parts['fall_factor']):.0f}× within {EARLY} epochs (troughs at epochs "
        f"{np.min(parts['trough_epoch'])}-{np.max(parts['trough_epoch'])}), then rise {np.min(parts['bounce_factor']):.1f}×-{np.max(parts['bounce_factor']):.1f}× by epoch {epochs}; "
        f"the second layer is faster at every epoch in {parts['slower_every_epoch_fraction_of_seeds']:.0%} of seeds, at least {MUCH:g}× faster at every epoch in {much:.0%}; "
        f"its lead shrinks from {np.median(parts['ratio_start_per_seed']):.1f}× at the start to {np.median(ratio_min):.2f}× near the trough (median over seeds)",
        "mismatches": mismatches,
        "conditions": [],
        "data": description,
        "rule": f"fall: min over the first {EARLY} epochs ≤ epoch 0 / {FALL:g}; bounce: a later max ≥ {BOUNCE:g} × the min; "
        f"'much more slowly all the time': ‖δ²‖/‖δ¹‖ ≥ {MUCH:g} at every epoch (judged on the majority of seeds); 'slower': > 1",
        "published": {"start": [0.07, 0.31], "text": "both fall very fast, then bounce back; all the time the first hidden layer learns much more slowly than the second"},
        "ours": parts,
        "curves": np.exp(np.mean(np.log(curves), axis=1))[:: max(1, epochs // 100)].tolist(),
        "foil": {"label": "the same curves without a bounce (running minimum): the bounce must be judged absent", "rejected": not foil["bounce"]},
    }


GRAD_LAYER_SPEED = ReproductionCheck(experiment=layer_speed, in_test_tier=True)
GRAD_LAYER_TRAIN_2 = ReproductionCheck(experiment=two_layer_train)
GRAD_LAYER_TRAIN = ReproductionCheck(experiment=layer_train)
