"""The framework matrix: each shipped initializer against the rule its documentation states, per dtype.

An entry's `documented` names where the rule comes from. Entries marked `statement` test one
sentence of the documentation on its own (Keras's "stddev: standard deviation of the random values
to generate" for TruncatedNormal); a failure there is a discrepancy between documentation and behaviour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

FRAMEWORKS = ("torch", "jax", "keras", "flax", "haiku")


@dataclass(frozen=True)
class Entry:
    framework: str
    target: str  # torch.nn.init.* / jax.nn.initializers.* / keras.initializers.* / torch-module:<kind>
    rule: str
    layout: str
    documented: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    dtypes: tuple[str, ...] = ("float32",)
    statement: bool = False


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
)  # fmt: skip

JAX = (
    Entry("jax", "jax.nn.initializers.glorot_uniform", "glorot_uniform", "keras", "variance_scaling(1, fan_avg, uniform)", dtypes=("float32", "bfloat16")),
    Entry("jax", "jax.nn.initializers.glorot_normal", "glorot_normal", "keras", "variance_scaling(1, fan_avg, truncated_normal)"),
    Entry("jax", "jax.nn.initializers.he_normal", "he_normal", "keras", "variance_scaling(2, fan_in, truncated_normal)", dtypes=("float32", "bfloat16")),
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
)  # fmt: skip

FLAX = (
    Entry("flax", "flax-module:dense", "lecun_normal", "keras", "linen.Dense/Conv: kernel_init = lecun_normal() (truncated, sd-corrected)"),
)
HAIKU = (
    Entry("haiku", "haiku-module:linear", "haiku_default", "keras", "hk.Linear/Conv2D: TruncatedNormal(stddev=1/√fan_in); stddev is the untruncated one"),
    Entry(
        "haiku", "haiku-module:linear", "lecun_normal", "keras",
        "hk.Linear docs read as 'weights of stddev 1/√fan_in' (LeCun normal, arXiv 1502.03167): the weights' own sd is 0.88× that", statement=True,
    ),
)  # fmt: skip

ENTRIES = {"torch": TORCH, "jax": JAX, "keras": KERAS, "flax": FLAX, "haiku": HAIKU}
