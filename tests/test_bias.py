"""SYM-ZERO-BIAS: the derived bias shares and saturated fractions, the equivalence test's error rates, the paired init."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from initcheck.registry import BY_ID, resolve
from initcheck.reproductions import bias as repro_bias
from initcheck.sims import bias as sim_bias
from initcheck.sims.stats import Z_CRITICAL
from initcheck.symbolic.bias import SYM_ZERO_BIAS
from initcheck.theory import bias, saturation
from initcheck.verify import run_reproduction, run_symbolic


def test_bias_shares_of_var_z_are_exact():
    # typed from Var(z) = Σxᵢ²·Var(w) + Var(b): 500·1 + 1, 500/1000 + 1; 784/3 + 1, 784/(3·520) + 1
    expected = {"normal": sp.Rational(1, 501), "scaled": sp.Rational(2, 3)}
    assert all(sp.simplify(bias.nielsen_shares()[k] - v) == 0 for k, v in expected.items())
    krohn = {"normal": 1 / (sp.Rational(784, 3) + 1), "glorot_uniform": 1 / (sp.Rational(784, 3 * 520) + 1)}
    assert all(sp.simplify(bias.krohn_shares()[k] - v) == 0 for k, v in krohn.items())
    assert bias.bias_parameter_share((784, 256)) == sp.Rational(1, 785)


@pytest.mark.parametrize(("rule", "bias_name"), [("normal", "zero"), ("scaled", "zero"), ("scaled", "standard_normal")])
def test_nielsen_saturated_fraction_is_scipys_normal_tail(rule, bias_name):
    derived = float(sp.N(bias.nielsen_saturated_fraction(bias.NIELSEN_WEIGHTS[rule], bias.BIAS_VARIANCES[bias_name]), 20))
    variance = 500 * float(bias.NIELSEN_WEIGHTS[rule]) + float(bias.BIAS_VARIANCES[bias_name])
    assert derived == pytest.approx(2 * stats.norm.sf(np.log(99) / np.sqrt(variance)), rel=1e-12)  # float64 tail: ~1e-14 relative


def test_krohn_fraction_with_zero_bias_is_var_krohn_saturations_value():
    for rule in bias.KROHN_WEIGHTS:  # the bias factor e^{−0·u²/2} = 1 must give back the certified b = 0 value
        assert float(bias.krohn_saturated_fraction(rule, "zero")[0]) == pytest.approx(float(saturation.saturated_fraction(rule)[0]), rel=1e-9)


def test_krohn_fraction_with_bias_matches_monte_carlo_where_the_bias_matters():
    rng = np.random.default_rng(20101)
    # Glorot weights, b ~ N(0,1): z = Σ wᵢxᵢ + b; conditional on (x, w), P(|z| > t) is exact in b, so each draw of (x, w) gives
    # a probability, not a 0/1 hit: the estimate's SE is small enough to separate b ~ N(0,1) from the b = 0 foil (≈ 9e-11).
    a = np.sqrt(3 * 2 / (784 + 256))
    t = np.log(99)
    draws = 20_000
    s = np.empty(draws)
    for start in range(0, draws, 5000):
        x, w = rng.random((5000, 784)), rng.uniform(-a, a, (5000, 784))
        s[start : start + 5000] = np.sum(x * w, axis=1)
    probability = stats.norm.sf(t - s) + stats.norm.cdf(-t - s)
    estimate, se = probability.mean(), probability.std(ddof=1) / np.sqrt(draws)
    theory = float(bias.krohn_saturated_fraction("glorot_uniform", "standard_normal")[0])
    foil = float(bias.krohn_saturated_fraction("glorot_uniform", "zero")[0])
    assert abs(estimate - theory) <= Z_CRITICAL * se
    assert abs(estimate - foil) > Z_CRITICAL * se


def test_symbolic_check_holds_and_rejects_the_parameter_share_foil():
    record = run_symbolic(BY_ID["SYM-ZERO-BIAS"], SYM_ZERO_BIAS).as_json()
    assert record["passed"] and record["verdict"] == "holds"
    assert record["foil"]["rejected"] and any("1/1001" in m for m in record["foil"]["mismatches"])


def test_paired_networks_share_weights_and_differ_only_in_biases():
    zero, standard = sim_bias.paired_networks(np.random.default_rng(1), sizes=(784, 30, 10), count=3, weights="scaled")
    assert all(np.array_equal(a, b) for a, b in zip(zero.weights, standard.weights, strict=True))
    assert all(np.all(b == 0) for b in zero.biases) and all(np.std(b) > 0.3 for b in standard.biases)
    again, _ = sim_bias.paired_networks(np.random.default_rng(1), sizes=(784, 30, 10), count=3, weights="scaled")
    assert all(np.array_equal(a, b) for a, b in zip(zero.weights, again.weights, strict=True))


# TOST error rates, counted: 2000 simulated studies of 8 paired gaps each, the count of "equivalent" compared with its
# binomial expectation by |z| ≤ Z_CRITICAL (false-failure rate 5.7e-7), and the foil rate rejected by the same rule.
STUDIES, SEEDS, SD = 2000, 8, 0.004


def _declared_equivalent(rng: np.random.Generator, true_gap: float) -> np.ndarray:
    gaps = rng.normal(true_gap, SD, size=(STUDIES, SEEDS))
    return np.array([repro_bias.paired_equivalence(g)["equivalent"] for g in gaps])


def test_tost_declares_equivalence_at_the_margin_at_most_alpha_of_the_time():
    hits = _declared_equivalent(np.random.default_rng(7), repro_bias.MARGIN)
    rate, se = hits.mean(), np.sqrt(repro_bias.ALPHA * (1 - repro_bias.ALPHA) / STUDIES)
    assert (rate - repro_bias.ALPHA) / se <= Z_CRITICAL  # one-sided: TOST is conservative, the rate may fall below α
    assert abs(rate - 0.5) / se > Z_CRITICAL  # foil: "declared half the time" (a single one-sided test at the margin)


def test_tost_power_at_zero_is_as_stated():
    hits = _declared_equivalent(np.random.default_rng(8), 0.0)
    stated = repro_bias.equivalence(0.0, SD / np.sqrt(SEEDS), SEEDS - 1)["power_at_zero"]
    se = np.sqrt(max(stated * (1 - stated), 1e-4) / STUDIES)
    assert abs(hits.mean() - stated) <= Z_CRITICAL * se + 0.02  # + 0.02: the stated power takes the spread as known (t vs normal)


def test_reproduction_record_has_the_tests_and_replays(monkeypatch):
    monkeypatch.setitem(repro_bias.PAIRS_EPOCHS, "default", ({"scaled": 2, "large": 2}, 1))
    data = repro_bias_data()
    first = repro_bias.zero_vs_normal_bias(np.random.default_rng(3), "default", data)
    again = repro_bias.zero_vs_normal_bias(np.random.default_rng(3), "default", data)
    assert first["ours"]["equivalence"] == again["ours"]["equivalence"]
    assert set(first["ours"]["equivalence"]) == {"scaled", "large"} and "rejected" in first["foil"]


def repro_bias_data():
    from initcheck.reproductions import mnist_data

    return mnist_data(None)


@pytest.mark.slow
def test_reproduction_check_behaves_as_documented():
    claim = BY_ID["SYM-ZERO-BIAS"]
    assert claim.reproduction is not None
    record = run_reproduction(claim, resolve(claim.reproduction), seed=20101).as_json()
    assert record["passed"], record["summary"]


@given(
    mean=st.floats(-0.03, 0.03, allow_nan=False),
    standard_error=st.floats(1e-4, 0.02, allow_nan=False),
    df=st.integers(1, 60),
)
def test_tost_decision_and_its_recorded_interval_agree(mean, standard_error, df):
    # Duality of the TOST (Schuirmann 1987): p < α exactly when the 1 − 2α interval lies inside ±margin. A recorded
    # interval of another level (80% for the stated 90%) would say "inside" where the decision says "not equivalent".
    found = repro_bias.equivalence(mean, standard_error, df)
    low, high = found["interval"]
    inside = -repro_bias.MARGIN < low and high < repro_bias.MARGIN
    if abs(abs(mean) + float(stats.t.ppf(1 - repro_bias.ALPHA, df)) * standard_error - repro_bias.MARGIN) > 1e-12:  # not on the edge
        assert found["equivalent"] == inside, found
    assert found["confidence"] == 1 - 2 * repro_bias.ALPHA
