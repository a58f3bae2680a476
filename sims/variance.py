"""Sampled layers: the variance of pre-activations and gradients, forward and backward (VAR-SUM, VAR-NIELSEN-*, layer gains).

Through depth: `sims.meanfield.depth_second_moment` (VAR-DEPTH); `depth_profile` and `backward_profile` here draw the figures' per-layer curves.

Dependence: units of one layer share its input (forward) or its incoming gradient
(backward), so they are not independent samples. Every estimate here replicates whole
units or whole layers/networks and takes its standard error across replicates.
"""

from __future__ import annotations

import numpy as np

from initcheck.sims.activations import activate
from initcheck.sims.stats import Estimate, mean_estimate, variance_estimate

_CHUNK = 1 << 22  # floats per block: bounds memory at ~32 MB per array whatever the replicate count


def draw(rng: np.random.Generator, law: str, shape: tuple[int, ...], *, mean: float = 0.0, std: float = 1.0) -> np.ndarray:
    """Weights or inputs: "normal" N(mean, std²), "uniform" with that mean and std, "uniform01" U[0,1)."""
    if law == "normal":
        return rng.normal(mean, std, size=shape)
    if law == "uniform":
        half_width = std * np.sqrt(3.0)
        return rng.uniform(mean - half_width, mean + half_width, size=shape)
    if law == "uniform01":
        return rng.random(size=shape)
    raise ValueError(f"unknown law {law!r}: expected 'normal', 'uniform' or 'uniform01'")


def blocks(total: int, per_item: int) -> list[int]:
    """Replicate counts per block, so that a block holds about _CHUNK floats of `per_item` each."""
    size = max(1, _CHUNK // max(per_item, 1))
    return [min(size, total - start) for start in range(0, total, size)]


def forward_variance(
    rng: np.random.Generator,
    *,
    fan_in: int,
    weight_law: str = "normal",
    weight_mean: float = 0.0,
    weight_std: float,
    input_law: str,
    bias_std: float = 0.0,
    replicates: int,
) -> Estimate:
    """Var(z), z = Σᵢ wᵢxᵢ + b, from `replicates` independent units (fresh w, x, b each); pairs with theory.variance.forward_variance."""
    samples = []
    for block in blocks(replicates, fan_in):
        w = draw(rng, weight_law, (block, fan_in), mean=weight_mean, std=weight_std)
        x = draw(rng, input_law, (block, fan_in))
        samples.append(np.einsum("ij,ij->i", w, x) + rng.normal(0.0, 1.0, block) * bias_std)
    return variance_estimate(np.concatenate(samples))


def forward_gain(
    rng: np.random.Generator, *, fan_in: int, fan_out: int, weight_law: str = "normal", weight_std: float, input_activation: str = "linear", replicates: int
) -> Estimate:
    """The measured pair of theory.variance.forward_gain: E[mean over units of z²] for z = W x, x = act(y), y ~ N(0, I_{fan_in}),
    one sampled layer per replicate. Its expectation is n_in·Var(w)·E[act(y)²]: the gain itself for act = linear."""
    return _layer_second_moment(
        rng, fan_in=fan_in, fan_out=fan_out, weight_law=weight_law, weight_std=weight_std, direction="forward", input_activation=input_activation, replicates=replicates
    )


def backward_gain(rng: np.random.Generator, *, fan_in: int, fan_out: int, weight_law: str = "normal", weight_std: float, replicates: int) -> Estimate:
    """The measured pair of theory.variance.backward_gain: E[mean over inputs of g²] for g = Wᵀδ, δ ~ N(0, I_{fan_out}), one
    sampled layer per replicate; its expectation is n_out·Var(w)."""
    return _layer_second_moment(rng, fan_in=fan_in, fan_out=fan_out, weight_law=weight_law, weight_std=weight_std, direction="backward", replicates=replicates)


def _layer_second_moment(
    rng: np.random.Generator,
    *,
    fan_in: int,
    fan_out: int,
    weight_law: str,
    weight_std: float,
    direction: str,
    input_activation: str = "linear",
    replicates: int,
) -> Estimate:
    """E[mean over units of z²] for one sampled layer, replicated.

    forward: z = W x with x = act(y), y ~ N(0, I_{fan_in}); backward: g = Wᵀδ with δ ~ N(0, I_{fan_out}).
    The per-layer mean is one sample; layers are independent replicates.
    """
    if direction not in ("forward", "backward"):
        raise ValueError(f"unknown direction {direction!r}: expected 'forward' or 'backward'")
    per_layer = []
    for block in blocks(replicates, fan_in * fan_out):
        weights = draw(rng, weight_law, (block, fan_out, fan_in), std=weight_std)
        if direction == "forward":
            signal = activate(rng.normal(size=(block, fan_in)), input_activation)
            out = np.einsum("boi,bi->bo", weights, signal)
        else:
            out = np.einsum("boi,bo->bi", weights, rng.normal(size=(block, fan_out)))
        per_layer.append(np.mean(out**2, axis=1))
    return mean_estimate(np.concatenate(per_layer), "mean over independent layers of the per-layer mean of z²")


def backward_profile(rng: np.random.Generator, *, width: int, depth: int, weight_variance_times_width: float, replicates: int) -> np.ndarray:
    """Mean squared gradient entry after l = 1..depth linear backward layers g ← Wᵀg, g₀ ~ N(0, I), W ~ N(0, c/width)."""
    std = np.sqrt(weight_variance_times_width / width)
    grad = rng.normal(size=(replicates, width))
    profile = np.empty(depth)
    for layer in range(depth):
        grad = np.einsum("boi,bo->bi", rng.normal(0.0, std, size=(replicates, width, width)), grad)
        profile[layer] = np.mean(grad**2)
    return profile


def nielsen_variance(rng: np.random.Generator, *, weight_std: float, replicates: int) -> Estimate:
    """Var(z), z = Σⱼ wⱼxⱼ + b for Nielsen's ch. 3 input (1000 inputs, 500 of them 1), w ~ N(0, weight_std²), b ~ N(0, 1).

    Pairs with theory.variance.nielsen_variance. Replicates are independent units, drawn 4096 at a time. A weight whose
    input is 0 adds exactly 0 to z, whatever its value, so only the weights of the non-zero inputs are drawn (500 of
    1000: half the draws, the same z).
    """
    pattern = np.repeat([1.0, 0.0], 500)
    lit = pattern[pattern != 0]
    samples = []
    for start in range(0, replicates, 4096):
        size = min(4096, replicates - start)
        samples.append(rng.normal(0, weight_std, (size, lit.size)) @ lit + rng.normal(0, 1, size))
    return variance_estimate(np.concatenate(samples))


def nielsen_z_samples(rng: np.random.Generator, *, weight_std: float, samples: int, ones: int = 500) -> np.ndarray:
    """z = Σⱼ wⱼxⱼ + b for Nielsen's ch. 3 input (1000 inputs, `ones` of them 1, the rest 0), w ~ N(0, weight_std²), b ~ N(0, 1)."""
    return rng.normal(0.0, weight_std, size=(samples, ones)).sum(axis=1) + rng.normal(size=samples)
