"""The fast trainers (sims.nielsen_training) against the textbook loop (sims.nielsen.textbook_update), each with a foil."""

from __future__ import annotations

import numpy as np
import pytest

from initcheck.reproductions import mnist_data
from initcheck.sims import nielsen, nielsen_training

# Same update, sums in another order: the trainers agree with the loop to ~1e-14; 1e-10 leaves room for BLAS kernels,
# and is the 1e-8 with margin. The foils differ from the loop by 1e-3 or more.
RTOL = 1e-10


@pytest.fixture(scope="module")
def data():
    return mnist_data(None)


def _network(nets: nielsen.Networks, s: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    return [w[s].copy() for w in nets.weights], [b[s].copy() for b in nets.biases]


def test_full_batch_equals_the_textbook_loop_for_every_network(data):
    rng = np.random.default_rng(3)
    chosen = rng.choice(5000, 200, replace=False)
    x, labels = data[0][chosen], data[1][chosen]
    nets_list = [nielsen.initialize(rng, sizes=sizes, count=2) for sizes in ((784, 30, 30, 10), (784, 20, 20, 20, 10))]
    starts = [[_network(nets, s) for s in range(2)] for nets in nets_list]
    epochs = 4
    fast = nielsen_training.train_full_batch_joint(nets_list, x, labels, epochs=epochs)
    idle = ~x.any(axis=0)
    assert idle.sum() > 100  # the all-zero pixels the trainer skips are there to skip
    decay = 1 - 0.1 * 5.0 / len(x)
    for nets, norms, networks in zip(nets_list, fast, starts, strict=True):
        for s, (weights, biases) in enumerate(networks):
            slow = nielsen.train_full_batch_per_example(weights, biases, x, labels, epochs=epochs + 1)
            np.testing.assert_allclose(norms[:, s], slow[:epochs], rtol=RTOL)
            trained = nielsen.Networks([w[s : s + 1] for w in nets.weights], [b[s : s + 1] for b in nets.biases])
            np.testing.assert_allclose(nielsen.bias_gradient_norms(trained, x, labels)[0], slow[epochs], rtol=RTOL)  # weights left in nets
            np.testing.assert_allclose(nets.weights[0][s][:, idle], weights[0][:, idle] * decay**epochs, rtol=RTOL)  # skipped pixels decayed
    foil = nielsen.train_full_batch_per_example(*starts[0][0], x, labels, epochs=epochs, lmbda=0.0)
    assert not np.allclose(foil[1:], fast[0][1:, 0], rtol=RTOL)  # the comparison can tell a missing weight decay


def _textbook_sgd(weights, biases, x, labels, orders, *, batch, lmbda, n_train):
    for order in orders:
        for start in range(0, len(order) - batch + 1, batch):
            chosen = order[start : start + batch]
            weights, biases, _ = nielsen.textbook_update(weights, biases, x[chosen], labels[chosen], eta=0.1, lmbda=lmbda, n_train=n_train)
    return weights, [b.ravel() for b in biases]


def test_sgd_equals_the_textbook_mini_batch_loop_for_every_network(data):
    x, labels = data[0][:5000:25], data[1][:5000:25]  # 200 images, 20 of each digit
    x_test, labels_test = data[0][1:5000:50], data[1][1:5000:50]
    count, epochs, lmbda = 3, 2, 5.0  # three networks: blocks of two and one; ηλ/n = 2.5e-3 per update, scale falls to 0.82
    nets = nielsen.initialize(np.random.default_rng(4), sizes=(784, 30, 10), count=count, weights="large")
    starts = [_network(nets, s) for s in range(count)]
    scores, rms = nielsen_training.train_sgd(np.random.default_rng(5), nets, x, labels, x_test, labels_test, epochs=epochs, lmbda=lmbda)
    shuffles = np.random.default_rng(5)  # network2.SGD's draws, as train_sgd documents them: one shuffle per network and epoch
    orders = np.stack([shuffles.permuted(np.tile(np.arange(len(x)), (count, 1)), axis=1) for _ in range(epochs)])
    reference = []
    for s, (weights, biases) in enumerate(starts):
        slow_w, slow_b = _textbook_sgd(weights, biases, x, labels, orders[:, s], batch=10, lmbda=lmbda, n_train=len(x))
        reference.append(nielsen.Networks([w[None] for w in slow_w], [b[None] for b in slow_b]))
        for fast, slow in zip([w[s] for w in nets.weights] + [b[s] for b in nets.biases], slow_w + slow_b, strict=True):
            np.testing.assert_allclose(fast, slow, rtol=RTOL, atol=RTOL * np.abs(slow).max())
        np.testing.assert_allclose(rms[-1, s], np.sqrt(np.mean(slow_w[0] ** 2)), rtol=RTOL)
        foil_w, _ = _textbook_sgd(weights, biases, x, labels, orders[:, s], batch=10, lmbda=lmbda, n_train=10)  # n = the mini-batch
        assert not np.allclose(nets.weights[0][s], foil_w[0], rtol=RTOL, atol=RTOL * np.abs(foil_w[0]).max())
    np.testing.assert_array_equal(scores[-1], nielsen.accuracy(nielsen.concatenate(*reference), x_test, labels_test))


def test_trainers_are_bit_identical_for_a_seed(data):
    x, labels = data[0][:5000:25], data[1][:5000:25]
    runs = []
    for _ in range(2):
        rng = np.random.default_rng(8)
        nets = nielsen.initialize(rng, sizes=(784, 30, 10), count=4)
        sgd = nielsen_training.train_sgd(rng, nets, x, labels, x[:20], labels[:20], epochs=1)
        full = nielsen_training.train_full_batch(nets, x, labels, epochs=3)
        runs.append((*sgd, full, *nets.weights, *nets.biases))
    for first, second in zip(*runs, strict=True):
        assert np.array_equal(first, second)


def test_trainers_give_the_same_bits_on_one_thread_and_on_three(data, monkeypatch):
    from initcheck.sims import parallel

    x, labels = data[0][:5000:25], data[1][:5000:25]
    runs = []
    for threads in ("1", "3"):  # 3: more threads than this machine's cores, parts finishing in another order
        monkeypatch.setenv(parallel.THREADS_VARIABLE, threads)
        assert parallel.threads() == int(threads)
        rng = np.random.default_rng(8)
        nets = nielsen.initialize(rng, sizes=(784, 30, 10), count=5)
        sgd = nielsen_training.train_sgd(rng, nets, x, labels, x[:20], labels[:20], epochs=1)
        full = nielsen_training.train_full_batch_joint([nets, nielsen.initialize(rng, sizes=(784, 30, 30, 10), count=2)], x, labels, epochs=3)
        runs.append((*sgd, *full, *nets.weights, *nets.biases))
    for first, second in zip(*runs, strict=True):
        assert np.array_equal(first, second)


@pytest.mark.parametrize("told", ["0", "-1", "two", "1.5", ""])
def test_a_bad_thread_count_is_named(monkeypatch, told):
    from initcheck.sims import parallel

    monkeypatch.setenv(parallel.THREADS_VARIABLE, told)
    with pytest.raises(ValueError, match=f"INITCHECK_THREADS={told!r}"):
        parallel.threads()


@pytest.mark.parametrize("count", [0, 1, 3, 4, 5, 1000, 1001])
def test_the_parts_cover_every_item_once_and_differ_by_at_most_one(count):
    from initcheck.sims.parallel import PARTS, split

    parts = split(count)
    assert [i for part in parts for i in range(count)[part]] == list(range(count))
    lengths = [part.stop - part.start for part in parts]
    assert len(parts) == min(count, PARTS) and (not lengths or max(lengths) - min(lengths) <= 1)


def test_sigmoid_in_place_is_the_textbook_sigmoid_bit_for_bit_and_saturates_without_warnings():
    z = np.linspace(-800.0, 800.0, 20001)
    bias = np.array(0.25)
    ours = nielsen_training.sigmoid_in_place(z.copy(), bias)  # warnings are errors in this suite
    assert np.array_equal(ours, nielsen.sigmoid(z + bias))
    assert ours[0] == 0.0 and ours[-1] == 1.0


def test_folding_the_decay_scale_into_the_weights_changes_nothing(data, monkeypatch):
    x, labels = data[0][:5000:25], data[1][:5000:25]
    runs = []
    for floor in (nielsen_training.SCALE_FLOOR, 0.999):  # 0.999: the scale is folded back into the weights after every update
        monkeypatch.setattr(nielsen_training, "SCALE_FLOOR", floor)
        nets = nielsen.initialize(np.random.default_rng(6), sizes=(784, 30, 10), count=2)
        runs.append((*nielsen_training.train_sgd(np.random.default_rng(7), nets, x, labels, x[:20], labels[:20], epochs=2), *nets.weights))
    for kept, folded in zip(*runs, strict=True):
        # the same products, a rounding per update apart: 1e-12 of the array's scale (weights near 0 lose their relative digits)
        np.testing.assert_allclose(folded, kept, rtol=1e-12, atol=1e-12 * np.abs(kept).max())


@pytest.mark.parametrize("lmbda", [-1.0, 2000.0])
def test_sgd_refuses_a_decay_factor_outside_0_to_1(data, lmbda):
    nets = nielsen.initialize(np.random.default_rng(0), sizes=(784, 30, 10), count=1)
    with pytest.raises(ValueError, match=r"ηλ/n = -?[0-9.]+ must lie in \[0, 1\)"):
        nielsen_training.train_sgd(np.random.default_rng(0), nets, data[0][:100], data[1][:100], data[0][:10], data[1][:10], epochs=1, lmbda=lmbda)
