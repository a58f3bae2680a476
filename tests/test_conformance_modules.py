"""Layer defaults beyond Linear/Conv2d, and Keras on its other backends: each matrix entry against its documented rule (quick tier).

Each entry's test runs the entry as the matrix does (check_entry) and, through the same battery, rule, layout and probe
shapes, a foil: a plausible wrong implementation of that layer (a wrong fan or a wrong gain), which must fail on the
statistic its bug moves. Framework tests skip, saying why, when the framework is not installed.
"""

import importlib.util
import math

import numpy as np
import pytest
import sympy as sp

from initcheck.conformance import check_entry, conform, keras_on_backend
from initcheck.conformance.layouts import fans, shape_for, units_by_fan
from initcheck.conformance.matrix import ENTRIES
from initcheck.conformance.rules import RuleError, parse_spec
from initcheck.theory import conformance as theory


def installed(name):
    return pytest.mark.skipif(importlib.util.find_spec(name) is None, reason=f"{name} is not installed: pip install 'initcheck[frameworks]' or tox -e frameworks")


def entry(framework, target, layout=None, rule=None):
    (found,) = [e for e in ENTRIES[framework] if e.target == target and (layout is None or e.layout == layout) and (rule is None or e.rule == rule)]
    return found


def uniform(bound):
    """f(rng, shape): U(−bound(shape), bound(shape)) in float32, a layer's rule written out by hand (a foil when bound is wrong)."""
    return lambda rng, shape: rng.uniform(-bound(shape), bound(shape), shape).astype(np.float32)


def normal(sd):
    return lambda rng, shape: (rng.standard_normal(shape) * sd(shape)).astype(np.float32)


def passes(found):
    record = check_entry(found, tier="quick")
    assert record["status"] == "pass", record.get("failures", record.get("reason"))
    return record


def rejected(found, foil, statistic):
    """The foil through the entry's own rule, layout and probes fails, and on `statistic`."""
    record = conform(foil, found.rule, layout=found.layout, tier="quick", shapes=found.shapes("quick") if found.shapes else None)
    assert record["status"] == "fail" and any(name.startswith(statistic) for name in record["failures"]), record["failures"]
    return record


def second_moments(record):
    return [t["measured"] for t in record["tests"] if t["statistic"] == "second moment"]


def receptive(shape):
    return math.prod(shape[2:])


def test_new_rules_reduce_to_the_documented_variances():
    """torch_rnn_default: U(±1/√H) with rows = gates·H, i.e. Var = 1/(3H) = gates/(3·fan_out); variance_scaling: scale/fan(mode)."""
    fi, fo = theory.fan_in, theory.fan_out
    hidden = sp.Symbol("H", positive=True)
    for gates in (1, 3, 4):
        variance = theory.named_rule("torch_rnn_default", gates=gates).variance.subs(fo, gates * hidden)
        assert sp.simplify(variance - 1 / (3 * hidden)) == 0
    assert sp.simplify(theory.named_rule("variance_scaling", scale=2, mode="fan_avg", distribution="uniform").variance - 4 / (fi + fo)) == 0
    assert theory.named_rule("variance_scaling", distribution="normal").family == "normal"
    assert parse_spec("variance_scaling:scale=1,mode=fan_out,distribution=normal")[1] == {"scale": 1.0, "mode": "fan_out", "distribution": "normal"}
    with pytest.raises(RuleError, match="distribution must be normal, uniform or truncated_normal"):
        parse_spec("variance_scaling:distribution=cauchy")


def test_keras_transposed_layout_reads_filters_as_outputs():
    """Conv2DTranspose kernels are (kh, kw, filters, in): the true fan_in is k·in, where Keras's own reading says k·filters."""
    shape = shape_for("keras_transposed", inputs=16, outputs=48, kernel=(3, 3))
    assert shape == (3, 3, 48, 16) and fans(shape, "keras_transposed") == fans((3, 3, 16, 48), "keras")
    assert fans(shape, "keras").fan_in == 9 * 48  # Keras's reading of the same tensor
    weights = np.arange(2 * 3 * 3 * 48 * 16).reshape(2, *shape)
    rows = units_by_fan(weights, "keras_transposed")
    assert rows.shape == (2, 48, 144) and np.array_equal(rows[1, 5], weights[1, :, :, 5, :].ravel())


# ---------------------------------------------------------------- PyTorch convolutions: Conv1d, Conv3d, grouped Conv2d


@installed("torch")
@pytest.mark.parametrize("target", ["torch-module:conv1d", "torch-module:conv3d"])
def test_conv1d_conv3d_follow_k_over_in_times_kernel_and_a_fan_without_the_kernel_is_rejected(target):
    found = entry("torch", target)
    passes(found)
    # the receptive field left out (k = 1/C_in): only the probe with a kernel > 1, C, can show it, and does
    record = rejected(found, uniform(lambda s: 1 / math.sqrt(s[1])), "second moment on C")
    assert second_moments(record)[2] == pytest.approx(receptive(found.shapes("quick")[2]), rel=0.05)


@installed("torch")
def test_grouped_conv2d_fan_in_is_in_over_groups_times_kernel_and_groups_ignored_is_rejected():
    found = entry("torch", "torch-module:conv2d_grouped")
    passes(found)
    # fan_in = C_in·∏kernel (groups ignored, C_in = 4·weight.shape[1]): Var 4× too small on every probe
    record = rejected(found, uniform(lambda s: 1 / math.sqrt(4 * s[1] * receptive(s))), "second moment")
    assert all(m == pytest.approx(0.25, rel=0.05) for m in second_moments(record))


# ---------------------------------------------------------------- Embedding


@installed("torch")
def test_embedding_is_standard_normal_and_a_dim_scaled_table_is_rejected():
    found = entry("torch", "torch-module:embedding")
    passes(found)
    rejected(found, normal(lambda s: 1 / math.sqrt(s[1])), "second moment")  # N(0, 1/dim): the "scaled embedding" convention


# ---------------------------------------------------------------- RNN, LSTM, GRU: U(±1/√hidden_size), rows = gates·hidden_size

GATES = {"rnn": 1, "lstm": 4, "gru": 3}


@installed("torch")
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_recurrent_input_weights_follow_hidden_size_and_nn_linear_rule_is_rejected(cell):
    found = entry("torch", f"torch-module:{cell}.weight_ih")
    passes(found)
    # nn.Linear's rule on the same tensor: U(±1/√input_size); A and B swap input_size and hidden_size, so it shows on both
    rejected(found, uniform(lambda s: 1 / math.sqrt(s[1])), "second moment")


@installed("torch")
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_recurrent_hidden_weights_follow_hidden_size_and_a_wrong_fan_or_gain_is_rejected(cell):
    found = entry("torch", f"torch-module:{cell}.weight_hh")
    passes(found)
    if GATES[cell] > 1:  # hidden_size read as the row count (gates·H): Var 1/gates of the rule
        record = rejected(found, uniform(lambda s: 1 / math.sqrt(s[0])), "second moment")
        assert all(m == pytest.approx(1 / GATES[cell], rel=0.05) for m in second_moments(record))
    else:  # RNN: rows = H, so that misreading is harmless; He's uniform (kaiming_uniform_, a = 0: bound √(6/H)) is not
        rejected(found, uniform(lambda s: math.sqrt(6 / s[1])), "second moment")


@installed("torch")
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_recurrent_biases_follow_hidden_size_and_a_wrong_fan_or_gain_is_rejected(cell):
    found = entry("torch", f"torch-module:{cell}.bias")
    passes(found)
    if GATES[cell] > 1:  # hidden_size read as the bias length (gates·H)
        rejected(found, uniform(lambda s: 1 / math.sqrt(s[0])), "second moment")
    else:  # He's bound √(6/H)
        rejected(found, uniform(lambda s: math.sqrt(6 / s[0])), "second moment")


# ---------------------------------------------------------------- MultiheadAttention: packed in_proj_weight, out_proj


@installed("torch")
def test_attention_packed_in_proj_follows_xavier_on_the_packed_tensor_and_per_projection_xavier_is_rejected():
    found = entry("torch", "torch-module:mha.in_proj_weight")
    passes(found)
    # xavier_uniform_ on each (E, E) block, as the kdim ≠ E branch does: Var 1/E, twice what the packed (3E, E) gets
    record = rejected(found, uniform(lambda s: math.sqrt(6 / (2 * s[1]))), "second moment")
    assert all(m == pytest.approx(2.0, rel=0.05) for m in second_moments(record))


@installed("torch")
@pytest.mark.parametrize("block", "qkv")
def test_each_packed_attention_projection_gets_half_the_variance_of_xavier_on_its_own_matrix(block):
    """A finding: W_q, W_k, W_v (E, E) blocks of the packed in_proj_weight each have Var 1/(2E) = (E+E)/(E+3E) of xavier's 1/E
    on an (E, E) matrix (what MultiheadAttention itself gives them when kdim ≠ E). The check is not failing everything: a
    sampler that applies xavier_uniform_ to the (E, E) block passes it."""
    found = entry("torch", f"torch-module:mha.{block}")
    assert found.statement
    record = check_entry(found, tier="quick")
    assert record["status"] == "fail"
    assert all(m == pytest.approx((1 + 1) / (1 + 3), rel=0.05) for m in second_moments(record))
    per_projection = conform(uniform(lambda s: math.sqrt(6 / (s[0] + s[1]))), found.rule, layout="torch", tier="quick", shapes=found.shapes("quick"))
    assert per_projection["status"] == "pass", per_projection["failures"]


@installed("torch")
@pytest.mark.parametrize("block", "kv")
def test_attention_with_kdim_not_e_gives_each_projection_xavier_on_its_own_matrix_and_the_packed_share_is_rejected(block):
    """MultiheadAttention(E, kdim=vdim≠E) keeps k_proj_weight, v_proj_weight (E, kdim) apart and applies xavier_uniform_
    to each: Var 2/(E + kdim). The packed tensor's share (its fans (kdim, 3E): Var 2/(kdim + 3E)) is the foil."""
    found = entry("torch", f"torch-module:mha.kdim.{block}")
    passes(found)
    rejected(found, uniform(lambda s: math.sqrt(6 / (s[1] + 3 * s[0]))), "second moment")


@installed("torch")
def test_attention_out_proj_is_the_linear_default_and_xavier_is_rejected():
    found = entry("torch", "torch-module:mha.out_proj")
    passes(found)
    rejected(found, uniform(lambda s: math.sqrt(6 / (s[0] + s[1]))), "second moment")  # xavier, as in_proj has: Var 3× the default's


# ---------------------------------------------------------------- Keras Conv2DTranspose: kernel (kh, kw, out, in)


@installed("keras")
@installed("jax")
def test_keras_conv_transpose_default_is_glorot_whichever_way_the_kernel_is_read_and_he_is_rejected():
    for layout in ("keras", "keras_transposed"):
        passes(entry("keras", "keras-layer:conv_transpose", layout, "glorot_uniform"))  # fan_in + fan_out: the same both ways
    he_as_keras_reads = uniform(lambda s: math.sqrt(6 / (s[-2] * math.prod(s[:-2]))))  # He uniform in Glorot's place
    rejected(entry("keras", "keras-layer:conv_transpose", "keras", "glorot_uniform"), he_as_keras_reads, "second moment")


@installed("keras")
@installed("jax")
def test_keras_conv_transpose_he_uses_the_filters_as_fan_in():
    """A finding: with kernel_initializer='he_uniform', Keras's fan_in is k·filters (it reads (kh, kw, out, in) as (…, in, out)).

    Keras's own reading passes and a He on the true fan_in (k·input channels) fails it; against the true fan_in the layer
    fails with Var ratio in/out: 1/4 on A (out 4n, in n) and 4 on B."""
    keras_reading = entry("keras", "keras-layer:conv_transpose", "keras", "he_uniform")
    passes(keras_reading)
    true_fan_in = uniform(lambda s: math.sqrt(6 / (s[-1] * math.prod(s[:-2]))))
    rejected(keras_reading, true_fan_in, "second moment")
    true_reading = entry("keras", "keras-layer:conv_transpose", "keras_transposed", "he_uniform")
    assert true_reading.statement
    record = check_entry(true_reading, tier="quick")
    assert record["status"] == "fail"
    assert second_moments(record)[:2] == [pytest.approx(0.25, rel=0.05), pytest.approx(4.0, rel=0.05)]
    assert conform(true_fan_in, true_reading.rule, layout="keras_transposed", tier="quick")["status"] == "pass"


# ---------------------------------------------------------------- Flax linen.Embed


@installed("flax")
def test_flax_embed_is_normal_with_variance_one_over_features_not_standard_normal():
    """variance_scaling(1.0, 'fan_in', 'normal', out_axis=0) on (num_embeddings, features): JAX's fan_in there is features,
    so the table is N(0, 1/features). torch.nn.Embedding's N(0, 1) (a reading of it as 'N(0,1)-ish') is rejected."""
    found = entry("flax", "flax-module:embed")
    passes(found)
    record = rejected(found, normal(lambda s: 1.0), "second moment")
    assert second_moments(record)[0] == pytest.approx(found.shapes("quick")[0][1], rel=0.05)  # 1 over 1/features


# ---------------------------------------------------------------- Keras on the numpy and torch backends (fresh processes)


@installed("keras")
def test_keras_on_the_numpy_backend_runs_in_its_own_process_and_records_its_backend():
    records = keras_on_backend("numpy", seed=0, tier="quick", targets=("keras.initializers.GlorotUniform", "keras.initializers.TruncatedNormal"))
    assert {r["backend"] for r in records} == {"numpy"} and records[0]["target"] == "keras.initializers.GlorotUniform"
    by_rule = {r["rule"]: r for r in records}
    assert by_rule["glorot_uniform"]["status"] == "pass" and by_rule["truncated_normal:std=0.05"]["status"] == "pass"
    # the documentation's reading of stddev fails on every backend (0.8796² of the variance), so the child judges, not echoes
    assert by_rule["truncated_normal_sd:std=0.05"]["status"] == "fail"


@installed("keras")
@installed("torch")
def test_keras_on_the_torch_backend_lets_truncated_normals_past_the_bound():
    (record,) = [r for r in keras_on_backend("torch", seed=0, tier="quick", targets=("keras.initializers.HeNormal",)) if r["dtype"] == "float32"]
    assert record["backend"] == "torch" and record["status"] == "fail" and "bound on all probes" in record["failures"]


@installed("keras")
def test_a_backend_that_fails_is_a_record_not_a_crash(monkeypatch):
    (broken,) = keras_on_backend("numpy", seed=0, tier="no such tier")  # the child raises (KeyError on the tier)
    assert broken["status"] == "error" and broken["backend"] == "numpy" and "KeyError" in broken["reason"]
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    (absent,) = keras_on_backend("torch", seed=0, tier="quick")
    assert absent["status"] == "not installed" and absent["backend"] == "torch"


# ---------------------------------------------------------------- Haiku initializers; float64 in JAX's x64 mode


@installed("haiku")
def test_haiku_orthogonal_is_haar_and_a_canonical_sign_is_rejected():
    found = entry("haiku", "haiku.initializers.Orthogonal")
    passes(found)
    from initcheck.conformance.foils import FOILS

    (canonical,) = [f for f in FOILS if f.name == "orthogonal with a canonical overall sign"]
    rejected(found, canonical.function, "Haar: sign of Q₀₀")


@installed("haiku")
def test_haiku_variance_scaling_default_is_sd_corrected_lecun_normal_in_float32_and_float64():
    found = entry("haiku", "haiku.initializers.VarianceScaling")
    assert "float64" in found.dtypes
    for dtype in found.dtypes:
        record = check_entry(found, dtype=dtype, tier="quick")
        assert record["status"] == "pass" and record["dtype"] == dtype, record.get("failures", record.get("reason"))
    sd = lambda s: math.sqrt(1 / fans(s, "keras").fan_in)  # noqa: E731
    truncated_uncorrected = lambda rng, s: (_truncated(rng, s) * sd(s)).astype(np.float32)  # noqa: E731  (sd 0.88× the rule's)
    rejected(found, truncated_uncorrected, "second moment")


def _truncated(rng, shape):
    """N(0, 1) cut at ±2 by rejection, without the 0.88 sd correction."""
    values = rng.standard_normal(shape)
    while (outside := np.abs(values) > 2).any():
        values[outside] = rng.standard_normal(int(outside.sum()))
    return values


@installed("jax")
@pytest.mark.parametrize("target", ["jax.nn.initializers.glorot_uniform", "jax.nn.initializers.he_normal"])
def test_jax_float64_draws_are_float64_and_follow_the_rule_and_leave_float32_as_it_was(target):
    """JAX truncates float64 to float32 unless x64 is on: the adapter turns it on around the draw only (a float64 record
    whose draw came back float32 would fail the battery's dtype check), and JAX's default dtype after it is float32 again."""
    import jax

    found = entry("jax", target)
    record = check_entry(found, dtype="float64", tier="quick")
    assert record["status"] == "pass" and record["dtype"] == "float64", record.get("failures", record.get("reason"))
    assert not jax.config.jax_enable_x64 and jax.numpy.zeros(()).dtype == jax.numpy.float32  # the process's flag as it was


@installed("flax")
def test_flax_dense_float64_follows_lecun_normal():
    record = check_entry(entry("flax", "flax-module:dense"), dtype="float64", tier="quick")
    assert record["status"] == "pass" and record["dtype"] == "float64", record.get("failures", record.get("reason"))
