"""Benchmark of the MNIST reproductions: the fast trainers against the textbook per-example loop, and the floors.

    python -m initcheck.bench_mnist [--epochs 500] [--segments 10] [--sgd-rounds 3]

GRAD-LAYER-TRAIN's experiment (3 nets × `epochs` full-batch epochs × 1000 images) runs both ways from the same init and
data; the per-layer gradient norms must agree to 1e-8 relative. The run is cut into `segments` that alternate between
the two ways (both continue from where they stopped), and each segment also times this machine's float64 matrix
product and sigmoid rates, so every ratio compares timings taken under the same conditions: on a shared machine the
speed drifts by tens of percent within minutes. Floors: the experiment's matrix-multiply FLOPs (all 784 pixels) at the
rate of a large square product, the issue's definition; and the work the trainer cannot avoid: its dense products
(the pixels not zero in more than `sims.nielsen_training.CORE_DENSITY` of the images) plus its sigmoids at the
rate of the trainers' threads. SAT-NIELSEN-MNIST: seconds per seed-epoch of the batched SGD as the full reproduction runs it (both
inits × 16 seeds, 4000 images) against one network through the textbook loop, alternating for `sgd-rounds` epochs.
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Callable

import numpy as np
from scipy.special import expit

from initcheck.reproductions import mnist_data
from initcheck.reproductions.gradients import TRAIN_NETS
from initcheck.reproductions.saturation import SEEDS_EPOCHS
from initcheck.sims import nielsen, nielsen_training
from initcheck.sims.parallel import part_runner, split


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def matmul_rate(size: int = 2000, repeats: int = 2) -> float:
    """float64 FLOP/s of a size × size product (best of `repeats`: other load only ever adds time)."""
    a, b = np.random.default_rng(0).random((2, size, size))
    return 2 * size**3 / min(timed(lambda: a @ b) for _ in range(repeats))


def sigmoid_rate(size: int = 1_000_000, repeats: int = 3) -> float:
    """float64 sigmoids (scipy's expit, as the trainers evaluate them) per second, cut in parts as the trainers cut their work."""
    z, out = np.random.default_rng(0).normal(size=size), np.empty(size)
    with part_runner() as run:
        return size / min(timed(lambda: run(lambda part: expit(z[part], out=out[part]), split(size))) for _ in range(repeats))


def products_flops(sizes: tuple[int, ...], images: int, epochs: int, inputs: int = 784) -> float:
    """Forward z = a·Wᵀ, backward δ·W (all but the first layer), weight gradient δᵀ·a: 2·m·in·out FLOPs each, with
    `inputs` pixels into the first layer."""
    layers = [(inputs, sizes[1]), *itertools.pairwise(sizes[1:])]
    per_epoch = sum(2 * images * i * o for i, o in layers) * 2 + sum(2 * images * i * o for i, o in layers[1:])
    return float(per_epoch * epochs)


def full_batch(x: np.ndarray, labels: np.ndarray, rng: np.random.Generator, *, epochs: int, segments: int) -> None:
    nets_list = [nielsen.initialize(rng, sizes=sizes, count=1) for sizes in TRAIN_NETS]
    loops = [([w[0].copy() for w in n.weights], [b[0].copy() for b in n.biases]) for n in nets_list]
    core = int(np.sum(np.mean(x != 0, axis=0) > nielsen_training.CORE_DENSITY))
    sigmoids = len(x) * sum(sum(sizes[1:]) for sizes in TRAIN_NETS)  # per epoch
    fast_norms: list[list[np.ndarray]] = [[] for _ in TRAIN_NETS]  # per net: one epochs × 1 × layers block per segment
    slow_norms: list[list[list[float]]] = [[] for _ in TRAIN_NETS]  # per net: one row of layer norms per epoch
    rows = []
    for segment in range(segments):
        length = epochs // segments + (segment < epochs % segments)
        started = time.perf_counter()
        for norms, new in zip(fast_norms, nielsen_training.train_full_batch_joint(nets_list, x, labels, epochs=length), strict=True):
            norms.append(new)
        fast_time = time.perf_counter() - started
        slow_time = 0.0
        for k, (weights, biases) in enumerate(loops):
            started = time.perf_counter()
            for _ in range(length):  # the textbook loop, network2.update_mini_batch on all 1000 images
                weights, biases, gradients = nielsen.textbook_update(weights, biases, x, labels, eta=0.1, lmbda=5.0, n_train=len(x))
                slow_norms[k].append([float(np.linalg.norm(g)) for g in gradients[:-1]])
            slow_time += time.perf_counter() - started
            loops[k] = (weights, biases)
        rate, sigmoid = matmul_rate(), sigmoid_rate()
        dense = sum(products_flops(sizes, len(x), length) for sizes in TRAIN_NETS) / rate
        needed = sum(products_flops(sizes, len(x), length, inputs=core) for sizes in TRAIN_NETS) / rate + sigmoids * length / sigmoid
        rows.append((fast_time, slow_time, dense, needed, rate, sigmoid))
        print(f"  segment {segment + 1}/{segments} ({length} epochs): fast {fast_time:.2f} s, loop {slow_time:.1f} s ({slow_time / fast_time:.1f}x), "
              f"{rate / 1e9:.0f} GFLOP/s, {sigmoid / 1e6:.0f} M sigmoids/s, fast/floor {fast_time / dense:.2f}", flush=True)  # fmt: skip
    worst = max(float(np.max(np.abs(np.concatenate(f)[:, 0] - s) / np.abs(s))) for f, s in zip(fast_norms, map(np.array, slow_norms), strict=True))
    fast, slow, dense, needed = (sum(r[i] for r in rows) for i in range(4))
    per_segment = [r[1] / r[0] for r in rows]
    print(f"  fast {fast:.2f} s, per-example loop {slow:.1f} s: {slow / fast:.1f}x faster (segments {min(per_segment):.1f}-{max(per_segment):.1f}x; target >= 50x)")
    print(f"  largest relative difference of the gradient norms: {worst:.1e} (must be <= 1e-8)")
    print(f"  floor, the experiment's matrix products over all 784 pixels: {dense:.2f} s; fast is {fast / dense:.2f}x it (target <= 1.5x)")
    print(f"  floor, the dense products the trainer runs ({core} core pixels) and its {sigmoids * epochs / 1e6:.0f} M sigmoids: "
          f"{needed:.2f} s; fast is {fast / needed:.2f}x it")  # fmt: skip


def sgd(x: np.ndarray, labels: np.ndarray, rng: np.random.Generator, *, rounds: int) -> None:
    seeds, n = SEEDS_EPOCHS["full"][0], 4000
    train = rng.choice(len(x), n, replace=False)
    nets = nielsen.concatenate(*[nielsen.initialize(rng, sizes=(784, 30, 10), count=seeds, weights=init) for init in ("large", "scaled")])
    single = nielsen.initialize(rng, sizes=(784, 30, 10), count=1)
    weights, biases = [w[0] for w in single.weights], [b[0] for b in single.biases]
    batched = loop = 0.0
    for _ in range(rounds):  # one epoch each way per round
        batched += timed(lambda: nielsen_training.train_sgd(rng, nets, x[train], labels[train], x[:10], labels[:10], epochs=1, lmbda=0.4))
        started = time.perf_counter()
        for start in range(0, n, 10):  # the textbook loop: network2.update_mini_batch, one example at a time
            batch = train[start : start + 10]
            weights, biases, _ = nielsen.textbook_update(weights, biases, x[batch], labels[batch], eta=0.1, lmbda=0.4, n_train=n)
        loop += time.perf_counter() - started
    per_seed_epoch = batched / (2 * seeds * rounds)
    print(f"SAT-NIELSEN-MNIST: {per_seed_epoch:.4f} s per seed-epoch batched over {2 * seeds} networks, {loop / rounds:.3f} s per epoch "
          f"per-example: {loop / rounds / per_seed_epoch:.1f}x (target >= 20x)")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m initcheck.bench_mnist")
    parser.add_argument("--epochs", type=int, default=500, help="full-batch epochs per net (the experiment has 500)")
    parser.add_argument("--segments", type=int, default=10, help="alternations between the two ways in the full-batch run")
    parser.add_argument("--sgd-rounds", type=int, default=3, help="SAT-NIELSEN-MNIST epochs timed each way, alternating")
    args = parser.parse_args(argv)
    for name in ("epochs", "segments", "sgd_rounds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1, got {getattr(args, name)}")
    if args.segments > args.epochs:
        parser.error(f"--segments {args.segments} is more than --epochs {args.epochs}: each segment needs an epoch")
    x, labels, description = mnist_data(None)
    rng = np.random.default_rng(20101)
    chosen = rng.choice(len(x), 1000, replace=False)
    print(f"data: {description}; GRAD-LAYER-TRAIN: 3 nets x {args.epochs} epochs x 1000 images", flush=True)
    full_batch(x[chosen], labels[chosen], rng, epochs=args.epochs, segments=args.segments)
    sgd(x, labels, rng, rounds=args.sgd_rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
