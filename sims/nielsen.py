"""Nielsen's network2 (sources 001, ch. 5; 004, ch. 3), vectorized over examples and over independent networks.

Sigmoid layers, cross-entropy cost C = −Σ[y ln a + (1 − y) ln(1 − a)] (output error δᴸ = aᴸ − y),
init w ~ N(0, 1/n_in) ("scaled", network2's default) or N(0, 1) ("large"), b ~ N(0, 1).
Update (network2.update_mini_batch): w ← (1 − ηλ/n)·w − (η/m)Σ∇w, b ← b − (η/m)Σ∇b, n the training-set size.
Arrays carry a leading axis over S independent networks: W_l is S×out×in, b_l is S×out, inputs S×m×784.
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


def initialize(rng: np.random.Generator, *, sizes: tuple[int, ...], count: int, weights: str = "scaled") -> Networks:
    """`count` networks of layer sizes `sizes`; weights "scaled" N(0, 1/n_in) or "large" N(0, 1); biases N(0, 1)."""
    if weights not in ("scaled", "large"):
        raise ValueError(f"unknown weight init {weights!r}: expected 'scaled' or 'large'")
    biases = [rng.normal(size=(count, n)) for n in sizes[1:]]
    scale = (lambda n_in: 1.0 / np.sqrt(n_in)) if weights == "scaled" else (lambda n_in: 1.0)
    return Networks([rng.normal(size=(count, n_out, n_in)) * scale(n_in) for n_in, n_out in itertools.pairwise(sizes)], biases)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return expit(z)  # 1/(1 + e^−z) without overflow for large |z|


def forward(nets: Networks, x: np.ndarray) -> list[np.ndarray]:
    """Activations [x, a¹, ..., aᴸ]; x is S×m×784 (or m×784, shared by all networks)."""
    activations = [x]
    for w, b in zip(nets.weights, nets.biases, strict=True):
        activations.append(sigmoid(_times_transpose(activations[-1], w) + b[:, None, :]))
    return activations


def _times_transpose(a: np.ndarray, w: np.ndarray) -> np.ndarray:
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


def gradient_step(nets: Networks, x: np.ndarray, targets: np.ndarray, *, eta: float, lmbda: float, n_train: int) -> list[np.ndarray]:
    """One network2 update on the batch (x, targets); returns the batch's average δˡ (the bias gradients) before the step."""
    activations = forward(nets, x)
    deltas = errors(nets, activations, targets)
    m = x.shape[-2]
    decay = 1.0 - eta * lmbda / n_train
    for layer, delta in enumerate(deltas):
        grad_w = np.matmul(delta.transpose(0, 2, 1), activations[layer]) / m
        nets.weights[layer] = decay * nets.weights[layer] - eta * grad_w
        nets.biases[layer] = nets.biases[layer] - eta * delta.mean(axis=1)
    return [d.mean(axis=1) for d in deltas]


def train_full_batch(nets: Networks, x: np.ndarray, labels: np.ndarray, *, epochs: int, eta: float = 0.1, lmbda: float = 5.0) -> np.ndarray:
    """Nielsen's generate_gradient.training on one shared 2-D input: each epoch records ‖∂C/∂bˡ‖ (hidden layers), then takes
    one full-batch step. epochs × S × (L − 1)."""
    return train_full_batch_joint([nets], x, labels, epochs=epochs, eta=eta, lmbda=lmbda)[0]


def train_full_batch_joint(nets_list: list[Networks], x: np.ndarray, labels: np.ndarray, *, epochs: int, eta: float = 0.1, lmbda: float = 5.0) -> list[np.ndarray]:
    """`train_full_batch` for several architectures sharing one 2-D input: their first layers (784 → ·) go through one
    BLAS call forward and one for the weight gradient, the products that carry almost all of the FLOPs."""
    targets, m = one_hot(labels), len(x)
    decay = 1.0 - eta * lmbda / m
    widths = [n.weights[0].shape[0] * n.weights[0].shape[1] for n in nets_list]
    cuts = np.cumsum(widths)[:-1]
    norms = [np.empty((epochs, len(n.biases[0]), len(n.weights) - 1)) for n in nets_list]
    for epoch in range(epochs):
        stacked = np.concatenate([n.weights[0].reshape(-1, x.shape[1]) for n in nets_list])
        first = np.split(x @ stacked.T, cuts, axis=1)  # m × (S·n₁) per architecture
        first_deltas = []
        for index, nets in enumerate(nets_list):
            count, width = nets.weights[0].shape[:2]
            activations = [x, sigmoid(first[index].reshape(m, count, width).transpose(1, 0, 2) + nets.biases[0][:, None, :])]
            for w, b in zip(nets.weights[1:], nets.biases[1:], strict=True):
                activations.append(sigmoid(np.matmul(activations[-1], w.transpose(0, 2, 1)) + b[:, None, :]))
            deltas = errors(nets, activations, targets)
            norms[index][epoch] = np.stack([np.linalg.norm(d.mean(axis=1), axis=-1) for d in deltas[:-1]], axis=1)
            for layer in range(1, len(deltas)):
                grad_w = np.matmul(deltas[layer].transpose(0, 2, 1), activations[layer]) / m
                nets.weights[layer] = decay * nets.weights[layer] - eta * grad_w
                nets.biases[layer] = nets.biases[layer] - eta * deltas[layer].mean(axis=1)
            nets.biases[0] = nets.biases[0] - eta * deltas[0].mean(axis=1)
            first_deltas.append(deltas[0].transpose(0, 2, 1).reshape(-1, m))
        grads = np.split(np.concatenate(first_deltas) @ x / m, cuts, axis=0)
        for nets, grad in zip(nets_list, grads, strict=True):
            nets.weights[0] = decay * nets.weights[0] - eta * grad.reshape(nets.weights[0].shape)
    return norms


def accuracy(nets: Networks, x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Fraction of x classified correctly (argmax of the output), per network."""
    return np.mean(np.argmax(forward(nets, x)[-1], axis=-1) == labels, axis=-1)


def train_sgd(
    rng: np.random.Generator,
    nets: Networks,
    x: np.ndarray,
    labels: np.ndarray,
    x_test: np.ndarray,
    labels_test: np.ndarray,
    *,
    epochs: int,
    batch: int = 10,
    eta: float = 0.1,
    lmbda: float = 5.0,
) -> tuple[np.ndarray, np.ndarray]:
    """network2.SGD: each epoch a fresh shuffle per network, mini-batches of `batch`; returns accuracy and RMS of W¹ after each epoch (epochs × S)."""
    count, n = len(nets.biases[0]), len(x)
    targets = one_hot(labels)
    scores, rms = np.empty((epochs, count)), np.empty((epochs, count))
    for epoch in range(epochs):
        order = rng.permuted(np.tile(np.arange(n), (count, 1)), axis=1)
        for start in range(0, n - batch + 1, batch):
            chosen = order[:, start : start + batch]
            gradient_step(nets, x[chosen], targets[chosen], eta=eta, lmbda=lmbda, n_train=n)
        scores[epoch] = accuracy(nets, x_test, labels_test)
        rms[epoch] = np.sqrt(np.mean(nets.weights[0] ** 2, axis=(1, 2)))
    return scores, rms


def train_full_batch_per_example(weights: list[np.ndarray], biases: list[np.ndarray], x: np.ndarray, labels: np.ndarray, *, epochs: int, eta: float = 0.1, lmbda: float = 5.0) -> np.ndarray:
    """The textbook algorithm (network2.backprop, one example at a time, column vectors) for one network: the benchmark's baseline."""
    weights, biases = [w.copy() for w in weights], [b.reshape(-1, 1).copy() for b in biases]
    n = len(x)
    norms = np.empty((epochs, len(weights) - 1))
    for epoch in range(epochs):
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
        norms[epoch] = [np.linalg.norm(b / n) for b in sum_b[:-1]]
        weights = [(1.0 - eta * lmbda / n) * w - eta * gw / n for w, gw in zip(weights, sum_w, strict=True)]
        biases = [b - eta * gb / n for b, gb in zip(biases, sum_b, strict=True)]
    return norms
