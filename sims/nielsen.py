"""Nielsen's network2 (sources 001, ch. 5; 004, ch. 3), vectorized over examples and over independent networks.

Sigmoid layers, cross-entropy cost C = −Σ[y ln a + (1 − y) ln(1 − a)] (output error δᴸ = aᴸ − y),
init w ~ N(0, 1/n_in) ("scaled", network2's default) or N(0, 1) ("large"), b ~ N(0, 1).
Update (network2.update_mini_batch): w ← (1 − ηλ/n)·w − (η/m)Σ∇w, b ← b − (η/m)Σ∇b, n the training-set size.
Arrays carry a leading axis over S independent networks: W_l is S×out×in, b_l is S×out, inputs S×m×784.
Training (full batch and SGD, fast) is in `sims.nielsen_training`; the textbook per-example loop, its reference, is here.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.special import expit


@dataclass
class Networks:
    weights: list[np.ndarray]  # S × out × in per layer
    biases: list[np.ndarray]  # S × out per layer


def initialize(rng: np.random.Generator, *, sizes: tuple[int, ...], count: int, weights: str = "scaled", biases: str = "normal") -> Networks:
    """`count` networks of layer sizes `sizes`. Weights "scaled" N(0, 1/n_in) (network2's default), "large" N(0, 1) (its
    large_weight_initializer) or "standard" U[−1/√n_in, 1/√n_in] (Glorot & Bengio 2010, eq. 1); biases "normal" N(0, 1)
    (network2) or "zero" (Glorot & Bengio)."""
    if weights not in ("scaled", "large", "standard"):
        raise ValueError(f"unknown weight init {weights!r}: expected 'scaled', 'large' or 'standard'")
    if biases not in ("normal", "zero"):
        raise ValueError(f"unknown bias init {biases!r}: expected 'normal' or 'zero'")
    drawn = [rng.normal(size=(count, n)) if biases == "normal" else np.zeros((count, n)) for n in sizes[1:]]
    if weights == "standard":
        return Networks([rng.uniform(-1.0, 1.0, size=(count, n_out, n_in)) / np.sqrt(n_in) for n_in, n_out in itertools.pairwise(sizes)], drawn)
    scale = (lambda n_in: 1.0 / np.sqrt(n_in)) if weights == "scaled" else (lambda n_in: 1.0)
    return Networks([rng.normal(size=(count, n_out, n_in)) * scale(n_in) for n_in, n_out in itertools.pairwise(sizes)], drawn)


def concatenate(*parts: Networks) -> Networks:
    """One stack of the networks of `parts` (same layer sizes), in order: trained as one batched computation."""
    layers = range(len(parts[0].weights))
    return Networks([np.concatenate([p.weights[l] for p in parts]) for l in layers], [np.concatenate([p.biases[l] for p in parts]) for l in layers])


def sigmoid(z: np.ndarray) -> np.ndarray:
    return expit(z)  # 1/(1 + e^−z) without overflow for large |z|


def forward(nets: Networks, x: np.ndarray) -> list[np.ndarray]:
    """Activations [x, a¹, ..., aᴸ]; x is S×m×784 (or m×784, shared by all networks)."""
    activations = [x]
    for w, b in zip(nets.weights, nets.biases, strict=True):
        activations.append(sigmoid(times_transpose(activations[-1], w) + b[:, None, :]))
    return activations


def times_transpose(a: np.ndarray, w: np.ndarray) -> np.ndarray:
    """a·wᵀ per network. A shared 2-D input goes through one BLAS call against all S weight matrices stacked (m × S·out)."""
    if a.ndim == 2:
        count, n_out, n_in = w.shape
        return (a @ w.reshape(count * n_out, n_in).T).reshape(len(a), count, n_out).transpose(1, 0, 2)
    return np.matmul(a, w.transpose(0, 2, 1))


def errors(nets: Networks, activations: list[np.ndarray], targets: np.ndarray) -> list[np.ndarray]:
    """δˡ = ∂C/∂zˡ per example, S×m×n_l for l = 1..L (backprop eqs. BP1-BP2, cross-entropy output)."""
    deltas = [activations[-1] - targets]
    for layer in range(len(nets.weights) - 1, 0, -1):
        a = activations[layer]
        deltas.insert(0, np.matmul(deltas[0], nets.weights[layer]) * a * (1.0 - a))
    return deltas


def one_hot(labels: np.ndarray) -> np.ndarray:
    return np.eye(10)[labels]


def bias_gradient_norms(nets: Networks, x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """‖∂C/∂bˡ‖ of the cost averaged over the m examples, per network and hidden layer: S × (L − 1)."""
    deltas = errors(nets, forward(nets, x), one_hot(labels))
    return np.stack([np.linalg.norm(d.mean(axis=1), axis=-1) for d in deltas[:-1]], axis=1)


def accuracy(nets: Networks, x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Fraction of x classified correctly (argmax of the output), per network."""
    return np.mean(np.argmax(forward(nets, x)[-1], axis=-1) == labels, axis=-1)


def textbook_update(
    weights: list[np.ndarray], biases: list[np.ndarray], x: np.ndarray, labels: np.ndarray, *, eta: float, lmbda: float, n_train: int
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """network2.update_mini_batch for one network, one example at a time (network2.backprop, column vectors): the
    benchmark's baseline and the tests' reference. Decay 1 − ηλ/n_train, gradients averaged over the m = len(x) examples.
    Returns the new weights, the new biases (out × 1) and the mean ∂C/∂bˡ before the step."""
    weights, biases = list(weights), [b.reshape(-1, 1) for b in biases]
    sum_w, sum_b = [np.zeros_like(w) for w in weights], [np.zeros_like(b) for b in biases]
    for image, label in zip(x, labels, strict=True):
        activation, activations = image.reshape(-1, 1), [image.reshape(-1, 1)]
        for w, b in zip(weights, biases, strict=True):
            activation = sigmoid(w @ activation + b)
            activations.append(activation)
        delta = activations[-1] - np.eye(10)[label].reshape(-1, 1)
        for layer in range(len(weights) - 1, -1, -1):
            sum_b[layer] += delta
            sum_w[layer] += delta @ activations[layer].T
            if layer:
                a = activations[layer]
                delta = (weights[layer].T @ delta) * a * (1.0 - a)
    m = len(x)
    new_weights = [(1.0 - eta * lmbda / n_train) * w - eta * gw / m for w, gw in zip(weights, sum_w, strict=True)]
    return new_weights, [b - eta * gb / m for b, gb in zip(biases, sum_b, strict=True)], [gb / m for gb in sum_b]


def train_full_batch_per_example(weights: list[np.ndarray], biases: list[np.ndarray], x: np.ndarray, labels: np.ndarray, *, epochs: int, eta: float = 0.1, lmbda: float = 5.0) -> np.ndarray:
    """Nielsen's generate_gradient.training by the textbook loop (`textbook_update` on all of x each epoch): ‖∂C/∂bˡ‖ per
    hidden layer before each step, epochs × (L − 1)."""
    norms = np.empty((epochs, len(weights) - 1))
    for epoch in range(epochs):
        weights, biases, gradients = textbook_update(weights, biases, x, labels, eta=eta, lmbda=lmbda, n_train=len(x))
        norms[epoch] = [np.linalg.norm(g) for g in gradients[:-1]]
    return norms
