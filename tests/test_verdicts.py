"""How verdicts are combined: one disagreeing case refutes a simulation, one refuting check refutes a claim.

Each test mixes agreeing and disagreeing parts, so an aggregation written with `any` where `all` is meant
(or the reverse) fails here.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from initcheck.outcome import combine_verdicts
from initcheck.registry import BY_ID
from initcheck.sims.stats import Estimate
from initcheck.simulations import ExactCase, SimulationCheck, StatisticalCase
from initcheck.verify import claim_record, run_simulation


@pytest.mark.parametrize(
    ("verdicts", "combined"),
    [
        (["holds", "holds"], "holds"),
        (["holds", "refuted", "holds"], "refuted"),
        (["refuted", "holds-under-conditions"], "refuted"),
        (["holds", "holds-under-conditions"], "holds-under-conditions"),
        (["not-checked", "holds"], "holds"),
        (["not-checked", "not-checked"], "not-checked"),
        (["holds-under-conditions", "not-checked", "holds"], "holds-under-conditions"),
    ],
)
def test_the_most_severe_verdict_that_ran_decides(verdicts, combined):
    assert combine_verdicts(verdicts) == combined


def _case(name: str, value: float, theory: float) -> StatisticalCase:
    return StatisticalCase(name=name, estimate=lambda rng, n: Estimate(value, 0.01, n), replicates=1000, theory=lambda: theory, foil=lambda: theory + 1.0, foil_label="theory + 1")


def test_one_disagreeing_case_among_agreeing_ones_refutes_the_simulation():
    claim = BY_ID["VAR-SUM"]
    agreeing = (_case("a", 1.0, 1.0), _case("b", 2.0, 2.0))
    mixed = SimulationCheck(fixed_cases=(*agreeing, _case("c", 3.2, 3.0)))
    assert run_simulation(claim, SimulationCheck(fixed_cases=agreeing), seed=1).as_json()["verdict"] == "holds"
    record = run_simulation(claim, mixed, seed=1).as_json()
    assert record["verdict"] == "refuted" and record["mismatches"] == ["c"] and not record["passed"]


def test_a_simulation_whose_foil_is_not_rejected_does_not_pass_although_it_holds():
    claim = BY_ID["VAR-SUM"]
    blunt = StatisticalCase(
        name="foil too close", estimate=lambda rng, n: Estimate(1.0, 0.01, n), replicates=1000, theory=lambda: 1.0, foil=lambda: 1.001, foil_label="1.001"
    )
    record = run_simulation(claim, SimulationCheck(fixed_cases=(_case("a", 1.0, 1.0), blunt)), seed=1).as_json()
    assert record["verdict"] == "holds" and not record["passed"]  # it cannot tell the statement from its foil


def test_an_exact_case_outside_its_tolerance_refutes_even_beside_statistical_ones():
    claim = BY_ID["VAR-SUM"]
    exact = ExactCase(name="x", measure=lambda rng: 1.001, theory=lambda: 1.0, foil_label="2", tolerance=1e-6, tolerance_reason="float64", foil_value=lambda: 2.0)
    record = run_simulation(claim, SimulationCheck(fixed_cases=(_case("a", 1.0, 1.0), exact)), seed=1).as_json()
    assert record["verdict"] == "refuted" and record["mismatches"] == ["x"]


def _check(kind: str, verdict: str, passed: bool | None = True) -> dict:
    return {"kind": kind, "verdict": verdict, "passed": passed, "summary": ""}


def test_a_claim_is_consistent_only_when_every_check_passes_and_the_combined_verdict_is_documented():
    claim = replace(BY_ID["VAR-SUM"], documented_verdict="holds")
    ran = [_check("symbolic", "holds"), _check("simulation", "holds"), _check("property", "not-checked", None), _check("reproduction", "not-checked", None)]
    assert claim_record(claim, ran)["consistent"]
    one_failed = [*ran[:1], _check("simulation", "holds", passed=False), *ran[2:]]
    assert not claim_record(claim, one_failed)["consistent"]
    one_refuted = [*ran[:1], _check("simulation", "refuted", passed=True), *ran[2:]]
    assert claim_record(claim, one_refuted)["verdict"] == "refuted" and not claim_record(claim, one_refuted)["consistent"]


def test_reduced_sizes_stop_at_a_cases_minimum_and_the_depth_products_keep_their_full_size():
    """The calibration runs cases at 1/10 size; a case whose samples are skewed (VAR-DEPTH's products of 10 layer gains,
    where seed 132 met z = −5.16 at 100 nets) states the size its false-failure rate needs. Foil: a scale applied below
    the minimum draws fewer."""
    from initcheck.registry import resolve
    from initcheck.sims.stats import mean_estimate
    from initcheck.verify import run_statistical_case

    drawn = []

    def estimate(rng, replicates):
        drawn.append(replicates)
        return mean_estimate(rng.normal(size=replicates) + 1.0)

    case = StatisticalCase(name="n", estimate=estimate, replicates=1_000, theory=lambda: 1.0, foil=lambda: 0.0, foil_label="0", min_replicates=600)
    run_statistical_case(case, np.random.default_rng(0), 0.1)
    run_statistical_case(case, np.random.default_rng(0), 2.0)
    assert drawn == [600, 2_000]
    products = [c for c in resolve(BY_ID["VAR-DEPTH"].simulation).cases if "depth 10" in c.name]
    assert len(products) == 4 and all(c.min_replicates == c.replicates for c in products)


def _degenerate(name: str) -> StatisticalCase:
    """A plausible estimator bug: every replicate equal (a sweep's sigmoid cases collapsed), so SE = 0 and z = −inf."""
    return StatisticalCase(name=name, estimate=lambda rng, n: Estimate(0.0, 0.0, n), replicates=1000, theory=lambda: 1.0, foil=lambda: 2.0, foil_label="2")


def _raising(name: str) -> ExactCase:
    return ExactCase(name=name, measure=lambda rng: 1.0 / 0.0, theory=lambda: 1.0, foil_label="2", tolerance=1e-6, tolerance_reason="float64", foil_value=lambda: 2.0)


def test_a_non_finite_z_or_an_exception_in_a_case_is_recorded_as_not_computed_and_fails_only_that_check():
    import json

    claim = BY_ID["VAR-SUM"]
    record = run_simulation(claim, SimulationCheck(fixed_cases=(_case("a", 1.0, 1.0), _degenerate("flat"), _raising("divides"))), seed=1).as_json()
    json.dumps(record, allow_nan=False)  # nothing non-finite reaches the writer
    by_name = {c["case"]: c for c in record["cases"]}
    assert by_name["a"]["agrees"] and "not_computed" not in by_name["a"]  # the sound case keeps its numbers
    assert by_name["flat"]["not_computed"].startswith("not finite: ") and "z" in by_name["flat"]["not_computed"]
    assert by_name["divides"]["not_computed"] == "ZeroDivisionError: float division by zero"
    assert record["passed"] is False and record["verdict"] == "refuted" and set(record["mismatches"]) == {"flat", "divides"}
    assert "not computed: flat (not finite" in record["summary"]


def test_measurements_that_raise_or_are_not_finite_fail_the_check_and_keep_its_cases():
    import json

    claim = BY_ID["VAR-SUM"]
    for measurements, why in ((lambda rng: {"ratio": 1 / 0}, "ZeroDivisionError"), (lambda rng: {"profile": [1.0, float("nan")]}, "not finite: profile[1]")):
        record = run_simulation(claim, SimulationCheck(fixed_cases=(_case("a", 1.0, 1.0),), measurements=measurements), seed=1).as_json()
        json.dumps(record, allow_nan=False)
        assert record["verdict"] == "holds" and record["passed"] is False, why  # the verdict stands, the check fails
        assert record["measurements"]["not_computed"].startswith(why) and why in record["summary"]


def test_verify_gives_every_other_claim_its_verdict_when_one_check_computes_a_non_finite_z(monkeypatch, capsys):
    """End to end: `initcheck verify --json` prints a document (exit 1, not a traceback or a JSON error)."""
    import json

    from initcheck import cli, verify

    real = verify.resolve

    def resolve(link: str):
        return SimulationCheck(fixed_cases=(_degenerate("flat"),)) if link == BY_ID["REG-DROPOUT"].simulation else real(link)

    monkeypatch.setattr(verify, "resolve", resolve)
    status = cli.main(["verify", "--only", "REG-DROPOUT", "GRAD-INTERVAL-MAX", "--json", "--workers", "1", "--quiet"])
    document = json.loads(capsys.readouterr().out)
    assert status == 1 and not document["consistent"]
    by_id = {c["id"]: c for c in document["claims"]}
    assert by_id["GRAD-INTERVAL-MAX"]["consistent"]  # the other claim still gets its verdict
    (simulation,) = [c for c in by_id["REG-DROPOUT"]["checks"] if c["kind"] == "simulation"]
    assert simulation["passed"] is False and "not finite" in simulation["cases"][0]["not_computed"]
