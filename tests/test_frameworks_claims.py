"""The FW claims: each judge on fake frameworks (no framework needed) and on the real ones (skipped, saying why, when absent).

A fake framework is a plain numpy stand-in with the shape of result the real adapter returns: the other momentum
convention, keep-probability semantics, relu'(0) = 1, an activation-aware default. The same judge that passes the real
frameworks must reject each of them. The fakes compute batch norm and dropout directly in numpy, a second way beside the
exact values of initcheck.theory.frameworks that the judges use.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
import tempfile
import textwrap

import numpy as np
import pytest
import sympy as sp

from initcheck.conformance.adapters import NotInstalled, user_sampler
from initcheck.conformance.frameworks import DOCUMENTED, LayerDefault
from initcheck.registry import BY_ID
from initcheck.reproductions import frameworks as fw
from initcheck.theory import frameworks as theory
from initcheck.verify import claim_record, run_reproduction

FW_CLAIMS = ("FW-DEFAULT-INIT", "FW-RELU-GRAD0", "FW-DROPOUT-API", "FW-BN-RUNNING")


def absent(name):
    raise NotInstalled(f"{name} is not installed (fake)")


# ---------------------------------------------------------------- theory: the values the judges compare with


def test_relu_has_no_derivative_at_zero_its_one_sided_derivatives_are_0_and_1():
    assert theory.relu_one_sided_derivatives() == (0, 1)


def test_dropout_keeps_one_minus_p_scales_by_its_inverse_and_two_masks_agree_with_probability_p2_plus_q2():
    p = theory.p
    assert sp.simplify(theory.dropout_kept_fraction() - (1 - p)) == 0
    assert sp.simplify(theory.dropout_scale() - 1 / (1 - p)) == 0
    assert sp.simplify(theory.mask_agreement() - ((1 - p) ** 2 + p**2)) == 0
    assert theory.mask_agreement(sp.Rational(1, 2)) == sp.Rational(1, 2)


def test_running_statistics_follow_torchs_recursion_worked_by_hand():
    # batches [[1],[3],[8],[4]] (mean 4, unbiased var 26/3) then [[0],[2],[7],[3]] (mean 3, unbiased var 26/3); r ← 0.9 r + 0.1 s from (0, 1)
    batches = [[[1], [3], [8], [4]], [[0], [2], [7], [3]]]
    exact = theory.running_statistics(batches, new_weight=sp.Rational(1, 10), unbiased=True)
    assert exact["mean"] == [sp.Rational(9, 10) * sp.Rational(4, 10) + sp.Rational(3, 10)]  # 0.66
    first = sp.Rational(9, 10) + sp.Rational(1, 10) * sp.Rational(26, 3)
    assert exact["variance"] == [sp.Rational(9, 10) * first + sp.Rational(1, 10) * sp.Rational(26, 3)]


def test_a_zero_debiased_average_of_equal_statistics_is_that_statistic():
    batch = [[[2], [4]]] * 3  # mean 3, biased var 1 at every step: h/(1 − d³) must give exactly 3 and 1
    exact = theory.running_statistics(batch, new_weight=sp.Rational(1, 100), unbiased=False, debiased=True)
    assert exact == {"mean": [3], "variance": [1]}


# ---------------------------------------------------------------- FW-RELU-GRAD0 on fakes

RELU = {"f(-1)": 0.0, "f'(-1)": 0.0, "f(0)": 0.0, "f'(0)": 0.0, "f(1)": 1.0, "f'(1)": 1.0}


def fake_relu(at_zero, clamp_at_zero=1.0):
    def measure(name):
        if name != "torch":
            absent(name)
        return {"torch.relu": {**RELU, "f'(0)": at_zero}, "torch.clamp(x, min=0)": {**RELU, "f'(0)": clamp_at_zero}}

    return measure


def test_relu_check_holds_under_conditions_when_relu_takes_0_and_clamp_takes_1():
    record = fw.relu_at_zero(np.random.default_rng(0), "default", None, measure=fake_relu(0.0))
    assert record["verdict"] == "holds-under-conditions" and record["foil"]["rejected"]
    assert any("clamp" in c for c in record["conditions"]) and any("tensorflow" in c for c in record["conditions"])


def test_relu_check_refutes_a_framework_whose_relu_takes_the_right_derivative():
    record = fw.relu_at_zero(np.random.default_rng(0), "default", None, measure=fake_relu(1.0))
    assert record["verdict"] == "refuted" and "torch: torch.relu gives relu'(0) = 1, stated 0" in record["mismatches"]


def test_relu_check_refutes_a_variant_that_is_not_relu_or_not_a_subgradient():
    not_relu = fw.judge_relu({"torch": {"torch.relu": {**RELU, "f'(1)": 0.5}}}, stated=0.0)
    outside = fw.judge_relu({"torch": {"torch.relu": {**RELU, "f'(0)": 2.0}}}, stated=0.0)
    assert not_relu["mismatches"] and outside["mismatches"] and "subgradients" in outside["mismatches"][0]


# ---------------------------------------------------------------- FW-DROPOUT-API on fakes


def fake_dropout(*, keep_semantics=False, scale=True, same_mask=False, new_keys=False, predict="identity"):
    """Inverted dropout in numpy; each keyword makes one kind of wrong framework."""

    def measure(name, rng, x, rate):
        if name != "torch":
            absent(name)
        keep = rate if keep_semantics else 1 - rate
        factor = 1 / keep if scale else 1.0

        def call(generator):
            return np.where(generator.random(x.shape) < keep, x * np.float32(factor), 0).astype(np.float32)

        one = np.random.default_rng(rng.integers(2**63))
        steps = [call(np.random.default_rng(1)), call(np.random.default_rng(1))] if same_mask else [call(one), call(one)]
        return {
            "steps": steps,
            "new_key_steps": [call(one), call(one)] if new_keys else None,
            "predict": {"identity": x.copy(), "train": call(one), "none": None}[predict],
            "mode": "fake",
        }

    return measure


def test_dropout_check_holds_for_inverted_dropout_with_fresh_masks_and_an_identity_at_prediction():
    record = fw.dropout_api(np.random.default_rng(3), "default", None, measure=fake_dropout())
    assert record["verdict"] == "holds" and record["foil"]["rejected"], record["mismatches"]
    row = record["ours"]["by_framework"]["torch"]
    assert row["foil_power_at_least_0.999"] and abs(row["z"]) <= 5 and abs(row["foil_z"]) > 5


@pytest.mark.parametrize(
    ("fake", "found"),
    [
        ({"keep_semantics": True}, "kept fraction"),
        ({"scale": False}, "kept values"),
        ({"same_mask": True}, "two training calls agree"),
        ({"predict": "train"}, "prediction-mode output differs"),
    ],
)
def test_dropout_check_refutes_a_framework_that_breaks_one_statement(fake, found):
    record = fw.dropout_api(np.random.default_rng(3), "default", None, measure=fake_dropout(**fake))
    assert record["verdict"] == "refuted" and any(found in m for m in record["mismatches"]), record["mismatches"]


def test_a_mask_fixed_by_its_key_and_no_inference_mode_are_conditions_not_refutations():
    record = fw.dropout_api(np.random.default_rng(3), "default", None, measure=fake_dropout(same_mask=True, new_keys=True, predict="none"))
    assert record["verdict"] == "holds-under-conditions" and not record["mismatches"]
    assert any("PRNG key" in c for c in record["conditions"]) and any("no inference mode" in c for c in record["conditions"])


# ---------------------------------------------------------------- FW-BN-RUNNING on fakes


def fake_batch_norm(*, new_weight=0.1, unbiased_running=True, predict_with_batch=False, unbiased_normalization=False):
    """Batch norm in float32 numpy with torch's defaults (momentum 0.1 = α, unbiased running variance) unless told otherwise."""

    def normalize(x, mean, var, eps):
        return ((x - mean) / np.sqrt(var + eps)).astype(np.float32)

    def measure(name, batches, predict_batch):
        if name != "torch":
            absent(name)
        mean, var, eps = np.zeros(3, np.float32), np.ones(3, np.float32), np.float32(1e-5)
        for b in batches:
            mean = (1 - new_weight) * mean + new_weight * b.mean(0)
            var = (1 - new_weight) * var + new_weight * b.var(0, ddof=1 if unbiased_running else 0)
            out = normalize(b, b.mean(0), b.var(0, ddof=1 if unbiased_normalization else 0), eps)
        if predict_with_batch:
            predicted = normalize(predict_batch, predict_batch.mean(0), predict_batch.var(0), eps)
        else:
            predicted = normalize(predict_batch, mean, var, eps)
        return {"running_mean": mean.astype(np.float64), "running_variance": var.astype(np.float64), "train_output": out.astype(np.float64),
                "predict_output": predicted.astype(np.float64), "parameter": 0.1, "epsilon": 1e-5}  # fmt: skip

    return measure


def test_batch_norm_check_holds_for_torchs_documented_convention_computed_in_numpy():
    record = fw.batch_norm_running(np.random.default_rng(0), "default", None, measure=fake_batch_norm())
    assert record["verdict"] == "holds" and record["foil"]["rejected"], record["mismatches"]


@pytest.mark.parametrize(
    ("fake", "found"),
    [
        ({"new_weight": 0.9}, "running statistics"),  # Keras's convention read with torch's momentum 0.1: α = 0.9
        ({"unbiased_running": False}, "running statistics"),
        ({"predict_with_batch": True}, "prediction uses the running statistics"),
        ({"unbiased_normalization": True}, "training normalizes"),
    ],
)
def test_batch_norm_check_refutes_the_other_convention_divisor_or_prediction(fake, found):
    record = fw.batch_norm_running(np.random.default_rng(0), "default", None, measure=fake_batch_norm(**fake))
    assert record["verdict"] == "refuted" and any(found in m for m in record["mismatches"]), record["mismatches"]


def test_batch_norm_foils_sit_beyond_the_tolerance_on_the_chosen_batches():
    for framework, convention in DOCUMENTED.items():
        truth = fw.expected_running(convention, convention.default)
        for swap in ({"swap_momentum": True}, {"swap_divisor": True}):
            foil = fw.expected_running(convention, convention.default, **swap)
            assert not np.allclose(foil["mean"] + foil["variance"], truth["mean"] + truth["variance"], rtol=100 * fw.RTOL), (framework, swap)


# ---------------------------------------------------------------- FW-DEFAULT-INIT on fakes


def _uniform(variance_of_fans):
    def draw(rng, shape):
        *kernel, fan_in_axis, fan_out_axis = shape
        field = math.prod(kernel)
        bound = math.sqrt(3 * variance_of_fans(fan_in_axis * field, fan_out_axis * field))
        return rng.uniform(-bound, bound, shape).astype(np.float32)

    return user_sampler(draw)


GLOROT = _uniform(lambda fan_in, fan_out: 2 / (fan_in + fan_out))
HE = _uniform(lambda fan_in, fan_out: 2 / fan_in)


def fake_layers(*, activation_aware):
    def layers(name):
        if name != "keras":
            absent(name)
        return [LayerDefault(
            label="Dense", layout="keras", documented_rule="glorot_uniform", documented_by="fake", relu_rule="he_uniform", takes_activation=True,
            sampler=lambda activation: HE if activation_aware and activation == "relu" else GLOROT,
            bias=lambda rng, fan_in, units: np.zeros(units, np.float32),
        )]  # fmt: skip

    return layers


def no_keras():
    absent("keras")  # the fakes import no framework: this process's floating-point and fork state stay as other tests expect


def test_default_init_check_refutes_003_for_a_glorot_default_that_ignores_the_activation():
    record = fw.default_init(np.random.default_rng(0), "default", None, layers=fake_layers(activation_aware=False), configs=no_keras)
    assert record["verdict"] == "refuted" and record["foil"]["rejected"]
    assert any(m.startswith("003: 0 of 1") for m in record["mismatches"])


def test_default_init_check_accepts_003_for_a_fake_framework_that_gives_relu_layers_he_weights():
    record = fw.default_init(np.random.default_rng(0), "default", None, layers=fake_layers(activation_aware=True), configs=no_keras)
    assert not any(m.startswith("003") for m in record["mismatches"]) and not record["foil"]["rejected"]
    # its ReLU layer no longer follows the documented Glorot rule: that is reported as a discrepancy with the documentation
    assert any("documented glorot_uniform" in m for m in record["mismatches"])


# ---------------------------------------------------------------- no framework installed: not-checked, never a failure


@pytest.mark.parametrize(
    ("experiment", "keyword"),
    [(fw.relu_at_zero, "measure"), (fw.dropout_api, "measure"), (fw.batch_norm_running, "measure"), (fw.default_init, "layers")],
)
def test_a_check_with_no_framework_installed_is_not_checked_and_names_each_missing_one(experiment, keyword):
    def missing(name, *args):
        absent(name)

    options = {keyword: missing, **({"configs": no_keras} if keyword == "layers" else {})}
    record = experiment(np.random.default_rng(0), "default", None, **options)
    assert record["verdict"] == "not-checked" and all(name in record["summary"] for name in ("torch", "tensorflow", "not installed"))


def test_a_claim_whose_frameworks_are_absent_shows_not_checked_without_failing_the_run(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name in ("torch", "jax", "keras", "tensorflow") else real(name, *a))
    claim = BY_ID["FW-RELU-GRAD0"]
    # the experiment in this process (the registered check runs it in a fresh one, where this patch would not reach)
    from initcheck.reproductions import ReproductionCheck
    from initcheck.reproductions.frameworks import relu_at_zero

    check = run_reproduction(claim, ReproductionCheck(experiment=relu_at_zero, needs_mnist=False), seed=0).as_json()
    assert check["verdict"] == "not-checked" and check["passed"] is None and "torch is not installed" in check["summary"]
    others = [{"kind": k, "verdict": "not-checked", "passed": None, "summary": ""} for k in ("symbolic", "simulation", "property")]
    record = claim_record(claim, [*others, check])
    assert record["verdict"] == "not-checked" and record["consistent"]
    # a check that ran and contradicts its documented verdict still fails the claim
    ran = {**check, "verdict": "refuted", "passed": False}
    assert not claim_record(claim, [*others, ran])["consistent"]


# ---------------------------------------------------------------- the real frameworks (skipped, saying why, when absent)
# Each runs in its own process (cwd outside the checkout): importing torch and JAX changes a process for the tests that
# follow it (OpenMP runtimes listed with the BLAS, JAX's warning at every os.fork of the worker pools).

INSTALLED = {name: importlib.util.find_spec(name) is not None for name in ("torch", "jax", "keras", "flax", "haiku", "tensorflow", "tf_keras")}


def installed(*names):
    missing = [n for n in names if not INSTALLED[n]]
    return pytest.mark.skipif(bool(missing), reason=f"{', '.join(missing)} not installed: pip install 'initcheck[frameworks]' or tox -e frameworks")


def in_subprocess(code: str):
    """Run `code` (which prints one JSON value last) in a fresh interpreter; return that value."""
    script = "import json, numpy as np\nfrom initcheck.reproductions import frameworks as fw\n" + textwrap.dedent(code)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tempfile.gettempdir(), timeout=900,
        env={**os.environ, "KERAS_BACKEND": os.environ.get("KERAS_BACKEND", "jax")},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@installed("torch", "jax", "keras", "flax", "haiku")
def test_fw_checks_behave_as_documented_on_the_installed_frameworks():
    records = in_subprocess(f"""
        from initcheck.registry import BY_ID, resolve
        from initcheck.verify import run_reproduction
        out = {{}}
        for claim_id in {FW_CLAIMS!r}:
            claim = BY_ID[claim_id]
            out[claim_id] = run_reproduction(claim, resolve(claim.reproduction), seed=20101).as_json()
        import sys
        out["frameworks imported here"] = sorted(m for m in ("torch", "jax", "keras", "flax", "haiku", "tensorflow", "tf_keras") if m in sys.modules)
        print(json.dumps(out))
    """)
    imported = records.pop("frameworks imported here")
    assert imported == [], f"a FW check imported {imported} into the process that ran it: the next check there runs in another process"
    for claim_id, record in records.items():
        assert record["passed"] and record["verdict"] == BY_ID[claim_id].documented_verdict, (claim_id, record["summary"], record["mismatches"])
        assert record["foil"]["rejected"], claim_id


@installed("torch", "jax", "keras")
def test_relu_spellings_measured_in_torch_and_jax():
    values, foil = in_subprocess("""
        values = fw.judge_relu(fw.measure_each(("torch", "jax", "keras"), fw.relu_derivatives), stated=0.0)
        foil = fw.judge_relu(fw.measure_each(("torch",), fw.relu_derivatives), stated=1.0)  # the foil, on real torch
        print(json.dumps([values, foil]))
    """)
    assert set(values["operations_at_zero"].values()) == {0.0}
    spellings = values["spellings_at_zero"]
    assert spellings["torch: torch.clamp(x, min=0)"] == 1.0 and spellings["torch: torch.maximum(x, 0)"] == 0.5
    assert spellings["jax: jnp.maximum(x, 0)"] == 0.5 and spellings["keras: keras.ops.maximum(x, 0)"] == 0.5
    assert foil["mismatches"]


@installed("torch", "keras", "flax", "haiku")
def test_real_batch_norms_reject_each_others_conventions():
    mismatches = in_subprocess("""
        from dataclasses import replace
        from initcheck.conformance.frameworks import DOCUMENTED
        batches, predict = [np.asarray(b, np.float32) for b in fw.BATCHES], np.asarray(fw.PREDICT_BATCH, np.float32)
        measured = fw.measure_each(("torch", "keras", "flax", "haiku"), lambda name: fw.batch_norm_run(name, batches, predict))
        swapped = {"torch": DOCUMENTED["keras"], "keras": DOCUMENTED["torch"], "flax": replace(DOCUMENTED["flax"], debiased=True),
                   "haiku": replace(DOCUMENTED["haiku"], debiased=False)}
        print(json.dumps([fw.judge_batch_norm(measured)["mismatches"], fw.judge_batch_norm(measured, swapped)["mismatches"]]))
    """)
    documented, swapped = mismatches
    assert documented == [] and {m.split(":")[0] for m in swapped} >= {"torch", "keras", "flax", "haiku"}


@installed("torch", "keras", "flax", "haiku")
def test_real_dropouts_reject_keep_probability_semantics():
    mismatches = in_subprocess("""
        x = np.ones(50_000, np.float32)
        measured = fw.measure_each(("torch", "keras", "flax", "haiku"), lambda name: fw.dropout_calls(name, np.random.default_rng(5), x, 0.3))
        print(json.dumps(fw.judge_dropout(measured, rate=0.3, x=x, keep_probability_semantics=True)["mismatches"]))
    """)
    assert sum("kept fraction" in m for m in mismatches) == 4


@installed("tensorflow", "tf_keras")
def test_tensorflow_part_of_each_fw_claim_measured_by_tensorflows_own_code():
    """relu'(0) by tf.GradientTape, tf-keras Dropout and BatchNormalization, tf-keras Dense's default: each against its
    documented value, and each rejecting the foil the other frameworks' checks reject."""
    relu, dropout, batch_norm, default = in_subprocess("""
        relu = fw.judge_relu(fw.measure_each(("tensorflow",), fw.relu_derivatives), stated=0.0)
        relu_foil = fw.judge_relu(fw.measure_each(("tensorflow",), fw.relu_derivatives), stated=1.0)["mismatches"]
        x = np.ones(50_000, np.float32)
        measured = fw.measure_each(("tensorflow",), lambda name: fw.dropout_calls(name, np.random.default_rng(5), x, 0.3))
        dropout = [fw.judge_dropout(measured, rate=0.3, x=x)["mismatches"], fw.judge_dropout(measured, rate=0.3, x=x, keep_probability_semantics=True)["mismatches"]]
        from initcheck.conformance.frameworks import DOCUMENTED, layer_defaults
        batches, predict = [np.asarray(b, np.float32) for b in fw.BATCHES], np.asarray(fw.PREDICT_BATCH, np.float32)
        run = fw.measure_each(("tensorflow",), lambda name: fw.batch_norm_run(name, batches, predict))
        batch_norm = [fw.judge_batch_norm(run)["mismatches"], fw.judge_batch_norm(run, {"tensorflow": DOCUMENTED["torch"]})["mismatches"]]
        layers = [fw.measure_layer(layer, np.random.default_rng(6), "quick") for layer in layer_defaults("tensorflow")]
        print(json.dumps([[relu, relu_foil], dropout, batch_norm, fw.judge_defaults({"tensorflow": layers}, None)]))
    """)
    (judged, foil), (documented, keep) = relu, dropout
    assert set(judged["operations_at_zero"].values()) == {0.0} and foil
    assert judged["spellings_at_zero"]["tensorflow: tf.maximum(x, 0)"] == 1.0 and judged["spellings_at_zero"]["tensorflow: x * (x > 0)"] == 0.0
    assert documented == [] and any("kept fraction" in m for m in keep)
    assert batch_norm[0] == [] and any("running statistics" in m for m in batch_norm[1])
    assert default["documented_rule_holds"] == {"tensorflow tf_keras.layers.Dense / Conv2D": True}
    assert default["follows_activation"] == {"tensorflow tf_keras.layers.Dense / Conv2D": False}
    assert not any(m.startswith("002") for m in default["mismatches"]), default["mismatches"]
