"""The framework matrix: each shipped initializer against the rule its documentation states, per dtype.

An entry's `documented` names where the rule comes from. Entries marked `statement` test one
sentence of the documentation on its own (Keras's "stddev: standard deviation of the random values
to generate" for TruncatedNormal); a failure there is a discrepancy between documentation and behaviour.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from initcheck.conformance.battery import TIERS

Shapes = tuple[tuple[int, ...], ...]

FRAMEWORKS = ("torch", "tensorflow", "jax", "keras", "flax", "haiku", "equinox")


@dataclass(frozen=True)
class Entry:
    framework: str
    target: str  # torch.nn.init.* / jax.nn.initializers.* / keras.initializers.* / tf_keras.initializers.* / torch-module:<kind> / tf-keras-layer:<kind>
    rule: str
    layout: str
    documented: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    dtypes: tuple[str, ...] = ("float32",)
    statement: bool = False
    shapes: Callable[[str], Shapes] | None = None  # tier → the probes A, B, C when the battery's standard ones do not fit the layer

    def dtypes_for(self, which: str) -> tuple[str, ...]:
        """"listed": the entry's own dtypes (the main job's); "all": every float dtype, float32 first (a dtype the
        framework refuses becomes a "refused" record naming the framework's error)."""
        if which == "listed":
            return self.dtypes
        if which == "all":
            return ALL_DTYPES
        raise ValueError(f"dtypes must be listed or all; got {which!r}")


ALL_DTYPES = ("float32", "float64", "bfloat16", "float16")
DTYPE_CHOICES = ("listed", "all")


def _n(tier: str) -> int:
    return int(TIERS[tier]["inputs"])  # 32 quick, 64 default: the probes below scale with the tier as the standard ones do


def conv_probes(kernel: tuple[int, ...]) -> Callable[[str], Shapes]:
    """torch layout: A, B pointwise (kernel 1 in every axis: in n → out 4n and back), C = (3n/4, n/4, *kernel)."""
    ones = (1,) * len(kernel)
    return lambda tier: ((4 * _n(tier), _n(tier), *ones), (_n(tier), 4 * _n(tier), *ones), (3 * _n(tier) // 4, _n(tier) // 4, *kernel))


def rnn_probes(gates: int, which: str) -> Callable[[str], Shapes]:
    """(gates·H, ·), largest first (the replicate count follows A): weight_ih with H = 2n, n/2, n and input n/2, 2n, n (A and B
    swap fans); weight_hh (gates·H, H) with H = 2n, n/2, n; bias as (gates·H, 2) (bias_ih, bias_hh) with H = 4n, n, 2n."""

    def shapes(tier: str) -> Shapes:
        n = _n(tier)
        if which == "weight_ih":
            return ((gates * 2 * n, n // 2), (gates * n // 2, 2 * n), (gates * n, n))
        if which == "weight_hh":
            return ((gates * 2 * n, 2 * n), (gates * n // 2, n // 2), (gates * n, n))
        return ((gates * 4 * n, 2), (gates * n, 2), (gates * 2 * n, 2))

    return shapes


def attention_probes(rows_per_embed: int) -> Callable[[str], Shapes]:
    """(rows·E, E) with E = 2n, n/2, n: the packed in_proj_weight (rows 3) or one (E, E) block / out_proj (rows 1)."""
    return lambda tier: tuple((rows_per_embed * e, e) for e in (2 * _n(tier), _n(tier) // 2, _n(tier)))


def kdim_probes(tier: str) -> Shapes:
    """(E, kdim) = (2n, n/2), (n/2, 2n), (n, 2n): kdim ≠ E in every probe, E a multiple of the 4 heads."""
    n = _n(tier)
    return ((2 * n, n // 2), (n // 2, 2 * n), (n, 2 * n))


def table_probes(tier: str) -> Shapes:
    """(rows, columns) = (4n, n), (n, 4n), (n, n): an embedding table, or any 2-D weight."""
    return ((4 * _n(tier), _n(tier)), (_n(tier), 4 * _n(tier)), (_n(tier), _n(tier)))


TORCH = (
    Entry("torch", "torch.nn.init.xavier_uniform_", "glorot_uniform", "torch", "xavier_uniform_: U(−a, a), a = gain·√(6/(fan_in+fan_out))", dtypes=("float32", "float64")),
    Entry("torch", "torch.nn.init.xavier_normal_", "xavier_normal", "torch", "xavier_normal_: N(0, std²), std = gain·√(2/(fan_in+fan_out))"),
    Entry("torch", "torch.nn.init.kaiming_uniform_", "kaiming_uniform", "torch", "kaiming_uniform_: bound = gain·√(3/fan_mode), a=0 leaky_relu gain √2"),
    Entry("torch", "torch.nn.init.kaiming_normal_", "kaiming_normal", "torch", "kaiming_normal_: std = gain/√fan_mode", dtypes=("float32", "float64", "bfloat16", "float16")),
    Entry("torch", "torch.nn.init.kaiming_normal_", "kaiming_normal:mode=fan_out", "torch", "kaiming_normal_(mode='fan_out')", {"mode": "fan_out"}),
    Entry("torch", "torch.nn.init.kaiming_normal_", "kaiming_normal:a=0.2", "torch", "kaiming_normal_(a=0.2): gain √(2/(1+a²))", {"a": 0.2}),
    Entry("torch", "torch.nn.init.kaiming_uniform_", "torch_linear_default", "torch", "kaiming_uniform_(a=√5)", {"a": math.sqrt(5)}),
    Entry("torch", "torch.nn.init.normal_", "normal:std=0.05", "torch", "normal_(std=0.05)", {"std": 0.05}),
    Entry("torch", "torch.nn.init.uniform_", "uniform:a=0.05", "torch", "uniform_(a=−0.05, b=0.05)", {"a": -0.05, "b": 0.05}),
    Entry("torch", "torch.nn.init.trunc_normal_", "truncated_normal:std=1", "torch", "trunc_normal_: N(0, 1) cut to [−2, 2]"),
    Entry("torch", "torch.nn.init.orthogonal_", "orthogonal", "torch", "orthogonal_: (semi-)orthogonal matrix, gain 1"),
    Entry("torch", "torch-module:linear", "torch_linear_default", "torch", "nn.Linear / nn.Conv2d docs: U(−√k, √k), k = 1/(in·∏kernel)"),
    Entry("torch", "torch-module:conv_transpose", "torch_linear_default", "torch", "nn.ConvTranspose docs: k = groups/(C_out·∏kernel): torch's own fan reading"),
    Entry(
        "torch", "torch-module:conv_transpose", "torch_linear_default", "torch_transposed",
        "ConvTranspose against the true fan_in = C_in·∏kernel (1/(3·fan_in) as for Conv): differs by design, documented", statement=True,
    ),
    # torch/nn/modules/conv.py: Conv1d/Conv3d docs "U(−√k, √k), k = groups/(C_in·∏kernel_size)"; _ConvNd.reset_parameters
    # kaiming_uniform_(weight, a=√5) on (out, in/groups, *kernel), whose fan_in torch reads as (in/groups)·∏kernel.
    Entry("torch", "torch-module:conv1d", "torch_linear_default", "torch", "nn.Conv1d docs: k = groups/(C_in·kernel_size)", shapes=conv_probes((9,))),
    Entry("torch", "torch-module:conv3d", "torch_linear_default", "torch", "nn.Conv3d docs: k = groups/(C_in·∏kernel_size)", shapes=conv_probes((3, 3, 3))),
    Entry(
        "torch", "torch-module:conv2d_grouped", "torch_linear_default", "torch",
        "nn.Conv2d(groups=4) docs: k = groups/(C_in·∏kernel): fan_in = (C_in/groups)·∏kernel, the weight's (out, in/groups, kh, kw)",
    ),
    # torch/nn/modules/sparse.py: "weight … initialized from N(0, 1)"; reset_parameters: init.normal_(weight).
    Entry("torch", "torch-module:embedding", "normal:std=1", "torch", "nn.Embedding docs: weight initialized from N(0, 1)", shapes=table_probes),
    # torch/nn/modules/rnn.py: "All the weights and biases are initialized from U(−√k, √k) where k = 1/hidden_size";
    # RNNBase.reset_parameters: init.uniform_(w, −1/√H, 1/√H) for every parameter. Rows are gates·H (RNN 1, GRU 3, LSTM 4).
    *(
        Entry(
            "torch", f"torch-module:{cell}.{which}", f"torch_rnn_default:gates={gates}", "torch",
            f"nn.{cell.upper()} docs: {which} U(−1/√hidden_size, 1/√hidden_size)" + (" (bias_ih, bias_hh as 2 columns)" if which == "bias" else ""),
            shapes=rnn_probes(gates, which),
        )
        for cell, gates in (("rnn", 1), ("lstm", 4), ("gru", 3)) for which in ("weight_ih", "weight_hh", "bias")
    ),
    # torch/nn/modules/activation.py MultiheadAttention._reset_parameters: xavier_uniform_(in_proj_weight) on the packed
    # (3E, E) [W_q; W_k; W_v] when kdim = vdim = E (its kdim ≠ E branch applies xavier_uniform_ to each (E, E) W_q, W_k, W_v).
    Entry("torch", "torch-module:mha.in_proj_weight", "glorot_uniform", "torch", "MHA._reset_parameters: xavier_uniform_ on the packed (3E, E)", shapes=attention_probes(3)),
    *(
        Entry(
            "torch", f"torch-module:mha.{block}", "glorot_uniform", "torch",
            f"W_{block}, the (E, E) block of the packed in_proj_weight, against xavier_uniform_ on an (E, E) projection (Var 1/E, as MHA's own "
            "kdim ≠ E branch initializes W_q, W_k, W_v): the packed tensor's fans are (E, 3E), so each block gets Var 1/(2E)", statement=True,
            shapes=attention_probes(1),
        )
        for block in "qkv"
    ),
    *(
        Entry(
            "torch", f"torch-module:mha.kdim.{block}", "glorot_uniform", "torch",
            f"MHA(E, kdim=vdim≠E)._reset_parameters: xavier_uniform_ on the separate (E, kdim) {block}_proj_weight", shapes=kdim_probes,
        )
        for block in "kv"
    ),
    # out_proj is a Linear(E, E) that _reset_parameters leaves to Linear.reset_parameters (only its bias is zeroed).
    Entry("torch", "torch-module:mha.out_proj", "torch_linear_default", "torch", "MHA.out_proj: nn.Linear(E, E) default (kaiming_uniform_ a=√5)", shapes=attention_probes(1)),
)  # fmt: skip

JAX = (
    Entry("jax", "jax.nn.initializers.glorot_uniform", "glorot_uniform", "keras", "variance_scaling(1, fan_avg, uniform)", dtypes=("float32", "float64", "bfloat16")),
    Entry("jax", "jax.nn.initializers.glorot_normal", "glorot_normal", "keras", "variance_scaling(1, fan_avg, truncated_normal)"),
    Entry("jax", "jax.nn.initializers.he_normal", "he_normal", "keras", "variance_scaling(2, fan_in, truncated_normal)", dtypes=("float32", "float64", "bfloat16")),
    Entry("jax", "jax.nn.initializers.he_uniform", "he_uniform", "keras", "variance_scaling(2, fan_in, uniform)"),
    Entry("jax", "jax.nn.initializers.lecun_normal", "lecun_normal", "keras", "variance_scaling(1, fan_in, truncated_normal)"),
    Entry("jax", "jax.nn.initializers.lecun_uniform", "lecun_uniform", "keras", "variance_scaling(1, fan_in, uniform)"),
    Entry("jax", "jax.nn.initializers.orthogonal", "orthogonal", "keras", "orthogonal(scale=1, column_axis=-1)"),
    Entry("jax", "jax.nn.initializers.normal", "normal:std=0.05", "keras", "normal(stddev)", {"stddev": 0.05}),
    Entry("jax", "jax.nn.initializers.truncated_normal", "truncated_normal:std=0.05", "keras", "stddev: of the untruncated distribution, no correction", {"stddev": 0.05}),
    Entry(
        "jax", "jax.nn.initializers.truncated_normal", "truncated_normal_sd:std=0.05", "keras",
        "Returns: 'values follow the truncated normal distribution with mean 0 and standard deviation stddev'", {"stddev": 0.05}, statement=True,
    ),
)  # fmt: skip

KERAS = (
    Entry("keras", "keras.initializers.GlorotUniform", "glorot_uniform", "keras", "GlorotUniform: U(−limit, limit), limit = √(6/(fan_in+fan_out))"),
    Entry("keras", "keras.initializers.GlorotNormal", "glorot_normal", "keras", "GlorotNormal: truncated normal, stddev = √(2/(fan_in+fan_out))"),
    Entry("keras", "keras.initializers.HeNormal", "he_normal", "keras", "HeNormal: truncated normal, stddev = √(2/fan_in)", dtypes=("float32", "float64")),
    Entry("keras", "keras.initializers.HeUniform", "he_uniform", "keras", "HeUniform: limit = √(6/fan_in)"),
    Entry("keras", "keras.initializers.LecunNormal", "lecun_normal", "keras", "LecunNormal: truncated normal, stddev = √(1/fan_in)"),
    Entry("keras", "keras.initializers.LecunUniform", "lecun_uniform", "keras", "LecunUniform: limit = √(3/fan_in)"),
    Entry("keras", "keras.initializers.Orthogonal", "orthogonal", "keras", "Orthogonal(gain=1)"),
    Entry("keras", "keras.initializers.RandomNormal", "normal:std=0.05", "keras", "RandomNormal(stddev=0.05)", {"stddev": 0.05}),
    Entry("keras", "keras.initializers.RandomUniform", "uniform:a=0.05", "keras", "RandomUniform(minval=−0.05, maxval=0.05)", {"minval": -0.05, "maxval": 0.05}),
    Entry("keras", "keras.initializers.TruncatedNormal", "truncated_normal:std=0.05", "keras", "values beyond 2 stddev re-drawn", {"stddev": 0.05}),
    Entry(
        "keras", "keras.initializers.TruncatedNormal", "truncated_normal_sd:std=0.05", "keras",
        "stddev: 'Standard deviation of the random values to generate'", {"stddev": 0.05}, statement=True,
    ),
    # keras/src/layers/convolutional/base_conv_transpose.py: kernel_initializer="glorot_uniform", kernel shape
    # kernel_size + (filters, input_channel), i.e. (kh, kw, out, in); compute_fans reads (…, in, out): fan_in = k·filters.
    Entry("keras", "keras-layer:conv_transpose", "glorot_uniform", "keras", "Conv2DTranspose default glorot_uniform, fans as Keras reads the kernel"),
    Entry(
        "keras", "keras-layer:conv_transpose", "glorot_uniform", "keras_transposed",
        "Conv2DTranspose default against the true fans (in·k, out·k): Glorot's fan_in + fan_out is symmetric, so Keras's misread is harmless",
    ),
    Entry(
        "keras", "keras-layer:conv_transpose", "he_uniform", "keras", "Conv2DTranspose(kernel_initializer='he_uniform'), fans as Keras reads them (fan_in = k·filters)",
        {"kernel_initializer": "he_uniform"},
    ),
    Entry(
        "keras", "keras-layer:conv_transpose", "he_uniform", "keras_transposed",
        "Conv2DTranspose(kernel_initializer='he_uniform') against the true fan_in = k·input channels (He: Var = 2/fan_in of the forward pass)",
        {"kernel_initializer": "he_uniform"}, statement=True,
    ),
)  # fmt: skip

# tf-keras 2.21 (the Keras 2 API: tf.keras before TensorFlow 2.16, which Krohn's listings ran on), tf_keras/src/initializers/
# initializers.py: VarianceScaling(scale, mode, distribution) with truncated_normal's 0.87962566 sd correction; Orthogonal by
# QR with the sign fix; TruncatedNormal re-draws beyond 2 stddev. Every float dtype each initializer accepts (Orthogonal's QR
# kernel takes no bfloat16: TensorFlow refuses it, "Value for attr 'T' of bfloat16 is not in the list of allowed values").
TF_DTYPES = ("float32", "float64", "bfloat16", "float16")
TENSORFLOW = (
    Entry("tensorflow", "tf_keras.initializers.GlorotUniform", "glorot_uniform", "keras", "GlorotUniform: U(−limit, limit), limit = √(6/(fan_in+fan_out))", dtypes=TF_DTYPES),
    Entry("tensorflow", "tf_keras.initializers.GlorotNormal", "glorot_normal", "keras", "GlorotNormal: truncated normal, stddev = √(2/(fan_in+fan_out))", dtypes=TF_DTYPES),
    Entry("tensorflow", "tf_keras.initializers.HeNormal", "he_normal", "keras", "HeNormal: truncated normal, stddev = √(2/fan_in)", dtypes=TF_DTYPES),
    Entry("tensorflow", "tf_keras.initializers.HeUniform", "he_uniform", "keras", "HeUniform: limit = √(6/fan_in)", dtypes=TF_DTYPES),
    Entry("tensorflow", "tf_keras.initializers.LecunNormal", "lecun_normal", "keras", "LecunNormal: truncated normal, stddev = √(1/fan_in)", dtypes=TF_DTYPES),
    Entry("tensorflow", "tf_keras.initializers.LecunUniform", "lecun_uniform", "keras", "LecunUniform: limit = √(3/fan_in)", dtypes=TF_DTYPES),
    Entry("tensorflow", "tf_keras.initializers.Orthogonal", "orthogonal", "keras", "Orthogonal(gain=1): QR with the sign fix", dtypes=("float32", "float64", "float16")),
    Entry("tensorflow", "tf_keras.initializers.RandomNormal", "normal:std=0.05", "keras", "RandomNormal(stddev=0.05)", {"stddev": 0.05}, dtypes=TF_DTYPES),
    Entry("tensorflow", "tf_keras.initializers.RandomUniform", "uniform:a=0.05", "keras", "RandomUniform(minval=−0.05, maxval=0.05)", {"minval": -0.05, "maxval": 0.05}, dtypes=TF_DTYPES),
    Entry("tensorflow", "tf_keras.initializers.TruncatedNormal", "truncated_normal:std=0.05", "keras", "values beyond 2 stddev re-drawn", {"stddev": 0.05}, dtypes=TF_DTYPES),
    Entry(
        "tensorflow", "tf_keras.initializers.TruncatedNormal", "truncated_normal_sd:std=0.05", "keras",
        "stddev: 'Standard deviation of the random values to generate'", {"stddev": 0.05}, statement=True,
    ),
    # tf_keras/src/layers/core/dense.py, convolutional/base_conv.py: kernel_initializer="glorot_uniform", bias "zeros";
    # layers/core/embedding.py: embeddings_initializer="uniform", i.e. RandomUniform(−0.05, 0.05).
    Entry("tensorflow", "tf-keras-layer:dense", "glorot_uniform", "keras", "tf_keras.layers.Dense: kernel_initializer='glorot_uniform'", shapes=table_probes, dtypes=TF_DTYPES),
    Entry("tensorflow", "tf-keras-layer:conv2d", "glorot_uniform", "keras", "tf_keras.layers.Conv2D: kernel_initializer='glorot_uniform'", dtypes=TF_DTYPES),
    Entry(
        "tensorflow", "tf-keras-layer:conv2d_transpose", "glorot_uniform", "keras",
        "tf_keras.layers.Conv2DTranspose: 'glorot_uniform', kernel (kh, kw, filters, input channels), fans as tf-keras reads it",
    ),
    Entry(
        "tensorflow", "tf-keras-layer:conv2d_transpose", "glorot_uniform", "keras_transposed",
        "Conv2DTranspose default against the true fans (in·k, out·k): Glorot's fan_in + fan_out is symmetric, so the misread is harmless",
    ),
    Entry("tensorflow", "tf-keras-layer:embedding", "uniform:a=0.05", "keras", "tf_keras.layers.Embedding: embeddings_initializer='uniform' (U(−0.05, 0.05))", shapes=table_probes, dtypes=TF_DTYPES),
)  # fmt: skip

FLAX = (
    Entry("flax", "flax-module:dense", "lecun_normal", "keras", "linen.Dense/Conv: kernel_init = lecun_normal() (truncated, sd-corrected)", dtypes=("float32", "float64")),
    # flax/linen/linear.py: default_embed_init = variance_scaling(1.0, 'fan_in', 'normal', out_axis=0) on (num_embeddings,
    # features). JAX's _compute_fans with in_axis = −2 = out_axis = 0 of a 2-D shape: in = out = N, receptive field N·F/N² =
    # F/N, so fan_in = F: N(0, 1/features) (plain normal), which in the Keras layout (in, out) = (N, F) is Var = 1/fan_out.
    Entry(
        "flax", "flax-module:embed", "variance_scaling:scale=1,mode=fan_out,distribution=normal", "keras",
        "linen.Embed: variance_scaling(1.0, 'fan_in', 'normal', out_axis=0), JAX's fan_in of (N, F) being F: N(0, 1/features)", shapes=table_probes,
    ),
)
HAIKU = (
    Entry("haiku", "haiku-module:linear", "haiku_default", "keras", "hk.Linear/Conv2D: TruncatedNormal(stddev=1/√fan_in); stddev is the untruncated one"),
    Entry(
        "haiku", "haiku-module:linear", "lecun_normal", "keras",
        "hk.Linear docs read as 'weights of stddev 1/√fan_in' (LeCun normal, arXiv 1502.03167): the weights' own sd is 0.88× that", statement=True,
    ),
    Entry("haiku", "haiku.initializers.Orthogonal", "orthogonal", "keras", "hk.initializers.Orthogonal(scale=1.0, axis=-1): QR with the sign fix"),
    Entry(
        "haiku", "haiku.initializers.VarianceScaling", "lecun_normal", "keras",
        "hk.initializers.VarianceScaling() defaults: scale 1, fan_in, truncated_normal with the 0.8796 sd correction", dtypes=("float32", "float64"),
    ),
)  # fmt: skip

# equinox/nn/_linear.py, _conv.py: weight and bias U(−lim, lim), lim = 1/√in_features, 1/√(in/groups·∏kernel) for Conv
# (the docstrings: "initialised ... from U(−1/√in_features, 1/√in_features)"): torch's default rule, in torch's layout.
EQUINOX = (
    Entry(
        "equinox", "equinox-module:linear", "torch_linear_default", "torch",
        "eqx.nn.Linear / Conv2d: weight U(−1/√fan_in, 1/√fan_in) (Var 1/(3·fan_in), torch's default)", dtypes=("float32", "float64", "bfloat16", "float16"),
    ),
)  # fmt: skip

def entry_shapes(target: str, tier: str) -> Shapes | None:
    """The probe shapes the matrix gives this target at this tier (a layer that cannot take the standard ones), or None."""
    return next((entry.shapes(tier) for entries in ENTRIES.values() for entry in entries if entry.target == target and entry.shapes is not None), None)


ENTRIES = {"torch": TORCH, "tensorflow": TENSORFLOW, "jax": JAX, "keras": KERAS, "flax": FLAX, "haiku": HAIKU, "equinox": EQUINOX}
