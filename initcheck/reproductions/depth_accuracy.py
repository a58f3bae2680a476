"""GRAD-DEPTH-ACC on real MNIST: Nielsen's [784,30,10] and one to three more hidden layers of 30, over seeds (source 001, ch. 5).

The book trains each net once (network2: N(0, 1/n_in) weights, b ~ N(0,1), mini-batch 10, η = 0.1, λ = 5, 30 epochs on
50,000 images) and reads 96.48, 96.90, 96.57, 96.53% off 10,000 validation images. Here: the same setup scaled to the
5000-image set (4000 training images, λ scaled to keep the book's decay per update, 30 epochs: 12,000 updates, 2.4 book
epochs of updates; 1000 held-out images), several seeds per depth (fresh init and shuffles; one split for all). Judged at
the last epoch, at the symbolic check's level (two-sided 5%, Welch z of the difference of the seed means):

- "encouraging" (one → two hidden layers): reproduced when two layers are better, z > 1.96; otherwise a condition;
- "this drop is probably insignificant" (three → four layers, and two → four as the symbolic check also tests): refuted
  when the drop is significant between depths that have both stopped learning; a depth whose mean accuracy still rose by
  more than STILL_LEARNING over the last LAST epochs is not judged (a condition says so).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from initcheck.reproductions import ReproductionCheck
from initcheck.reproductions.saturation import BOOK_UPDATES_PER_EPOCH, ETA, scaled_decay, split
from initcheck.sims import nielsen, nielsen_training

PUBLISHED = {1: 0.9648, 2: 0.9690, 3: 0.9657, 4: 0.9653}  # hidden layers of 30 → validation accuracy (one run each)
SEEDS_EPOCHS = {"default": (3, 30), "full": (8, 30)}  # seeds per depth; the book's 30 epochs
LEVEL_Z = 1.96  # two-sided 5%, the symbolic check's LEVEL
STILL_LEARNING, LAST = 0.01, 5  # a depth whose mean accuracy rose > 1 point over its last 5 epochs is still learning
PAIRS = ((1, 2), (2, 3), (3, 4), (2, 4))


def compare(final: dict[int, np.ndarray], low: int, high: int) -> dict[str, Any]:
    """Seed means of depth `high` minus depth `low`: difference, Welch SE and z, and the sd of one run's difference (unpaired runs)."""
    a, b = final[low], final[high]
    se = float(np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b)))
    single = float(np.sqrt(a.var(ddof=1) + b.var(ddof=1)))
    difference = float(b.mean() - a.mean())
    published = PUBLISHED[high] - PUBLISHED[low]
    return {
        "difference": difference,
        "standard_error": se,
        "z": difference / se if se > 0 else float("inf") * np.sign(difference),
        "single_run_sd": single,
        "published_difference": published,
        "published_in_single_run_sd": published / single if single > 0 else float("inf"),
    }


def depth_accuracy(rng: np.random.Generator, size: str, data: Any) -> dict[str, Any]:
    x, labels, description = data
    seeds, epochs = SEEDS_EPOCHS[size]
    train, test = split(rng, labels)
    n = len(train)
    lmbda = scaled_decay(n)
    curves = {}
    for depth in PUBLISHED:
        nets = nielsen.initialize(rng, sizes=(784, *(30,) * depth, 10), count=seeds)
        curves[depth], _ = nielsen_training.train_sgd(rng, nets, x[train], labels[train], x[test], labels[test], epochs=epochs, eta=ETA, lmbda=lmbda)
    final = {depth: c[-1] for depth, c in curves.items()}
    learning = {depth: float(c[-1].mean() - c[-1 - LAST].mean()) for depth, c in curves.items()}
    still = {depth for depth, rise in learning.items() if rise > STILL_LEARNING}
    pairs = {f"{low}->{high}": compare(final, low, high) for low, high in PAIRS}
    gain = pairs["1->2"]
    mismatches, conditions = [], []
    setting = f"{n} training images, {epochs} epochs ({epochs * (n // 10)} updates, {epochs * (n // 10) / BOOK_UPDATES_PER_EPOCH:.1f} book epochs), λ = {lmbda:g}; {len(test)} held-out images"
    conditions.append(f"scaled to the 5000-image set: {setting}; accuracies near {100 * final[1].mean():.0f}%, not 96.5%")
    if gain["z"] <= LEVEL_Z:
        conditions.append(f"the 'encouraging' gain is not reproduced: two hidden layers minus one {100 * gain['difference']:+.2f} ± {100 * gain['standard_error']:.2f} points (z = {gain['z']:.1f})")
    for name in ("3->4", "2->4"):
        low, high = (int(d) for d in name.split("->"))
        pair = pairs[name]
        if {low, high} & still:
            conditions.append(f"drop {name} not judged: {', '.join(str(d) for d in sorted({low, high} & still))} hidden layer(s) still learning at epoch {epochs} (mean rise over the last {LAST} epochs: "
                              + ", ".join(f"{100 * learning[d]:.1f}" for d in sorted({low, high} & still)) + " points)")  # fmt: skip
        elif pair["difference"] < 0 and abs(pair["z"]) > LEVEL_Z:
            mismatches.append(f"drop {name} is significant over seeds: {100 * pair['difference']:+.2f} ± {100 * pair['standard_error']:.2f} points (z = {pair['z']:.1f})")
    book_epoch = min(int(np.ceil(BOOK_UPDATES_PER_EPOCH / (n // 10))), epochs)  # the foil is judged after one book epoch of updates
    early = compare({d: c[book_epoch - 1] for d, c in curves.items()}, 1, 4)
    return {
        "verdict": "refuted" if mismatches else "holds-under-conditions",
        "summary": f"{seeds} seeds per depth ({setting}): mean accuracy with 1-4 hidden layers "
        + ", ".join(f"{100 * final[d].mean():.2f} ± {100 * final[d].std(ddof=1):.2f}" for d in PUBLISHED)
        + "% (mean ± sd over seeds); differences (z): "
        + "; ".join(f"{k} {100 * p['difference']:+.2f} ({p['z']:.1f})" for k, p in pairs.items())
        + f". One run's difference between one and two hidden layers has sd {100 * gain['single_run_sd']:.2f} points over seeds: the published "
        + f"{100 * gain['published_difference']:+.2f} is {gain['published_in_single_run_sd']:.1f} such sd, so single runs cannot show it",
        "mismatches": mismatches,
        "conditions": conditions,
        "data": description,
        "published": {"accuracy": {str(k): v for k, v in PUBLISHED.items()}, "gain_1_to_2": "encouraging", "drop_3_to_4": "statistically probably insignificant"},
        "ours": {
            "seeds": seeds,
            "epochs": epochs,
            "accuracy_by_epoch": {str(d): c.mean(axis=1).tolist() for d, c in curves.items()},
            "final": {str(d): {"mean": float(f.mean()), "sd": float(f.std(ddof=1))} for d, f in final.items()},
            "rise_over_last_epochs": {str(d): r for d, r in learning.items()},
            "still_learning": sorted(still),
            "pairs": pairs,
        },
        "foil": {
            "label": f"depth makes no difference to training: four hidden layers as accurate as one after one book epoch of updates (our epoch {book_epoch})",
            "rejected": bool(abs(early["z"]) > LEVEL_Z),
            "difference": early["difference"],
            "z": early["z"],
        },
    }


GRAD_DEPTH_ACC = ReproductionCheck(experiment=depth_accuracy)
