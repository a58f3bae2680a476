"""Models for `initcheck audit`, built from code and configs (nothing is downloaded).

A target names a constructor:
- `transformers:BertModel` (any transformers model class): built as Class(Class.config_class(**config));
- `keras.applications:ResNet50`: built with weights=None (and **config);
- `path/to/file.py:make_model` or `package.module:make_model`: called with **config (and seed=, when it takes one).
A torch model is built after torch.manual_seed(seed), a Keras model after keras.utils.set_random_seed(seed): the
frameworks' own generators, seeded explicitly, so `--seeds N` gives N independent re-instantiations.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from initcheck.audit.judge import Parameter

PROBE_BATCH = 4
PROBE_TOKENS = 32
PROBE_IMAGE = 64


class ModelError(ValueError):
    """A target that cannot be built (unknown module, class, file; a constructor that raises)."""


@dataclass(frozen=True, kw_only=True)
class Model:
    """A buildable model: `build(seed)` makes a fresh instance; `probe(rng)` the inputs of one probe batch (or None)."""

    label: str
    framework: str
    framework_version: str
    config: dict[str, Any]
    build: Callable[[int], Any]
    probe: Callable[[np.random.Generator], Any] | None = None
    probe_description: str = ""
    no_probe_reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def parameters(self, seeds: tuple[int, ...]) -> tuple[list[Parameter], Any]:
        if self.framework == "torch":
            from initcheck.audit import torch_models

            return torch_models.parameters(self.build, seeds)
        if self.framework == "equinox":
            from initcheck.audit import equinox_models

            return equinox_models.parameters(self.build, seeds)
        from initcheck.audit import keras_models

        return keras_models.parameters(self.build, seeds)

    def record_signal(self, built: Any, rng: np.random.Generator) -> dict[str, dict[str, Any]]:
        from initcheck.audit import torch_models

        assert self.probe is not None
        inputs = self.probe(rng)
        return torch_models.record_signal(built, lambda m: m(**inputs) if isinstance(inputs, dict) else m(inputs), rng)


def _import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as error:
        raise ModelError(f"cannot import {name!r} ({error}); is it installed? (pip install 'initcheck[audit]')") from None
    except (ValueError, TypeError) as error:  # an empty or relative module name
        raise ModelError(f"cannot import {name!r}: {error}") from None


def _built(target: str, make: Callable[[], Any]) -> Any:
    """`make()`, with any exception of the constructor turned into a ModelError naming the target."""
    try:
        return make()
    except Exception as error:
        raise ModelError(f"{target} could not be built: {type(error).__name__}: {error}") from None


def _transformers(class_name: str, config: dict[str, Any]) -> Model:
    transformers = _import("transformers")
    import torch

    cls = getattr(transformers, class_name, None)
    if cls is None or not hasattr(cls, "config_class"):
        raise ModelError(f"transformers has no model class {class_name!r}")
    try:
        configuration = cls.config_class(**config)
    except Exception as error:
        raise ModelError(f"{class_name}'s config ({cls.config_class.__name__}) refused {config}: {error}") from None
    used = {k: v for k, v in configuration.to_dict().items() if isinstance(v, (int, float, str, bool)) and not k.startswith("_")}

    def build(seed: int) -> Any:
        torch.manual_seed(seed)
        return _built(f"transformers:{class_name}", lambda: cls(cls.config_class(**config)))

    input_name = getattr(cls, "main_input_name", "input_ids")
    if input_name == "input_ids":
        vocabulary = int(configuration.vocab_size)

        def probe(rng: np.random.Generator) -> Any:
            return {"input_ids": torch.from_numpy(rng.integers(0, vocabulary, size=(PROBE_BATCH, PROBE_TOKENS)))}

        description = f"{PROBE_BATCH}×{PROBE_TOKENS} token ids uniform over the vocabulary of {vocabulary}"
    elif input_name == "pixel_values":
        channels = int(getattr(configuration, "num_channels", 3))
        size = int(getattr(configuration, "image_size", PROBE_IMAGE))

        def probe(rng: np.random.Generator) -> Any:
            return {"pixel_values": torch.from_numpy(rng.standard_normal((PROBE_BATCH, channels, size, size)).astype(np.float32))}

        description = f"{PROBE_BATCH}×{channels}×{size}×{size} pixels N(0, 1)"
    else:
        return Model(label=f"transformers:{class_name}", framework="torch", framework_version=f"torch {torch.__version__}, transformers {transformers.__version__}",
                     config=used, build=build, no_probe_reason=f"no probe for input {input_name!r}")  # fmt: skip
    return Model(label=f"transformers:{class_name}", framework="torch", framework_version=f"torch {torch.__version__}, transformers {transformers.__version__}",
                 config=used, build=build, probe=probe, probe_description=description)  # fmt: skip


def _keras_application(name: str, config: dict[str, Any]) -> Model:
    keras = _import("keras")
    constructor = getattr(keras.applications, name, None)
    if constructor is None:
        raise ModelError(f"keras.applications has no {name!r}")
    arguments = {"weights": None, **config}
    if arguments["weights"] is not None:
        raise ModelError("keras.applications models are audited with weights=None (nothing is downloaded)")

    def build(seed: int) -> Any:
        keras.utils.set_random_seed(seed)
        return _built(f"keras.applications:{name}", lambda: constructor(**arguments))

    return Model(label=f"keras.applications:{name}", framework="keras", framework_version=f"keras {keras.__version__} ({keras.backend.backend()})",
                 config={k: v for k, v in arguments.items() if isinstance(v, (int, float, str, bool, type(None)))}, build=build,
                 no_probe_reason="propagation is measured on torch models (Keras: parameters only, for now)")  # fmt: skip


def _callable(target: str, config: dict[str, Any], input_shape: tuple[int, ...] | None) -> Model:
    module_name, _, function_name = target.rpartition(":")
    if module_name.endswith(".py"):
        path = Path(module_name)
        if not path.is_file():
            raise ModelError(f"no file {module_name}")
        spec = importlib.util.spec_from_file_location(f"initcheck_audit_target_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as error:
            raise ModelError(f"{module_name} raised {type(error).__name__} on import: {error}") from None
    else:
        module = _import(module_name)
    function = getattr(module, function_name, None)
    if not callable(function):
        raise ModelError(f"{module_name} has no function {function_name!r}")
    try:
        names = set(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        names = set()  # a builtin without a signature: called with the config alone
    takes_seed, takes_key = "seed" in names, "key" in names

    seeded: set[str] = set()  # the frameworks the last build seeded (one imported only inside `function` is not)

    def build(seed: int) -> Any:
        seeded.clear()
        for name, reseed in (("torch", lambda m: m.manual_seed(seed)), ("keras", lambda m: m.utils.set_random_seed(seed))):
            if name in sys.modules:
                reseed(sys.modules[name])
                seeded.add(name)
        extra: dict[str, Any] = {"seed": seed} if takes_seed else {}
        if takes_key:  # Equinox and other JAX constructors take a PRNG key
            import jax

            extra["key"] = jax.random.key(seed)
        if seed == 0 and kept:  # the instance built once to tell the framework is the seed-0 instance
            return kept.pop()
        return _built(target, lambda: function(**config, **extra))

    kept: list[Any] = []
    first = build(0)
    if _is_torch_module(first):
        framework = "torch"
    elif type(first).__module__.split(".")[0] in ("keras", "tf_keras"):
        framework = "keras"
    elif "equinox" in sys.modules and isinstance(first, sys.modules["equinox"].Module):
        framework = "equinox"
    else:
        raise ModelError(f"{target} returned a {type(first).__module__}.{type(first).__name__}; the audit reads torch nn.Module, Keras and Equinox models")
    if framework in seeded or takes_key:  # built from its seed: the seed-0 instance; else the audit builds it again, seeded
        kept.append(first)
    version = _version(framework)
    if framework == "torch" and input_shape:
        import torch

        def probe(rng: np.random.Generator) -> Any:
            return torch.from_numpy(rng.standard_normal(input_shape).astype(np.float32))

        return Model(label=target, framework=framework, framework_version=version, config=config, build=build, probe=probe,
                     probe_description=f"input {'×'.join(map(str, input_shape))} N(0, 1)")  # fmt: skip
    reason = "no --input-shape given" if framework == "torch" else f"propagation is measured on torch models ({framework}: parameters only, for now)"
    return Model(label=target, framework=framework, framework_version=version, config=config, build=build, no_probe_reason=reason)


def _is_torch_module(value: Any) -> bool:
    return "torch" in sys.modules and isinstance(value, sys.modules["torch"].nn.Module)


def _version(framework: str) -> str:
    module = importlib.import_module(framework)
    return f"{framework} {module.__version__}"


def load(target: str, *, config: dict[str, Any], input_shape: tuple[int, ...] | None = None) -> Model:
    """The Model a target names (see the module docstring); ModelError if it cannot be built."""
    prefix, colon, name = target.partition(":")
    if not colon or not name:
        raise ModelError(f"a model is MODULE:NAME or FILE.py:FUNCTION (e.g. transformers:BertModel); got {target!r}")
    if prefix == "transformers":
        return _transformers(name, config)
    if prefix == "keras.applications":
        return _keras_application(name, config)
    return _callable(target, config, input_shape)
