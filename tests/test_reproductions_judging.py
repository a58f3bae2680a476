"""The rules of the MNIST reproductions added for issue 17 (SAT-NIELSEN-MNIST-100, GRAD-LAYER-TRAIN-2, GRAD-GLOROT-TOP,
GRAD-DEPTH-ACC), each with its foil, on small synthetic or short real runs (the full experiments run in `initcheck verify`)."""

from __future__ import annotations

import numpy as np
import pytest

from initcheck.reproductions import depth_accuracy, mnist_data, top_saturation
from initcheck.reproductions import gradients as repro_gradients
from initcheck.reproductions.bias import welch_equivalence
from initcheck.sims import nielsen, nielsen_training


@pytest.fixture(scope="module")
def data():
    return mnist_data(None)


def _fall_and_bounce(epochs: int, start: float, trough: float, end: float) -> np.ndarray:
    """A speed curve that falls geometrically to `trough` at epoch 40, then rises geometrically to `end`."""
    down = np.geomspace(start, trough, 41)
    return np.concatenate([down, np.geomspace(trough, end, epochs - 40)[1:]])


def test_two_layer_rule_finds_fall_bounce_and_a_steady_lead_and_rejects_a_curve_without_bounce():
    first = _fall_and_bounce(500, 0.07, 0.001, 0.005)
    curves = np.stack([first, 3 * first], axis=-1)[:, None, :]  # second layer 3× faster at every epoch
    parts = repro_gradients.judge_two_layer_curves(curves)
    assert parts["fall"] and parts["bounce"]
    assert parts["slower_every_epoch_fraction_of_seeds"] == 1.0 and parts["much_slower_every_epoch_fraction_of_seeds"] == 1.0
    foil = repro_gradients.judge_two_layer_curves(np.minimum.accumulate(curves, axis=0))  # the check's foil: no bounce
    assert foil["fall"] and not foil["bounce"]


def test_two_layer_rule_rejects_equal_speeds_as_much_slower():
    first = _fall_and_bounce(500, 0.07, 0.001, 0.005)
    parts = repro_gradients.judge_two_layer_curves(np.stack([first, first], axis=-1)[:, None, :])
    assert parts["slower_every_epoch_fraction_of_seeds"] == 0.0 and parts["much_slower_every_epoch_fraction_of_seeds"] == 0.0


def test_real_two_layer_curves_lose_the_lead_near_the_trough(data):
    x, labels, _ = data
    rng = np.random.default_rng(17)
    chosen = rng.choice(len(x), repro_gradients.IMAGES, replace=False)
    curves = nielsen_training.train_full_batch(nielsen.initialize(rng, sizes=repro_gradients.TWO_LAYERS, count=1), x[chosen], labels[chosen], epochs=150)
    parts = repro_gradients.judge_two_layer_curves(curves)
    assert parts["fall"]
    assert parts["ratio_start_per_seed"][0] > repro_gradients.MUCH > parts["ratio_min_per_seed"][0]  # 'much more slowly all the time' fails


@pytest.mark.parametrize("count", [1, 3])  # one network: the second thread's block is empty
def test_probe_records_without_touching_training(data, count):
    x, labels, _ = data
    runs = []
    for probe in (None, nielsen_training.Probe(x=x[:50], labels=labels[:50], every=7)):
        nets = nielsen.initialize(np.random.default_rng(1), sizes=(784, 8, 8, 10), count=count, weights="standard", biases="zero")
        start = nielsen.forward(nets, x[:50])
        scores, rms = nielsen_training.train_sgd(np.random.default_rng(2), nets, x[:200], labels[:200], x[:20], labels[:20], epochs=1, lmbda=0.1, probe=probe)
        runs.append((scores, rms, *nets.weights, *nets.biases))
    assert all(np.array_equal(a, b) for a, b in zip(*runs, strict=True))  # the probe draws nothing and changes no weight
    assert probe.updates == [0, 7, 14] and probe.mean.shape == (3, count, 2) and probe.accuracy.shape == (3, count)
    assert np.allclose(probe.mean[0], np.stack([a.mean(axis=(1, 2)) for a in start[1:-1]], axis=-1), rtol=0, atol=1e-15)


def test_standard_init_is_glorot_bengio_uniform_with_zero_biases():
    nets = nielsen.initialize(np.random.default_rng(3), sizes=(784, 100, 10), count=2, weights="standard", biases="zero")
    for w in nets.weights:
        bound = 1 / np.sqrt(w.shape[-1])
        assert np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound
        assert w.var() == pytest.approx(bound**2 / 3, rel=0.05)  # U[−a, a] has variance a²/3; 5%: >1500 draws per layer
    assert all(not b.any() for b in nets.biases)
    with pytest.raises(ValueError, match="'ones'"):
        nielsen.initialize(np.random.default_rng(3), sizes=(784, 10), count=1, biases="ones")


def test_top_layer_rule_finds_a_fall_toward_zero_and_rejects_a_flat_first_layer():
    records = np.linspace(0, 1, 20)
    means = np.stack([np.full(20, 0.5), np.full(20, 0.5), 0.5 - 0.35 * records], axis=-1)[:, None, :]  # records × 1 seed × 3 layers
    accuracy = np.full((20, 1), 0.1)
    top, first = top_saturation.judge_layers(means, accuracy, -1), top_saturation.judge_layers(means, accuracy, 0)
    assert top["toward_zero"] and not top["below_low"] and top["at_chance_when_lowest"]
    assert not first["toward_zero"]  # the check's foil: the first hidden layer


def test_depth_comparison_uses_welch_and_single_run_spread():
    final = {1: np.array([0.93, 0.94, 0.95]), 2: np.array([0.95, 0.96, 0.97])}
    pair = depth_accuracy.compare({**final, 3: final[2], 4: final[2]}, 1, 2)
    assert pair["difference"] == pytest.approx(0.02) and pair["standard_error"] == pytest.approx(np.sqrt(2 * 0.01**2 / 3))
    assert pair["single_run_sd"] == pytest.approx(np.sqrt(2) * 0.01)
    assert pair["published_difference"] == pytest.approx(0.0042)


@pytest.mark.parametrize(("gap", "equal"), [(0.001, True), (0.04, False)])
def test_nearly_equal_is_a_tost_within_one_point(gap, equal):
    old = np.array([0.930, 0.932, 0.931, 0.933, 0.929, 0.931])
    assert welch_equivalence(old, old + gap + np.array([0.001, -0.001, 0.0, 0.001, -0.001, 0.0]), margin=0.01)["equivalent"] is equal
