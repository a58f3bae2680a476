"""SAT-XENT: σ' cancels in the cross-entropy output error, not in the hidden error (symbolic and properties)."""

from __future__ import annotations

import mpmath
import sympy as sp

from initcheck.properties.xent import SAT_XENT as PROPERTIES
from initcheck.registry import BY_ID
from initcheck.symbolic.xent import SAT_XENT
from initcheck.theory import xent
from initcheck.verify import run_properties, run_symbolic


def test_hidden_error_is_the_chain_rule_product_at_sample_points():
    # the full derivative through both sigmoids equals w(a − y)σ'(z_h), checked at 30 digits at three rational points
    full = xent.hidden_error("cross_entropy")
    h = sp.Symbol("h", positive=True)
    factored = xent.hidden_error_over_sigmoid_prime("cross_entropy").subs(h, xent.sigmoid(xent.z_h)) * xent.sigmoid_prime(xent.z_h)
    for point in ({xent.z_h: 3, xent.w: -2, xent.b: sp.Rational(1, 2), xent.y: 1}, {xent.z_h: -7, xent.w: 5, xent.b: 0, xent.y: 0}, {xent.z_h: 0, xent.w: 1, xent.b: 1, xent.y: 0}):
        assert abs(sp.N(full.subs(point) - factored.subs(point), 30)) < 1e-25  # 30-digit evaluation of equal expressions


def test_symbolic_check_holds_and_rejects_the_hidden_cancellation_foil():
    record = run_symbolic(BY_ID["SAT-XENT"], SAT_XENT).as_json()
    assert record["passed"] and record["verdict"] == "holds"
    assert record["foil"]["rejected"] and any("hidden_error_at_saturation" in m for m in record["foil"]["mismatches"])


def test_properties_hold_and_foils_find_counterexamples():
    record = run_properties(BY_ID["SAT-XENT"], PROPERTIES, seed=1).as_json()
    assert record["passed"], record["summary"]
    assert mpmath.mp.dps == 15  # the properties restore mpmath's precision
