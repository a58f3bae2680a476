"""Binomial noise of a validation accuracy (source 001, ch. 5, opening experiments: 96.48, 96.90, 96.57, 96.53%).

An accuracy measured on n images is a binomial proportion; two nets evaluated independently differ by
d = p̂₂ − p̂₁ with variance p₁(1 − p₁)/n + p₂(1 − p₂)/n (unpaired: the per-image outcomes are not published, so the
paired test is unavailable). z = d/SE, two-sided p-value erfc(|z|/√2), exact rationals until the square root.

Values only: the comparison with the text is in initcheck.symbolic.depth_accuracy.
"""

from __future__ import annotations

import mpmath
import sympy as sp

VALIDATION_IMAGES = 10_000
PUBLISHED = {  # hidden layers of 30 → accuracy, as printed (percent)
    1: sp.Rational(9648, 100),
    2: sp.Rational(9690, 100),
    3: sp.Rational(9657, 100),
    4: sp.Rational(9653, 100),
}


def standard_error(percent: sp.Rational, images: int = VALIDATION_IMAGES) -> sp.Expr:
    """√(p(1 − p)/n) in percentage points, for an accuracy p = percent/100 on n images."""
    p = percent / 100
    return 100 * sp.sqrt(p * (1 - p) / images)


def difference_z(first: sp.Rational, second: sp.Rational, images: int = VALIDATION_IMAGES, one_se_only: bool = False) -> sp.Expr:
    """z of second − first: over √(SE₁² + SE₂²), or over SE₁ alone with `one_se_only` (a plausible error)."""
    if one_se_only:
        return (second - first) / standard_error(first, images)
    return (second - first) / sp.sqrt(standard_error(first, images) ** 2 + standard_error(second, images) ** 2)


def two_sided_p(z: sp.Expr) -> float:
    """erfc(|z|/√2) at 30 digits, returned as float."""
    with mpmath.workdps(30):
        return float(mpmath.erfc(abs(mpmath.mpf(sp.N(z, 35))) / mpmath.sqrt(2)))


def comparisons(one_se_only: bool = False) -> dict[str, dict[str, float]]:
    """z and p for the gain 1 → 2 hidden layers, the drop 2 → 3 and the drop 2 → 4 (the text's 'this drop')."""
    pairs = {"gain_1_to_2": (1, 2), "drop_2_to_3": (2, 3), "drop_2_to_4": (2, 4), "drop_3_to_4": (3, 4)}
    out = {}
    for name, (a, b) in pairs.items():
        z = difference_z(PUBLISHED[a], PUBLISHED[b], one_se_only=one_se_only)
        out[name] = {"difference_points": float(PUBLISHED[b] - PUBLISHED[a]), "z": float(sp.N(z, 15)), "p": two_sided_p(z)}
    return out
