"""Nielsen's network2 training, fast: full-batch descent (GRAD-LAYER-TRAIN) and mini-batch SGD (SAT-NIELSEN-MNIST, SAT-L2).

Same update as the textbook loop (`sims.nielsen.textbook_update`, network2.update_mini_batch):
w ← (1 − ηλ/n)·w − (η/m)Σ∇w, b ← b − (η/m)Σ∇b, and the same sigmoid (scipy's expit); only the order of floating-point
sums differs (the tests compare every weight to the loop's). The savings, all exact:

- all-zero pixels: a pixel that is 0 in every training image has gradient 0, so its weights only decay and take no part
  in any product (MNIST's border: ~180 of 784 pixels on 1000 images);
- rarely-lit pixels (full batch): pixels lit in at most CORE_DENSITY of the images hold few of the nonzeros but many of
  the columns (on 1000 images: 262 columns, 5% of the nonzeros), so their products are sparse (CSR), the rest dense BLAS;
- weight decay as one scale (SGD): W = s·V, s ← (1 − ηλ/n)·s, V ← V − η/(m·s)·Σ∇W, so a step touches each weight once,
  not three times (Bottou, "Stochastic Gradient Descent Tricks", 2012, sec. 5.1; scikit-learn's `wscale`);
- threads (`sims.parallel`): the work cut into a fixed PARTS parts, run on every core: full batch, parts of the examples
  forward and backward, then parts of the first layer's units (and of the networks) for the update; SGD, blocks of
  networks trained side by side. The cut never depends on the core count, so neither do the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.special import expit

from initcheck.sims.nielsen import Networks, accuracy, forward, one_hot
from initcheck.sims.parallel import PARTS, part_runner, split

SCALE_FLOOR = 1e-100  # SGD: below this the decay scale is folded into the weights (far above float64's 1e-308)
CORE_DENSITY = 0.1  # full batch: pixels not zero in more than 10% of the images go through BLAS, the rest through sparse products


def sigmoid_in_place(z: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """z ← σ(z + b) = 1/(1 + e^−(z + b)) in place: scipy's expit, the textbook loop's sigmoid (`sims.nielsen.sigmoid`), no overflow."""
    np.add(z, bias, out=z)
    return expit(z, out=z)


def _times_derivative(delta: np.ndarray, a: np.ndarray) -> None:
    """δ ← δ ⊙ σ'(z) with σ'(z) = a(1 − a) (eq. BP2)."""
    delta *= a
    delta -= delta * a


@dataclass
class _Upper:
    """One network's layers above the joint first layer: its units' columns there, its weights (out × in) and biases,
    and m × n buffers for the outputs and errors of each of those layers."""

    columns: slice
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    outputs: list[np.ndarray]
    errors: list[np.ndarray]
    means: list[np.ndarray] = field(default_factory=list)  # this epoch's mean δ per layer (the bias gradients)


def train_full_batch(nets: Networks, x: np.ndarray, labels: np.ndarray, *, epochs: int, eta: float = 0.1, lmbda: float = 5.0) -> np.ndarray:
    """Nielsen's generate_gradient.training: each epoch records ‖∂C/∂bˡ‖ per hidden layer, then takes one full-batch step.
    epochs × S × (L − 1)."""
    return train_full_batch_joint([nets], x, labels, epochs=epochs, eta=eta, lmbda=lmbda)[0]


def train_full_batch_joint(nets_list: list[Networks], x: np.ndarray, labels: np.ndarray, *, epochs: int, eta: float = 0.1, lmbda: float = 5.0) -> list[np.ndarray]:
    """`train_full_batch` for several architectures on one shared input: every network's first layer (784 → ·) is one
    block of rows of one matrix, so the products that carry almost all of the FLOPs are one call forward, one for the update."""
    m, targets, decay = len(x), one_hot(labels), 1.0 - eta * lmbda / len(x)
    density = np.mean(x != 0, axis=0)
    core, rim = np.flatnonzero(density > CORE_DENSITY), np.flatnonzero((density > 0) & (density <= CORE_DENSITY))
    pixels, n_core = np.concatenate([core, rim]), len(core)  # the pixels that are not zero in every image, core first
    x_core, x_rim = np.ascontiguousarray(x[:, core]), x[:, rim]
    first = np.concatenate([n.weights[0].reshape(-1, x.shape[1]) for n in nets_list])  # H × 784, networks' units stacked
    w0, b0 = np.ascontiguousarray(first[:, pixels]), np.concatenate([n.biases[0].reshape(-1) for n in nets_list])
    w_core, w_rim = w0[:, :n_core], w0[:, n_core:]
    a0, d0 = np.empty((m, len(b0))), np.empty((m, len(b0)))
    uppers, start = [], 0
    for nets in nets_list:
        for s in range(len(nets.biases[0])):
            width = len(nets.biases[0][s])
            sizes = [len(b[s]) for b in nets.biases[1:]]
            uppers.append(_Upper(slice(start, start + width), [w[s].copy() for w in nets.weights[1:]], [b[s].copy() for b in nets.biases[1:]],
                                 [np.empty((m, k)) for k in sizes], [np.empty((m, k)) for k in sizes]))  # fmt: skip
            start += width
    norms = [np.empty((epochs, len(n.biases[0]), len(n.weights) - 1)) for n in nets_list]
    row_parts = [(rows, sparse.csr_matrix(x_rim[rows])) for rows in split(m)]
    rim_t = sparse.csr_matrix(x_rim.T)
    update_parts = [(units, uppers[k::PARTS]) for k, units in enumerate(split(len(b0)))]

    def forward_backward(half: tuple[slice, sparse.csr_matrix]) -> None:
        rows, rim_rows = half
        np.matmul(x_core[rows], w_core.T, out=a0[rows])
        a0[rows] += rim_rows @ w_rim.T
        sigmoid_in_place(a0[rows], b0)
        for up in uppers:
            below = [a0[rows, up.columns]] + [out[rows] for out in up.outputs[:-1]]
            for a, w, b, out in zip(below, up.weights, up.biases, up.outputs, strict=True):
                sigmoid_in_place(np.matmul(a, w.T, out=out[rows]), b)
            delta = np.subtract(up.outputs[-1][rows], targets[rows], out=up.errors[-1][rows])  # cross-entropy: δᴸ = aᴸ − y
            error_below = [d0[rows, up.columns]] + [err[rows] for err in up.errors[:-1]]
            for a, w, err in reversed(list(zip(below, up.weights, error_below, strict=True))):
                err[...] = delta @ w
                _times_derivative(err, a)
                delta = err

    def update(part: tuple[slice, list[_Upper]]) -> None:
        units, ups = part
        gradient_core, gradient_rim = d0[:, units].T @ x_core, (rim_t @ d0[:, units]).T
        w0[units] *= decay
        w_core[units] -= (eta / m) * gradient_core
        w_rim[units] -= (eta / m) * gradient_rim
        for up in ups:
            below = [a0[:, up.columns], *up.outputs[:-1]]
            for j, (a, err, mean) in enumerate(zip(below, up.errors, up.means, strict=True)):
                up.weights[j] = decay * up.weights[j] - (eta / m) * (err.T @ a)
                up.biases[j] = up.biases[j] - eta * mean

    with part_runner() as run:
        for epoch in range(epochs):
            run(forward_backward, row_parts)
            first_means = np.ones(m) @ d0 / m  # mean δ per unit, the bias gradient (a GEMV: faster than mean(axis=0))
            for up in uppers:
                up.means = [np.ones(m) @ err / m for err in up.errors]
            _record_norms(norms, nets_list, uppers, first_means, epoch)
            b0 -= eta * first_means
            run(update, update_parts)
    _write_back_full_batch(nets_list, uppers, w0, b0, pixels, decay**epochs)
    return norms


def _record_norms(norms: list[np.ndarray], nets_list: list[Networks], uppers: list[_Upper], first_means: np.ndarray, epoch: int) -> None:
    """‖mean δˡ‖ for each hidden layer of each network, before the step."""
    index = 0
    for table, nets in zip(norms, nets_list, strict=True):
        for s in range(len(nets.biases[0])):
            up = uppers[index]
            hidden = [first_means[up.columns], *up.means[:-1]]
            table[epoch, s] = [np.linalg.norm(h) for h in hidden]
            index += 1


def _write_back_full_batch(nets_list: list[Networks], uppers: list[_Upper], w0: np.ndarray, b0: np.ndarray, pixels: np.ndarray, idle_decay: float) -> None:
    """Leave the trained weights in `nets_list`; an all-zero pixel's weights have decayed by (1 − ηλ/n)^epochs."""
    index, idle = 0, np.setdiff1d(np.arange(nets_list[0].weights[0].shape[-1]), pixels)
    for nets in nets_list:
        for s in range(len(nets.biases[0])):
            up = uppers[index]
            nets.weights[0][s][:, pixels] = w0[up.columns]
            nets.weights[0][s][:, idle] *= idle_decay
            nets.biases[0][s] = b0[up.columns]
            for j in range(len(up.weights)):
                nets.weights[j + 1][s], nets.biases[j + 1][s] = up.weights[j], up.biases[j]
            index += 1


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
    probe: Probe | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """network2.SGD for S networks: each epoch a fresh shuffle per network, mini-batches of `batch`, decay 1 − ηλ/n per
    update (n = len(x)). Returns the accuracy on (x_test, labels_test) and the RMS of W¹ after each epoch (epochs × S).
    A `probe` also records its hidden layers' activations every `probe.every` updates (and before the first); it draws no
    random numbers and changes no weight."""
    count, n = len(nets.biases[0]), len(x)
    if not 0 <= eta * lmbda / n < 1:
        raise ValueError(f"weight decay ηλ/n = {eta * lmbda / n:g} must lie in [0, 1): 1 − ηλ/n would zero or flip every weight")
    orders = np.stack([rng.permuted(np.tile(np.arange(n), (count, 1)), axis=1) for _ in range(epochs)])  # epochs × S × n
    used = np.asarray(x.any(axis=0))
    data = (np.ascontiguousarray(x[:, used]), one_hot(labels), x_test, labels_test)

    blocks = split(count)  # a fixed cut, never the core count; split drops empty blocks
    parts = [probe.empty() if probe is not None else None for _ in blocks]  # one per block, joined after

    def train_block(job: tuple[slice, Probe | None]) -> tuple[np.ndarray, np.ndarray]:
        block, part = job
        return _sgd_block(nets, block, orders[:, block], data, used, batch=batch, eta=eta, decay=1.0 - eta * lmbda / n, probe=part)

    with part_runner() as run:
        trained = run(train_block, list(zip(blocks, parts, strict=True)))
    if probe is not None:
        probe.join([part for part in parts if part is not None])
    return np.concatenate([scores for scores, _ in trained], axis=1), np.concatenate([rms for _, rms in trained], axis=1)


@dataclass(kw_only=True)
class Probe:
    """What the hidden layers do during SGD (Glorot & Bengio 2010, Fig. 2: mean activation per hidden layer over training).

    Every `every` updates (and before the first) on the images `x`: per network and hidden layer the mean activation and the
    share of activations below `low`, and the accuracy on `labels`. After training: `updates` (R), `accuracy` (R × S),
    `mean` and `share_low` (R × S × hidden layers)."""

    x: np.ndarray
    labels: np.ndarray
    every: int
    low: float = 0.1
    updates: list[int] = field(default_factory=list)
    rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)

    def record(self, update: int, trained: Networks) -> None:
        activations = forward(trained, self.x)
        hidden = np.stack([a.mean(axis=(1, 2)) for a in activations[1:-1]], axis=-1)
        low = np.stack([np.mean(a < self.low, axis=(1, 2)) for a in activations[1:-1]], axis=-1)
        self.updates.append(update)
        self.rows.append((np.mean(np.argmax(activations[-1], axis=-1) == self.labels, axis=-1), hidden, low))

    def empty(self) -> Probe:
        """A probe with the same settings and no records."""
        return Probe(x=self.x, labels=self.labels, every=self.every, low=self.low)

    def join(self, parts: list[Probe]) -> None:
        """The blocks' records side by side (networks in order)."""
        self.updates = parts[0].updates
        for r in range(len(self.updates)):
            accuracy, mean, low = (np.concatenate([part.rows[r][k] for part in parts]) for k in range(3))
            self.rows.append((accuracy, mean, low))

    @property
    def accuracy(self) -> np.ndarray:
        return np.stack([r[0] for r in self.rows])

    @property
    def mean(self) -> np.ndarray:
        return np.stack([r[1] for r in self.rows])

    @property
    def share_low(self) -> np.ndarray:
        return np.stack([r[2] for r in self.rows])


def _sgd_block(
    nets: Networks, block: slice, orders: np.ndarray, data: tuple, used: np.ndarray, *, batch: int, eta: float, decay: float, probe: Probe | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Train nets[block] in place, the weights kept as scale·V (one scale for all, since every weight decays alike)."""
    x_used, targets, x_test, labels_test = data
    epochs, count, n = orders.shape
    v = [np.ascontiguousarray(nets.weights[0][block][:, :, used])] + [w[block].copy() for w in nets.weights[1:]]
    idle, biases = nets.weights[0][block][:, :, ~used].copy(), [b[block].copy() for b in nets.biases]
    scale, scores, rms, update = 1.0, np.empty((epochs, count)), np.empty((epochs, count)), 0
    if probe is not None:
        probe.record(0, _as_networks(v, idle, biases, used, scale))
    for epoch in range(epochs):
        for start in range(0, n - batch + 1, batch) if count else ():
            chosen = orders[epoch, :, start : start + batch]  # S × m
            activations = [np.take(x_used, chosen, axis=0)]
            for w, b in zip(v, biases, strict=True):
                z = np.matmul(activations[-1], w.transpose(0, 2, 1))
                z *= scale
                activations.append(sigmoid_in_place(z, b[:, None, :]))
            delta = activations[-1] - targets[chosen]
            scale_after = decay * scale
            for layer in range(len(v) - 1, -1, -1):
                below = np.matmul(delta, v[layer]) * scale if layer else None  # δˡ⁻¹ uses Wˡ before its update
                # W_new = decay·W − (η/m)∇ = scale_after·(V − η/(m·scale_after)∇); the factor goes on the small δ
                v[layer] -= np.matmul((delta * (eta / (batch * scale_after))).transpose(0, 2, 1), activations[layer])
                biases[layer] -= np.add.reduce(delta, axis=1) * (eta / batch)
                if below is not None:
                    _times_derivative(below, activations[layer])
                    delta = below
            scale = scale_after
            if scale < SCALE_FLOOR:  # fold the scale into the weights before it underflows (after ~230/(ηλ/n) updates)
                v, idle, scale = [w * scale for w in v], idle * scale, 1.0
            update += 1
            if probe is not None and update % probe.every == 0:
                probe.record(update, _as_networks(v, idle, biases, used, scale))
        trained = _as_networks(v, idle, biases, used, scale)
        scores[epoch] = accuracy(trained, x_test, labels_test)
        rms[epoch] = np.sqrt(np.mean(trained.weights[0] ** 2, axis=(1, 2)))
    trained = _as_networks(v, idle, biases, used, scale)
    for layer in range(len(v)):
        nets.weights[layer][block], nets.biases[layer][block] = trained.weights[layer], trained.biases[layer]
    return scores, rms


def _as_networks(v: list[np.ndarray], idle: np.ndarray, biases: list[np.ndarray], used: np.ndarray, scale: float) -> Networks:
    """The block's networks as they stand: W¹ = scale·[V¹ on the used pixels | the idle pixels' weights], Wˡ = scale·Vˡ."""
    first = np.empty((*v[0].shape[:2], len(used)))
    first[:, :, used], first[:, :, ~used] = v[0], idle
    return Networks([scale * first] + [scale * w for w in v[1:]], [b.copy() for b in biases])

