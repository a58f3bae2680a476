"""A Keras model's weights as the audit reads them (Keras 3 and tf-keras).

Layer kinds (keras/src/layers): Dense, Conv{1,2,3}D, DepthwiseConv2D, SeparableConv: kernel (*kernel, in, out), layout
"keras", default glorot_uniform, bias zeros; Conv{1,2,3}DTranspose: kernel (*kernel, out, in), read by Keras's
initializers as (*kernel, in, out) and so by us; Embedding: uniform(−0.05, 0.05) (Keras's "uniform");
BatchNormalization: gamma 1, beta 0, moving_mean 0, moving_variance 1; LayerNormalization: gamma 1, beta 0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from initcheck.audit.judge import Parameter
from initcheck.conformance.layouts import fans

CONSTANT_DEFAULTS = {"bias": "zeros", "gamma": "ones", "beta": "zeros", "moving_mean": "zeros", "moving_variance": "ones"}
KERNELS = ("kernel", "depthwise_kernel", "pointwise_kernel", "recurrent_kernel")


def _kind(layer: Any, attribute: str, shape: tuple[int, ...]) -> tuple[str | None, Any, str | None]:
    if attribute in KERNELS and len(shape) >= 2:
        return "keras", fans(shape, "keras"), "orthogonal" if attribute == "recurrent_kernel" else "glorot_uniform"
    if attribute == "embeddings":
        return "keras", fans(shape, "keras"), "uniform:a=0.05"
    return None, None, CONSTANT_DEFAULTS.get(attribute)


def _weights(model: Any) -> list[tuple[str, Any, str, Any]]:
    """(path, layer, attribute, variable) for every weight, trainable or not, in the model's order."""
    out = []
    for layer in model.layers:
        for variable in layer.weights:
            path = str(getattr(variable, "path", variable.name))
            out.append((path, layer, path.rsplit("/", 1)[-1].split(":")[0], variable))
    return out


def _values(variable: Any) -> np.ndarray:
    """A variable's values as float64 (keras.ops on any backend; tf-keras variables convert themselves)."""
    try:
        import keras

        return np.asarray(keras.ops.convert_to_numpy(variable.value), dtype=np.float64)  # the backend tensor: a Variable's own __array__ is refused by NumPy 2
    except (ImportError, ValueError, TypeError):
        return np.asarray(variable.numpy(), dtype=np.float64)


def parameters(build: Callable[[int], Any], seeds: tuple[int, ...]) -> tuple[list[Parameter], Any]:
    """Every weight of `build(seed)`, stacked over the seeds; and the first model."""
    models = [build(seed) for seed in seeds]
    listed = [_weights(m) for m in models]
    out = []
    for index, (path, layer, attribute, variable) in enumerate(listed[0]):
        values = np.stack([_values(weights[index][3]) for weights in listed])
        shape = tuple(values.shape[1:])
        layout, parameter_fans, default = _kind(layer, attribute, shape)
        out.append(Parameter(name=path, module_type=type(layer).__name__, attribute=attribute, values=values, layout=layout, fans=parameter_fans,
                             default=default, dtype=str(getattr(variable, "dtype", "float32"))))  # fmt: skip
    return out, models[0]
