"""Deep ReLU MLPs trained by SGD on softmax cross-entropy (HE-DEPTH-TRAIN; He et al. 2015, §2.2 and Fig. 3).

Net: z₁ = xW₁ᵀ + b₁, z_l = relu(z_{l−1})W_lᵀ + b_l (l = 2..L), p = softmax(z_L), loss C = −(1/m)Σ ln p_{y}.
Backward pass by hand (float64): δ_L = (p − onehot(y))/m, ∂C/∂W_l = δ_lᵀ relu(z_{l−1}), ∂C/∂b_l = Σ δ_l,
δ_{l−1} = (δ_l W_l) ⊙ 1[z_{l−1} > 0]. Update W ← W − η∂C/∂W, b ← b − η∂C/∂b (plain SGD, mini-batch m).
Inits (biases 0): "kaiming" W_l ~ N(0, 2/n_in) (He et al. 2015, eq. 10), "xavier" N(0, 2/(n_in + n_out))
(Glorot & Bengio 2010, eq. 12; 1/n on a square layer). Arrays carry a leading axis over S independent networks:
W_l is S×out×in, b_l is S×out; each network draws its own mini-batches.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

RULES = ("kaiming", "xavier")


@dataclass(kw_only=True)
class DeepNets:
    weights: list[np.ndarray]  # S × out × in per layer
    biases: list[np.ndarray]  # S × out per layer


@dataclass(frozen=True, kw_only=True)
class Curves:
    """What training recorded: held-out loss and accuracy at each checkpoint (checkpoints × S), the updates done there,
    and the second moment of the logits over the held-out images at init per network (S)."""

    updates: np.ndarray
    loss: np.ndarray
    accuracy: np.ndarray
    logit_second_moment_at_init: np.ndarray
    input_second_moment: float  # mean over held-out images of |x|²/784


def weight_variance(rule: str, n_in: int, n_out: int) -> float:
    """Var(w) of a layer: 2/n_in (Kaiming) or 2/(n_in + n_out) (Xavier)."""
    if rule == "kaiming":
        return 2.0 / n_in
    if rule == "xavier":
        return 2.0 / (n_in + n_out)
    raise ValueError(f"unknown init rule {rule!r}: expected one of {RULES}")


def initialize(rng: np.random.Generator, *, sizes: tuple[int, ...], count: int, rule: str) -> DeepNets:
    """`count` networks of layer sizes `sizes`, weights N(0, Var(w) of `rule`), biases 0."""
    weights = [rng.normal(size=(count, n_out, n_in)) * np.sqrt(weight_variance(rule, n_in, n_out)) for n_in, n_out in itertools.pairwise(sizes)]
    return DeepNets(weights=weights, biases=[np.zeros((count, n)) for n in sizes[1:]])


def concatenate(*parts: DeepNets) -> DeepNets:
    """One stack of the networks of `parts` (same sizes), in order: trained as one batched computation."""
    layers = range(len(parts[0].weights))
    return DeepNets(
        weights=[np.concatenate([p.weights[l] for p in parts]) for l in layers], biases=[np.concatenate([p.biases[l] for p in parts]) for l in layers]
    )


def forward(nets: DeepNets, x: np.ndarray) -> list[np.ndarray]:
    """Pre-activations [z₁, ..., z_L], each S×m×out; x is S×m×n₀ (each network its own batch) or m×n₀ (shared)."""
    z = [np.matmul(x, nets.weights[0].transpose(0, 2, 1)) + nets.biases[0][:, None, :]]
    for w, b in zip(nets.weights[1:], nets.biases[1:], strict=True):
        z.append(np.matmul(np.maximum(z[-1], 0.0), w.transpose(0, 2, 1)) + b[:, None, :])
    return z


def softmax_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(per-network mean loss −(1/m)Σ ln p_y, softmax p); logits S×m×10, labels S×m or m. Shifted by the max: no overflow."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_norm = np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    log_p = shifted - log_norm
    labels = np.broadcast_to(labels, logits.shape[:-1])
    picked = np.take_along_axis(log_p, labels[..., None], axis=-1)[..., 0]
    return -picked.mean(axis=-1), np.exp(log_p)


def gradients(nets: DeepNets, x: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """(loss per network, ∂C/∂W_l, ∂C/∂b_l) for the batch x (S×m×n₀) with labels (S×m): the backward pass above."""
    z = forward(nets, x)
    loss, p = softmax_cross_entropy(z[-1], labels)
    m = x.shape[-2]
    delta = p
    np.put_along_axis(delta, labels[..., None], np.take_along_axis(delta, labels[..., None], axis=-1) - 1.0, axis=-1)
    delta /= m
    grad_w: list[np.ndarray] = [np.empty(0)] * len(z)
    grad_b: list[np.ndarray] = [np.empty(0)] * len(z)
    for layer in range(len(z) - 1, -1, -1):
        below = np.maximum(z[layer - 1], 0.0) if layer > 0 else x
        grad_w[layer] = np.matmul(delta.transpose(0, 2, 1), below)
        grad_b[layer] = delta.sum(axis=1)
        if layer > 0:
            delta = np.matmul(delta, nets.weights[layer])
            delta *= z[layer - 1] > 0
    return loss, grad_w, grad_b


def evaluate(nets: DeepNets, x: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(held-out loss, accuracy) per network on images x (m×n₀) shared by all networks."""
    logits = forward(nets, x)[-1]
    loss, _ = softmax_cross_entropy(logits, labels)
    return loss, (logits.argmax(axis=-1) == labels).mean(axis=-1)


def train_sgd(
    rng: np.random.Generator,
    nets: DeepNets,
    x: np.ndarray,
    labels: np.ndarray,
    x_test: np.ndarray,
    labels_test: np.ndarray,
    *,
    updates: int,
    batch: int,
    eta: float | np.ndarray,
    checkpoints: int,
) -> Curves:
    """Plain SGD for `updates` steps, each network on its own mini-batch of `batch` training images drawn uniformly with
    replacement (sampling SGD; no epochs, so any update count is allowed); held-out loss and accuracy at init and after every updates/checkpoints
    steps. `eta` is one rate or one per network (S). `nets` is updated in place."""
    count = nets.weights[0].shape[0]
    eta_w = np.broadcast_to(np.asarray(eta, dtype=float), (count,))[:, None, None]
    at = np.unique(np.linspace(0, updates, checkpoints + 1).round().astype(int))
    initial_logits = forward(nets, x_test)[-1]
    losses, accuracies = [], []
    for step in range(updates + 1):
        if step in at:
            loss, acc = evaluate(nets, x_test, labels_test)
            losses.append(loss)
            accuracies.append(acc)
        if step == updates:
            break
        chosen = rng.integers(0, len(x), size=(count, batch))
        _, grad_w, grad_b = gradients(nets, x[chosen], labels[chosen])
        for w, b, gw, gb in zip(nets.weights, nets.biases, grad_w, grad_b, strict=True):
            w -= eta_w * gw
            b -= eta_w[:, :, 0] * gb
    return Curves(
        updates=at,
        loss=np.array(losses),
        accuracy=np.array(accuracies),
        logit_second_moment_at_init=(initial_logits**2).mean(axis=(1, 2)),
        input_second_moment=float((x_test**2).sum(axis=1).mean() / x_test.shape[1]),
    )
