"""An Equinox model's parameters as the audit reads them: every array field of every module in the tree.

Layer kinds (equinox/nn/_linear.py, _conv.py, _embedding.py, _normalisation.py): Linear weight (out, in) and ConvNd
weight (out, in/groups, *kernel), layout "torch", default U(±1/√fan_in) (`lim = 1 / math.sqrt(in_features)`, torch's
rule), and a bias U(±1/√fan_in) with the weight's fan_in; Embedding weight N(0, 1); LayerNorm, RMSNorm, GroupNorm
weight 1 and bias 0. Parameters only: propagation is measured on torch models.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from initcheck.audit.judge import Parameter
from initcheck.audit.torch_models import dense_default
from initcheck.conformance.layouts import Fans, fans


def _kind(module: Any, attribute: str, shape: tuple[int, ...]) -> tuple[str | None, Fans | None, str | None]:
    kind = type(module).__name__
    weight = getattr(module, "weight", None)
    if (kind == "Linear" or kind.startswith("Conv")) and weight is not None and len(weight.shape) >= 2 and "Transpose" not in kind:
        return dense_default(tuple(weight.shape), attribute)
    if kind == "Embedding" and attribute == "weight":
        return "torch", fans(shape, "torch"), "normal:std=1"
    if "Norm" in kind:
        return None, None, "ones" if attribute == "weight" else "zeros"
    if len(shape) >= 2:
        return "torch", fans(shape, "torch"), None
    return None, None, None


def _arrays(node: Any, path: str, owner: Any) -> Iterator[tuple[str, Any, str, Any]]:
    """(name, owning module, attribute, array) for every floating array in the tree, depth first in field order."""
    import equinox as eqx
    import jax.numpy as jnp

    if isinstance(node, eqx.Module):
        for field in dataclasses.fields(node):
            value = getattr(node, field.name, None)
            child = f"{path}.{field.name}" if path else field.name
            if value is not None and eqx.is_array(value) and jnp.issubdtype(value.dtype, jnp.floating):
                yield child, node, field.name, value
            else:
                yield from _arrays(value, child, node)
    elif isinstance(node, (list, tuple)):
        for index, item in enumerate(node):
            yield from _arrays(item, f"{path}.{index}", owner)
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from _arrays(item, f"{path}.{key}", owner)


def parameters(build: Callable[[int], Any], seeds: tuple[int, ...]) -> tuple[list[Parameter], Any]:
    """Every floating array of `build(seed)`, stacked over the seeds; and the first model."""
    models = [build(seed) for seed in seeds]
    listed = [list(_arrays(m, "", None)) for m in models]
    out = []
    for index, (name, module, attribute, array) in enumerate(listed[0]):
        values = np.stack([np.asarray(entries[index][3], dtype=np.float64) for entries in listed])
        shape = tuple(values.shape[1:])
        layout, parameter_fans, default = _kind(module, attribute, shape)
        out.append(Parameter(name=name, module_type=type(module).__name__, attribute=attribute, values=values, layout=layout,
                             fans=parameter_fans, default=default, dtype=str(array.dtype)))  # fmt: skip
    return out, models[0]
