"""Every simulation agrees with its derivation, rejects its foil with power, and replays bit for bit.

The fast tier runs the costly claims at a fraction of their default replicates (TEST_SCALE): a foil is still
rejected with power ≥ 0.999 there, and the test asserts it at that size (the case's MDE, (Z_CRITICAL + Z_POWER)·SE,
at most |theory − foil|). Whether the default design detects a 2% error (its relative MDE bound) is a property of
the default size: for the scaled claims that test runs their default design in the slow tier, for the others here.
"""

import numpy as np
import pytest

from initcheck.registry import BY_ID, CLAIMS
from initcheck.sims import stats
from initcheck.sims import variance as sim_variance
from initcheck.sims.stats import Z_CRITICAL

SIMULATED = [c for c in CLAIMS if c.simulation]

# The fast tier's replicate multiplier for the claims whose default design costs seconds. SE ∝ 1/√replicates, so a case
# whose default run has MDE₁ = (Z_CRITICAL + Z_POWER)·SE₁ keeps power ≥ 0.999 against a foil at distance Δ = |theory − foil|
# for every scale s ≥ s_min = (MDE₁/Δ)². Measured at seed 20101 (largest s_min over the claim's statistical cases):
# VAR-SUM 0.021, VAR-NIELSEN-LARGE 0.0004, VAR-NIELSEN-SCALED 0.0035, VAR-KROHN-SATURATION 0.0010, VAR-CALIBRATED 0.0006,
# VAR-BACKWARD 0.0006, GLOROT-VAR 0.0013, HE-VAR 0.0014, VAR-DEPTH 0.0009 (its depth-10 products keep their full size:
# StatisticalCase.min_replicates). Each scale is ≥ 4·s_min (MDE ≤ Δ/2 at that
# size), and 0.1 is the size the calibration runs every case at (z-scores still N(0, 1); VAR-DEPTH still averages ≥ 30 nets
# per case). GRAD-BOUND (s_min 0.61; its time is the theory's quadrature), the claims whose default run other test files
# share (SAT-NIELSEN-FRACTION, SAT-LATER-LAYERS, VAR-GLOROT-STANDARD) and the cheap claims run their default design.
TEST_SCALE = {
    "VAR-SUM": 0.1,
    "VAR-NIELSEN-LARGE": 0.1,
    "VAR-NIELSEN-SCALED": 0.1,
    "VAR-KROHN-SATURATION": 0.1,
    "VAR-CALIBRATED": 0.1,
    "VAR-BACKWARD": 0.1,
    "GLOROT-VAR": 0.1,
    "HE-VAR": 0.1,
    "VAR-DEPTH": 0.1,
}


def _by_claim(claims, slow_when_scaled: bool = False):
    return [pytest.param(c, id=c.id, marks=[pytest.mark.slow] if slow_when_scaled and c.id in TEST_SCALE else []) for c in claims]


@pytest.fixture(scope="module", params=_by_claim(SIMULATED))
def result(request, simulation_record):
    claim = request.param
    return claim, simulation_record(claim.id, TEST_SCALE.get(claim.id, 1.0))


@pytest.fixture(scope="module", params=_by_claim(SIMULATED, slow_when_scaled=True))
def design(request, simulation_record):
    """The claim's default design (the size `initcheck verify` runs); for the claims not in TEST_SCALE, `result`'s run."""
    claim = request.param
    return claim, simulation_record(claim.id, 1.0)


def test_simulation_agrees_with_the_derivation(result):
    claim, outcome = result
    assert outcome["verdict"] == claim.expected_verdict("simulation"), outcome["summary"]


def test_each_case_rejects_its_foil(result):
    _, outcome = result
    for case in outcome["cases"]:
        assert case["foil"]["rejected"], case["case"]


def test_statistical_cases_have_power_against_their_foil(result):
    _, outcome = result
    for case in outcome["cases"]:
        if case["type"] != "statistical":
            continue
        assert case["foil_power_at_least_0.999"], case["case"]
        assert abs(case["theory"] - case["foil"]["value"]) >= case["minimum_detectable_effect"], case["case"]


def test_the_default_design_has_power_and_detects_a_two_percent_error_unless_it_states_a_bound(design):
    _, outcome = design
    for case in outcome["cases"]:
        if case["type"] != "statistical":
            continue
        assert case["foil_power_at_least_0.999"], case["case"]
        assert case["relative_mde"] <= case["relative_mde_bound"], (case["case"], case["relative_mde_reason"])


def test_the_scaled_claims_are_simulated_claims_at_a_fraction_of_their_design():
    assert all(BY_ID[claim_id].simulation and 0 < scale < 1 for claim_id, scale in TEST_SCALE.items()), TEST_SCALE


def test_same_seed_same_numbers_bit_for_bit():
    first = sim_variance.forward_variance(stats.stream(1, "x"), fan_in=8, weight_std=0.5, input_law="normal", replicates=1000)
    again = sim_variance.forward_variance(stats.stream(1, "x"), fan_in=8, weight_std=0.5, input_law="normal", replicates=1000)
    other = sim_variance.forward_variance(stats.stream(2, "x"), fan_in=8, weight_std=0.5, input_law="normal", replicates=1000)
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
        sim_variance.forward_variance(stats.stream(0), **options)


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

    return StatisticalCase(name="mean of N(0,1)", estimate=estimate, replicates=400, theory=lambda: 0.0, foil=lambda: 1.0, foil_label="1")


@pytest.mark.parametrize(
    ("factor", "bias", "flagged"),
    [(1.0, 0.0, None), (1 / 2.2, 0.0, "sd_pvalue"), (2.2, 0.0, "sd_pvalue"), (1.0, 0.8, "mean_pvalue")],
    ids=["correct", "standard-error-2.2x-too-small", "standard-error-2.2x-too-large", "bias-0.8-se"],
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


@pytest.mark.parametrize("direction", ["forward", "backward"])
def test_the_layer_estimators_standard_error_is_honest_across_seeds(direction):
    # The SE must be taken across independent layers: z-scores against the exact E[z²] = fan·σ² over 40 seeds must have
    # sd ≈ 1 ((N−1)s² against χ²(N−1), p > 1e-4). Replicate layers sharing one weight draw report an SE that is too small
    # (sd(z) ≫ 1) although a single seed's estimate may still agree.
    from initcheck.calibration import case_calibration

    fan_in, fan_out, std = 16, 24, 0.3
    exact = (fan_in if direction == "forward" else fan_out) * std**2
    zs = []
    for seed in range(40):
        gain = sim_variance.forward_gain if direction == "forward" else sim_variance.backward_gain
        estimate = gain(stats.stream(seed, "se-honesty", direction), fan_in=fan_in, fan_out=fan_out, weight_std=std, replicates=200)
        zs.append(stats.z_score(estimate, exact))
    found = case_calibration(zs)
    assert found["sd_pvalue"] > 1e-4 and found["mean_pvalue"] > 1e-4, found


def test_the_chains_default_burn_in_covers_their_measured_transient():
    # A chain started from z₀ ~ N(0, 1) is not yet in its stationary law: tanh's first layer is off by ~9 SE at 100,000
    # chains. Every layer the data can tell from the stationary mean (layers 26-40) at 5 SE must lie inside the default
    # burn-in of the estimators that average the chain, or their means carry that transient as a bias.
    import inspect

    from initcheck.sims import chain as sim_chain

    moving = []
    for activation in ("sigmoid", "tanh"):
        logs = np.log(sim_chain.chain_factors(stats.stream(3, "burn-in", activation), activation=activation, chains=100_000, depth=40, burn_in=0))
        per_layer, se = logs.mean(axis=0), logs.std(axis=0, ddof=1) / np.sqrt(len(logs))
        stationary = per_layer[25:].mean()
        moving += [layer for layer in range(40) if abs(per_layer[layer] - stationary) > Z_CRITICAL * se[layer]]
    assert moving, "the test no longer sees the transient it guards against"
    for estimator in (sim_chain.fraction_below, sim_chain.mean_log_factor):
        assert max(moving) < inspect.signature(estimator).parameters["burn_in"].default, (estimator.__name__, moving)
