"""Layers point down: theory/ and sims/ compute and import no project code but their own folder, and share none.

Agreement between a derivation and a simulation means something only if they share no code, and a verdict is
decided in initcheck/ (symbolic, simulations, properties, reproductions), never in the layer that computes it.
The imports are read from the source (AST), so a lazy import inside a function counts too.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# folder, the project package it may import from, third-party packages it must not import
LAYERS = {
    "theory": ("initcheck.theory", ("numpy", "scipy")),
    "sims": ("initcheck.sims", ("sympy", "mpmath")),
}


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("folder", sorted(LAYERS))
def test_computing_layer_imports_only_its_own_folder(folder):
    own, forbidden = LAYERS[folder]
    offending = [
        f"{path.name}: {name}"
        for path in sorted((ROOT / folder).glob("*.py"))
        for name in _imports(path)
        if (name.split(".")[0] in ("initcheck", "theory", "sims", "reports") and not (name == own or name.startswith(own + ".")))
        or name.split(".")[0] in forbidden
    ]
    assert not offending, offending


# Families whose derivation and measurement are compared: the same function name in theory/ and sims/ (issue: one family,
# one name). theory's returns the derived value, sims' the estimate (its first argument the rng) of the same quantity.
PAIRS = {
    "variance": ("forward_variance", "forward_gain", "backward_gain", "nielsen_variance"),
    "regularization": ("dropout_moments", "batchnorm_moments"),
    "gradients": ("factor_statistics", "chain_product"),
    "interval": ("interval_width", "width_maximum", "threshold_weight"),
    "initializers": ("relu_second_moment", "uniform_variance"),
    "meanfield": ("depth_second_moment",),
    "saturation": ("saturated_fraction",),
    "hidden_saturation": ("first_layer_saturated_fraction",),
    "symmetry": ("zero_init_movement",),
}


@pytest.mark.parametrize("family", sorted(PAIRS))
def test_paired_functions_share_a_name_and_sims_takes_the_rng_first(family):
    import importlib
    import inspect

    theory, sims = (importlib.import_module(f"initcheck.{layer}.{family}") for layer in ("theory", "sims"))
    for name in PAIRS[family]:
        assert callable(getattr(theory, name, None)), f"theory.{family}.{name} missing"
        assert callable(getattr(sims, name, None)), f"sims.{family}.{name} missing: the measured pair of theory.{family}.{name}"
        parameters = list(inspect.signature(getattr(sims, name)).parameters)
        assert not parameters or parameters[0] == "rng" or "rng" not in parameters, f"sims.{family}.{name}: rng must come first"
