"""One sampler interface, `sample(rng, shape, dtype) -> numpy array`, over user callables and framework initializers.

Every framework draw is seeded from the battery's numpy generator (a torch.Generator, a JAX
PRNGKey, a Keras seed), so the seed tests ask the framework, not us, whether a seed is honoured.
A framework that is not installed raises NotInstalled, which the matrix records as "not installed".
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

Sampler = Callable[[np.random.Generator, tuple[int, ...], str], np.ndarray]
UserFunction = Callable[[np.random.Generator, tuple[int, ...]], Any]


class NotInstalled(ImportError):
    """The framework a target needs is not importable here."""


class TargetError(ValueError):
    """A target that names nothing callable."""


def _seed(rng: np.random.Generator, bits: int = 63) -> int:
    return int(rng.integers(0, 2**bits))


# A framework's importable packages, where they are not just its name: TensorFlow's entries need tf-keras beside it.
PACKAGES = {"tensorflow": ("tensorflow", "tf_keras")}


def missing_package(framework: str) -> str | None:
    """The first of the framework's packages that is not importable (nothing is imported), or None."""
    return next((module for module in PACKAGES.get(framework, (framework,)) if importlib.util.find_spec(module) is None), None)


def _require(module: str) -> Any:
    if importlib.util.find_spec(module.split(".")[0]) is None:
        raise NotInstalled(f"{module.split('.')[0]} is not installed (pip install 'initcheck[frameworks]')")
    return importlib.import_module(module)


def user_sampler(function: UserFunction) -> Sampler:
    """f(rng, shape) -> array: the dtype is whatever f returns (the battery checks it against the one asked for)."""

    def sample(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        return np.asarray(function(rng, shape))

    return sample


def _torch_to_numpy(tensor: Any, dtype: str) -> np.ndarray:
    if dtype == "bfloat16":
        import ml_dtypes  # installed with JAX; numpy has no bfloat16 of its own

        return tensor.float().numpy().astype(ml_dtypes.bfloat16)
    return tensor.detach().numpy()


def torch_init(name: str, **kwargs: Any) -> Sampler:
    """torch.nn.init.<name>_(tensor, **kwargs, generator=torch.Generator seeded from rng)."""
    torch = _require("torch")
    function = getattr(torch.nn.init, name)

    def sample(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        generator = torch.Generator().manual_seed(_seed(rng))
        tensor = torch.empty(shape, dtype=getattr(torch, dtype))
        with torch.no_grad():
            function(tensor, **kwargs, generator=generator)
        return _torch_to_numpy(tensor, dtype)

    return sample


def _torch_rnn_parameter(torch: Any, cell: str, which: str, shape: tuple[int, ...], dtype: Any) -> Any:
    """nn.RNN/LSTM/GRU parameters: weight_ih (gates·H, input), weight_hh (gates·H, H), "bias": bias_ih and bias_hh as the 2 columns of a (gates·H, 2)."""
    gates = RNN_GATES[cell]
    rows, cols = shape
    if rows % gates:
        raise ValueError(f"{cell} weights have {gates}·hidden_size rows; {rows} is not a multiple of {gates}")
    hidden = rows // gates
    if which == "weight_hh" and cols != hidden:
        raise ValueError(f"{cell}.weight_hh is ({gates}·H, H); shape {shape} is not")
    if which == "bias" and cols != 2:
        raise ValueError(f"{cell} biases are read as the 2 columns (bias_ih, bias_hh); shape {shape} has {cols}")
    layer = getattr(torch.nn, cell.upper())(input_size=cols if which == "weight_ih" else 1, hidden_size=hidden, dtype=dtype)
    if which == "bias":
        return torch.stack([layer.bias_ih_l0, layer.bias_hh_l0], dim=1)
    return getattr(layer, f"{which}_l0")


def _torch_attention_parameter(torch: Any, which: str, shape: tuple[int, ...], dtype: Any) -> Any:
    """nn.MultiheadAttention(E, 4 heads): "in_proj_weight" is the packed (3E, E) [q; k; v]; "q", "k", "v" its (E, E) blocks; "out_proj" (E, E).
    "kdim.k", "kdim.v": with kdim = vdim = C ≠ E, the separate k_proj_weight / v_proj_weight of shape (E, C)."""
    if which.startswith("kdim."):
        embed, other = shape
        if embed == other:
            raise ValueError(f"kdim ≠ E is the point of this parameter; shape {shape} has kdim = E")
        layer = torch.nn.MultiheadAttention(embed, ATTENTION_HEADS, kdim=other, vdim=other, dtype=dtype)
        return getattr(layer, f"{which[len('kdim.') :]}_proj_weight")
    embed = shape[1]
    layer = torch.nn.MultiheadAttention(embed, ATTENTION_HEADS, dtype=dtype)
    if which == "in_proj_weight":
        return layer.in_proj_weight
    if which == "out_proj":
        return layer.out_proj.weight
    block = "qkv".index(which)
    return layer.in_proj_weight[block * embed : (block + 1) * embed]


RNN_GATES = {"rnn": 1, "gru": 3, "lstm": 4}  # rows of weight_ih/weight_hh per hidden unit (torch: W_ir|W_iz|W_in, W_ii|W_if|W_ig|W_io)
ATTENTION_HEADS = 4
CONV_GROUPS = 4


def _torch_parameter(torch: Any, kind: str, shape: tuple[int, ...], dtype: Any) -> Any:
    """The parameter of shape `shape` a freshly built layer of this kind holds (module-docstring kinds)."""
    family, _, which = kind.partition(".")
    if family in RNN_GATES:
        return _torch_rnn_parameter(torch, family, which, shape, dtype)
    if family == "mha":
        return _torch_attention_parameter(torch, which, shape, dtype)
    if family == "embedding":
        return torch.nn.Embedding(*shape, dtype=dtype).weight
    outputs, inputs, *kernel = shape
    if family in ("conv1d", "conv3d"):
        return getattr(torch.nn, f"Conv{family[4]}d")(inputs, outputs, tuple(kernel), bias=False, dtype=dtype).weight
    if family == "conv2d_grouped":  # weight (out, in/groups, kh, kw)
        return torch.nn.Conv2d(inputs * CONV_GROUPS, outputs, tuple(kernel), groups=CONV_GROUPS, bias=False, dtype=dtype).weight
    raise TargetError(f"no torch layer kind {kind!r}")


def torch_module_default(kind: str) -> Sampler:
    """The weight a freshly built torch layer holds (reset_parameters), its global RNG seeded from rng inside fork_rng:
    _torch_layer_weight, whose source a repro script carries (repro.py)."""
    torch = _require("torch")

    def sample(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        with torch.random.fork_rng(devices=[]):
            weight = _torch_layer_weight(torch, kind, shape, getattr(torch, dtype), _seed(rng))
        return _torch_to_numpy(weight.detach().reshape(shape), dtype)

    return sample


def _torch_layer_weight(torch: Any, kind: str, shape: tuple[int, ...], dtype: Any, seed: int) -> Any:
    """The weight of shape `shape` a torch layer of this kind holds when built after torch.manual_seed(seed).

    kind: "linear" (shape (out, in)) and "conv" (Conv2d, (out, in, kh, kw)) read torch layout;
    "conv_transpose" builds ConvTranspose1d/2d, whose weight is (in, out, *kernel) (these three are built in float32 and
    cast). Built in the dtype asked for: "conv1d", "conv3d" ((out, in, *kernel)), "conv2d_grouped" (groups 4:
    (out, in/4, kh, kw)), "embedding" ((num_embeddings, dim)), "<rnn|lstm|gru>.<weight_ih|weight_hh|bias>" (layer 0; see
    _torch_rnn_parameter), "mha.<in_proj_weight|q|k|v|out_proj|kdim.k|kdim.v>" (see _torch_attention_parameter)."""
    torch.manual_seed(seed)
    if kind == "conv_transpose":
        inputs, outputs, *kernel = shape
        layer = torch.nn.ConvTranspose1d(inputs, outputs, 1) if not kernel else torch.nn.ConvTranspose2d(inputs, outputs, tuple(kernel))
        return layer.to(dtype).weight
    if kind in ("linear", "conv"):
        outputs, inputs, *kernel = shape
        layer = torch.nn.Linear(inputs, outputs, bias=False) if not kernel else torch.nn.Conv2d(inputs, outputs, tuple(kernel), bias=False)
        return layer.to(dtype).weight
    return _torch_parameter(torch, kind, shape, dtype)


def _jax_precision(jax: Any, dtype: str) -> contextlib.AbstractContextManager[Any]:
    """64-bit JAX for a float64 draw, only around it: by default JAX truncates float64 to float32 with a warning (its
    jax_enable_x64 flag), and turning the flag on for the whole process would change the other entries' default dtypes."""
    if dtype != "float64":
        return contextlib.nullcontext()
    enable: Any = getattr(jax, "enable_x64", None)  # not `or`: JAX's config state refuses bool()
    if enable is None:  # older JAX keeps it in jax.experimental
        enable = importlib.import_module("jax.experimental").enable_x64
    return enable(True)  # type: ignore[no-any-return]


def jax_init(name: str, **kwargs: Any) -> Sampler:
    """jax.nn.initializers.<name>(**kwargs)(PRNGKey(seed from rng), shape, dtype); float64 inside JAX's x64 mode."""
    jax = _require("jax")
    initializer = getattr(jax.nn.initializers, name)(**kwargs)

    def sample(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        with _jax_precision(jax, dtype):
            return np.asarray(initializer(jax.random.PRNGKey(_seed(rng, 31)), shape, getattr(jax.numpy, dtype)))

    return sample


def flax_module_default(kind: str = "dense") -> Sampler:
    """The kernel flax.linen.Dense (shape (in, out)) or Conv ((kh, kw, in, out)) holds after .init(PRNGKey(seed from rng));
    kind "embed": the (num_embeddings, features) table of linen.Embed. float64 inside JAX's x64 mode."""
    jax = _require("jax")
    nn = _require("flax.linen")

    def sample(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        with _jax_precision(jax, dtype):
            return _flax_parameter(jax, nn, kind, shape, getattr(jax.numpy, dtype), _seed(rng, 31))

    return sample


def _flax_parameter(jax: Any, nn: Any, kind: str, shape: tuple[int, ...], dt: Any, seed: int) -> np.ndarray:
    """The kernel (or embedding table) of shape `shape` a flax.linen layer of this kind holds after .init(PRNGKey(seed))."""
    *kernel, inputs, outputs = shape
    if kind == "embed":
        table = nn.Embed(inputs, outputs, param_dtype=dt).init(jax.random.PRNGKey(seed), jax.numpy.zeros((1,), jax.numpy.int32))
        return np.asarray(table["params"]["embedding"])
    if kernel:
        layer, x = nn.Conv(outputs, tuple(kernel), use_bias=False, param_dtype=dt), jax.numpy.zeros((1, *[8] * len(kernel), inputs), dt)
    else:
        layer, x = nn.Dense(outputs, use_bias=False, param_dtype=dt), jax.numpy.zeros((1, inputs), dt)
    return np.asarray(layer.init(jax.random.PRNGKey(seed), x)["params"]["kernel"])


def haiku_module_default(kind: str = "linear") -> Sampler:
    """The weight hk.Linear ((in, out)) or hk.Conv2D ((kh, kw, in, out)) draws by default, under hk.transform(...).init."""
    jax = _require("jax")
    hk = _require("haiku")

    def sample(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        with _jax_precision(jax, dtype):
            return _haiku_layer_weight(jax, hk, shape, getattr(jax.numpy, dtype), _seed(rng, 31))

    return sample


def _haiku_layer_weight(jax: Any, hk: Any, shape: tuple[int, ...], dt: Any, seed: int) -> np.ndarray:
    """The weight hk.Linear ((in, out)) or hk.Conv2D ((kh, kw, in, out)) holds after hk.transform(...).init(PRNGKey(seed))."""
    *kernel, inputs, outputs = shape
    if kernel:
        forward = hk.transform(lambda x: hk.Conv2D(outputs, tuple(kernel), with_bias=False)(x))
        x = jax.numpy.zeros((1, 8, 8, inputs), dt)
    else:
        forward = hk.transform(lambda x: hk.Linear(outputs, with_bias=False)(x))
        x = jax.numpy.zeros((1, inputs), dt)
    params = forward.init(jax.random.PRNGKey(seed), x)
    (weights,) = [leaf["w"] for leaf in params.values()]
    return np.asarray(weights)


def equinox_module_default(kind: str = "linear") -> Sampler:
    """The weight a freshly built eqx.nn.Linear ((out, in), torch's layout) or eqx.nn.Conv2d ((out, in, kh, kw)) holds,
    built with key=PRNGKey(seed from rng) in the dtype asked for; float64 inside JAX's x64 mode."""
    jax = _require("jax")
    eqx = _require("equinox")
    if kind != "linear":
        raise TargetError(f"no equinox layer kind {kind!r}")

    def sample(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        seed = _seed(rng, 31)
        with _jax_precision(jax, dtype):
            return _equinox_layer_weight(jax, eqx, shape, getattr(jax.numpy, dtype), seed)

    return sample


def _equinox_layer_weight(jax: Any, eqx: Any, shape: tuple[int, ...], dt: Any, seed: int) -> np.ndarray:
    """The weight eqx.nn.Linear ((out, in)) or eqx.nn.Conv2d ((out, in, kh, kw)) holds, built with key=PRNGKey(seed)."""
    outputs, inputs, *kernel = shape
    key = jax.random.PRNGKey(seed)
    if kernel:
        layer = eqx.nn.Conv2d(inputs, outputs, tuple(kernel), use_bias=False, dtype=dt, key=key)
    else:
        layer = eqx.nn.Linear(inputs, outputs, use_bias=False, dtype=dt, key=key)
    return np.asarray(layer.weight)


def haiku_init(name: str, **kwargs: Any) -> Sampler:
    """haiku.initializers.<name>(**kwargs)(shape, dtype), called inside hk.transform so that it draws from
    hk.next_rng_key() under PRNGKey(seed from rng); float64 inside JAX's x64 mode."""
    jax = _require("jax")
    hk = _require("haiku")
    initializer = getattr(hk.initializers, name)(**kwargs)

    def sample(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        with _jax_precision(jax, dtype):
            draw = hk.transform(lambda: initializer(shape, getattr(jax.numpy, dtype)))
            return np.asarray(draw.apply({}, jax.random.PRNGKey(_seed(rng, 31))))

    return sample


def keras_backend() -> str:
    """The backend Keras will load: KERAS_BACKEND if set, else jax (light to import; Keras's own default is tensorflow)."""
    os.environ.setdefault("KERAS_BACKEND", "jax")
    return os.environ["KERAS_BACKEND"]


def keras_init(name: str, **kwargs: Any) -> Sampler:
    """keras.initializers.<name>(**kwargs, seed=seed from rng)(shape, dtype), on the installed backend."""
    keras_backend()
    keras = _require("keras")
    cls = getattr(keras.initializers, name)

    def sample(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        initializer = cls(**kwargs, seed=_seed(rng, 31))
        return np.asarray(keras.ops.convert_to_numpy(initializer(shape, dtype=dtype)))

    return sample


def keras_layer_default(kind: str = "conv_transpose", **options: Any) -> Sampler:
    """The kernel keras.layers.Conv2DTranspose(filters, kernel_size, **options) holds after build, its initializer seeded from rng.

    The shape asked for is the kernel's own: (kh, kw, filters, input channels), which Keras builds as
    kernel_size + (filters, input_channel); a 2-D shape (filters, input channels) is a 1×1 kernel. Keras draws an unseeded
    initializer's seed from Python's global `random`: the layer's initializer keeps its class and configuration, and only
    its seed is set from rng before build.
    """
    keras_backend()
    keras = _require("keras")
    if kind != "conv_transpose":
        raise TargetError(f"no keras layer kind {kind!r}")

    def sample(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        return _keras_conv_transpose_kernel(keras, shape, dtype, _seed(rng, 31), options)

    return sample


def _keras_conv_transpose_kernel(keras: Any, shape: tuple[int, ...], dtype: str, seed: int, options: dict[str, Any]) -> np.ndarray:
    """The kernel keras.layers.Conv2DTranspose(filters, kernel_size, **options) holds after build, its initializer's seed set."""
    *kernel, filters, inputs = shape
    layer = keras.layers.Conv2DTranspose(filters, tuple(kernel) or (1, 1), use_bias=False, dtype=dtype, **options)
    layer.kernel_initializer.seed = seed
    layer.build((None, 8, 8, inputs))
    return np.asarray(keras.ops.convert_to_numpy(layer.kernel.value)).reshape(shape)


# TensorFlow's start-up lines on a machine without a GPU: written by its C++ runtime straight to file descriptor 2
# (absl logs before absl::InitializeLog, so TF_CPP_MIN_LOG_LEVEL does not reach them). Anything else is passed on.
TENSORFLOW_NOTICES = ("cudart_stub.cc", "cuda_platform.cc", "absl::InitializeLog", "cpu_feature_guard.cc", "oneDNN custom operations")


@contextlib.contextmanager
def _native_stderr_filtered(notices: tuple[str, ...]) -> Any:
    """File descriptor 2 into a temporary file for the block; afterwards its lines, less those naming a known notice,
    go to sys.stderr (an error TensorFlow prints on import still reaches the user)."""
    import tempfile

    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            kept = [line for line in caught.read().decode(errors="replace").splitlines() if line.strip() and not any(n in line for n in notices)]
            if kept:
                print("\n".join(kept), file=sys.stderr)


def tensorflow() -> Any:
    """TensorFlow, imported quietly: TF_CPP_MIN_LOG_LEVEL=2 (unless set), and its CPU-only start-up notices (no CUDA
    driver, cuInit) filtered from the process's stderr during the import and the first operation; errors still print."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    missing = missing_package("tensorflow")
    if missing is not None:
        raise NotInstalled(f"{missing} is not installed (pip install 'initcheck[frameworks]')")
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    with _native_stderr_filtered(TENSORFLOW_NOTICES):
        tf = importlib.import_module("tensorflow")
        tf.constant(0.0) + 0.0  # the first operation starts the devices: cuInit's notice comes here
        importlib.import_module("tf_keras")
    return tf


def tf_keras_init(name: str, **kwargs: Any) -> Sampler:
    """tf_keras.initializers.<name>(**kwargs, seed=seed from rng)(shape, dtype): the Keras 2 API (tf.keras before
    TensorFlow 2.16, which Krohn's listings ran on), from the tf-keras package."""
    tensorflow()
    tf_keras = _require("tf_keras")
    cls = getattr(tf_keras.initializers, name)

    def sample(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        return np.asarray(cls(**kwargs, seed=_seed(rng, 31))(shape, dtype=dtype).numpy())

    return sample


def tf_keras_layer_default(kind: str) -> Sampler:
    """The weight a freshly built tf_keras layer holds, its default initializer re-made with a seed from rng (its class and
    configuration kept): "dense" (in, out), "conv2d" ((kh, kw, in, out)), "conv2d_transpose" (the kernel's own
    (kh, kw, filters, input channels), as tf-keras builds it) and "embedding" ((input_dim, output_dim))."""
    tensorflow()
    tf_keras = _require("tf_keras")

    def sample(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        return _tf_keras_layer_weight(tf_keras, kind, shape, dtype, _seed(rng, 31))

    return sample


def _tf_keras_layer_weight(tf_keras: Any, kind: str, shape: tuple[int, ...], dtype: str, seed: int) -> np.ndarray:
    """The weight of shape `shape` a tf_keras layer of this kind holds after build, its default initializer re-made from
    its own config with this seed (its class and configuration kept)."""
    layers = tf_keras.layers

    def seeded(initializer: Any) -> Any:
        return type(initializer).from_config({**initializer.get_config(), "seed": seed})

    if kind == "embedding":
        rows, columns = shape
        layer = layers.Embedding(rows, columns, dtype=dtype)
        layer.embeddings_initializer = seeded(layer.embeddings_initializer)
        layer.build((None,))
        return np.asarray(layer.embeddings.numpy())
    build: tuple[int | None, ...]
    if kind == "dense":
        inputs, outputs = shape
        layer, build = layers.Dense(outputs, use_bias=False, dtype=dtype), (None, inputs)
    elif kind == "conv2d":
        *kernel, inputs, outputs = shape
        layer, build = layers.Conv2D(outputs, tuple(kernel) or (1, 1), use_bias=False, dtype=dtype), (None, 8, 8, inputs)
    elif kind == "conv2d_transpose":
        *kernel, filters, inputs = shape
        layer, build = layers.Conv2DTranspose(filters, tuple(kernel) or (1, 1), use_bias=False, dtype=dtype), (None, 8, 8, inputs)
    else:
        raise TargetError(f"no tf_keras layer kind {kind!r}")
    layer.kernel_initializer = seeded(layer.kernel_initializer)
    layer.build(build)
    return np.asarray(layer.kernel.numpy()).reshape(shape)


def _load_file(path: Path) -> Any:
    name = f"initcheck_user_{abs(hash(path.resolve()))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise TargetError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def resolve(target: str, **kwargs: Any) -> tuple[Sampler, str]:
    """A target string → (sampler, framework). Framework initializers by dotted path; anything else is a user callable.

    torch.nn.init.xavier_uniform_ · jax.nn.initializers.glorot_uniform · keras.initializers.GlorotNormal ·
    haiku.initializers.Orthogonal · tf_keras.initializers.HeNormal (TensorFlow's Keras 2) · pkg.module:function ·
    path/file.py:function; and a layer's default, drawn by building the layer: torch-module:KIND, keras-layer:KIND,
    tf-keras-layer:KIND, flax-module:KIND, haiku-module:KIND, equinox-module:KIND (LAYER_DEFAULTS).
    """
    prefix, _, kind = target.partition(":")
    if prefix in LAYER_DEFAULTS:
        framework, factory = LAYER_DEFAULTS[prefix]
        return factory(kind, **kwargs), framework
    prefixes = {
        "torch.nn.init.": ("torch", torch_init), "jax.nn.initializers.": ("jax", jax_init), "keras.initializers.": ("keras", keras_init),
        "haiku.initializers.": ("haiku", haiku_init), "tf_keras.initializers.": ("tensorflow", tf_keras_init),
    }  # fmt: skip
    for prefix, (framework, adapter) in prefixes.items():
        if target.startswith(prefix):
            name = target[len(prefix) :]
            try:
                return adapter(name, **kwargs), framework
            except AttributeError:
                raise TargetError(f"{prefix.rstrip('.')} has no initializer {name!r}") from None
    module_part, _, attribute = target.rpartition(":") if ":" in target else target.rpartition(".")
    if not module_part or not attribute:
        raise TargetError(f"cannot read target {target!r}: use pkg.module:function, path/file.py:function or a framework's dotted path")
    try:
        module = _load_file(Path(module_part)) if module_part.endswith(".py") else importlib.import_module(module_part)
    except (ImportError, OSError) as error:
        raise TargetError(f"cannot import {module_part!r}: {error}") from None
    function = getattr(module, attribute, None)
    if not callable(function):
        raise TargetError(f"{module_part} has no callable {attribute!r}")
    return user_sampler(function), "user"


# A layer's default weight, by target prefix: (framework, sampler factory of the layer kind and its options).
LAYER_DEFAULTS: dict[str, tuple[str, Callable[..., Sampler]]] = {
    "torch-module": ("torch", torch_module_default), "keras-layer": ("keras", keras_layer_default), "tf-keras-layer": ("tensorflow", tf_keras_layer_default),
    "flax-module": ("flax", flax_module_default), "haiku-module": ("haiku", haiku_module_default), "equinox-module": ("equinox", equinox_module_default),
}  # fmt: skip
