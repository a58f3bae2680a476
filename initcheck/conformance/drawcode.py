"""The code a repro script carries to draw the battery's tensors (initcheck.conformance.repro): per target, the imports,
a `draw(child, shape)` function and the framework's version line. A framework initializer is called as the adapter calls
it, seeded with the child generator's first integer (63 bits for torch, 31 for the others: adapters._seed); a layer
default is built by the very function the battery used (adapters._torch_layer_weight and its kin), whose source the
script carries (`carried`, annotations dropped), not a retyped copy; a user's file is compiled from its source.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from pathlib import Path
from typing import Any

from initcheck.conformance import adapters

SEED_BITS = {"torch": 63, "jax": 31, "keras": 31, "tensorflow": 31, "haiku": 31}


class ReproError(ValueError):
    """A record this module cannot write a script for (passing, not a framework initializer, no statistic it recomputes)."""


class _Plain(ast.NodeTransformer):
    """Annotations dropped (a script imports no typing): def f(x: Any) -> Any becomes def f(x); x: T = v becomes x = v."""

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.annotation = None
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        node.returns = None
        self.generic_visit(node)
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.Assign | None:
        return None if node.value is None else ast.copy_location(ast.Assign(targets=[node.target], value=node.value), node)


def carried(*items: Any) -> str:
    """The source of initcheck's own functions and classes, for a script to carry (annotations dropped), and
    constants given as (name, value): the script runs the very code that drew the battery's tensors, not a retyped copy."""
    parts = []
    for item in items:
        if isinstance(item, tuple):
            parts.append(f"{item[0]} = {item[1]!r}")
            continue
        tree = ast.fix_missing_locations(_Plain().visit(ast.parse(textwrap.dedent(inspect.getsource(item)))))
        parts.append(ast.unparse(tree))
    return "\n\n\n".join(parts)


# A layer default's code in a script, per target prefix: what to import, the functions initcheck built the layer with
# (adapters.py), the call that draws one tensor from the seed, the seed's bits, and the version line.
LAYER_CODE: dict[str, dict[str, Any]] = {
    "torch-module": {
        "imports": "import torch", "bits": 63, "version": '"torch " + torch.__version__',
        "carried": (("RNN_GATES", adapters.RNN_GATES), ("ATTENTION_HEADS", adapters.ATTENTION_HEADS), ("CONV_GROUPS", adapters.CONV_GROUPS),
                    adapters._torch_rnn_parameter, adapters._torch_attention_parameter, adapters._torch_parameter, adapters._torch_layer_weight),
        "call": "_torch_layer_weight(torch, KIND, shape, getattr(torch, DTYPE), seed).detach().double().numpy()",
    },
    "keras-layer": {
        "imports": 'os.environ.setdefault("KERAS_BACKEND", BACKEND)\nimport keras', "bits": 31,
        "version": '"keras " + keras.__version__ + " (" + keras.backend.backend() + " backend)"',
        "carried": (adapters._keras_conv_transpose_kernel,), "call": "_keras_conv_transpose_kernel(keras, shape, DTYPE, seed, OPTIONS)",
    },
    "tf-keras-layer": {
        "imports": 'os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")\nimport tensorflow\nimport tf_keras', "bits": 31,
        "version": '"tensorflow " + tensorflow.__version__ + ", tf-keras " + tf_keras.__version__',
        "carried": (adapters._tf_keras_layer_weight,), "call": "_tf_keras_layer_weight(tf_keras, KIND, shape, DTYPE, seed)",
    },
    "flax-module": {
        "imports": "import flax\nimport flax.linen as nn\nimport jax", "bits": 31, "version": '"flax " + flax.__version__ + ", jax " + jax.__version__',
        "carried": (adapters._flax_parameter,), "call": "_flax_parameter(jax, nn, KIND, shape, getattr(jax.numpy, DTYPE), seed)",
    },
    "haiku-module": {
        "imports": "import haiku as hk\nimport jax", "bits": 31, "version": '"dm-haiku " + hk.__version__ + ", jax " + jax.__version__',
        "carried": (adapters._haiku_layer_weight,), "call": "_haiku_layer_weight(jax, hk, shape, getattr(jax.numpy, DTYPE), seed)",
    },
    "equinox-module": {
        "imports": "import equinox as eqx\nimport jax", "bits": 31, "version": '"equinox " + eqx.__version__ + ", jax " + jax.__version__',
        "carried": (adapters._equinox_layer_weight,), "call": "_equinox_layer_weight(jax, eqx, shape, getattr(jax.numpy, DTYPE), seed)",
    },
}  # fmt: skip
X64 = '\njax.config.update("jax_enable_x64", True)  # float64: JAX truncates to float32 otherwise'


def _layer_code(record: dict[str, Any], kwargs: dict[str, Any]) -> tuple[str, str, str]:
    """(imports, draw function, version expression) for a layer default: the layer built by initcheck's own function."""
    prefix, _, kind = record["target"].partition(":")
    code = LAYER_CODE[prefix]
    imports = code["imports"].replace("BACKEND", repr(record.get("backend") or "jax"))
    if "jax" in imports and record["dtype"] == "float64":
        imports += X64
    constants = f"KIND = {kind!r}\nDTYPE = {record['dtype']!r}\nOPTIONS = {kwargs!r}  # the layer's options in the matrix entry\nTargetError = ValueError"
    draw = (
        f"{constants}\n\n\n{carried(*code['carried'])}\n\n\ndef draw(child, shape):\n"
        f"    seed = int(child.integers(0, 2**{code['bits']}))\n    return np.asarray({code['call']})"
    )
    return imports, draw, code["version"]


def draw_code(record: dict[str, Any], kwargs: dict[str, Any]) -> tuple[str, str, str]:
    """(imports, draw function, version expression) for the record's target."""
    framework, target, dtype = record["framework"], record["target"], record["dtype"]
    name = target.rsplit(".", 1)[-1]
    if target.partition(":")[0] in LAYER_CODE:  # a layer default (torch-module:…): drawn by building the layer
        return _layer_code(record, kwargs)
    args = ", ".join(f"{key}={value!r}" for key, value in kwargs.items())
    bits = SEED_BITS.get(framework)
    if framework == "torch":
        to_numpy = "tensor.float().numpy()" if dtype == "bfloat16" else "tensor.numpy()"
        return (
            "import torch",
            f"def draw(child, shape):\n    generator = torch.Generator().manual_seed(int(child.integers(0, 2**{bits})))\n"
            f"    tensor = torch.empty(shape, dtype=torch.{dtype})\n    with torch.no_grad():\n"
            f"        torch.nn.init.{name}(tensor{', ' + args if args else ''}, generator=generator)\n    return {to_numpy}",
            '"torch " + torch.__version__',
        )
    if framework == "jax":
        x64 = '\njax.config.update("jax_enable_x64", True)  # float64: JAX truncates to float32 otherwise' if dtype == "float64" else ""
        return (
            "import jax" + x64,
            f"INITIALIZER = jax.nn.initializers.{name}({args})\n\n\ndef draw(child, shape):\n"
            f"    return np.asarray(INITIALIZER(jax.random.PRNGKey(int(child.integers(0, 2**{bits}))), shape, jax.numpy.{dtype}))",
            '"jax " + jax.__version__',
        )
    if framework == "keras":
        backend = record.get("backend") or "jax"
        return (
            f'os.environ.setdefault("KERAS_BACKEND", {backend!r})\nimport keras',
            f"def draw(child, shape):\n    initializer = keras.initializers.{name}({args + ', ' if args else ''}seed=int(child.integers(0, 2**{bits})))\n"
            f"    return np.asarray(keras.ops.convert_to_numpy(initializer(shape, dtype={dtype!r})))",
            '"keras " + keras.__version__ + " (" + keras.backend.backend() + " backend)"',
        )
    if framework == "tensorflow":
        return (
            'os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")\nimport tensorflow\nimport tf_keras',
            f"def draw(child, shape):\n    initializer = tf_keras.initializers.{name}({args + ', ' if args else ''}seed=int(child.integers(0, 2**{bits})))\n"
            f"    return initializer(shape, dtype={dtype!r}).numpy()",
            '"tensorflow " + tensorflow.__version__ + ", tf-keras " + tf_keras.__version__',
        )
    if framework == "haiku":
        return (
            "import haiku as hk\nimport jax",
            f"def draw(child, shape):\n    initializer = hk.initializers.{name}({args})\n"
            f"    sample = hk.transform(lambda: initializer(shape, jax.numpy.{dtype}))\n"
            f"    return np.asarray(sample.apply({{}}, jax.random.PRNGKey(int(child.integers(0, 2**{bits})))))",
            '"dm-haiku " + hk.__version__',
        )
    if framework == "user" and ":" in target and target.rpartition(":")[0].endswith(".py"):
        path, _, function = target.rpartition(":")
        return (
            # the source itself, compiled here: a cached .pyc is trusted when size and mtime (whole seconds) match, so a fix
            # of the same length saved within the second of the last run would run the old code
            f"import importlib.util\n_path = {str(Path(path).resolve())!r}\n_spec = importlib.util.spec_from_file_location('target', _path)\n"
            "TARGET = importlib.util.module_from_spec(_spec)\nwith open(_path, encoding='utf-8') as _source:\n"
            "    exec(compile(_source.read(), _path, 'exec'), TARGET.__dict__)",
            f"def draw(child, shape):\n    return np.asarray(TARGET.{function}(child, shape))",
            f'"{Path(path).name}:{function} (a user file)"',
        )
    raise ReproError(f"no script for target {target!r}: --repro writes scripts for torch.nn.init.*, jax.nn.initializers.*, keras.initializers.*, "
                     "tf_keras.initializers.*, haiku.initializers.*, the layer defaults (" + ", ".join(f"{p}:KIND" for p in LAYER_CODE) + ") "
                     "and path/file.py:function targets")  # fmt: skip
