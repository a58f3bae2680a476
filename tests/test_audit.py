"""`initcheck audit`, the parts that need no framework: one parameter's rules judged on NumPy draws (each with a foil
the same test must reject), the statistics, the derivation of the propagation prediction, and reading expectations."""

import math

import numpy as np
import pytest
import sympy as sp
from scipy import stats

from initcheck.audit import AUDIT_FALSE_FAILURE, ExpectationError, expectations_for, parse_expect
from initcheck.audit.judge import TESTS_PER_RULE, Parameter, candidates, judge
from initcheck.conformance.layouts import fans
from initcheck.conformance.rules import law
from initcheck.sims import audit as sims
from initcheck.theory import audit as theory

SHAPE = (256, 256)  # torch layout (out, in): 65,536 values
ALPHA = AUDIT_FALSE_FAILURE / (TESTS_PER_RULE * 100)  # a 100-parameter model's per-test rate


def parameter(values, *, name="layer.weight", module_type="Linear", attribute="weight", layout="torch"):
    values = np.asarray(values, dtype=np.float64)[None]  # one instance (the seeds axis)
    shape = values.shape[1:]
    return Parameter(name=name, module_type=module_type, attribute=attribute, values=values, layout=layout,
                     fans=fans(shape, layout) if layout and len(shape) >= 2 else None, default=None, dtype="float32")  # fmt: skip


def sd_of(spec, shape=SHAPE):
    return math.sqrt(law(spec).variance(fans(shape, "torch")))


def test_a_normal_draw_is_consistent_with_its_rule_and_a_uniform_of_the_same_variance_is_not():
    rng = np.random.default_rng(1)
    sd = sd_of("xavier_normal")
    normal = judge(parameter(rng.normal(0, sd, SHAPE)), "xavier_normal", alpha=ALPHA)
    assert normal["consistent"], normal["reason"]
    # the foil: U(±√3·sd) has the same mean and variance; only the shape (KS, the bound) can tell them apart
    uniform = judge(parameter(rng.uniform(-math.sqrt(3) * sd, math.sqrt(3) * sd, SHAPE)), "xavier_normal", alpha=ALPHA)
    assert uniform["consistent"] is False and "KS" in uniform["reason"]
    back = judge(parameter(rng.normal(0, sd, SHAPE)), "glorot_uniform", alpha=ALPHA)
    assert back["consistent"] is False and "bound" in back["reason"]


def test_a_ten_percent_variance_error_is_rejected_on_the_mean_square():
    rng = np.random.default_rng(2)
    sd = sd_of("kaiming_normal")
    result = judge(parameter(rng.normal(0, sd * math.sqrt(1.10), SHAPE)), "kaiming_normal", alpha=ALPHA)
    assert result["consistent"] is False and "mean square" in result["reason"]
    (square,) = [t for t in result["tests"] if t["statistic"] == "mean square / Var"]
    assert square["measured"] == pytest.approx(1.10, abs=0.02)
    # the power statement the record makes covers this foil: detectable error < 10%
    assert float(square["detects"].split("≥ ")[1].split("%")[0]) < 10


def test_a_mean_shift_is_rejected():
    rng = np.random.default_rng(3)
    sd = sd_of("he_normal")
    result = judge(parameter(rng.normal(0.05 * sd, sd, SHAPE)), "kaiming_normal", alpha=ALPHA)
    assert result["consistent"] is False and "mean / sd" in result["reason"]


def test_candidates_name_the_rule_drawn_and_the_fans_tell_fan_in_from_fan_out():
    rng = np.random.default_rng(4)
    shape = (64, 512)  # fan_in 512, fan_out 64: the two He rules differ by 8×
    values = rng.normal(0, math.sqrt(2 / 64), shape)  # He on fan_out
    found = [spec for spec in candidates(parameter(values)) if judge(parameter(values), spec, alpha=ALPHA)["consistent"]]
    assert "kaiming_normal:mode=fan_out" in found and "kaiming_normal" not in found and "he_normal" not in found


@pytest.mark.parametrize("spec", ["zeros", "ones"])
def test_constants_are_exact(spec):
    value = {"zeros": 0.0, "ones": 1.0}[spec]
    assert judge(parameter(np.full(128, value), attribute="bias", layout=None), spec, alpha=ALPHA)["consistent"]
    off = np.full(128, value)
    off[17] += 1e-7  # the foil: one value off
    result = judge(parameter(off, attribute="bias", layout=None), spec, alpha=ALPHA)
    assert result["consistent"] is False and result["reason"].startswith("1 of 128")


def test_orthogonal_is_recognised_and_a_gaussian_matrix_or_a_single_row_is_not():
    rng = np.random.default_rng(5)
    q, r = np.linalg.qr(rng.standard_normal((128, 128)))
    assert judge(parameter(1.5 * q * np.sign(np.diag(r))), "orthogonal", alpha=ALPHA)["consistent"]
    assert judge(parameter(rng.standard_normal((128, 128)) / math.sqrt(128)), "orthogonal", alpha=ALPHA)["consistent"] is False
    one_row = parameter(rng.standard_normal((1, 1, 64, 64)), layout="keras")  # a 1×1 convolution kernel (1, 1, in, out)
    assert judge(one_row, "orthogonal", alpha=ALPHA)["consistent"] is False  # judged as 64×64 (the keras way), not as one row
    assert "not judged" in judge(parameter(rng.standard_normal((1, 4096))), "orthogonal", alpha=ALPHA)["reason"]


def test_the_fitted_normal_fits_and_rejects_a_uniform():
    rng = np.random.default_rng(6)
    fitted = judge(parameter(rng.normal(0, 0.02, SHAPE)), "normal:std=fitted", alpha=ALPHA)
    assert fitted["consistent"] and fitted["fit"]["low"] < 0.02 < fitted["fit"]["high"]
    assert judge(parameter(rng.uniform(-0.02, 0.02, SHAPE)), "normal:std=fitted", alpha=ALPHA)["consistent"] is False


@pytest.mark.parametrize("spec", ["xavier_normal", "glorot_uniform", "he_normal", "torch_linear_default", "normal:std=0.02"])
def test_correct_draws_pass_on_every_seed_calibration(spec):
    """No false failure over 200 seeds per rule at the audit's per-test rate (the rule fails on some seed: it is wrong)."""
    rule_law = law(spec)
    sd = sd_of(spec, (64, 128))
    z_scores = []
    for seed in range(200):
        rng = np.random.default_rng(seed)
        if rule_law.family == "normal":
            values = rng.normal(0, sd, (64, 128))
        elif rule_law.family == "uniform":
            values = rng.uniform(-math.sqrt(3) * sd, math.sqrt(3) * sd, (64, 128))
        else:  # truncated normal of this sd: the ±2 cut in units of the untruncated sd
            scale = sd / math.sqrt(law("truncated_normal:std=1").variance(fans((64, 128), "torch")))
            values = stats.truncnorm.rvs(-2, 2, scale=scale, size=(64, 128), random_state=rng)
        result = judge(parameter(values), spec, alpha=ALPHA)
        assert result["consistent"], (seed, result["reason"])
        z_scores.append(next(t["z"] for t in result["tests"] if t["statistic"] == "mean square / Var"))
    # and per rule the mean-square z is N(0, 1): its sd over 200 seeds within 4 SE (≈ 0.05) of 1, not merely under 5.7
    assert abs(np.std(z_scores) - 1) < 0.2 and abs(np.mean(z_scores)) < 0.3


def test_the_chi_square_test_is_the_gamma_law_of_the_same_two_moments():
    n, total = 1000, 1100.0
    p = sims.two_sided_gamma(total, mean=n, variance=2 * n)
    assert p == pytest.approx(2 * stats.chi2.sf(total, n), rel=1e-10)


def quadratic_units(rng, design, *, variance, family="normal", scale=1.0, bias=None):
    """Per unit j, mean over rows of (D·wⱼ + bⱼ)² − bⱼ², wⱼ i.i.d. of this variance (times `scale`): a layer's units."""
    units = 32 if bias is None else bias.size
    shape = (design.shape[1], units)
    sd = math.sqrt(variance * scale)
    weights = rng.normal(0, sd, shape) if family == "normal" else rng.uniform(-math.sqrt(3) * sd, math.sqrt(3) * sd, shape)
    out = design @ weights + (0 if bias is None else bias)
    return np.mean(out**2, axis=0) - (0 if bias is None else bias**2)


def form_of(design, bias=None):
    gram = design.T @ design
    return {"S": float(np.mean(np.sum(design**2, axis=1))), "trace_square": float(np.sum(gram**2)) / design.shape[0] ** 2,
            "diagonal_square": float(np.sum(np.mean(design**2, axis=0) ** 2)),
            "bias_cross": 0.0 if bias is None else float(4 * np.sum(bias**2) * np.sum(design.mean(0) ** 2))}  # fmt: skip


@pytest.mark.parametrize(("family", "kurtosis"), [("normal", 3.0), ("uniform", 1.8)])
def test_the_propagation_test_is_calibrated_given_the_probe_and_rejects_a_layer_off_its_prediction(family, kurtosis):
    """A fixed probe (16 rows of a 48-wide design, rank-deficient and non-isotropic, with biases), 200 weight draws: no
    false failure at the audit's rate and z ~ N(0, 1); the foil, weights at 2× the rule's variance (a layer that doubles
    the signal the rule predicts), is rejected, and the detectable effect the test's SE implies at power 0.999 is below it."""
    probe = np.random.default_rng(0)
    design = probe.standard_normal((16, 48)) * np.linspace(0.2, 2.0, 48) + 0.3
    bias = probe.normal(0, 0.5, 32)
    variance = 1 / 48
    form = form_of(design, bias)
    z_scores = []
    for seed in range(200):
        units = quadratic_units(np.random.default_rng(seed), design, variance=variance, family=family, bias=bias)
        test = sims.quadratic_form_test(units, predicted=variance * form["S"], variance=variance, kurtosis=kurtosis, form=form)
        assert test["p"] > ALPHA, seed
        z_scores.append(test["z"])
    assert abs(np.std(z_scores) - 1) < 0.2 and abs(np.mean(z_scores)) < 0.3
    detectable = (stats.norm.isf(ALPHA / 2) + 3.09) * test["se"] / test["expected"]
    assert detectable < 1.0
    units = quadratic_units(np.random.default_rng(1), design, variance=variance, family=family, bias=bias, scale=2.0)
    assert sims.quadratic_form_test(units, predicted=variance * form["S"], variance=variance, kurtosis=kurtosis, form=form)["p"] < ALPHA


def test_the_prediction_is_the_variance_sum_conditional_on_the_probe():
    assert sp.simplify(theory.forward_second_moment() - theory.var_w * theory.fan_square) == 0
    assert sp.simplify(theory.backward_second_moment() - theory.var_w * theory.fan_square) == 0


def test_expectations_are_read_and_a_later_one_overrides():
    pairs = parse_expect("Linear.weight=normal:std=0.02; *.c_proj.weight=normal:std=0.01 ;Linear.bias=zeros")
    assert pairs == [("Linear.weight", "normal:std=0.02"), ("*.c_proj.weight", "normal:std=0.01"), ("Linear.bias", "zeros")]
    params = [parameter(np.zeros(SHAPE), name="h.0.c_proj.weight"), parameter(np.zeros(SHAPE), name="h.0.c_fc.weight")]
    chosen = expectations_for(params, pairs[:2])
    assert chosen == {"h.0.c_proj.weight": "normal:std=0.01", "h.0.c_fc.weight": "normal:std=0.02"}


@pytest.mark.parametrize(
    ("text", "message"),
    [("Linear.weight", "SELECTOR=RULE"), ("Linear.weight=he_normall", "unknown rule 'he_normall'"), ("Linear.bias=constant:value=x", "constant takes value")],
)
def test_a_bad_expectation_is_named(text, message):
    with pytest.raises(ExpectationError, match=message):
        parse_expect(text)


def test_an_expectation_that_selects_nothing_is_an_error_naming_what_exists():
    with pytest.raises(ExpectationError, match=r"'Conv2d\.weight' selects no parameter; this model has Linear\.weight"):
        expectations_for([parameter(np.zeros(SHAPE))], [("Conv2d.weight", "he_normal")])


def test_default_expects_the_layers_own_default_and_says_when_there_is_none():
    weight = Parameter(name="fc.weight", module_type="Linear", attribute="weight", values=np.zeros((1, 4, 4)), layout="torch",
                       fans=fans((4, 4), "torch"), default="torch_linear_default", dtype="float32")  # fmt: skip
    assert expectations_for([weight], parse_expect("Linear.weight=default")) == {"fc.weight": "torch_linear_default"}
    with pytest.raises(ExpectationError, match=r"odd\.scale \(Odd\.scale\) has no known framework default"):
        expectations_for([parameter(np.zeros(8), name="odd.scale", module_type="Odd", attribute="scale", layout=None)], parse_expect("*.scale=default"))


@pytest.mark.parametrize("n", [16, 32])
def test_the_mean_square_tail_of_a_uniform_law_is_right_where_the_gamma_law_is_not(n):
    """P(ΣZᵢ² ≤ y) for Z uniform on [−√3, √3] is exact for y ≤ 3: the volume of the ball of radius √y over the cube's
    (2√3)ⁿ. The saddlepoint tail used for bounded laws agrees within 2% down to 1e-20; the foil, the gamma law of the
    same two moments, is too thin there (it would flag correct small tensors far more often than the stated rate)."""
    from scipy import special

    a = math.sqrt(3)
    density = law("glorot_uniform").density
    for y in (0.05, 0.3, 1.0):
        exact = math.pi ** (n / 2) / special.gamma(n / 2 + 1) * y ** (n / 2) / (2 * a) ** n
        _, lower = sims.square_sum_tails(y, n=n, density=density, bound=a)
        assert lower == pytest.approx(exact, rel=0.02)
        gamma_law = stats.gamma.cdf(y, n / 0.8, scale=0.8)  # mean n, variance 0.8n: κ − 1 = 0.8 for the uniform
        assert gamma_law < exact / 5


def test_a_small_uniform_tensor_in_its_lower_tail_is_judged_at_its_true_probability():
    """16 values of a 4×4 glorot_uniform weight whose Σw²/Var has exact lower tail 1e-6 (ball volume): consistent at
    the audit's rate (2.5e-9); the gamma law of the same two moments would put it at 2.5e-10 and flag it."""
    from scipy import special

    n, a = 16, math.sqrt(3)
    y = (1e-6 * (2 * a) ** n * special.gamma(n / 2 + 1) / math.pi ** (n / 2)) ** (2 / n)
    sd = sd_of("glorot_uniform", (4, 4))
    values = math.sqrt(y / n) * sd * np.resize([1.0, -1.0], (4, 4))
    result = judge(parameter(values), "glorot_uniform", alpha=ALPHA)
    (square,) = [t for t in result["tests"] if t["statistic"] == "mean square / Var"]
    assert square["p"] == pytest.approx(2e-6, rel=0.05)
    assert result["consistent"], result["reason"]


def test_an_audit_file_the_report_cannot_draw_is_refused_by_name(tmp_path):
    import json

    from initcheck.results import ResultsError, load_audit

    path = tmp_path / "audit.json"
    layer = {"index": 0, "name": "fc", "type": "Linear", "variance_from": "expected he_normal", "forward": {"measured": 1.0}, "backward": {"status": "not measured", "reason": "frozen"}}
    record = {"model": "m", "status": "pass", "parameters": [], "findings": [], "framework_version": "torch", "per_test_alpha": 1e-9,
              "propagation": {"status": "measured", "layers": [layer]}}  # fmt: skip
    path.write_text(json.dumps({"initcheck_version": "0", "seed": 0, "seeds": 1, "records": [record]}))
    with pytest.raises(ResultsError, match="audit file"):  # forward lacks its prediction: the figure could not be drawn
        load_audit(path)
    layer["forward"] = {"measured": 1.0, "expected": 1.0, "ratio": 1.0, "z": 0.1, "n": 64, "judged": True, "passed": True, "second_moment": 1.0, "predicted_second_moment": 1.0}
    path.write_text(json.dumps({"initcheck_version": "0", "seed": 0, "seeds": 1, "records": [record]}))
    assert load_audit(path)["records"][0]["model"] == "m"


def test_the_suite_keeps_its_order_and_a_model_audited_apart_whose_process_fails_gets_an_error_record(monkeypatch):
    """run_suite audits the APART packages' models in a spawned process while it audits the others here: the records
    come back in the suite's order, and a process that fails gives each of its models one "error" record naming why
    (foil: an exception out of run_suite, or the records in the order they finished)."""
    import initcheck.audit as audit
    from initcheck.audit import suite

    fake = tuple(suite.SuiteModel(target=f"{package}:M{i}", config={}, expect=lambda config: "", package=package, documented="d")
                 for i, package in enumerate(("numpy", "scipy", "numpy")))  # fmt: skip
    monkeypatch.setattr(suite, "SUITE", fake)
    monkeypatch.setattr(audit, "APART", ("scipy",))
    monkeypatch.setattr(audit, "_suite_record", lambda entry, *, seed, seeds: {"model": entry.target, "status": "pass"})
    monkeypatch.setattr(audit, "spawned", lambda stack, function, indices, *, seed, seeds: RuntimeError("the child died"))
    heard: list[str] = []
    records = audit.run_suite(progress=lambda target, index, total: heard.append(target))
    assert [r["model"] for r in records] == ["numpy:M0", "scipy:M1", "numpy:M2"] and heard == ["numpy:M0", "scipy:M1", "numpy:M2", "done"]
    assert records[1]["status"] == "error" and "the child died" in records[1]["reason"]
    assert records[0]["status"] == records[2]["status"] == "pass"
