"""Sigmoid MLPs with and without batch normalization, trained by SGD on softmax cross-entropy (REG-BN-SPEED; Ioffe & Szegedy 2015).

Hidden layer l, batch of m: u = a_{l−1}W_lᵀ (+ b_l without BN). With BN (Ioffe & Szegedy 2015, Alg. 1): μ = mean_batch u,
σ² = (1/m)Σ(u − μ)², x̂ = (u − μ)/√(σ² + ε), y = γx̂ + β (β replaces the bias); a_l = sigmoid(y). Output z = a W_Lᵀ + b_L,
p = softmax(z), C = −(1/m)Σ ln p_y. Backward through BN (§3; the formula REG-BN-GRAD checks):
∂C/∂u = γ/√(σ² + ε)·(g − mean g − x̂·mean(g x̂)), g = ∂C/∂y. "frozen" BN uses μ and σ² fixed at init (computed once on
a batch), so it is an affine map and ∂C/∂u = γg/√(σ² + ε): the foil. At evaluation BN uses population statistics
(Alg. 2), here the mean and variance over a fixed set of training images under the current weights.
Init: W ~ N(0, 1/n_in), b = 0, γ = 1, β = 0. Arrays carry a leading axis over S networks; each network draws its own batches.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

EPSILON = 1e-5  # Ioffe & Szegedy's ε (and the common default)
MODES = ("none", "batch", "frozen")


@dataclass(kw_only=True)
class Nets:
    """`mode`: "none" (plain), "batch" (BN with batch statistics) or "frozen" (BN with the statistics of `frozen`)."""

    mode: str
    weights: list[np.ndarray]  # S × out × in per layer
    biases: list[np.ndarray]  # S × out per layer (hidden ones unused with BN: β takes their place)
    gammas: list[np.ndarray]  # S × out per hidden layer
    betas: list[np.ndarray]
    frozen: list[tuple[np.ndarray, np.ndarray]] | None = None  # per hidden layer (μ, σ²), S × out each, for "frozen"


def initialize(rng: np.random.Generator, *, sizes: tuple[int, ...], count: int, mode: str) -> Nets:
    if mode not in MODES:
        raise ValueError(f"unknown batch-norm mode {mode!r}: expected one of {MODES}")
    weights = [rng.normal(size=(count, n_out, n_in)) / np.sqrt(n_in) for n_in, n_out in itertools.pairwise(sizes)]
    hidden = sizes[1:-1]
    return Nets(
        mode=mode,
        weights=weights,
        biases=[np.zeros((count, n)) for n in sizes[1:]],
        gammas=[np.ones((count, n)) for n in hidden],
        betas=[np.zeros((count, n)) for n in hidden],
    )


def _statistics(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = u.mean(axis=1)
    return mean, ((u - mean[:, None, :]) ** 2).mean(axis=1)


def forward(nets: Nets, x: np.ndarray, *, statistics: list[tuple[np.ndarray, np.ndarray]] | None = None) -> tuple[np.ndarray, list[dict[str, np.ndarray]]]:
    """(logits S×m×10, per hidden layer its cache). x is S×m×n₀ or m×n₀. `statistics` overrides the batch's (evaluation)."""
    a = x
    caches = []
    for l, (w, b) in enumerate(zip(nets.weights[:-1], nets.biases[:-1], strict=True)):
        u = np.matmul(a, w.transpose(0, 2, 1))
        cache = {"input": a}
        if nets.mode == "none":
            y = u + b[:, None, :]
        else:
            if statistics is not None:
                mean, var = statistics[l]
            elif nets.mode == "frozen" and nets.frozen is not None:
                mean, var = nets.frozen[l]
            else:
                mean, var = _statistics(u)
            scale = 1 / np.sqrt(var + EPSILON)
            x_hat = (u - mean[:, None, :]) * scale[:, None, :]
            y = nets.gammas[l][:, None, :] * x_hat + nets.betas[l][:, None, :]
            cache.update(x_hat=x_hat, scale=scale)
        a = expit(y)
        cache["output"] = a
        caches.append(cache)
    return np.matmul(a, nets.weights[-1].transpose(0, 2, 1)) + nets.biases[-1][:, None, :], caches


def freeze(nets: Nets, x: np.ndarray) -> None:
    """Fix each hidden layer's μ and σ² at those of batch x under the current weights (the "frozen" foil)."""
    nets.frozen = population_statistics(nets, x)


def population_statistics(nets: Nets, x: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per hidden layer (μ, σ²) over the images x (shared, m×n₀) under the current weights, layer by layer (Alg. 2's inference statistics)."""
    found = []
    a = x
    for l, w in enumerate(nets.weights[:-1]):
        u = np.matmul(a, w.transpose(0, 2, 1))
        mean, var = _statistics(u)
        found.append((mean, var))
        a = expit(nets.gammas[l][:, None, :] * (u - mean[:, None, :]) / np.sqrt(var + EPSILON)[:, None, :] + nets.betas[l][:, None, :])
    return found


def loss_and_softmax(logits: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(per-network −(1/m)Σ ln p_y, p); shifted by the max, no overflow."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    labels = np.broadcast_to(labels, logits.shape[:-1])
    return -np.take_along_axis(log_p, labels[..., None], axis=-1)[..., 0].mean(axis=-1), np.exp(log_p)


def gradients(nets: Nets, x: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, dict[str, list[np.ndarray]]]:
    """(loss per network, gradients {"weights", "biases", "gammas", "betas"}) for the batch x (S×m×n₀), labels S×m."""
    logits, caches = forward(nets, x)
    loss, p = loss_and_softmax(logits, labels)
    np.put_along_axis(p, labels[..., None], np.take_along_axis(p, labels[..., None], axis=-1) - 1.0, axis=-1)
    delta = p / x.shape[-2]
    top = caches[-1]["output"]
    grads: dict[str, list[np.ndarray]] = {
        "weights": [np.matmul(delta.transpose(0, 2, 1), top)],
        "biases": [delta.sum(axis=1)],
        "gammas": [],
        "betas": [],
    }
    upstream = np.matmul(delta, nets.weights[-1])
    for l in range(len(caches) - 1, -1, -1):
        cache = caches[l]
        a = cache["output"]
        g = upstream * a * (1 - a)  # ∂C/∂y
        if nets.mode == "none":
            du = g
            grads["biases"].append(g.sum(axis=1))
        else:
            x_hat, scale = cache["x_hat"], cache["scale"][:, None, :]
            grads["gammas"].append((g * x_hat).sum(axis=1))
            grads["betas"].append(g.sum(axis=1))
            gamma = nets.gammas[l][:, None, :]
            if nets.mode == "frozen":
                du = gamma * scale * g
            else:
                du = gamma * scale * (g - g.mean(axis=1, keepdims=True) - x_hat * (g * x_hat).mean(axis=1, keepdims=True))
            grads["biases"].append(np.zeros_like(nets.biases[l]))
        grads["weights"].append(np.matmul(du.transpose(0, 2, 1), cache["input"]))
        if l > 0:
            upstream = np.matmul(du, nets.weights[l])
    for key in ("weights", "biases", "gammas", "betas"):
        grads[key].reverse()
    return loss, grads


def accuracy(nets: Nets, x: np.ndarray, labels: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Held-out accuracy per network; BN layers use the population statistics of the `reference` training images."""
    statistics = population_statistics(nets, reference) if nets.mode == "batch" else None
    logits, _ = forward(nets, x, statistics=statistics)
    return (logits.argmax(axis=-1) == labels).mean(axis=-1)


def updates_to_targets(
    rng: np.random.Generator,
    nets: Nets,
    x: np.ndarray,
    labels: np.ndarray,
    x_test: np.ndarray,
    labels_test: np.ndarray,
    *,
    eta: np.ndarray,
    batch: int,
    targets: tuple[float, ...],
    checks: tuple[int, ...],
    reference: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """SGD (each network its own batches, drawn with replacement), held-out accuracy after each update count in `checks`
    (increasing). Returns (targets × S: the first check at which accuracy ≥ each target, inf where never; checks × S accuracy,
    NaN after a network stopped). A network stops once it reaches the highest target; training ends at the last check."""
    count = len(eta)
    reached = np.full((len(targets), count), np.inf)
    history = np.full((len(checks), count), np.nan)
    active = np.arange(count)
    done_steps = 0
    for k, check in enumerate(checks):
        for _ in range(check - done_steps):
            chosen = rng.integers(0, len(x), size=(len(active), batch))
            with np.errstate(over="ignore", invalid="ignore"):  # a rate too high may overflow: the net then never reaches a target
                _, grads = gradients(nets, x[chosen], labels[chosen])
            rate = eta[active]
            for key in ("weights", "biases", "gammas", "betas") if nets.mode != "none" else ("weights", "biases"):
                for param, grad in zip(getattr(nets, key), grads[key], strict=True):
                    param -= rate.reshape((-1,) + (1,) * (param.ndim - 1)) * grad
        done_steps = check
        with np.errstate(over="ignore", invalid="ignore"):
            acc = accuracy(nets, x_test, labels_test, reference)
        history[k, active] = acc
        for t, target in enumerate(targets):
            newly = (acc >= target) & np.isinf(reached[t, active])
            reached[t, active[newly]] = check
        keep = acc < max(targets)
        if not keep.any():
            break
        if not keep.all():
            nets = _subset(nets, keep)
            active = active[keep]
    return reached, history


def _subset(nets: Nets, keep: np.ndarray) -> Nets:
    return Nets(
        mode=nets.mode,
        weights=[w[keep] for w in nets.weights],
        biases=[b[keep] for b in nets.biases],
        gammas=[g[keep] for g in nets.gammas],
        betas=[b[keep] for b in nets.betas],
        frozen=None if nets.frozen is None else [(m[keep], v[keep]) for m, v in nets.frozen],
    )
