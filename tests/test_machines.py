"""The machine matrix (initcheck.machines): which configurations run, how verdicts are compared, how far numbers moved;
and the lowest declared dependency versions that `tox -e lowest` installs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from initcheck import machines

ROOT = Path(__file__).resolve().parent.parent


def _probe_as(table: dict[str, dict]):
    def probe(config: dict[str, str]) -> dict:
        key = config["OPENBLAS_CORETYPE"] or config["NPY_DISABLE_CPU_FEATURES"] or config["OPENBLAS_NUM_THREADS"] or "found"
        found = table.get(key, table["found"])
        return found if not found["runs"] else {**found, "threads": int(config["OPENBLAS_NUM_THREADS"] or 2)}

    return probe


def test_configurations_leave_out_what_the_cpu_cannot_run_and_what_another_configuration_already_runs(monkeypatch):
    found = {"runs": True, "simd": ["X86_V3"], "kernel": "Haswell"}
    table = {
        "found": found,
        "SkylakeX": {"runs": False, "why": "illegal instruction: this CPU cannot execute it"},
        "Sandybridge": {**found, "kernel": "Sandybridge"},
        "Prescott": {**found, "kernel": "Katmai"},
    }
    for level in machines.dispatch_levels()[1:]:
        table[level] = {**found, "simd": [] if "X86_V3" in level else found["simd"]}
    monkeypatch.setattr(machines, "probe", _probe_as(table))
    monkeypatch.setattr(machines.platform, "machine", lambda: "x86_64")
    runs, skipped = machines.configurations()
    ran = [machines.describe(r["config"]) for r in runs]
    not_run = {machines.describe(s["config"]): s["not_run"] for s in skipped}
    assert ran[0] == "as found" and "OPENBLAS_CORETYPE=Sandybridge" in ran and "OPENBLAS_NUM_THREADS=1" in ran
    assert not_run["OPENBLAS_CORETYPE=SkylakeX"].startswith("illegal instruction")
    assert "the same dispatch, kernel and threads as as found" in not_run["OPENBLAS_CORETYPE=Zen"]  # Zen reports Haswell here
    assert "the same" in not_run["OPENBLAS_NUM_THREADS=2"]  # 2 is this probe's default
    corner = runs[-1]["config"]
    assert corner["OPENBLAS_NUM_THREADS"] == "1" and corner["OPENBLAS_CORETYPE"] == "Prescott"  # all at their lowest together


def _result(verdicts: dict[str, tuple[str, bool]], records: dict[str, dict], config: dict[str, str]) -> dict:
    return {
        "config": config,
        "probe": {"simd": [], "kernel": "K"},
        "verdicts": {name: {"verdict": v, "passed": p} for name, (v, p) in verdicts.items()},
        "records": records,
        "tests": {"exit": 0, "summary": "3 passed"},
    }


BASE = {"NPY_DISABLE_CPU_FEATURES": "", "OPENBLAS_CORETYPE": "", "OPENBLAS_NUM_THREADS": ""}


def test_a_verdict_that_differs_in_one_configuration_fails_the_matrix_and_is_named(monkeypatch, capsys):
    record = {"cases": [{"measured": 1.0}]}
    same = {"A simulation": ("holds", True)}
    other = {**BASE, "OPENBLAS_CORETYPE": "Nehalem"}
    results = [_result(same, {"A simulation": record}, BASE), _result({"A simulation": ("refuted", False)}, {"A simulation": record}, other)]
    monkeypatch.setattr(machines, "configurations", lambda: ([{"config": r["config"], "probe": r["probe"]} for r in results], []))
    answers = iter(results)
    monkeypatch.setattr(machines, "_one", lambda config, only, workers: {k: v for k, v in next(answers).items() if k in ("verdicts", "records")})
    monkeypatch.setattr(machines, "run_tests", lambda config, tests: {"exit": 0, "summary": "3 passed"})
    assert machines.main(["--only", "VAR-SUM"]) == 1
    out = capsys.readouterr().out
    assert "OPENBLAS_CORETYPE=Nehalem: A simulation: {'verdict': 'refuted', 'passed': False}" in out
    answers = iter([results[0], {**results[0], "config": other}])
    assert machines.main(["--only", "VAR-SUM"]) == 0  # the foil of the test: the same table passes


def test_failing_tests_in_one_configuration_fail_the_matrix(monkeypatch):
    result = _result({"A simulation": ("holds", True)}, {}, BASE)
    monkeypatch.setattr(machines, "configurations", lambda: ([{"config": BASE, "probe": result["probe"]}], []))
    monkeypatch.setattr(machines, "_one", lambda config, only, workers: {"verdicts": result["verdicts"], "records": {}})
    monkeypatch.setattr(machines, "run_tests", lambda config, tests: {"exit": 1, "summary": "1 failed, 2 passed"})
    assert machines.main(["--only", "VAR-SUM"]) == 1


def test_spread_separates_judged_numbers_from_recorded_ones_and_counts_bit_identical_numbers():
    def record(measured: float, recorded: float) -> dict:
        return {"A simulation": {"cases": [{"measured": measured, "tolerance": 0.1}], "measurements": {"steps": recorded}}}

    results = [{"records": record(1.0, 700.0)}, {"records": record(1.0 + 1e-9, 730.0)}]
    spread = machines.spread_by_kind(results)["simulation"]
    assert spread["numbers"] == 3 and spread["bit_identical"] == 1  # the tolerance did not move
    assert spread["judged"]["relative"] == pytest.approx(1e-9, rel=1e-6) and spread["judged"]["where"] == "A simulation: cases[0].measured"
    assert spread["all"]["relative"] == pytest.approx(30 / 730) and spread["all"]["where"] == "A simulation: measurements.steps"


def test_bad_usage_is_exit_2_naming_the_value(capsys):
    assert machines.main(["--only", "NO-SUCH-CLAIM"]) == 2
    assert "NO-SUCH-CLAIM" in capsys.readouterr().err
    assert machines.main(["--workers", "0"]) == 2


def test_the_float_sensitive_claims_exist_and_each_has_a_check_the_matrix_runs():
    from initcheck.registry import BY_ID

    assert all(any(getattr(BY_ID[c], kind) for kind in machines.KINDS) for c in machines.FLOAT_SENSITIVE)


def test_the_lowest_constraints_are_pyprojects_lower_bounds():
    """tox -e lowest installs tests/constraints/lowest.txt: each line must be the lower bound pyproject.toml declares."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    bounds = {}
    for requirement in declared:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group(0).lower()
        lower = re.search(r">=\s*([0-9][0-9.]*)", requirement)
        assert lower, f"{requirement!r} declares no lower bound"
        bounds[name] = lower.group(1)
    lines = [line.split("#")[0].strip() for line in (ROOT / "tests" / "constraints" / "lowest.txt").read_text().splitlines()]
    pinned = dict(line.lower().split("==") for line in lines if line)
    assert set(pinned) == set(bounds)
    for name, version in bounds.items():
        padded = version.split(".") + ["0"] * (3 - len(version.split(".")))
        assert pinned[name] in (version, ".".join(padded[:3]), ".".join(padded[:2])), f"{name}: pyproject says >={version}, constraints {pinned[name]}"


def test_every_configuration_process_is_started_without_the_working_directory_on_its_path(monkeypatch):
    """Run from the checkout (tox), `python -m` would import the checkout's initcheck/ folder, which lacks the installed
    initcheck.sims: the first CI run of the matrix failed so in every configuration. Each child gets -P."""
    import subprocess

    commands = []

    def run(command, **kwargs):
        commands.append(command)
        return subprocess.CompletedProcess(command, 0, stdout='{"simd": [], "kernel": "K", "threads": 1}\n{}\n', stderr="")

    monkeypatch.setattr(machines.subprocess, "run", run)
    machines.probe(BASE)
    machines.run_tests(BASE, machines.TESTS)
    monkeypatch.setattr(machines.json, "loads", lambda text: {})
    machines._one(BASE, ["SYM-XOR"], 1)
    assert len(commands) == 3 and all(command[1] == "-P" for command in commands)


def test_a_configuration_runs_from_the_checkout_as_it_would_under_tox():
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-P", "-m", "initcheck.machines", "--in-configuration", "--workers", "1", "--only", "GRAD-SIGMOID-MAX"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["verdicts"] == {"GRAD-SIGMOID-MAX property": {"verdict": "holds", "passed": True}}
