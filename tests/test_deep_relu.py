"""HE-DEPTH-TRAIN's trainer (sims.deep_relu): the hand-written backward pass against finite differences, the inits' variances, and the check's rules."""

from __future__ import annotations

import numpy as np
import pytest

from initcheck.reproductions import deep_relu as repro
from initcheck.sims import deep_relu

STEP = 1e-6  # central differences: truncation O(h²·C''') ≈ 1e-12, rounding ≈ 1e-16·C/h ≈ 1e-10
TOLERANCE = 1e-7  # absolute, on gradients of order 1e-3 to 1: far above both errors, far below a wrong factor or transposition


def _net(rng: np.random.Generator) -> tuple[deep_relu.DeepNets, np.ndarray, np.ndarray]:
    nets = deep_relu.initialize(rng, sizes=(7, 5, 5, 5, 3), count=2, rule="kaiming")
    for b in nets.biases:
        b += rng.normal(scale=0.1, size=b.shape)  # nonzero biases: their gradients are checked too
    return nets, rng.normal(size=(2, 6, 7)), rng.integers(0, 3, size=(2, 6))


def _numeric(nets: deep_relu.DeepNets, x: np.ndarray, labels: np.ndarray, array: np.ndarray, index: tuple[int, ...]) -> np.ndarray:
    saved = array[index].copy()
    array[index] = saved + STEP
    up = deep_relu.softmax_cross_entropy(deep_relu.forward(nets, x)[-1], labels)[0]
    array[index] = saved - STEP
    down = deep_relu.softmax_cross_entropy(deep_relu.forward(nets, x)[-1], labels)[0]
    array[index] = saved
    return (up - down) / (2 * STEP)


def test_backward_pass_matches_central_differences_for_every_weight_and_bias():
    nets, x, labels = _net(np.random.default_rng(3))
    _, grad_w, grad_b = deep_relu.gradients(nets, x, labels)
    for params, grads in ((nets.weights, grad_w), (nets.biases, grad_b)):
        for array, grad in zip(params, grads, strict=True):
            for index in np.ndindex(array.shape[1:]):
                numeric = _numeric(nets, x, labels, array, (slice(None), *index))
                assert np.allclose(grad[(slice(None), *index)], numeric, rtol=0, atol=TOLERANCE)


def test_foil_backward_pass_without_the_relu_mask_is_caught_by_the_same_comparison():
    nets, x, labels = _net(np.random.default_rng(3))
    z = deep_relu.forward(nets, x)
    _, p = deep_relu.softmax_cross_entropy(z[-1], labels)
    delta = p.copy()
    np.put_along_axis(delta, labels[..., None], np.take_along_axis(delta, labels[..., None], axis=-1) - 1.0, axis=-1)
    delta = np.matmul(delta / x.shape[1], nets.weights[-1])  # δ of the last hidden layer, mask left out (the bug)
    unmasked = np.matmul(delta.transpose(0, 2, 1), np.maximum(z[-3], 0.0))  # ∂C/∂W of the layer below the last
    numeric = np.empty_like(unmasked)
    for i, j in np.ndindex(unmasked.shape[1:]):
        numeric[:, i, j] = _numeric(nets, x, labels, nets.weights[-2], (slice(None), i, j))
    assert np.allclose(deep_relu.gradients(nets, x, labels)[1][-2], numeric, rtol=0, atol=TOLERANCE)  # the masked pass agrees
    assert not np.allclose(unmasked, numeric, rtol=0, atol=TOLERANCE)


def test_training_is_bit_identical_for_a_seed_and_lowers_the_training_loss():
    x = np.random.default_rng(0).normal(size=(64, 7))
    labels = (x[:, 0] > 0).astype(int)
    runs = []
    for _ in range(2):
        rng = np.random.default_rng(9)
        nets = deep_relu.initialize(rng, sizes=(7, 8, 8, 2), count=3, rule="kaiming")
        runs.append(deep_relu.train_sgd(rng, nets, x, labels, x, labels, updates=200, batch=16, eta=0.1, checkpoints=2))
    assert np.array_equal(runs[0].loss, runs[1].loss)
    assert np.all(runs[0].loss[-1] < 0.5 * runs[0].loss[0])


def test_inits_have_their_rules_variances():
    rng = np.random.default_rng(1)
    for rule, expected in (("kaiming", 2 / 200), ("xavier", 2 / 300)):
        w = deep_relu.initialize(rng, sizes=(200, 100), count=50, rule=rule).weights[0]
        # 1e6 draws: the sample variance's relative SE is √(2/1e6) ≈ 0.0014; 1% is 7 SE
        assert abs(w.var() / expected - 1) < 0.01
    with pytest.raises(ValueError, match="'lecun'"):
        deep_relu.weight_variance("lecun", 3, 3)


def test_derived_logit_gain_halves_per_square_layer_for_xavier_only():
    ratio = repro.predicted_logit_gain("xavier", 12) / repro.predicted_logit_gain("xavier", 11)  # one more square 48 → 48 layer
    assert ratio == pytest.approx(0.5, rel=1e-12)
    assert repro.predicted_logit_gain("kaiming", 12) == pytest.approx(repro.predicted_logit_gain("kaiming", 11), rel=1e-12)


def test_stall_rule_accepts_a_plateau_and_rejects_a_net_that_learns():
    plateau = np.full((5, 1), repro.CHANCE) + np.array([[0.001], [-0.002], [0.0], [0.003], [-0.001]])
    learning = np.linspace(repro.CHANCE, 0.8 * repro.CHANCE, 5)[:, None]
    assert repro.stalled(plateau).all() and not repro.stalled(learning).any()


def _reading(monkeypatch, kaiming_floor: float, shallow_floor: float) -> dict:
    """The check's reading on stand-in curves: Kaiming falls to kaiming_floor·ln 10, Xavier (every rate) stays at ln 10, the foil's
    10-layer nets fall to shallow_floor·ln 10."""
    seeds = repro.SEEDS["default"][0]
    checkpoints = np.arange(repro.CHECKPOINTS + 1)
    falling = lambda floor: repro.CHANCE * (1 - (1 - floor) * checkpoints / repro.CHECKPOINTS)  # noqa: E731

    def stand_in(rng, nets, *args, **kwargs):
        count = nets.weights[0].shape[0]
        if count == seeds:  # the foil's shallow nets
            loss = np.repeat(falling(shallow_floor)[:, None], count, axis=1)
        else:
            loss = np.full((len(checkpoints), count), repro.CHANCE)
            loss[:, :seeds] = falling(kaiming_floor)[:, None]
        return deep_relu.Curves(updates=checkpoints, loss=loss, accuracy=np.full_like(loss, 0.1), logit_second_moment_at_init=np.ones(count), input_second_moment=0.1)

    monkeypatch.setattr(deep_relu, "train_sgd", stand_in)
    data = (np.zeros((5000, 784)), np.repeat(np.arange(10), 500), "stand-in")
    return repro.kaiming_vs_xavier(np.random.default_rng(0), "default", data)


def test_reading_holds_when_kaiming_falls_and_xavier_stays_and_rejects_the_foil_when_shallow_nets_learn(monkeypatch):
    record = _reading(monkeypatch, kaiming_floor=0.5, shallow_floor=0.6)
    assert record["verdict"] == "holds-under-conditions" and record["foil"]["rejected"]


def test_reading_refutes_a_kaiming_net_that_barely_moves_and_keeps_the_foil_when_shallow_nets_stall(monkeypatch):
    record = _reading(monkeypatch, kaiming_floor=0.9, shallow_floor=1.0)
    assert record["verdict"] == "refuted" and not record["foil"]["rejected"]
