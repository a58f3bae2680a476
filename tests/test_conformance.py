"""Conformance core: derived rule constants, layouts, the battery on correct samplers, the assertion and the command line."""

import json
import os
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from scipy import stats

from initcheck.cli import main
from initcheck.conformance import assert_conforms, battery, conform
from initcheck.conformance.battery import BATTERY_FALSE_FAILURE, STATISTICAL_TESTS
from initcheck.conformance.foils import CORRECT, he_normal_ok, orthogonal_ok
from initcheck.conformance.layouts import fans, shape_for, units_by_fan
from initcheck.conformance.rules import RuleError, law, parse_spec
from initcheck.theory import anderson_darling
from initcheck.theory import conformance as theory

USER_FILE = Path(__file__).parent / "data" / "conform_user_init.py"


def test_truncated_sd_factor_is_derived_and_matches_scipy():
    # two independent computations of the same constant; rtol 1e-14: float64 evaluation of erf and exp, nothing else
    assert theory.numeric(theory.truncated_sd_factor()) == pytest.approx(stats.truncnorm.std(-2, 2), rel=1e-14)
    assert theory.numeric(theory.truncated_sd_factor()) == pytest.approx(0.87962566103423978, rel=1e-15)


def test_family_kurtoses_reduce_to_the_known_values():
    assert sp.simplify(theory.standardized_law("normal")["kurtosis"] - 3) == 0
    assert sp.simplify(theory.standardized_law("uniform")["kurtosis"] - sp.Rational(9, 5)) == 0
    assert theory.numeric(theory.standardized_law("truncated_normal")["kurtosis"]) == pytest.approx(stats.truncnorm.stats(-2, 2, moments="k") + 3, rel=1e-12)
    orthogonal = theory.standardized_law("orthogonal")["kurtosis"]
    assert sp.limit(orthogonal, theory.m, sp.oo) == 3  # a long Haar row's entries are Gaussian in the limit
    assert sp.simplify(theory.sphere_coordinate_moment(1) - 1 / theory.m) == 0


def test_haar_diagonal_sum_is_derived_and_matches_scipys_independent_haar_sampler():
    """Var(Σ Qᵢᵢ) = k/m from the derivation; SciPy's ortho_group (Mezzadri's algorithm, not ours) gives mean 0 and that
    variance at |z| ≤ 5 (false failure ~6e-7 each). The foil, the same draws without the QR sign fix, is ~6 sd off."""
    assert sp.simplify(theory.diagonal_sum()["variance"] - theory.k / theory.m) == 0 and theory.diagonal_sum()["mean"] == 0
    from initcheck.sims import conformance as sims

    rng = np.random.default_rng(20261129)
    square = stats.ortho_group.rvs(dim=48, size=4000, random_state=rng)
    for matrices, (k, m) in ((square, (48, 48)), (square[:, :, :12], (12, 48))):  # 12 columns of a Haar matrix: Haar on the Stiefel manifold
        sd = float(sp.sqrt(theory.diagonal_sum(rows=sp.Integer(m), diagonal=sp.Integer(k))["variance"]))
        sums = np.trace(matrices[:, :k, :k], axis1=1, axis2=2) / sd
        estimate = sims.diagonal_sum(matrices, sd=sd)
        assert abs(estimate.value) <= 5 * estimate.standard_error and estimate.value == pytest.approx(sums.mean(), rel=1e-12)
        # the variance: (s² − 1)/SE(s²) with SE from the sample kurtosis of the sums
        excess = sums**2 - 1
        assert abs(excess.mean()) <= 5 * excess.std(ddof=1) / np.sqrt(excess.size), (k, m, excess.mean())
    q, _ = np.linalg.qr(rng.standard_normal((400, 48, 48)))
    foil = sims.diagonal_sum(q, sd=1.0)
    assert foil.value < -10 * foil.standard_error and foil.value < -4  # QR without the sign fix: every matrix's sum is low


def test_haar_first_entry_sign_is_derived_and_matches_scipys_independent_haar_sampler():
    """P(Q₀₀ > 0) = 1/2 from the derivation, for any m; SciPy's ortho_group gives a positive count within 5 binomial sd of
    half (false failure ~6e-7). The foils: QR without the sign fix, and a canonical overall sign, never give Q₀₀ > 0."""
    assert theory.first_entry_sign()["positive"] == sp.Rational(1, 2)
    assert all(theory.first_entry_sign(rows=sp.Integer(m))["positive"] == sp.Rational(1, 2) for m in (2, 3, 48, 256))
    from initcheck.sims import conformance as sims

    rng = np.random.default_rng(20261130)
    matrices = stats.ortho_group.rvs(dim=24, size=4000, random_state=rng)
    positive, n = sims.first_entry_sign(matrices)
    assert n == 4000 and abs(positive - n / 2) <= 5 * np.sqrt(n / 4), positive
    q, _ = np.linalg.qr(rng.standard_normal((400, 24, 24)))
    assert sims.first_entry_sign(q) == (0, 400)  # LAPACK's Householder QR: R₀₀ has the sign opposite to A₀₀, so Q₀₀ < 0
    canonical = np.where(matrices[:, :1, :1] > 0, -matrices, matrices)
    assert sims.first_entry_sign(canonical) == (0, 4000)


def test_the_kurtosis_standard_error_is_the_spread_of_the_estimate_over_independent_batteries():
    """The delta-method SE of a ratio of replicate means (sims.ratio_of_means, which the repro scripts carry) against the
    sd of the estimate over 1000 independent sets of 200 tensors of 64 normal values: equal within 12% (the sd of 1000
    draws is known to ~2.2%: over 5 of its SEs). Foil: the second partial derivative without its sign, whose SE for
    E[w⁴]/E[w²]² is √(312/24) ≈ 3.6 times too large (w⁴ and w² per tensor are correlated), must be rejected."""
    from initcheck.sims import conformance as sims

    values = np.random.default_rng(8).standard_normal((1000, 200, 64))
    estimates = [sims.kurtosis(batch) for batch in values]
    spread = np.std([e.value for e in estimates], ddof=1)
    assert np.mean([e.standard_error for e in estimates]) == pytest.approx(spread, rel=0.12)

    def foil(numerator, denominator, power):
        a, b = numerator.mean(), denominator.mean()
        gradient = np.array([1 / b**power, power * a / b ** (power + 1)])
        return float(np.sqrt(gradient @ np.cov(np.vstack([numerator, denominator])) @ gradient / numerator.size))

    squares = values[:20] ** 2
    foil_se = np.mean([foil((s**2).mean(axis=1), s.mean(axis=1), 2) for s in squares])
    assert foil_se != pytest.approx(spread, rel=0.12) and foil_se > 3 * spread


def test_the_anderson_darling_limit_laws_series_integrates_to_its_summed_mean_and_variance():
    """Two derivations that share nothing: the tail series P(A² > z) (Anderson & Darling 1952), integrated over z
    (E[A²] = ∫P dz, E[A⁴] = ∫2zP dz, Gauss–Legendre on four pieces; beyond z = 40 the tail is below 1e-17), against
    Σλⱼ = 1 and 2Σλⱼ² = 2π²/3 − 6 summed by SymPy for the weights λⱼ = 1/(j(j+1))."""
    nodes, weights = np.polynomial.legendre.leggauss(24)
    first = second = 0.0
    for low, high in ((0, 1), (1, 3), (3, 10), (10, 40)):
        for node, weight in zip(nodes, weights, strict=True):
            z = (high - low) / 2 * node + (high + low) / 2
            tail = float(anderson_darling.anderson_darling_tail(z, dps=20))
            first += (high - low) / 2 * weight * tail
            second += (high - low) / 2 * weight * 2 * z * tail
    moments = anderson_darling.anderson_darling_moments()
    assert moments["mean"] == 1 and sp.simplify(moments["variance"] - (2 * sp.pi**2 / 3 - 6)) == 0
    assert first == pytest.approx(1.0, abs=1e-8)
    assert second - first**2 == pytest.approx(float(moments["variance"]), abs=1e-8)


def test_the_anderson_darling_critical_value_has_the_tail_it_is_solved_for_and_grows_as_alpha_falls():
    alpha = BATTERY_FALSE_FAILURE / STATISTICAL_TESTS
    critical, digits = anderson_darling.anderson_darling_critical(alpha)
    assert digits >= 10 and float(anderson_darling.anderson_darling_tail(critical, dps=30)) == pytest.approx(alpha, rel=1e-8)
    assert anderson_darling.anderson_darling_critical(0.05)[0] < anderson_darling.anderson_darling_critical(0.01)[0] < critical


def test_fit_statistics_are_scipys_ks_and_anderson_darling_of_the_transformed_values():
    """One sort gives both: D equals scipy.stats.kstest's, A² equals goodness_of_fit's 'ad' statistic for a fully
    specified law, on normal values and on a foil (N(0, 1.3²) judged as N(0, 1)), which both statistics reject."""
    from initcheck.sims import conformance as sims

    rng = np.random.default_rng(20261206)
    for scale in (1.0, 1.3):
        x = rng.standard_normal(2000) * scale
        distance, a2, n = sims.fit_statistics(sims.probability_transform(x, cdf=stats.norm.cdf))
        fit = stats.goodness_of_fit(stats.norm, x, known_params={"loc": 0, "scale": 1}, statistic="ad", n_mc_samples=9, random_state=rng)
        assert n == 2000 and distance == pytest.approx(stats.kstest(x, "norm").statistic, rel=1e-12)
        assert a2 == pytest.approx(fit.statistic, rel=1e-9)
        assert (a2 > anderson_darling.anderson_darling_critical(1e-6)[0]) == (scale != 1.0)
    tied = np.round(rng.standard_normal(2000), 1)  # runs of equal values: the sup is at each run's top and bottom
    assert sims.ks_distance(tied, cdf=stats.norm.cdf)[0] == pytest.approx(stats.kstest(tied, "norm").statistic, rel=1e-12)


def test_anderson_darling_on_uniforms_has_the_limit_laws_mean_and_its_5_percent_tail():
    """2000 samples of 200 uniforms: mean A² within 5 SE of 1 and the share beyond the 5% point within 5 binomial sd
    (false failure ~1e-6 each); values on a grid of 50 levels (a discrete law judged as continuous) fail both."""
    from initcheck.sims import conformance as sims

    rng = np.random.default_rng(7)
    critical = anderson_darling.anderson_darling_critical(0.05)[0]
    for grid in (None, 50):
        u = rng.random((2000, 200))
        if grid:
            u = (np.floor(u * grid) + 0.5) / grid
        a2 = np.array([sims.fit_statistics(row)[1] for row in u])
        share = np.mean(a2 > critical)
        ok = abs(a2.mean() - 1) <= 5 * np.sqrt(2 * np.pi**2 / 3 - 6) / np.sqrt(a2.size) and abs(share - 0.05) <= 5 * np.sqrt(0.05 * 0.95 / a2.size)
        assert ok == (grid is None), (a2.mean(), share)


def test_the_randomized_transform_makes_a_discrete_law_uniform_and_the_midpoint_does_not():
    """Levels −1, 0, 1 with P 1/4, 1/2, 1/4: U = F(x−) + V·P(x), generated ascending from the counts per level, is
    Uniform(0, 1) (KS p > 1e-6), and within a level the values are the order statistics of uniforms;
    the foil U = F(x−) + P(x)/2 (no jitter) is three points (D ≈ 1/4). The jitter comes from the generator given."""
    from initcheck.sims import conformance as sims

    cdf = np.array([0.25, 0.75, 1.0])
    counts = np.bincount(np.random.default_rng(3).choice(3, p=[0.25, 0.5, 0.25], size=20000), minlength=3)
    u = sims.randomized_probability_transform_sorted(np.random.default_rng(4), counts, cdf=cdf)
    assert u.size == 20000 and np.all(np.diff(u) >= 0) and stats.kstest(u, "uniform").pvalue > 1e-6
    assert np.array_equal(u, sims.randomized_probability_transform_sorted(np.random.default_rng(4), counts, cdf=cdf))
    # one level holding 4 values: the j-th of them is the j-th order statistic of 4 uniforms, mean j/5, variance
    # j(5 − j)/(5²·6) (Beta(j, 5 − j)); 5000 draws, each mean within 5 SE (normalizing by 4 exponentials, not 5, would
    # put the 4th at 1 always)
    rng = np.random.default_rng(5)
    order = np.array([sims.randomized_probability_transform_sorted(rng, np.array([4]), cdf=np.array([1.0])) for _ in range(5000)])
    j = np.arange(1, 5)
    assert np.all(np.abs(order.mean(axis=0) - j / 5) <= 5 * np.sqrt(j * (5 - j) / (25 * 6) / 5000)), order.mean(axis=0)
    midpoint = np.repeat(np.diff(cdf, prepend=0.0) / 2 + np.concatenate([[0.0], cdf[:-1]]), counts)
    assert stats.kstest(midpoint, "uniform").statistic > 0.2


def _pooled_counts_below(threshold: float, counts: list[np.ndarray], cdfs: list[np.ndarray]) -> tuple[float, float]:
    """Mean and variance of how many pooled U fall at or below `threshold`, when each value of level k of a group is
    uniform on [F(k⁻), F(k)] independently (a point when F(k⁻) = F(k)): a sum of binomials."""
    mean = variance = 0.0
    for group, cdf in zip(counts, cdfs, strict=True):
        below = np.concatenate([[0.0], cdf[:-1]])
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(cdf > below, np.clip((threshold - below) / (cdf - below), 0.0, 1.0), (threshold >= below).astype(float))
        mean += float(np.sum(group * share))
        variance += float(np.sum(group * share * (1 - share)))
    return mean, variance


POOLED_COUNTS = [np.array([3, 7]), np.array([5, 5]), np.array([2, 1, 0])]
POOLED_CDFS = [np.array([0.3, 1.0]), np.array([0.5, 1.0]), np.array([0.6, 0.6, 1.0])]  # the third: a level of zero width


@pytest.mark.parametrize("threshold", [0.2, 0.4, 0.6, 0.75])
def test_the_pooled_randomized_transform_has_each_values_own_law_however_the_groups_intervals_overlap(threshold):
    """Three groups whose levels cut [0, 1] at other points (and a level of probability 0, a point): the pooled U is
    ascending, and how many fall at or below a threshold has the mean and variance of each value uniform on its own
    interval (a sum of binomials). 4000 repetitions; mean and variance each within 5 SE (variance's SE from the
    sample's fourth moment). Foils: splitting each interval's count between its cells in proportion (rounded), not by
    binomials, shrinks the variance (1.22 where it is 2.10 at 0.4; 0 where it is 2.51 at 0.6: mutant
    pooled-transform-proportional-split); a cell's share of [0, top] in place of its share of what is left of its
    interval moves the mean (mutant pooled-transform-share-of-the-whole)."""
    from initcheck.sims import conformance as sims

    rng = np.random.default_rng(7)
    n = sum(int(c.sum()) for c in POOLED_COUNTS)
    pooled = np.array([sims.randomized_probability_transform_pooled(rng, POOLED_COUNTS, cdfs=POOLED_CDFS) for _ in range(4000)])
    assert pooled.shape == (4000, n) and np.all(np.diff(pooled, axis=1) >= 0) and pooled.min() >= 0 and pooled.max() <= 1
    assert np.all(np.sum(pooled == 0.6, axis=1) >= 1)  # the zero-width level's value sits on its point
    below = np.sum(pooled <= threshold, axis=1).astype(float)
    mean, variance = _pooled_counts_below(threshold, POOLED_COUNTS, POOLED_CDFS)
    m4 = np.mean((below - below.mean()) ** 4)
    variance_se = np.sqrt(max(m4 - below.var() ** 2, 1e-12) / below.size)
    assert abs(below.mean() - mean) <= 5 * np.sqrt(variance / below.size), (below.mean(), mean)
    assert abs(below.var(ddof=1) - variance) <= 5 * variance_se + 1e-9, (below.var(ddof=1), variance)


def test_the_pooled_randomized_transform_of_rounded_normals_of_three_scales_is_uniform():
    """Values of N(0, s²) rounded to a grid of step 0.25, for s = 0.7, 1 and 1.3, each group through its own rounded
    law: the pooled U is Uniform(0, 1) (KS p > 1e-6, 60,000 values) and comes back the same from the same seed."""
    from initcheck.sims import conformance as sims

    grid = np.arange(-4.0, 4.0 + 0.125, 0.25)
    rng = np.random.default_rng(11)
    counts, cdfs = [], []
    for scale in (0.7, 1.0, 1.3):
        cdf = np.append(stats.norm.cdf((grid[1:] + grid[:-1]) / 2 / scale), 1.0)
        counts.append(rng.multinomial(20000, np.diff(cdf, prepend=0.0)))
        cdfs.append(cdf)
    u = sims.randomized_probability_transform_pooled(np.random.default_rng(4), counts, cdfs=cdfs)
    assert u.size == 60000 and np.all(np.diff(u) >= 0) and stats.kstest(u, "uniform").pvalue > 1e-6
    assert np.array_equal(u, sims.randomized_probability_transform_pooled(np.random.default_rng(4), counts, cdfs=cdfs))


def test_a_level_whose_cdf_dips_by_an_ulp_is_a_point_not_an_error():
    """A CDF evaluated in floats may fall by an ulp from one level to the next (none of the battery's did, over 240
    family, dtype and sd combinations; found by an independent review as an IndexError): that level's values sit on
    its lower end, as F(k⁻) + P(k)·V with P(k) ≈ −1e-16 put them."""
    from initcheck.sims import conformance as sims

    u = sims.randomized_probability_transform_pooled(np.random.default_rng(0), [np.array([1, 1, 1])], cdfs=[np.array([0.5, 0.5 - 2**-53, 1.0])])
    assert u.size == 3 and u[1] == 0.5 and 0 < u[0] < 0.5 < u[2] < 1


def test_statistics_judged_on_every_probe_see_bugs_only_the_conv_probe_has():
    """Kurtosis, row-mean dispersion and the Haar tests are judged on A, B and C, identical rows and the fit tests over all
    three: conv kernels drawn uniform (right variance) fail the kurtosis on C alone, conv kernels whose filters repeat
    fail identical rows, and an orthogonal initializer that fixes QR's signs for wide matrices only fails Haar on B (tall
    in the Keras layout). On probe A alone (the battery before), all three passed."""

    def conv_uniform(rng, shape):
        w = he_normal_ok(rng, shape)
        if len(shape) == 4:
            w = (rng.uniform(-1, 1, shape) * np.sqrt(3 * 2 / fans(shape, "keras").fan_in)).astype(np.float32)
        return w

    def conv_repeated(rng, shape):
        w = he_normal_ok(rng, shape)
        if len(shape) == 4:
            w[..., 1::2] = w[..., 0::2][..., : w[..., 1::2].shape[-1]]
        return w

    uniform = conform(conv_uniform, "kaiming_normal", layout="keras", tier="quick", seed=5)
    kurtosis = [f.split(" on ")[1][0] for f in uniform["failures"] if f.startswith("fourth moment")]
    assert kurtosis == ["C"], uniform["failures"]
    repeated = conform(conv_repeated, "kaiming_normal", layout="keras", tier="quick", seed=5)
    assert "identical rows or columns on all probes" in repeated["failures"]

    def sign_fixed_when_wide(rng, shape):  # the QR sign correction in one branch only: tall matrices keep LAPACK's signs
        rows, cols = int(np.prod(shape[:-1])), shape[-1]
        if rows <= cols:
            return orthogonal_ok(rng, shape)
        q, _ = np.linalg.qr(rng.standard_normal((rows, cols)))
        return q.reshape(shape).astype(np.float32)

    haar = conform(sign_fixed_when_wide, "orthogonal", layout="keras", tier="quick", seed=5)
    probes_failing = {f.split(" on ")[1][0] for f in haar["failures"] if f.startswith("Haar")}
    assert "A" not in probes_failing and "B" in probes_failing, haar["failures"]


def test_every_standardized_law_has_zero_mean_and_unit_variance():
    for family in ("normal", "uniform", "truncated_normal", "orthogonal"):
        law_ = theory.standardized_law(family)
        assert sp.simplify(law_["mean"]) == 0 and sp.simplify(law_["second"] - 1) == 0, family


def test_named_rules_reduce_to_the_documented_variances():
    fi, fo = theory.fan_in, theory.fan_out
    cases = {
        "glorot_uniform": 2 / (fi + fo), "glorot_normal": 2 / (fi + fo), "he_normal": 2 / fi, "kaiming_normal": 2 / fi,
        "lecun_uniform": 1 / fi, "torch_linear_default": 1 / (3 * fi),
    }  # fmt: skip
    for name, variance in cases.items():
        assert sp.simplify(theory.named_rule(name).variance - variance) == 0, name
    assert sp.simplify(theory.leaky_relu_gain(0) - sp.sqrt(2)) == 0  # slope 0 is ReLU
    assert sp.simplify(theory.named_rule("kaiming_normal", a=sp.Rational(1, 5), mode="fan_out").variance - 2 / (1 + sp.Rational(1, 25)) / fo) == 0


def test_layouts_read_fans_from_their_own_axes():
    assert fans((48, 16, 3, 3), "torch") == fans((3, 3, 16, 48), "keras") == fans((16, 48, 3, 3), "torch_transposed")
    f = fans((3, 3, 16, 48), "keras")
    assert (f.fan_in, f.fan_out, f.receptive_field) == (144, 432, 9)
    for layout in ("torch", "torch_transposed", "keras"):
        shape = shape_for(layout, inputs=5, outputs=7, kernel=(2, 3))
        assert fans(shape, layout).fan_in == 30 and units_by_fan(np.zeros((2, *shape)), layout).shape == (2, 7, 30)


def test_rule_specs_are_parsed_and_bad_ones_named():
    assert parse_spec("kaiming_uniform:a=0.2,mode=fan_out") == ("kaiming_uniform", {"a": 0.2, "mode": "fan_out"})
    for bad in ("nonsense", "normal", "he_normal:gain=2", "kaiming_normal:mode=fan_sideways", "normal:std=abc"):
        with pytest.raises(RuleError):
            parse_spec(bad)
    assert law("he_uniform").claim_id == "HE-VAR" and law("glorot_uniform").claim_id == "GLOROT-UNIFORM"


def test_battery_false_failure_budget_is_one_in_a_million():
    record = conform(CORRECT[0].function, CORRECT[0].rule, layout="keras", tier="quick")
    statistical = [t for t in record["tests"] if t["false_failure_rate"] > 0]
    assert len(statistical) == STATISTICAL_TESTS
    assert sum(t["false_failure_rate"] for t in statistical) == pytest.approx(BATTERY_FALSE_FAILURE)


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16"])
def test_each_tensor_is_sorted_without_rounding_and_the_merged_runs_are_the_sorted_transform(dtype):
    # values with more digits than float32 holds in float64; the 16-bit case with ties (bfloat16 sorts as float16 does)
    rng = np.random.default_rng(3)
    samples = [(rng.standard_normal((5, *shape)) * sd).astype(dtype).astype(np.float64) for shape, sd in (((6, 7), 0.3), ((3, 3, 2, 4), 2.0))]
    ascending = [battery._ascending(s, dtype) for s in samples]
    for rows, s in zip(ascending, samples, strict=True):
        assert np.array_equal(rows.astype(np.float64), np.sort(s.reshape(5, -1), axis=1))
    sds, rule_law = [0.3, 2.0], law("normal:std=1")
    pooled = battery._pooled_transform(ascending, sds, [], [], rule_law, 0)
    direct = np.sort(np.concatenate([rule_law.cdf((s / sd).ravel()) for s, sd in zip(samples, sds, strict=True)]))
    assert pooled.dtype == np.float64 and np.array_equal(pooled, direct)  # the same bytes as sorting U itself


@pytest.mark.parametrize("correct", CORRECT, ids=lambda c: c.name)
def test_correct_initializers_pass_every_statistic(correct):
    record = conform(correct.function, correct.rule, layout="keras", tier="quick", seed=12)
    assert record["status"] == "pass", record["failures"]


def test_assertion_names_statistic_expected_measured_z_and_claim():
    def lecun_as_he(rng, shape):
        return he_normal_ok(rng, shape) / np.float32(np.sqrt(2))

    with pytest.raises(AssertionError) as failure:
        assert_conforms(lecun_as_he, "he_normal", layout="keras", tier="quick")
    message = str(failure.value)
    assert "second moment on A" in message and "expected 1.0" in message and "z = " in message and "claim HE-VAR" in message


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_conform_a_user_file_function_prints_strict_json(capsys):
    code, out, _ = run(capsys, "conform", f"{USER_FILE}:glorot_uniform", "--rule", "glorot_uniform", "--layout", "keras", "--tier", "quick", "--json")
    document = json.loads(out)
    assert code == 0 and document["status"] == "pass" and document["claim_id"] == "GLOROT-UNIFORM" and document["framework"] == "user"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ((f"{USER_FILE}:glorot_uniform", "--rule", "glorot_sideways"), "unknown rule"),
        ((f"{USER_FILE}:glorot_uniform", "--rule", "glorot_uniform", "--layout", "numpy"), "unknown layout"),
        (("no_such_module_xyz:f", "--rule", "glorot_uniform"), "cannot import"),
        ((f"{USER_FILE}:missing", "--rule", "glorot_uniform"), "no callable"),
        ((f"{USER_FILE}:raises", "--rule", "glorot_uniform", "--tier", "quick"), "raised RuntimeError"),
        ((f"{USER_FILE}:wrong_shape", "--rule", "glorot_uniform", "--tier", "quick"), "returned shape"),
        ((f"{USER_FILE}:wrong_dtype", "--rule", "glorot_uniform", "--tier", "quick"), "returned dtype int64"),
        ((f"{USER_FILE}:glorot_uniform",), "needs --rule"),
        (("--framework", "torch", f"{USER_FILE}:glorot_uniform"), "not both"),
    ],
)
def test_conform_errors_are_one_line_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, "conform", *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1 and out == ""


def test_conform_exits_1_when_the_battery_fails(capsys, tmp_path):
    module = tmp_path / "swapped.py"
    module.write_text("import numpy as np\ndef f(rng, shape):\n    return (rng.standard_normal(shape) * np.sqrt(2 / shape[-1])).astype(np.float32)\n")
    code, out, _ = run(capsys, "conform", f"{module}:f", "--rule", "he_normal", "--layout", "keras", "--tier", "quick")
    assert code == 1 and out.startswith("fail") and "second moment on A" in out


def test_conform_framework_json_shows_a_missing_framework_as_not_installed(capsys, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "haiku" else real(name, *a))
    code, out, _ = run(capsys, "conform", "--framework", "haiku", "--json")
    (record,) = json.loads(out)["records"]
    assert code == 0 and record["status"] == "not installed" and record["framework"] == "haiku"


def test_the_matrix_reports_each_finished_initializer_and_ends_at_its_total(monkeypatch):
    """`initcheck conform --framework` shows a bar: each entry × dtype is one unit and the count ends at the total
    announced. Foil: a total that forgot the dtypes would end short of the units done."""
    import initcheck.conformance as conformance

    monkeypatch.setattr(conformance, "_installed", lambda framework: True)
    monkeypatch.setattr(conformance, "check_entry", lambda entry, *, dtype, seed, tier: {"target": entry.target, "status": "pass"})
    heard: list[tuple[str, int, int]] = []
    records = conformance.run_matrix("torch", tier="quick", dtypes="listed", progress=lambda label, done, total: heard.append((label, done, total)))
    units = sum(len(entry.dtypes) for entry in conformance.ENTRIES["torch"])
    assert len(records) == units == len(heard) > 1
    assert [done for _, done, _ in heard] == list(range(1, units + 1)) and {total for _, _, total in heard} == {units}
    assert any(dtype != "float32" for entry in conformance.ENTRIES["torch"] for dtype in entry.dtypes)  # the foil's case exists


def test_a_natural_numpy_callable_is_judged_in_the_dtype_it_returns_unless_another_is_asked(capsys, tmp_path):
    """issue 26: `rng.uniform(-a, a, size=shape)` returns float64; it was refused unless the user knew to add --dtype."""
    module = tmp_path / "natural.py"
    module.write_text(
        "import numpy as np\n"
        "def f(rng, shape):\n"
        "    receptive = int(np.prod(shape[:-2]))  # Keras layout: (..., fan_in, fan_out)\n"
        "    a = np.sqrt(6 / (receptive * shape[-2] + receptive * shape[-1]))\n"
        "    return rng.uniform(-a, a, size=shape)\n"
    )
    code, out, _ = run(capsys, "conform", f"{module}:f", "--rule", "glorot_uniform", "--layout", "keras", "--tier", "quick", "--json")
    document = json.loads(out)
    assert code == 0 and document["status"] == "pass" and document["dtype"] == "float64"  # the record names the dtype it judged
    code, out, err = run(capsys, "conform", f"{module}:f", "--rule", "glorot_uniform", "--layout", "keras", "--tier", "quick", "--dtype", "float32")
    assert code == 2 and "returned dtype float64 for dtype float32" in err  # asked for float32: still refused


def test_a_framework_run_in_its_own_process_that_fails_is_one_error_record_not_a_crash():
    import initcheck.conformance as conformance

    (record,) = conformance._collect_framework("tensorflow", RuntimeError("the child died"))
    assert record["status"] == "error" and record["framework"] == "tensorflow" and "the child died" in record["reason"]
    assert {name for _, members in conformance.APART for name in members} <= set(conformance.FRAMEWORKS)


def _fake_matrix(monkeypatch, *, here="jax", failing=()):
    """run_matrix("all") with every framework and backend "installed", each framework's entries one record naming the
    process that ran it, and each spawned process run at once in this one (a group in `failing` raises instead)."""
    from concurrent.futures import Future

    import initcheck.conformance as conformance

    where, spawns = {"process": "main"}, []

    def spawned(backend, stack, function, *args, **kwargs):
        future: Future = Future()
        spawns.append(backend)
        outer, where["process"] = where["process"], f"spawned on {backend}"
        try:
            if function is conformance._run_group and set(args[1]) & set(failing):
                raise RuntimeError(f"the {backend} process died")
            future.set_result(function(*args, **kwargs))
        except RuntimeError as error:
            future.set_exception(error)
        finally:
            where["process"] = outer
        return future

    def entries(name, *, seed, tier, keep=None, progress=None, dtypes="listed"):
        backend = os.environ["KERAS_BACKEND"] if name == "keras" and keep is None else None
        return [{"framework": name, "backend": backend if keep is None else "other", "ran_in": where["process"], "status": "pass"}]

    monkeypatch.setenv("KERAS_BACKEND", here)
    monkeypatch.setattr(conformance, "_spawned", spawned)
    monkeypatch.setattr(conformance, "_run_entries", entries)
    monkeypatch.setattr(conformance, "_installed", lambda name: True)
    monkeypatch.setattr(conformance, "_importable", lambda module: True)
    heard = []
    records = conformance.run_matrix("all", tier="quick", dtypes="listed", progress=lambda label, done, total: heard.append((done, total)))
    return records, heard, sorted(spawns)


def test_the_whole_matrix_runs_its_groups_apart_and_keeps_every_record_in_framework_order(monkeypatch):
    """TensorFlow (with Keras on tensorflow) and the JAX family each run in one spawned process, Keras's other backends
    in one each; the records come back in FRAMEWORKS order, Keras's other backends after Keras's own in KERAS_BACKENDS
    order (foils: records in the order the processes finish; a grouped framework run here again)."""
    records, heard, spawns = _fake_matrix(monkeypatch)
    assert spawns == ["jax", "numpy", "tensorflow", "torch"]  # one process each: no framework's import paid twice
    assert [(r["framework"], r["ran_in"]) for r in records] == [
        ("torch", "main"), ("tensorflow", "spawned on tensorflow"), ("jax", "spawned on jax"),
        ("keras", "spawned on jax"), ("keras", "spawned on numpy"), ("keras", "spawned on torch"), ("keras", "spawned on tensorflow"),
        ("flax", "spawned on jax"), ("haiku", "spawned on jax"), ("equinox", "spawned on jax"),
    ]  # fmt: skip
    assert [done for done, _ in heard] == list(range(1, len(heard) + 1)) and all(total >= done for done, total in heard)
    # Keras on this process's backend, every entry of it (layers too), runs in that backend's group when there is one
    assert next((r["ran_in"], r["backend"]) for r in records if r["framework"] == "keras") == ("spawned on jax", "jax")
    records, _, _ = _fake_matrix(monkeypatch, here="torch")  # Keras here on torch: on jax it runs in the JAX family's process
    assert [r["ran_in"] for r in records if r["framework"] == "keras"] == ["main", "spawned on jax", "spawned on numpy", "spawned on tensorflow"]
    assert next(r["backend"] for r in records if r["framework"] == "keras") == "torch"


def test_a_group_whose_process_dies_gives_each_of_its_frameworks_one_error_record(monkeypatch):
    records, _, _ = _fake_matrix(monkeypatch, failing=("jax",))
    by = {(r["framework"], r.get("backend")): r for r in records}
    for name in ("jax", "flax", "haiku", "equinox"):
        assert by[(name, None)]["status"] == "error" and "the jax process died" in by[(name, None)]["reason"]
    assert by[("torch", None)]["status"] == "pass" and by[("tensorflow", None)]["status"] == "pass"
    assert by[("keras", "jax")]["status"] == "error"  # Keras on this process's backend ran in the JAX family's process
    records, _, _ = _fake_matrix(monkeypatch, failing=("tensorflow",))
    (keras_tf,) = [r for r in records if r["framework"] == "keras" and r.get("backend") == "tensorflow"]
    assert keras_tf["status"] == "error" and "the tensorflow process died" in keras_tf["reason"]  # Keras on its backend fails with it


def test_tensorflows_cpu_notices_are_filtered_from_native_stderr_and_anything_else_passes(capfd):
    """TensorFlow's runtime writes 'no CUDA driver' notices to file descriptor 2 before its log level applies: they are
    dropped; an error line written the same way (foil: a filter that swallows everything) must still reach the user."""
    from initcheck.conformance.adapters import TENSORFLOW_NOTICES, _native_stderr_filtered

    with _native_stderr_filtered(TENSORFLOW_NOTICES):
        os.write(2, b"I0000 cudart_stub.cc:31] Could not find cuda drivers on your machine, GPU will not be used.\n")
        os.write(2, b"E0000 something.cc:1] a real error\n")
    err = capfd.readouterr().err
    assert "cudart_stub" not in err and "a real error" in err


def test_every_dtype_of_every_entry_is_drawn_with_dtypes_all_and_a_dtype_the_framework_refuses_is_recorded_as_refused(monkeypatch):
    """--dtypes all: each entry in float32, float64, bfloat16 and float16 (foil: "listed" draws fewer); a sampler that
    raises for bfloat16 only is the framework refusing that dtype, recorded "refused" with its message, not "error"."""
    import initcheck.conformance as conformance
    from initcheck.conformance.matrix import ALL_DTYPES

    monkeypatch.setattr(conformance, "_installed", lambda framework: True)

    def sampler(entry):
        def sample(rng, shape, dtype):
            if dtype == "bfloat16":
                raise TypeError("'BFloat16' is not supported")
            return rng.standard_normal(shape).astype(dtype)

        return sample

    monkeypatch.setattr(conformance, "_entry_sampler", sampler)
    (entry,) = conformance.ENTRIES["equinox"]
    monkeypatch.setitem(conformance.ENTRIES, "equinox", (type(entry)(**{**entry.__dict__, "rule": "normal:std=1"}),))
    records = conformance.run_matrix("equinox", tier="quick", dtypes="all")
    assert [r["dtype"] for r in records] == list(ALL_DTYPES)
    assert {r["dtype"]: r["status"] for r in records}["bfloat16"] == "refused" and "BFloat16" in records[2]["reason"]
    assert len(conformance.run_matrix("equinox", tier="quick", dtypes="listed")) < len(records) or entry.dtypes == ALL_DTYPES


def test_findings_list_each_failing_initializer_once_with_its_failing_dtypes_and_nothing_that_passes():
    from initcheck.conformance.findings import findings_markdown

    def test(statistic, z, passed, probe="A (64, 256) (fan_in 64, fan_out 256)"):
        return {"statistic": statistic, "probe": probe, "expected": 0.0, "measured": 0.1, "z": z, "critical": 6.1, "n": 512, "n_unit": "tensors", "passed": passed}

    base = {"framework": "tensorflow", "backend": None, "framework_version": "2.21.0", "target": "tf_keras.initializers.GlorotUniform", "rule": "glorot_uniform", "layout": "keras"}
    records = [
        {**base, "dtype": "float32", "status": "pass", "tests": [test("mean", 0.3, True)]},
        {**base, "dtype": "bfloat16", "status": "fail", "tests": [test("mean", -8.2, False), test("mean", -7.0, False, "B"), test("second moment", 1.0, True)]},
        {**base, "target": "tf_keras.initializers.HeNormal", "rule": "he_normal", "dtype": "float32", "status": "pass", "tests": [test("mean", 0.1, True)]},
        {**base, "target": "tf_keras.initializers.Orthogonal", "rule": "orthogonal", "dtype": "bfloat16", "status": "refused", "reason": "the sampler raised InvalidArgumentError: Qr"},
        {"framework": "equinox", "backend": None, "target": "equinox", "status": "not installed", "reason": "absent"},
    ]
    text = findings_markdown({"seed": 0, "tier": "default", "dtypes": "all", "records": records})
    lines = text.splitlines()
    assert lines[0] == "Matrix run: seed 0, tier default, dtypes all; 5 records: pass 2, fail 1, refused 1, not installed 1."
    (failing,) = [line for line in lines if line.startswith("- `tf_keras.initializers.GlorotUniform`")]
    assert "**bfloat16**: mean on A: z = -8.2 (critical 6.1, n = 512 tensors)" in failing and "(passes in float32)" in failing
    assert "second moment" not in failing and "HeNormal" not in text  # a passing statistic or initializer is no finding
    assert any("Orthogonal` [bfloat16], tensorflow 2.21.0: refused" in line for line in lines) and lines[-1] == "Not installed where the matrix ran: equinox."
