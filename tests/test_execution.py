"""Running the checks on local workers and on a Dask cluster: the same bytes as a serial run, and clean failures.

Each test states its foil where one applies: the parent process must not run the checks itself (the
workers must), a dying worker must not pass for a finished one, and a stopped run leaves no worker behind.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from procfs import alive

from initcheck import execution
from initcheck.registry import BY_ID
from initcheck.verify import verify

CHEAP = ("GRAD-SIGMOID-MAX", "GRAD-W4", "REG-DROPOUT")  # symbolic, property and simulation checks in a few seconds


def _bytes(workers: int = 1, scheduler: str | None = None) -> str:
    document, timings = verify([BY_ID[i] for i in CHEAP], seed=11, workers=workers, scheduler=scheduler)
    assert set(timings["claims"]) == set(CHEAP)
    return json.dumps(document, indent=2, ensure_ascii=False)


@pytest.fixture(scope="module")
def serial() -> str:
    return _bytes(workers=1)


def test_two_local_workers_give_the_serial_bytes(serial):
    assert _bytes(workers=2) == serial


def test_a_local_dask_cluster_gives_the_serial_bytes(serial):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert _bytes(scheduler=cluster.scheduler_address) == serial


def _record_pid(log: str, index: int):
    time.sleep(0.1 * (6 - index))  # later units finish first: the results must still come back in unit order
    with open(log, "a") as handle:
        handle.write(f"{os.getpid()}\n")
    return index


def test_the_workers_run_the_units_not_the_parent(tmp_path):
    log = str(tmp_path / "pids")
    results = execution.execute(_record_pid, [(log, i) for i in range(6)], workers=2)
    assert results == list(range(6))  # in the order of the units, not of their finishing
    pids = set(Path(log).read_text().split())
    assert str(os.getpid()) not in pids and 1 <= len(pids) <= 2


def _die(index: int) -> int:
    if index == 2:
        os._exit(1)  # a worker killed mid-run (out of memory, kill -9)
    time.sleep(0.2)
    return index


def test_a_worker_that_dies_is_an_execution_error_not_a_result():
    with pytest.raises(execution.ExecutionError, match="worker process died"):
        execution.execute(_die, [(i,) for i in range(4)], workers=2)


def test_an_unreachable_scheduler_is_one_line_exit_2(capsys, monkeypatch):
    from initcheck.cli import main

    monkeypatch.setattr(execution, "CONNECT_TIMEOUT", "2s")
    assert main(["verify", "--quiet", "--only", "GRAD-W4", "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("initcheck: error: cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'") and err.count("\n") == 1


@pytest.mark.parametrize(("signum", "code", "line"), [(signal.SIGINT, 130, "initcheck: interrupted\n"), (signal.SIGTERM, 143, "initcheck: terminated\n")])
def test_a_stopped_run_stops_its_workers_and_writes_nothing(tmp_path, signum, code, line):
    output = tmp_path / "results.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "initcheck", "verify", "--quiet", "--workers", "2", "--output", str(output)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline:  # wait until both workers are running checks
        time.sleep(0.5)
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        workers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
    assert len(workers) >= 2, "the workers never started"
    descendants = _descendants(process.pid)
    while len(descendants) <= len(workers) and time.monotonic() < deadline + 60:  # a worker runs the FW checks first: wait for their host
        time.sleep(0.5)
        descendants = _descendants(process.pid)
    process.send_signal(signum)
    _, err = process.communicate(timeout=120)
    assert process.returncode == code and err.decode() == line, err.decode()[-2000:]
    assert not output.exists() and list(tmp_path.iterdir()) == []
    time.sleep(0.5)
    survivors = [pid for pid in descendants if alive(pid)]
    assert len(descendants) > len(workers), "no host was running: the test does not show that hosts end with their worker"
    assert not survivors, f"workers or their hosts outlived the parent: {survivors}"


def _descendants(pid: int) -> list[int]:
    """Every process below `pid` (children, theirs, ...), but multiprocessing's resource tracker, which ends by itself."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except FileNotFoundError:  # the thread or process ended meanwhile
            continue
        for child in children:
            try:
                command = Path(f"/proc/{child}/cmdline").read_text()
            except FileNotFoundError:
                continue
            if "resource_tracker" not in command:
                found += [int(child), *_descendants(int(child))]
    return found


CALIBRATED = ("VAR-SUM", "HE-VAR", "GRAD-BOUND")


def test_calibrate_writes_its_record_and_the_bytes_do_not_depend_on_the_workers(tmp_path, capsys):
    from initcheck.cli import main

    records = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}"
        # three claims' cases (VAR-DEPTH's depth-10 products would run at their full size: min_replicates)
        code = main(["calibrate", "--quiet", "--seeds", "2", "--fraction", "0.01", "--workers", workers, "--out", str(out), "--only", *CALIBRATED])
        assert code in (0, 1)  # 2 seeds at 1% size: the record's shape is tested here, its verdict by the slow tier
        records.append((out / "calibration.json").read_bytes())
    assert records[0] == records[1]
    record = json.loads(records[0])
    assert record["only"] == list(CALIBRATED) and {name.split(":")[0] for name in record["cases"]} == set(CALIBRATED)
    assert record["seeds"] == 2 and record["z_scores"] == 2 * len(record["cases"]) and sum(record["histogram"]["counts"]) <= record["z_scores"]
    assert {"mean_z", "sd_z", "mean_pvalue", "sd_pvalue"} <= set(next(iter(record["cases"].values())))
    capsys.readouterr()


@pytest.mark.parametrize(("only", "message"), [(["VAR-SUMM"], "unknown claim ID 'VAR-SUMM'"), (["GRAD-W4"], "no statistical case to calibrate: GRAD-W4")])
def test_calibrate_only_names_a_claim_without_cases(tmp_path, capsys, only, message):
    from initcheck.cli import main

    assert main(["calibrate", "--quiet", "--seeds", "2", "--out", str(tmp_path), "--only", *only]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and not (tmp_path / "calibration.json").exists()
