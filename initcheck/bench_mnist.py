"""Benchmark of the MNIST reproductions: the fast trainers against the textbook per-example loop, and the floors.

    python -m initcheck.bench_mnist [--epochs 500] [--sgd-epochs 2]

GRAD-LAYER-TRAIN's experiment (3 nets × `epochs` full-batch epochs × 1000 images) runs both ways from the same init
and data; the per-layer gradient norms must agree to 1e-8 relative. Floors: the experiment's matrix-multiply FLOPs at
this machine's float64 rate on a large square product (all 784 pixels, and only the pixels not zero in every image,
which is what the trainer multiplies), and the same plus its sigmoids at this machine's two-thread exp rate.
SAT-NIELSEN-MNIST: seconds per seed-epoch of the batched SGD as the full reproduction runs it (both inits × 8 seeds,
4000 images) against one network through the textbook loop.
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np

from initcheck.reproductions import mnist_data
from initcheck.reproductions.gradients import TRAIN_NETS
from sims import nielsen, nielsen_training
from sims.parallel import two_workers


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


def experiment_flops(sizes: tuple[int, ...], images: int, epochs: int, inputs: int | None = None) -> float:
    """Forward z = a·Wᵀ, backward δ·W (all but the first layer), weight gradient δᵀ·a: 2·m·in·out FLOPs each;
    `inputs` replaces the first layer's 784 (the pixels that are not zero in every image)."""
    layers = list(itertools.pairwise(sizes))
    if inputs is not None:
        layers[0] = (inputs, layers[0][1])
    per_epoch = sum(2 * images * i * o for i, o in layers) * 2 + sum(2 * images * i * o for i, o in layers[1:])
    return float(per_epoch * epochs)


def exp_rate(size: int = 1_000_000, repeats: int = 5) -> float:
    """float64 exp evaluations per second with two threads, each on half of the array (as the trainers run them)."""
    z = np.random.default_rng(0).normal(size=size)
    halves = (slice(0, size // 2), slice(size // 2, size))
    with two_workers() as both:
        best = min(_timed(lambda: both(lambda part: np.exp(z[part], out=z[part] * 0), *halves)) for _ in range(repeats))
    return size / best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m initcheck.bench_mnist")
    parser.add_argument("--epochs", type=int, default=500, help="full-batch epochs per net (the experiment has 500)")
    parser.add_argument("--sgd-epochs", type=int, default=2, help="SAT-NIELSEN-MNIST epochs timed each way")
    args = parser.parse_args(argv)
    for name in ("epochs", "sgd_epochs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1, got {getattr(args, name)}")
    x, labels, description = mnist_data(None)
    rng = np.random.default_rng(20101)
    chosen = rng.choice(len(x), 1000, replace=False)
    xs, ys = x[chosen], labels[chosen]
    print(f"data: {description}; GRAD-LAYER-TRAIN: 3 nets x {args.epochs} epochs x 1000 images", flush=True)
    nets_list = [nielsen.initialize(rng, sizes=sizes, count=1) for sizes in TRAIN_NETS]
    starts = [([w[0].copy() for w in n.weights], [b[0].copy() for b in n.biases]) for n in nets_list]
    started = time.perf_counter()
    fast = nielsen_training.train_full_batch_joint(nets_list, xs, ys, epochs=args.epochs)
    fast_time = time.perf_counter() - started
    slow_time = worst = 0.0
    for (weights, biases), ours in zip(starts, fast, strict=True):
        started = time.perf_counter()
        slow = nielsen.train_full_batch_per_example(weights, biases, xs, ys, epochs=args.epochs)
        slow_time += time.perf_counter() - started
        worst = max(worst, float(np.max(np.abs(ours[:, 0] - slow) / np.abs(slow))))
    used = int(xs.any(axis=0).sum())
    rate, exps = matmul_rate(), exp_rate()
    dense = sum(experiment_flops(sizes, 1000, args.epochs) for sizes in TRAIN_NETS) / rate
    sparse = sum(experiment_flops(sizes, 1000, args.epochs, inputs=used) for sizes in TRAIN_NETS) / rate
    sigmoids = 1000 * args.epochs * sum(sum(sizes[1:]) for sizes in TRAIN_NETS) / exps
    print(f"  fast {fast_time:.2f} s, per-example loop {slow_time:.2f} s: {slow_time / fast_time:.1f}x faster (target >= 50x)")
    print(f"  largest relative difference of the gradient norms: {worst:.1e} (must be <= 1e-8)")
    print(f"  matmul rate {rate / 1e9:.1f} GFLOP/s (2000x2000, float64); exp rate {exps / 1e6:.0f} M/s (float64, two threads)")
    print(f"  floor, matmuls over all 784 pixels: {dense:.2f} s; fast is {fast_time / dense:.2f}x it (target <= 1.5x)")
    print(f"  floor, matmuls over the {used} pixels not zero in every image: {sparse:.2f} s; fast is {fast_time / sparse:.2f}x it")
    print(f"  floor, those matmuls and the {1000 * args.epochs * sum(sum(s[1:]) for s in TRAIN_NETS) / 1e6:.0f} M sigmoids' exp: "
          f"{sparse + sigmoids:.2f} s; fast is {fast_time / (sparse + sigmoids):.2f}x it", flush=True)  # fmt: skip

    # SAT-NIELSEN-MNIST as the full reproduction runs it: [784,30,10], mini-batch 10, 4000 images, both inits x 8 seeds in one batch.
    seeds, n = 8, 4000
    train = rng.choice(len(x), n, replace=False)
    nets = nielsen.concatenate(*[nielsen.initialize(rng, sizes=(784, 30, 10), count=seeds, weights=init) for init in ("large", "scaled")])
    started = time.perf_counter()
    nielsen_training.train_sgd(rng, nets, x[train], labels[train], x[:10], labels[:10], epochs=args.sgd_epochs, lmbda=0.4)
    batched = (time.perf_counter() - started) / (2 * seeds * args.sgd_epochs)
    single = nielsen.initialize(rng, sizes=(784, 30, 10), count=1)
    weights, biases = [w[0] for w in single.weights], [b[0] for b in single.biases]
    started = time.perf_counter()
    for _ in range(args.sgd_epochs):
        for start in range(0, n, 10):  # the textbook loop: network2.update_mini_batch, one example at a time
            batch = train[start : start + 10]
            weights, biases, _ = nielsen.textbook_update(weights, biases, x[batch], labels[batch], eta=0.1, lmbda=0.4, n_train=n)
    loop = (time.perf_counter() - started) / args.sgd_epochs
    print(f"SAT-NIELSEN-MNIST: {batched:.3f} s per seed-epoch batched over {2 * seeds} networks, {loop:.3f} s per epoch per-example: "
          f"{loop / batched:.1f}x (target >= 20x)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
