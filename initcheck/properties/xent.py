# mypy: disable-error-code="misc"
"""SAT-XENT as properties: errors differentiated numerically (mpmath.diff at 60 digits) from the cross-entropy cost itself.

For any z (output pre-activation), y ∈ {0, 1}: ∂C/∂z = σ(z) − y, so a wrongly saturated output keeps an error near 1.
For any z_h, w, b: |∂C/∂z_h| ≤ |w|·σ'(z_h), so a saturated hidden unit's error vanishes whatever the output does.
Foils: the quadratic cost's output error is σ(z) − y (it is (a − y)σ'(z)); the hidden error is w(a − y) (σ' cancelled).
"""

from __future__ import annotations

import mpmath
from hypothesis import strategies as st

from initcheck.properties import Property, PropertyCheck

DIGITS = 60
# mpmath.diff at 60 digits differentiates the output error to ~30 correct digits; 1e-20 relative leaves room, and the
# foils miss by > 1e-6 relative.
TOLERANCE = mpmath.mpf(10) ** -20
# The hidden error is tiny beside the cost when the hidden unit saturates: at (z_h, w, b, y) = (46, 50, 25, 0), C ≈ 75
# and ∂C/∂z_h ≈ 5e-19, and 60 digits left a relative error of 1.07e-20 (> TOLERANCE: a false counterexample, since
# |a − y| < 1 by e⁻⁷⁵ only). 120 digits leave 2e-80 there.
HIDDEN_DIGITS = 120
SATURATED_HIDDEN = (46.0, 50.0, 25.0, 0)  # that point, run first by the stated property: it must hold
moderate = st.floats(-50, 50, allow_nan=False)
label = st.sampled_from([0, 1])


def _sigmoid(x: mpmath.mpf) -> mpmath.mpf:
    return 1 / (1 + mpmath.exp(-x))


def _cost(a: mpmath.mpf, y: int, quadratic: bool = False) -> mpmath.mpf:
    if quadratic:
        return (a - y) ** 2 / 2
    return -(y * mpmath.log(a) + (1 - y) * mpmath.log(1 - a))


def _output_error(args: tuple[float, int], quadratic: bool = False) -> None:
    z, y = args
    with mpmath.workdps(DIGITS):
        derivative = mpmath.diff(lambda t: _cost(_sigmoid(t), y, quadratic), mpmath.mpf(z))
        expected = _sigmoid(mpmath.mpf(z)) - y
        assert abs(derivative - expected) <= TOLERANCE * max(1, abs(expected)), f"∂C/∂z = {mpmath.nstr(derivative, 15)} ≠ σ(z) − y = {mpmath.nstr(expected, 15)}"


def _hidden_error(args: tuple[float, float, float, int], cancelled: bool = False) -> None:
    z_h, w, b, y = args
    with mpmath.workdps(HIDDEN_DIGITS):
        zh, wm, bm = mpmath.mpf(z_h), mpmath.mpf(w), mpmath.mpf(b)
        derivative = mpmath.diff(lambda t: _cost(_sigmoid(wm * _sigmoid(t) + bm), y), zh)
        a = _sigmoid(wm * _sigmoid(zh) + bm)
        if cancelled:  # the foil: σ' cancels for hidden units too, δ_h = w(a − y)
            assert abs(derivative - wm * (a - y)) <= TOLERANCE * max(1, abs(wm)), f"δ_h = {mpmath.nstr(derivative, 15)} ≠ w(a − y) = {mpmath.nstr(wm * (a - y), 15)}"
            return
        bound = abs(wm) * _sigmoid(zh) * (1 - _sigmoid(zh))
        assert abs(derivative) <= bound * (1 + TOLERANCE), f"|δ_h| = {mpmath.nstr(abs(derivative), 15)} > |w|σ'(z_h) = {mpmath.nstr(bound, 15)}"


SAT_XENT = PropertyCheck(
    properties=(
        Property(
            "cross-entropy output error is σ(z) − y",
            "For any z in [−50, 50] and y ∈ {0, 1}: ∂C/∂z = σ(z) − y (σ' cancelled; no slowdown at a wrongly saturated output).",
            lambda: st.tuples(moderate, label),
            _output_error,
        ),
        Property(
            "cross-entropy hidden error is at most |w|·σ'(z_h)",
            "For any z_h, w, b in [−50, 50] and y ∈ {0, 1}: |∂C/∂z_h| ≤ |w|σ'(z_h) (the hidden σ' stays and vanishes at saturation).",
            lambda: st.tuples(moderate, moderate, moderate, label),
            _hidden_error,
            examples=(SATURATED_HIDDEN,),
        ),
        Property(
            "foil: the quadratic cost's output error is σ(z) − y",
            "∂C/∂z = σ(z) − y under the quadratic cost.",
            lambda: st.tuples(moderate, label),
            lambda v: _output_error(v, quadratic=True),
            expect="fails",
            examples=((10.0, 0),),
        ),
        Property(
            "foil: σ' cancels in the hidden error too",
            "∂C/∂z_h = w(a − y) under cross-entropy.",
            lambda: st.tuples(moderate, moderate, moderate, label),
            lambda v: _hidden_error(v, cancelled=True),
            expect="fails",
            examples=((10.0, 1.0, 0.0, 0),),
        ),
    )
)
