"""The benchmark's time budget: where a recorded run's check time went, and the least wall time any schedule could reach."""

import json

import pytest

from initcheck.bench import main, time_budget


def _timings(tmp_path, claims, workers=2, total=100.0):
    path = tmp_path / "timings.json"
    path.write_text(json.dumps({"total": total, "workers": workers, "scheduler": None, "claims": claims}))
    return str(path)


def test_the_budget_sums_unit_time_by_kind_and_bounds_the_wall_time_by_workers_and_the_longest_unit(tmp_path):
    claims = {"A": {"reproduction": 300.0, "symbolic": 10.0}, "B": {"simulation": 50.0}, "C": {"reproduction": 40.0}}
    text = time_budget(_timings(tmp_path, claims, workers=2, total=210.0), target=100.0)
    assert "reproduction     340.0 s of unit time (85%)" in text
    # 400 s of unit time on 2 workers is at least 200 s, but one unit takes 300 s: no schedule beats 300 s
    assert "least wall time on 2 worker(s): 300.0 s" in text
    # 100 s on 2 workers allows 200 s of unit time; the reproductions alone (340 s) exceed it; the simulations do not
    assert "allows 200 s of unit time, 2.0x less than this run; the reproduction checks alone exceed it" in text
    lines = text.splitlines()
    assert lines[lines.index("slowest 4 units:") + 1 :] == [
        "     300.0 s  A reproduction", "      50.0 s  B simulation", "      40.0 s  C reproduction", "      10.0 s  A symbolic",
    ]  # fmt: skip


def test_with_short_units_the_bound_is_the_sum_over_the_workers(tmp_path):
    claims = {f"C{i}": {"simulation": 10.0} for i in range(8)}
    text = time_budget(_timings(tmp_path, claims, workers=4, total=25.0), target=100.0)
    assert "least wall time on 4 worker(s): 20.0 s (measured 25.0 s: 80% of it)" in text
    assert "alone exceed" not in text


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "No such file"), ("not json", "Expecting value"), ('{"workers": 0, "total": 1, "claims": {"A": {"simulation": 1}}}', "workers is 0"),
     ('{"workers": 2, "total": 1, "claims": {}}', "no timed units"), ('{"total": 1, "claims": {}}', "workers"),
     ('{"workers": 2, "total": 0, "claims": {"A": {"simulation": 1}}}', "must be positive"), ('{"workers": 2, "total": 1, "claims": {"A": 5}}', "no attribute"),
     ('{"workers": 2, "total": 1, "scheduler": "tcp://h:8786", "claims": {"A": {"simulation": 1}}}', "give --workers N")],
)  # fmt: skip
def test_a_bad_timings_file_is_exit_2_naming_it(tmp_path, capsys, content, message):
    path = tmp_path / "timings.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(SystemExit) as stopped:
        main(["--timings", str(path)])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert str(path) in error and message in error


def test_a_dask_run_takes_its_worker_count_from_the_command_line(tmp_path, capsys):
    path = tmp_path / "timings.json"
    path.write_text(json.dumps({"total": 30.0, "workers": 2, "scheduler": "tcp://h:8786", "claims": {f"C{i}": {"simulation": 10.0} for i in range(8)}}))
    assert main(["--timings", str(path), "--workers", "8"]) == 0
    assert "least wall time on 8 worker(s): 10.0 s (measured 30.0 s: 33% of it)" in capsys.readouterr().out


def test_a_target_that_is_not_positive_is_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--timings", _timings(tmp_path, {"A": {"simulation": 1.0}}), "--target-seconds", "0"])
    assert stopped.value.code == 2 and "must be positive" in capsys.readouterr().err


def test_workers_without_timings_is_exit_2_not_ignored(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--workers", "4"])
    assert stopped.value.code == 2 and "--workers goes with --timings" in capsys.readouterr().err


def test_the_test_suites_time_is_printed_against_its_target_with_pytests_last_line_and_status(monkeypatch, capsys):
    """`--tests`: pytest -n auto as `tox` runs it (python -P, profile "ci", the arguments passed on); its time, the target
    and pytest's last line printed, pytest's exit status returned (foil: a failing suite reported as exit 0)."""
    import subprocess

    seen = {}

    def fake_run(command, env, capture_output, text):
        seen.update(command=command, profile=env["HYPOTHESIS_PROFILE"])
        failed = "tests/broken.py" in command
        last = "1 failed, 2 passed in 1.00s" if failed else "3 passed in 1.00s"
        return subprocess.CompletedProcess(command, 1 if failed else 0, stdout=f"...\n=== {last} ===\n", stderr="")

    monkeypatch.setattr(subprocess, "run", fake_run)
    monkeypatch.delenv("HYPOTHESIS_PROFILE", raising=False)
    assert main(["--tests", "tests/ok.py", "-x"]) == 0
    out = capsys.readouterr().out
    assert "(target <= 180 s); 3 passed in 1.00s" in out and seen["command"][1:6] == ["-P", "-m", "pytest", "-n", "auto"]
    assert seen["command"][-2:] == ["tests/ok.py", "-x"] and seen["profile"] == "ci"
    assert main(["--tests", "tests/broken.py"]) == 1 and "1 failed, 2 passed" in capsys.readouterr().out
