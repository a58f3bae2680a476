"""SYM-BACKPROP-2LAYER: the article's backpropagation formulas against SymPy, and against finite differences with real activations."""

from __future__ import annotations

import numpy as np
import sympy as sp

from initcheck.properties.backprop import SYM_BACKPROP_2LAYER as PROPERTIES
from initcheck.registry import BY_ID
from initcheck.symbolic.backprop import SYM_BACKPROP_2LAYER
from initcheck.theory import backprop
from initcheck.verify import run_properties, run_symbolic


def test_symbolic_check_holds_and_rejects_the_missing_output_derivative():
    record = run_symbolic(BY_ID["SYM-BACKPROP-2LAYER"], SYM_BACKPROP_2LAYER).as_json()
    assert record["passed"] and record["verdict"] == "holds"
    assert record["foil"]["mismatches"] == ["eq_13_hidden_weights: stated True, derived False"]


def test_article_formulas_match_central_differences_with_tanh_and_sigmoid():
    net = backprop.two_layer_net(2, 3, 2)
    concrete = {backprop.f_h: sp.tanh, backprop.f_y: lambda z: 1 / (1 + sp.exp(-z))}
    symbols = sorted(net.loss.free_symbols, key=str)
    rng = np.random.default_rng(11)
    point = dict(zip(symbols, rng.normal(size=len(symbols)), strict=True))
    loss = sp.lambdify(symbols, net.loss.replace(backprop.f_h, concrete[backprop.f_h]).replace(backprop.f_y, concrete[backprop.f_y]))
    formulas = backprop.article(net)
    for name in ("w1", "w2"):
        for w, formula in zip(getattr(net, name), formulas[name], strict=True):
            value = float(formula.replace(backprop.f_h, concrete[backprop.f_h]).replace(backprop.f_y, concrete[backprop.f_y]).doit().subs(point))
            step = 1e-6
            up, down = dict(point), dict(point)
            up[w] += step
            down[w] -= step
            numeric = (loss(*up.values()) - loss(*down.values())) / (2 * step)
            assert abs(numeric - value) <= 1e-7 * max(1.0, abs(value))  # central difference: O(h²) ≈ 1e-12 plus rounding ~1e-10


def test_properties_hold_against_complex_step_and_the_foil_fails():
    record = run_properties(BY_ID["SYM-BACKPROP-2LAYER"], PROPERTIES, seed=1).as_json()
    assert record["passed"], record["summary"]
