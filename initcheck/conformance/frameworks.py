"""Real framework behaviour for the FW claims: layer defaults, ReLU's derivative at 0, dropout, batch norm's running statistics.

Each function takes a framework name and returns what that framework does, measured through its own code (its layers,
its autodiff, its RNG seeded from the caller's numpy generator), as plain numpy values; a framework that is not
importable raises NotInstalled, which the checks record as "not installed". The judging is in
initcheck.reproductions.frameworks; tests pass fake frameworks with the same shapes of result to the same judges.

DOCUMENTED holds each framework's documented batch-norm convention (the sentence it rests on, and the recursion it
states, in theory.frameworks' terms: α the weight of the new batch, the running variance's divisor, zero-debiasing).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from initcheck.conformance.adapters import (
    NotInstalled,
    Sampler,
    _require,
    _seed,
    equinox_module_default,
    flax_module_default,
    haiku_module_default,
    keras_backend,
    missing_package,
    tensorflow,
    torch_module_default,
)

FW_FRAMEWORKS = ("torch", "tensorflow", "keras", "jax", "flax", "haiku", "equinox")  # tensorflow: through tf-keras, the Keras 2 API the seeds used
def require(framework: str) -> None:
    """NotInstalled unless the framework's packages are importable (adapters.PACKAGES)."""
    missing = missing_package(framework)
    if missing is not None:
        raise NotInstalled(f"{missing} is not installed (pip install 'initcheck[frameworks]')")


def version(framework: str) -> str:
    """The installed distribution's version (Keras: with its backend), or "not installed"; nothing is imported."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        found = package_version({"haiku": "dm-haiku", "jax": "jax"}.get(framework, framework))
        if framework == "tensorflow":
            found += f" (tf-keras {package_version('tf-keras')})"
    except PackageNotFoundError:
        return "not installed"
    return f"{found} ({keras_backend()} backend)" if framework == "keras" else found


# ---------------------------------------------------------------- FW-DEFAULT-INIT: what a freshly built layer holds


@dataclass(frozen=True)
class LayerDefault:
    """A framework's default dense/conv layer: its weight sampler given the layer's activation, the documented rule, the bias."""

    label: str
    layout: str
    documented_rule: str  # initcheck.conformance.rules spec, as the framework documents the default
    documented_by: str
    relu_rule: str  # the activation-aware rule for a ReLU layer (He), same family as the default
    takes_activation: bool  # whether the layer's constructor is told its activation at all
    sampler: Callable[[str | None], Sampler]  # activation → sampler of the layer's weight (dense shapes: dense; kernel shapes: conv)
    bias: Callable[[np.random.Generator, int, int], np.ndarray]  # (rng, fan_in, units) → the bias the layer holds


def _dense_or_conv(layers: Any, activation: str | None, shape: tuple[int, ...], dtype: str) -> tuple[Any, tuple[Any, ...]]:
    """A Keras-API Dense (shape (in, out)) or Conv2D ((kh, kw, in, out)) without bias, and the input shape to build it on."""
    *kernel, inputs, outputs = shape
    if kernel:
        return layers.Conv2D(outputs, tuple(kernel), activation=activation, use_bias=False, dtype=dtype), (None, 8, 8, inputs)
    return layers.Dense(outputs, activation=activation, use_bias=False, dtype=dtype), (None, inputs)


def _keras_layer_sampler(activation: str | None) -> Sampler:
    """keras.layers.Dense (in, out) or Conv2D ((kh, kw, in, out)) with `activation`, built; its own initializer object, seeded from rng.

    Keras draws an unseeded initializer's seed from Python's global `random`; here the layer's initializer keeps its class
    and configuration and only its seed is set from rng before build, so the draw is reproducible.
    """
    keras_backend()
    keras = _require("keras")

    def sample(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        layer, build_shape = _dense_or_conv(keras.layers, activation, shape, dtype)
        layer.kernel_initializer.seed = _seed(rng, 31)
        layer.build(build_shape)
        return np.asarray(keras.ops.convert_to_numpy(layer.kernel.value))

    return sample


def keras_initializers_by_activation(activations: tuple[str | None, ...] = (None, "relu", "tanh", "sigmoid")) -> dict[str, dict[str, Any]]:
    """The kernel and bias initializers keras.layers.Dense and Conv2D name in their config, for each activation."""
    keras_backend()
    keras = _require("keras")
    found = {}
    for activation in activations:
        for layer in (keras.layers.Dense(4, activation=activation), keras.layers.Conv2D(4, 3, activation=activation)):
            config = layer.get_config()
            found[f"{type(layer).__name__}(activation={activation})"] = {
                "kernel_initializer": config["kernel_initializer"]["class_name"],
                "bias_initializer": config["bias_initializer"]["class_name"],
            }
    return found


def _tf_keras_layer_sampler(activation: str | None) -> Sampler:
    """tf_keras.layers.Dense (in, out) or Conv2D ((kh, kw, in, out)) with `activation`: the initializer it names in its
    config, seeded from rng (tf-keras layers take no activation-dependent initializer either: this records that)."""
    tensorflow()
    tf_keras = _require("tf_keras")

    def sample(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        layer, build_shape = _dense_or_conv(tf_keras.layers, activation, shape, dtype)
        initializer = layer.kernel_initializer
        layer.kernel_initializer = type(initializer).from_config({**initializer.get_config(), "seed": _seed(rng, 31)})
        layer.build(build_shape)
        return np.asarray(layer.kernel.numpy())

    return sample


def _zeros_bias(framework: str) -> Callable[[np.random.Generator, int, int], np.ndarray]:
    def bias(rng: np.random.Generator, fan_in: int, units: int) -> np.ndarray:
        if framework == "tensorflow":
            tensorflow()
            layer = _require("tf_keras").layers.Dense(units)
            layer.build((None, fan_in))
            return np.asarray(layer.bias.numpy())
        if framework == "keras":
            keras = _require("keras")
            layer = keras.layers.Dense(units)
            layer.build((None, fan_in))
            return np.asarray(keras.ops.convert_to_numpy(layer.bias.value))
        jax = _require("jax")
        x = jax.numpy.zeros((1, fan_in))
        if framework == "flax":
            nn = _require("flax.linen")
            return np.asarray(nn.Dense(units).init(jax.random.PRNGKey(_seed(rng, 31)), x)["params"]["bias"])
        hk = _require("haiku")
        params = hk.transform(lambda v: hk.Linear(units)(v)).init(jax.random.PRNGKey(_seed(rng, 31)), x)
        (layer,) = params.values()
        return np.asarray(layer["b"])

    return bias


def _equinox_bias(rng: np.random.Generator, fan_in: int, units: int) -> np.ndarray:
    jax, eqx = _require("jax"), _require("equinox")
    return np.asarray(eqx.nn.Linear(fan_in, units, key=jax.random.PRNGKey(_seed(rng, 31))).bias)


def _torch_bias(rng: np.random.Generator, fan_in: int, units: int) -> np.ndarray:
    torch = _require("torch")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(_seed(rng))
        return torch.nn.Linear(fan_in, units).bias.detach().numpy().copy()


def layer_defaults(framework: str) -> list[LayerDefault]:
    """The default dense/conv layers of a framework (torch nn.Linear/Conv2d, Keras Dense/Conv2D, Flax Dense/Conv, Haiku Linear/Conv2D)."""
    require(framework)
    if framework == "torch":
        torch = _require("torch")
        takes = any("activation" in inspect.signature(cls).parameters for cls in (torch.nn.Linear, torch.nn.Conv2d))
        return [LayerDefault(
            label="nn.Linear / nn.Conv2d", layout="torch", documented_rule="torch_linear_default",
            documented_by="nn.Linear/nn.Conv2d docs: weight U(−√k, √k), k = 1/(in·∏kernel) (kaiming_uniform_ with a = √5)",
            relu_rule="kaiming_uniform", takes_activation=takes,
            sampler=lambda activation: torch_module_default("linear"), bias=_torch_bias,
        )]  # fmt: skip
    if framework == "tensorflow":
        return [LayerDefault(
            label="tf_keras.layers.Dense / Conv2D", layout="keras", documented_rule="glorot_uniform",
            documented_by="tf-keras Dense/Conv2D: kernel_initializer='glorot_uniform', bias_initializer='zeros'",
            relu_rule="he_uniform", takes_activation=True, sampler=_tf_keras_layer_sampler, bias=_zeros_bias("tensorflow"),
        )]  # fmt: skip
    if framework == "keras":
        return [LayerDefault(
            label="keras.layers.Dense / Conv2D", layout="keras", documented_rule="glorot_uniform",
            documented_by="Dense/Conv2D: kernel_initializer='glorot_uniform', bias_initializer='zeros'",
            relu_rule="he_uniform", takes_activation=True, sampler=_keras_layer_sampler, bias=_zeros_bias("keras"),
        )]  # fmt: skip
    if framework == "flax":
        nn = _require("flax.linen")
        takes = any("activation" in {f.name for f in getattr(cls, "__dataclass_fields__", {}).values()} for cls in (nn.Dense, nn.Conv))
        return [LayerDefault(
            label="flax.linen.Dense / Conv", layout="keras", documented_rule="lecun_normal",
            documented_by="linen.Dense/Conv: kernel_init = lecun_normal() (truncated normal, sd-corrected), bias_init = zeros",
            relu_rule="he_normal", takes_activation=takes, sampler=lambda activation: flax_module_default("dense"), bias=_zeros_bias("flax"),
        )]  # fmt: skip
    if framework == "equinox":
        eqx = _require("equinox")
        takes = any("activation" in inspect.signature(cls).parameters for cls in (eqx.nn.Linear, eqx.nn.Conv2d))
        return [LayerDefault(
            label="eqx.nn.Linear / Conv2d", layout="torch", documented_rule="torch_linear_default",
            documented_by="eqx.nn.Linear/Conv: weight and bias U(−1/√fan_in, 1/√fan_in)", relu_rule="kaiming_uniform",
            takes_activation=takes, sampler=lambda activation: equinox_module_default("linear"), bias=_equinox_bias,
        )]  # fmt: skip
    if framework == "haiku":
        hk = _require("haiku")
        takes = any("activation" in inspect.signature(cls).parameters for cls in (hk.Linear, hk.Conv2D))
        return [LayerDefault(
            label="hk.Linear / hk.Conv2D", layout="keras", documented_rule="haiku_default",
            documented_by="hk.Linear/Conv2D: w_init TruncatedNormal(stddev=1/√fan_in) (untruncated stddev), b_init zeros",
            relu_rule="he_normal", takes_activation=takes, sampler=lambda activation: haiku_module_default("linear"), bias=_zeros_bias("haiku"),
        )]  # fmt: skip
    raise NotInstalled(f"{framework}: no layer-default adapter (not one of initcheck's framework installs)")


# ---------------------------------------------------------------- FW-RELU-GRAD0: ReLU and its common spellings under autodiff

Derivative = Callable[[float], tuple[float, float]]  # x → (f(x), f'(x)) by the framework's autodiff, float32


def _torch_grad(f: Callable[[Any], Any]) -> Derivative:
    torch = _require("torch")

    def at(x: float) -> tuple[float, float]:
        t = torch.tensor(x, dtype=torch.float32, requires_grad=True)
        y = f(t)
        y.backward()
        return float(y.detach()), float(t.grad)

    return at


def _torch_variants() -> dict[str, Derivative]:
    torch = _require("torch")
    functional = torch.nn.functional
    by_autograd = _torch_grad
    return {
        "torch.relu": by_autograd(torch.relu),
        "torch.nn.functional.relu": by_autograd(functional.relu),
        "torch.nn.ReLU()": by_autograd(torch.nn.ReLU()),
        "torch.clamp(x, min=0)": by_autograd(lambda x: torch.clamp(x, min=0)),
        "torch.maximum(x, 0)": by_autograd(lambda x: torch.maximum(x, torch.zeros_like(x))),
        "x * (x > 0)": by_autograd(lambda x: x * (x > 0)),
        "torch.where(x > 0, x, 0)": by_autograd(lambda x: torch.where(x > 0, x, torch.zeros_like(x))),
    }


def _jax_grad(f: Callable[[Any], Any]) -> Derivative:
    jax = _require("jax")

    def at(x: float) -> tuple[float, float]:
        value, slope = jax.value_and_grad(f)(jax.numpy.float32(x))
        return float(value), float(slope)

    return at


def _jax_variants() -> dict[str, Derivative]:
    jax = _require("jax")
    jnp = jax.numpy
    return {
        "jax.nn.relu": _jax_grad(jax.nn.relu),
        "jnp.maximum(x, 0)": _jax_grad(lambda x: jnp.maximum(x, 0.0)),
        "jnp.where(x > 0, x, 0)": _jax_grad(lambda x: jnp.where(x > 0, x, 0.0)),
        "jnp.clip(x, 0)": _jax_grad(lambda x: jnp.clip(x, 0.0)),
        "x * (x > 0)": _jax_grad(lambda x: x * (x > 0)),
    }


def _tf_grad(f: Callable[[Any], Any]) -> Derivative:
    """f and f' at x by tf.GradientTape (float32)."""
    tf = tensorflow()

    def at(x: float) -> tuple[float, float]:
        t = tf.constant(x, dtype=tf.float32)
        with tf.GradientTape() as tape:
            tape.watch(t)
            y = f(t)
        return float(y), float(tape.gradient(y, t))

    return at


def _tf_variants() -> dict[str, Derivative]:
    tf = tensorflow()
    tf_keras = _require("tf_keras")
    return {
        "tf.nn.relu": _tf_grad(tf.nn.relu),
        "tf_keras.activations.relu": _tf_grad(tf_keras.activations.relu),
        "tf_keras.layers.ReLU()": _tf_grad(tf_keras.layers.ReLU()),
        "tf.maximum(x, 0)": _tf_grad(lambda x: tf.maximum(x, 0.0)),
        "tf.clip_by_value(x, 0, inf)": _tf_grad(lambda x: tf.clip_by_value(x, 0.0, float("inf"))),
        "x * (x > 0)": _tf_grad(lambda x: x * tf.cast(x > 0, x.dtype)),
    }


def _keras_variants() -> dict[str, Derivative]:
    backend = keras_backend()
    if backend == "tensorflow":
        tensorflow()
    keras = _require("keras")
    grads = {"jax": _jax_grad, "torch": _torch_grad, "tensorflow": _tf_grad}
    if backend not in grads:
        raise NotInstalled(f"keras on the {backend} backend: it has no autodiff (jax, torch and tensorflow have)")
    grad, layer = grads[backend], keras.layers.ReLU()
    return {
        "keras.ops.relu": grad(keras.ops.relu),
        "keras.activations.relu": grad(keras.activations.relu),
        "keras.layers.ReLU()": grad(layer),
        "keras.ops.maximum(x, 0)": grad(lambda x: keras.ops.maximum(x, 0.0)),
    }


RELU_OPERATIONS = {  # the framework's own ReLU operations (the seed's "implementations"); the other variants are ways of writing it
    "torch": ("torch.relu", "torch.nn.functional.relu", "torch.nn.ReLU()"),
    "tensorflow": ("tf.nn.relu", "tf_keras.activations.relu", "tf_keras.layers.ReLU()"),
    "jax": ("jax.nn.relu",),
    "keras": ("keras.ops.relu", "keras.activations.relu", "keras.layers.ReLU()"),
}


def relu_derivatives(framework: str) -> dict[str, dict[str, float]]:
    """Per variant: f and f' at −1, 0 and 1 by the framework's autodiff (float32)."""
    require(framework)
    variants = {"torch": _torch_variants, "tensorflow": _tf_variants, "jax": _jax_variants, "keras": _keras_variants}
    if framework not in variants:
        raise NotInstalled(f"{framework}: no ReLU adapter")
    measured = {}
    for label, derivative in variants[framework]().items():
        row: dict[str, float] = {}
        for x in (-1.0, 0.0, 1.0):
            row[f"f({x:g})"], row[f"f'({x:g})"] = derivative(x)
        measured[label] = row
    return measured


# ---------------------------------------------------------------- FW-DROPOUT-API


def dropout_calls(framework: str, rng: np.random.Generator, x: np.ndarray, rate: float) -> dict[str, Any]:
    """A framework's dropout layer at `rate` on x: two training calls as a training loop makes them, and the prediction call.

    Returns `steps` (two successive training-mode outputs: torch and Keras carry their RNG state in the layer; Flax and
    Haiku are given the same PRNG key again, as a loop that does not split its key would), `new_key_steps` (Flax, Haiku:
    two calls with two keys; None where the framework takes no key), `predict` (the inference-mode output; None where
    the framework has no inference mode) and `mode` (how prediction is asked for).
    """
    require(framework)
    if framework == "torch":
        torch = _require("torch")
        layer = torch.nn.Dropout(rate)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(_seed(rng))
            layer.train()
            steps = [layer(torch.from_numpy(x)).numpy().copy() for _ in range(2)]
        layer.eval()
        return {"steps": steps, "new_key_steps": None, "predict": layer(torch.from_numpy(x)).numpy().copy(), "mode": "module.eval()"}
    if framework == "tensorflow":
        tf, tf_keras = tensorflow(), _require("tf_keras")
        # tf_keras's Dropout draws by a stateful op: its op seed alone continues a stream that the process keeps from any
        # earlier op of the same seed. tf.random.set_seed resets that state, so the masks depend on this seed alone.
        seed = _seed(rng, 31)
        tf.random.set_seed(seed)
        layer = tf_keras.layers.Dropout(rate, seed=seed)
        steps = [np.asarray(layer(x, training=True).numpy()) for _ in range(2)]
        predict = np.asarray(layer(x, training=False).numpy())
        called = np.asarray(layer(x).numpy())  # a direct call outside fit(): training defaults to False
        return {"steps": steps, "new_key_steps": None, "predict": predict if np.array_equal(predict, called) else called, "mode": "training=False"}
    if framework == "keras":
        keras_backend()
        keras = _require("keras")
        layer = keras.layers.Dropout(rate, seed=_seed(rng, 31))
        steps = [np.asarray(keras.ops.convert_to_numpy(layer(x, training=True))) for _ in range(2)]
        predict = np.asarray(keras.ops.convert_to_numpy(layer(x, training=False)))
        called = np.asarray(keras.ops.convert_to_numpy(layer(x)))  # a direct call outside fit(): training defaults to False
        return {"steps": steps, "new_key_steps": None, "predict": predict if np.array_equal(predict, called) else called, "mode": "training=False"}
    jax = _require("jax")
    keys = [jax.random.PRNGKey(_seed(rng, 31)) for _ in range(2)]
    if framework == "flax":
        nn = _require("flax.linen")
        layer = nn.Dropout(rate)

        def flax_call(key: Any) -> np.ndarray:
            return np.asarray(layer.apply({}, x, deterministic=False, rngs={"dropout": key}))

        predict = np.asarray(layer.apply({}, x, deterministic=True))
        return {"steps": [flax_call(keys[0]) for _ in range(2)], "new_key_steps": [flax_call(k) for k in keys], "predict": predict, "mode": "deterministic=True"}
    if framework == "haiku":
        hk = _require("haiku")
        return {
            "steps": [np.asarray(hk.dropout(keys[0], rate, x)) for _ in range(2)],
            "new_key_steps": [np.asarray(hk.dropout(k, rate, x)) for k in keys],
            "predict": None,
            "mode": "none: hk.dropout(rng, rate, x) has no inference flag (the caller skips it, or passes rate 0)",
        }
    raise NotInstalled(f"{framework}: no dropout adapter")


# ---------------------------------------------------------------- FW-BN-RUNNING


@dataclass(frozen=True)
class BatchNormConvention:
    """A framework's documented running-statistics rule: α (weight of the new batch) from its parameter, divisor, debiasing."""

    parameter: str  # the constructor argument and its default
    default: float
    new_weight: Callable[[float], float]  # α from the parameter (kept exact by the caller via fractions of the parameter)
    unbiased_running_variance: bool
    debiased: bool
    initial: tuple[float, float]  # (running mean, running variance) before the first batch
    epsilon: float
    documented_by: str


DOCUMENTED = {
    "torch": BatchNormConvention(
        parameter="momentum", default=0.1, new_weight=lambda m: m, unbiased_running_variance=True, debiased=False, initial=(0.0, 1.0), epsilon=1e-5,
        documented_by="BatchNorm1d docs: x̂_new = (1 − momentum)·x̂ + momentum·x_t; running var from the unbiased estimator, "
        "the normalization from the biased one",
    ),
    "keras": BatchNormConvention(
        parameter="momentum", default=0.99, new_weight=lambda m: 1 - m, unbiased_running_variance=False, debiased=False, initial=(0.0, 1.0), epsilon=1e-3,
        documented_by="BatchNormalization docs: moving_mean = moving_mean·momentum + mean(batch)·(1 − momentum), same for moving_var",
    ),
    "tensorflow": BatchNormConvention(
        parameter="momentum", default=0.99, new_weight=lambda m: 1 - m, unbiased_running_variance=False, debiased=False, initial=(0.0, 1.0), epsilon=1e-3,
        documented_by="tf_keras.layers.BatchNormalization docs: moving_mean = moving_mean·momentum + mean(batch)·(1 − momentum), same for moving_var",
    ),
    "flax": BatchNormConvention(
        parameter="momentum", default=0.99, new_weight=lambda m: 1 - m, unbiased_running_variance=False, debiased=False, initial=(0.0, 1.0), epsilon=1e-5,
        documented_by="linen.BatchNorm: momentum, the decay rate of the exponential moving average of the batch statistics",
    ),
    "haiku": BatchNormConvention(
        parameter="decay_rate", default=0.99, new_weight=lambda d: 1 - d, unbiased_running_variance=False, debiased=True, initial=(0.0, 0.0), epsilon=1e-5,
        documented_by="hk.BatchNorm(decay_rate): hk.ExponentialMovingAverage, zero_debias=True by default",
    ),
}  # fmt: skip


def batch_norm_run(framework: str, batches: list[np.ndarray], predict_batch: np.ndarray) -> dict[str, Any]:
    """The framework's batch-norm layer with its defaults: trained on `batches` (float32, rows are examples), then asked to predict.

    Returns the running mean and variance after the batches, the last training-mode output, the prediction-mode output
    on `predict_batch`, and the momentum/decay and ε the layer holds.
    """
    require(framework)
    features = batches[0].shape[1]
    if framework == "torch":
        torch = _require("torch")
        layer = torch.nn.BatchNorm1d(features)
        layer.train()
        with torch.no_grad():
            outputs = [layer(torch.from_numpy(b)).numpy().copy() for b in batches]
            running = (layer.running_mean.numpy().copy(), layer.running_var.numpy().copy())
            layer.eval()
            predicted = layer(torch.from_numpy(predict_batch)).numpy().copy()
        return _bn_record(running, outputs[-1], predicted, layer.momentum, layer.eps)
    if framework == "tensorflow":
        tensorflow()
        layer = _require("tf_keras").layers.BatchNormalization()
        layer.build((None, features))
        outputs = [np.asarray(layer(b, training=True).numpy()) for b in batches]
        running = (np.asarray(layer.moving_mean.numpy()), np.asarray(layer.moving_variance.numpy()))
        predicted = np.asarray(layer(predict_batch, training=False).numpy())
        return _bn_record(running, outputs[-1], predicted, layer.momentum, layer.epsilon)
    if framework == "keras":
        keras_backend()
        keras = _require("keras")
        layer = keras.layers.BatchNormalization()
        layer.build((None, features))
        outputs = [np.asarray(keras.ops.convert_to_numpy(layer(b, training=True))) for b in batches]
        running = (np.asarray(keras.ops.convert_to_numpy(layer.moving_mean.value)), np.asarray(keras.ops.convert_to_numpy(layer.moving_variance.value)))
        predicted = np.asarray(keras.ops.convert_to_numpy(layer(predict_batch, training=False)))
        return _bn_record(running, outputs[-1], predicted, layer.momentum, layer.epsilon)
    jax = _require("jax")
    if framework == "flax":
        nn = _require("flax.linen")
        train = nn.BatchNorm(use_running_average=False)
        variables = train.init(jax.random.PRNGKey(0), batches[0])  # deterministic: BatchNorm draws nothing (scale 1, bias 0)
        for b in batches:
            out, updated = train.apply(variables, b, mutable=["batch_stats"])
            variables = {**variables, **updated}
        stats = variables["batch_stats"]
        predicted = nn.BatchNorm(use_running_average=True).apply(variables, predict_batch)
        return _bn_record((np.asarray(stats["mean"]), np.asarray(stats["var"])), np.asarray(out), np.asarray(predicted), train.momentum, train.epsilon)
    if framework == "haiku":
        hk = _require("haiku")
        decay = DOCUMENTED["haiku"].default  # hk.BatchNorm has no default decay_rate: the claim's usual 0.99 is passed

        def forward(v: Any, is_training: bool) -> Any:
            return hk.BatchNorm(create_scale=True, create_offset=True, decay_rate=decay, eps=DOCUMENTED["haiku"].epsilon)(v, is_training)

        model = hk.transform_with_state(forward)
        params, state = model.init(jax.random.PRNGKey(0), batches[0], True)
        for b in batches:
            out, state = model.apply(params, state, None, b, True)
        predicted, _ = model.apply(params, state, None, predict_batch, False)
        mean = np.asarray(state["batch_norm/~/mean_ema"]["average"]).ravel()
        variance = np.asarray(state["batch_norm/~/var_ema"]["average"]).ravel()
        return _bn_record((mean, variance), np.asarray(out), np.asarray(predicted), decay, DOCUMENTED["haiku"].epsilon)
    raise NotInstalled(f"{framework}: no batch-norm adapter")


def _bn_record(running: tuple[np.ndarray, np.ndarray], train_output: Any, predicted: Any, parameter: float, epsilon: float) -> dict[str, Any]:
    return {
        "running_mean": np.asarray(running[0], dtype=np.float64),
        "running_variance": np.asarray(running[1], dtype=np.float64),
        "train_output": np.asarray(train_output, dtype=np.float64),
        "predict_output": np.asarray(predicted, dtype=np.float64),
        "parameter": float(parameter),
        "epsilon": float(epsilon),
    }
