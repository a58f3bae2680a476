"""Benchmark of the MNIST reproductions: vectorized training against the textbook per-example loop, and the matrix-multiply floor.

    python -m initcheck.bench_mnist [--epochs 500] [--sgd-epochs 2]

GRAD-LAYER-TRAIN's experiment (3 nets × `epochs` full-batch epochs × 1000 images) runs both ways from the
same init and data; the per-layer gradient norms must agree to 1e-8 relative. The floor is the experiment's
matrix-multiply FLOPs divided by this machine's float64 rate on a large square product.
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np

from initcheck.reproductions import mnist_data
from initcheck.reproductions.gradients import TRAIN_NETS
from sims import nielsen


def matmul_rate(size: int = 2000, repeats: int = 3) -> float:
    """float64 FLOP/s of a size × size product (best of `repeats`)."""
    rng = np.random.default_rng(0)
    a, b = rng.random((size, size)), rng.random((size, size))
    best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return 2 * size**3 / best


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def experiment_flops(sizes: tuple[int, ...], images: int, epochs: int) -> float:
    """Forward z = a·Wᵀ, backward δ·W (all but the first layer), weight gradient δᵀ·a: 2·m·in·out FLOPs each."""
    layers = list(itertools.pairwise(sizes))
    per_epoch = sum(2 * images * i * o for i, o in layers) * 2 + sum(2 * images * i * o for i, o in layers[1:])
    return float(per_epoch * epochs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m initcheck.bench_mnist")
    parser.add_argument("--epochs", type=int, default=500, help="full-batch epochs per net (the experiment has 500)")
    parser.add_argument("--sgd-epochs", type=int, default=2, help="SAT-NIELSEN-MNIST epochs timed each way")
    args = parser.parse_args(argv)
    x, labels, description = mnist_data(None)
    rng = np.random.default_rng(20101)
    chosen = rng.choice(len(x), 1000, replace=False)
    xs, ys = x[chosen], labels[chosen]
    print(f"data: {description}; GRAD-LAYER-TRAIN: 3 nets x {args.epochs} epochs x 1000 images")
    nets_list = [nielsen.initialize(rng, sizes=sizes, count=1) for sizes in TRAIN_NETS]
    starts = [([w[0].copy() for w in n.weights], [b[0].copy() for b in n.biases]) for n in nets_list]
    started = time.perf_counter()
    fast = nielsen.train_full_batch_joint(nets_list, xs, ys, epochs=args.epochs)
    fast_time = time.perf_counter() - started
    slow_time = flops = worst = 0.0
    for sizes, (weights, biases), ours in zip(TRAIN_NETS, starts, fast, strict=True):
        started = time.perf_counter()
        slow = nielsen.train_full_batch_per_example(weights, biases, xs, ys, epochs=args.epochs)
        slow_time += time.perf_counter() - started
        worst = max(worst, float(np.max(np.abs(ours[:, 0] - slow) / np.abs(slow))))
        flops += experiment_flops(sizes, 1000, args.epochs)
    rate = matmul_rate()
    floor = flops / rate
    print(f"  vectorized {fast_time:.2f} s, per-example loop {slow_time:.2f} s: {slow_time / fast_time:.1f}x faster (target >= 50x)")
    print(f"  largest relative difference of the gradient norms: {worst:.1e} (must be <= 1e-8)")
    print(f"  floor: {flops / 1e9:.1f} GFLOP at {rate / 1e9:.1f} GFLOP/s = {floor:.2f} s; vectorized is {fast_time / floor:.1f}x the floor (target <= 1.5x)")

    # SAT-NIELSEN-MNIST: [784,30,10], mini-batch 10 on 4000 images; 8 seeds as one batched computation against one seed per-example.
    seeds, n = 8, 4000
    train = rng.choice(len(x), n, replace=False)
    nets = nielsen.initialize(rng, sizes=(784, 30, 10), count=seeds)
    started = time.perf_counter()
    nielsen.train_sgd(rng, nets, x[train], labels[train], x[:10], labels[:10], epochs=args.sgd_epochs)
    batched = (time.perf_counter() - started) / (seeds * args.sgd_epochs)
    single = nielsen.initialize(rng, sizes=(784, 30, 10), count=1)
    weights, biases = [w[0] for w in single.weights], [b[0] for b in single.biases]
    started = time.perf_counter()
    for _ in range(args.sgd_epochs):
        for start in range(0, n, 10):  # the textbook loop: one example at a time inside each mini-batch
            nielsen.train_full_batch_per_example(weights, biases, x[train[start : start + 10]], labels[train[start : start + 10]], epochs=1)
    loop = (time.perf_counter() - started) / args.sgd_epochs
    print(f"SAT-NIELSEN-MNIST: {batched:.3f} s per seed-epoch batched over {seeds} seeds, {loop:.3f} s per epoch per-example: {loop / batched:.1f}x (target >= 20x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
