# mypy: disable-error-code="misc"
"""Properties of |w·σ'(wa+b)| (source 001, ch. 5 problems, eq. 123): GRAD-W4 and GRAD-INTERVAL.

As in `initcheck.properties.gradients`: float64 statements allow for rounding only where it can occur, statements
about real numbers are evaluated at 60 significant digits with mpmath, from the float inputs converted exactly.
"""

from __future__ import annotations

import mpmath
from hypothesis import strategies as st

from initcheck.properties import Property, PropertyCheck
from initcheck.properties.gradients import DIGITS, moderate, sigmoid_prime_exact

signed_w = st.floats(4, 1e4, exclude_min=True).flatmap(lambda v: st.sampled_from((v, -v)))


def _w4(wab: tuple[float, float, float], threshold: float = 4.0) -> None:
    w, a, b = wab
    with mpmath.workdps(DIGITS):
        x = mpmath.mpf(w) * mpmath.mpf(a) + mpmath.mpf(b)  # exact at 60 digits for |w|, |a|, |b| ≤ 50 (≤ 170 significant bits)
        value = abs(mpmath.mpf(w)) * sigmoid_prime_exact(x)
        assert not (value >= 1 and abs(w) < threshold), f"|w σ'(wa + b)| = {mpmath.nstr(value, 20)} ≥ 1 with |w| = {w!r} < {threshold}"


GRAD_W4 = PropertyCheck(
    properties=(
        Property(
            "|w σ'(wa + b)| ≥ 1 implies |w| ≥ 4",
            "For any float w, a, b in [−50, 50], evaluated exactly (60 digits).",
            lambda: st.tuples(moderate, moderate, moderate),
            _w4,
        ),
        Property(
            "foil: |w σ'(wa + b)| ≥ 1 implies |w| ≥ 5",
            "The threshold 5 in place of 4.",
            lambda: st.tuples(moderate, moderate, moderate),
            lambda wab: _w4(wab, 5.0),
            expect="fails",
            examples=((4.5, 0.0, 0.0),),
        ),
    )
)


def nielsen_half_width(abs_w: mpmath.mpf, factor: int = 2) -> mpmath.mpf:
    """Half of eq. (123): (factor/|w|)·ln(|w|(1 + √(1 − 4/|w|))/2 − 1), halved."""
    return factor / abs_w * mpmath.log(abs_w * (1 + mpmath.sqrt(1 - 4 / abs_w)) / 2 - 1) / 2


def _member(w: mpmath.mpf, b: mpmath.mpf, a: mpmath.mpf) -> bool:
    return bool(abs(w) * sigmoid_prime_exact(w * a + b) >= 1)


def _interval(case: tuple[float, float, float], factor: int = 2) -> None:
    """A probe a = centre + t·half-width: a is in {a : |wσ'(wa + b)| ≥ 1} exactly when |t| ≤ 1."""
    w_, b_, t_ = case
    with mpmath.workdps(DIGITS):
        w, b = mpmath.mpf(w_), mpmath.mpf(b_)
        centre, half = -b / w, nielsen_half_width(abs(w), factor)
        a = centre + mpmath.mpf(t_) * half
        # The endpoints are roots of |w|σ'(x) = 1; 60-digit evaluation locates them to ~1e-50 relative even near |w| = 4,
        # where the root is double-ish (slope ~ √(|w| − 4) ≥ 1e-8). Probes within 1e-30 of an endpoint are not judged.
        if abs(abs(mpmath.mpf(t_)) - 1) < mpmath.mpf(10) ** -30:
            return
        assert _member(w, b, a) == (abs(t_) <= 1), f"w = {w_!r}, b = {b_!r}, t = {t_!r}: membership {_member(w, b, a)}"


def _one_interval(case: tuple[float, float, float, float, float]) -> None:
    """If a₁ ≤ a₂ ≤ a₃ and a₁, a₃ are in the set, so is a₂ (probes placed around the set by t ∈ [−1.5, 1.5])."""
    w_, b_, *ts = case
    with mpmath.workdps(DIGITS):
        w, b = mpmath.mpf(w_), mpmath.mpf(b_)
        centre, half = -b / w, nielsen_half_width(abs(w))
        a1, a2, a3 = sorted(centre + mpmath.mpf(t) * half for t in ts)
        if _member(w, b, a1) and _member(w, b, a3):
            assert _member(w, b, a2), f"w = {w_!r}, b = {b_!r}: the set has a gap at {a2}"


GRAD_INTERVAL = PropertyCheck(
    properties=(
        Property(
            "the set {a : |wσ'(wa + b)| ≥ 1} is exactly Nielsen's interval (eq. 123)",
            "For |w| in (4, 10⁴] either sign, b in [−50, 50], a probe at relative position t in [−2, 2]: a is in the set iff |t| ≤ 1.",
            lambda: st.tuples(signed_w, moderate, st.floats(-2, 2)),
            _interval,
        ),
        Property(
            "the set is one interval",
            "Any three probes: if the outer two are in the set, so is the middle one.",
            lambda: st.tuples(signed_w, moderate, *[st.floats(-1.5, 1.5)] * 3),
            _one_interval,
        ),
        Property(
            "foil: eq. (123) without its factor 2",
            "The set is the interval of width (1/|w|)·ln(...).",
            lambda: st.tuples(signed_w, moderate, st.floats(-2, 2)),
            lambda case: _interval(case, factor=1),
            expect="fails",
            examples=((8.0, 0.0, 1.5),),
        ),
    )
)
