"""REG-BN-SPEED's trainer (sims.batchnorm): the backward pass with and without BN against central differences, and the check's reading."""

from __future__ import annotations

import numpy as np
import pytest

from initcheck.reproductions import batchnorm as repro
from initcheck.sims import batchnorm

STEP = 1e-6  # central differences: truncation O(h²) ≈ 1e-12, rounding ≈ 1e-16·C/h ≈ 1e-10
TOLERANCE = 1e-7  # absolute, on gradients of order 1e-3 to 1: far above both errors, far below the frozen-statistics error


def _case(mode: str) -> tuple[batchnorm.Nets, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(4)
    nets = batchnorm.initialize(rng, sizes=(6, 5, 4, 3), count=2, mode=mode)
    for group in (nets.biases, nets.gammas, nets.betas):
        for p in group:
            p += rng.normal(scale=0.3, size=p.shape)
    return nets, rng.normal(size=(2, 7, 6)), rng.integers(0, 3, size=(2, 7))


def _numeric(nets: batchnorm.Nets, x: np.ndarray, labels: np.ndarray, array: np.ndarray, index: tuple) -> np.ndarray:
    saved = array[index].copy()
    values = []
    for sign in (1, -1):
        array[index] = saved + sign * STEP
        values.append(batchnorm.loss_and_softmax(batchnorm.forward(nets, x)[0], labels)[0])
    array[index] = saved
    return (values[0] - values[1]) / (2 * STEP)


@pytest.mark.parametrize("mode", ["none", "batch"])
def test_backward_pass_matches_central_differences_for_every_parameter(mode):
    nets, x, labels = _case(mode)
    _, grads = batchnorm.gradients(nets, x, labels)
    keys = ("weights", "biases") if mode == "none" else ("weights", "biases", "gammas", "betas")
    for key in keys:
        for array, grad in zip(getattr(nets, key), grads[key], strict=True):
            for index in np.ndindex(array.shape[1:]):
                numeric = _numeric(nets, x, labels, array, (slice(None), *index))
                assert np.allclose(grad[(slice(None), *index)], numeric, rtol=0, atol=TOLERANCE), (key, index)


def test_foil_frozen_statistics_backward_pass_is_caught_by_the_same_comparison():
    nets, x, labels = _case("batch")
    numeric = np.empty_like(nets.weights[0])
    for index in np.ndindex(numeric.shape[1:]):
        numeric[(slice(None), *index)] = _numeric(nets, x, labels, nets.weights[0], (slice(None), *index))
    # the same forward pass (μ, σ² fixed at this batch's own values), but the statistics left out of the gradient
    frozen = batchnorm.Nets(**{**nets.__dict__, "mode": "frozen", "frozen": batchnorm.population_statistics(nets, x)})
    assert np.allclose(batchnorm.forward(frozen, x)[0], batchnorm.forward(nets, x)[0], rtol=1e-12, atol=0)
    assert np.allclose(batchnorm.gradients(nets, x, labels)[1]["weights"][0], numeric, rtol=0, atol=TOLERANCE)
    assert not np.allclose(batchnorm.gradients(frozen, x, labels)[1]["weights"][0], numeric, rtol=0, atol=TOLERANCE)


def test_training_is_bit_identical_for_a_seed_and_stops_at_the_highest_target():
    x = np.random.default_rng(0).random((120, 6))
    labels = (x[:, 0] > 0.5).astype(int)
    runs = []
    for _ in range(2):
        rng = np.random.default_rng(2)
        nets = batchnorm.initialize(rng, sizes=(6, 8, 2), count=2, mode="batch")
        runs.append(batchnorm.updates_to_targets(rng, nets, x, labels, x, labels, eta=np.array([1.0, 1.0]), batch=20, targets=(0.6, 0.9), checks=(10, 50, 200, 400), reference=x))
    assert np.array_equal(runs[0][0], runs[1][0]) and np.array_equal(runs[0][1], runs[1][1], equal_nan=True)
    reached, history = runs[0]
    assert np.all(reached[0] <= reached[1]) and np.all(np.isfinite(reached[1]))
    last = [int(np.flatnonzero(np.isfinite(history[:, s]))[-1]) for s in range(2)]
    assert all(history[k, s] >= 0.9 for s, k in enumerate(last))  # each net stopped at its first check at ≥ 90%


def _reading(plain: np.ndarray, bn: np.ndarray, frozen: np.ndarray, monkeypatch) -> dict:
    history = {"none": np.zeros((len(repro.CHECKS), 3, 2)), "batch": np.zeros((len(repro.CHECKS), 3, 2)), "frozen": np.zeros((len(repro.CHECKS), 1, 2))}
    runs = {"none": plain, "batch": bn, "frozen": frozen}
    monkeypatch.setattr(repro, "_run", lambda rng, mode, *args: (runs[mode], history[mode]))
    data = (np.zeros((5000, 784)), np.repeat(np.arange(10), 500), "stand-in")
    return repro.bn_speed(np.random.default_rng(0), "default", data)


INF = np.inf
PLAIN = np.array([[[500, 600], [500, 500], [INF, INF]], [[700, 700], [600, 500], [INF, INF]], [[INF, INF], [800, INF], [INF, INF]]])
BN = np.array([[[25, 50], [75, 75], [200, 100]], [[75, 75], [100, 150], [250, 150]], [[INF, 1000], [600, 500], [400, 600]]])


def test_reading_holds_under_conditions_when_only_the_near_ceiling_target_is_short(monkeypatch):
    record = _reading(PLAIN, BN, np.full((3, 1, 2), INF), monkeypatch)
    assert record["verdict"] == "holds-under-conditions" and record["foil"]["rejected"]
    assert record["ours"]["targets"][2]["speedup_is"] == "a lower bound" and "90%" in record["conditions"][0]


def test_reading_refutes_twice_as_fast_and_accepts_a_frozen_net_that_trains(monkeypatch):
    record = _reading(PLAIN, PLAIN / 2, np.full((3, 1, 2), 100.0), monkeypatch)
    assert record["verdict"] == "refuted"  # 2× everywhere, and no higher usable rate
    assert not record["foil"]["rejected"]  # the foil's statement is true of these numbers


def test_reading_holds_only_when_the_higher_rate_also_gives_the_speed_up(monkeypatch):
    fast_at_high_rate = np.array([[[400, 400], [400, 400], [50, 50]], [[400, 400], [400, 400], [60, 60]], [[INF, INF], [400, 400], [100, 100]]])
    assert _reading(PLAIN, fast_at_high_rate, np.full((3, 1, 2), INF), monkeypatch)["verdict"] == "holds"
