"""Weight layouts and their fans: which axes are the inputs, the outputs and the receptive field.

- torch: (out, in, *kernel), fans as torch.nn.init._calculate_fan_in_and_fan_out computes them.
- torch_transposed: ConvTranspose weights, (in, out, *kernel). torch.nn.init reads them as if
  they were (out, in, …), so its fan_in there is the layer's fan_out; this layout names the true fans.
- keras (also JAX, Flax, Haiku): (*kernel, in, out).
- keras_transposed: Keras Conv{1,2,3}DTranspose kernels, (*kernel, out, in) (base_conv_transpose.py builds
  kernel_size + (filters, input_channel)). Keras's initializers read them as (*kernel, in, out), so their fan_in
  there is k·out; this layout names the true fans (fan_in = in·∏kernel at stride 1).
The receptive field is the product of the kernel axes (1 for a dense weight).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

LAYOUTS = ("torch", "torch_transposed", "keras", "keras_transposed")
FRAMEWORK_LAYOUT = {"torch": "torch", "tensorflow": "keras", "jax": "keras", "keras": "keras", "flax": "keras", "haiku": "keras", "equinox": "torch", "user": "keras"}


class LayoutError(ValueError):
    """An unknown layout, or a shape the layout cannot read."""


@dataclass(frozen=True)
class Fans:
    fan_in: int
    fan_out: int
    receptive_field: int


def _check(layout: str, shape: tuple[int, ...]) -> None:
    if layout not in LAYOUTS:
        raise LayoutError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    if len(shape) < 2:
        raise LayoutError(f"a {layout} weight needs at least 2 axes, got shape {shape}")


def fans(shape: tuple[int, ...], layout: str) -> Fans:
    """fan_in = in·receptive field, fan_out = out·receptive field, reading in/out where the layout puts them."""
    _check(layout, shape)
    if layout == "keras":
        receptive, inputs, outputs = math.prod(shape[:-2]), shape[-2], shape[-1]
    elif layout == "keras_transposed":
        receptive, outputs, inputs = math.prod(shape[:-2]), shape[-2], shape[-1]
    elif layout == "torch":
        receptive, outputs, inputs = math.prod(shape[2:]), shape[0], shape[1]
    else:
        receptive, inputs, outputs = math.prod(shape[2:]), shape[0], shape[1]
    return Fans(inputs * receptive, outputs * receptive, receptive)


def shape_for(layout: str, *, inputs: int, outputs: int, kernel: tuple[int, ...] = ()) -> tuple[int, ...]:
    """The weight shape of a layer with these channel counts in this layout."""
    _check(layout, (inputs, outputs))
    if layout == "keras":
        return (*kernel, inputs, outputs)
    if layout == "keras_transposed":
        return (*kernel, outputs, inputs)
    if layout == "torch":
        return (outputs, inputs, *kernel)
    return (inputs, outputs, *kernel)


def units_by_fan(weights: np.ndarray, layout: str) -> np.ndarray:
    """View each tensor (leading replicate axis) as a units × (fan per unit) matrix: one row per output unit."""
    replicates, shape = weights.shape[0], weights.shape[1:]
    _check(layout, shape)
    if layout == "keras":
        return np.swapaxes(weights.reshape(replicates, -1, shape[-1]), 1, 2)
    if layout == "keras_transposed":
        return np.moveaxis(weights, -2, 1).reshape(replicates, shape[-2], -1)
    if layout == "torch":
        return weights.reshape(replicates, shape[0], -1)
    return np.swapaxes(weights, 1, 2).reshape(replicates, shape[1], -1)


def orthogonal_matrices(weights: np.ndarray, layout: str) -> np.ndarray:
    """The 2-D matrix each framework orthogonalizes: torch flattens (shape[0], rest), Keras/JAX (rest, shape[-1])."""
    replicates, shape = weights.shape[0], weights.shape[1:]
    _check(layout, shape)
    if layout in ("keras", "keras_transposed"):
        return weights.reshape(replicates, -1, shape[-1])
    return weights.reshape(replicates, shape[0], -1)
