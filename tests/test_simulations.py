"""Every simulation agrees with its derivation, rejects its foil with power, and replays bit for bit."""

import pytest

from initcheck.registry import CLAIMS, resolve
from initcheck.sims import stats
from initcheck.sims import variance as sim_variance
from initcheck.verify import run_simulation

SIMULATED = [c for c in CLAIMS if c.simulation]
SEED = 20101  # the documented default seed; the calibration test covers other seeds


@pytest.fixture(scope="module", params=SIMULATED, ids=lambda c: c.id)
def result(request):
    claim = request.param
    return claim, run_simulation(claim, resolve(claim.simulation), seed=SEED)


def test_simulation_agrees_with_the_derivation(result):
    claim, outcome = result
    assert outcome["verdict"] == claim.expected_verdict("simulation"), outcome["summary"]


def test_each_case_rejects_its_foil(result):
    _, outcome = result
    for case in outcome["cases"]:
        assert case["foil"]["rejected"], case["case"]


def test_statistical_cases_have_power_and_detect_a_two_percent_error(result):
    claim, outcome = result
    for case in outcome["cases"]:
        if case["type"] != "statistical":
            continue
        assert case["foil_power_at_least_0.999"], case["case"]
        # depth: 2% per layer compounds over the layers (VAR-DEPTH, 10 layers: relative MDE of q_L ≈ 19%; VAR-GLOROT-STANDARD,
        # 5 layers of width 256 over 64 whole nets: 18-29%, each foil still ≥ 39 SE away)
        if claim.id not in {"VAR-DEPTH", "VAR-GLOROT-STANDARD"}:
            assert case["relative_mde"] <= 0.02, case["case"]


def test_same_seed_same_numbers_bit_for_bit():
    first = sim_variance.preactivation_variance(stats.stream(1, "x"), fan_in=8, weight_std=0.5, input_law="normal", replicates=1000)
    again = sim_variance.preactivation_variance(stats.stream(1, "x"), fan_in=8, weight_std=0.5, input_law="normal", replicates=1000)
    other = sim_variance.preactivation_variance(stats.stream(2, "x"), fan_in=8, weight_std=0.5, input_law="normal", replicates=1000)
    assert first == again and first != other


def test_streams_do_not_depend_on_which_claims_run():
    assert stats.stream(5, "VAR-SUM", "case").random() == stats.stream(5, "VAR-SUM", "case").random()
    assert stats.stream(5, "VAR-SUM", "case").random() != stats.stream(5, "HE-VAR", "case").random()


def test_rule_constants():
    assert stats.FALSE_FAILURE_RATE == pytest.approx(5.733e-7, rel=1e-3)
    assert stats.Z_POWER == pytest.approx(3.0902, rel=1e-4)


@pytest.mark.parametrize("bad", [{"weight_law": "cauchy"}, {"input_law": "poisson"}])
def test_unknown_law_is_an_error_naming_it(bad):
    options = {"fan_in": 4, "weight_std": 1.0, "input_law": "normal", "replicates": 10, **bad}
    with pytest.raises(ValueError, match=repr(next(iter(bad.values())))):
        sim_variance.preactivation_variance(stats.stream(0), **options)


@pytest.mark.slow
def test_z_scores_are_standard_normal_over_many_seeds():
    from initcheck.calibration import calibrate, verdict
    from initcheck.execution import default_workers

    report = calibrate(range(40), scale=0.1, workers=default_workers())
    assert report["ks_pvalue"] > 1e-4  # a KS rejection at 1e-4 would mean a biased estimator or a wrong SE
    assert report["failure_pvalue"] > 1e-4
    # Per case, family-wise 1e-3 over two tests per case (Bonferroni): a pooled KS hides one case's sd(z) = 2.2.
    found = verdict(report)
    assert found["calibrated"] and not found["cases_off"], {name: report["cases"][name] for name in found["cases_off"]}


def _normal_mean_case(standard_error_factor: float, bias: float):
    """A statistical case estimating E[x] = 0 from 400 normal draws; a foil when its SE is shrunk or its mean shifted."""
    from initcheck.simulations import StatisticalCase

    def estimate(rng, replicates):
        x = rng.standard_normal(replicates) + bias / (replicates**0.5)
        return stats.Estimate(float(x.mean()), float(x.std(ddof=1) / replicates**0.5) * standard_error_factor, replicates, "mean")

    return StatisticalCase("mean of N(0,1)", estimate, 400, lambda: 0.0, lambda: 1.0, "1")


@pytest.mark.parametrize(
    ("factor", "bias", "flagged"),
    [(1.0, 0.0, None), (1 / 2.2, 0.0, "sd_pvalue"), (1.0, 0.8, "mean_pvalue")],
    ids=["correct", "standard-error-2.2x-too-small", "bias-0.8-se"],
)
def test_per_case_calibration_flags_a_too_small_standard_error_and_a_small_bias(factor, bias, flagged):
    from initcheck.calibration import case_calibration
    from initcheck.verify import run_statistical_case

    case = _normal_mean_case(factor, bias)
    zs = [run_statistical_case(case, stats.stream(seed, "calibration-foil"), 1.0)["z"] for seed in range(40)]
    found = case_calibration(zs)
    threshold = 1e-3 / 50  # as calibration.verdict's per-case threshold for about 25 cases
    for key in ("mean_pvalue", "sd_pvalue"):
        assert (found[key] <= threshold) == (key == flagged), (key, found)
