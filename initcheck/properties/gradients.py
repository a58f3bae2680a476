# mypy: disable-error-code="misc"
"""Properties of sigmoid gradients (source 001, ch. 5): GRAD-SIGMOID-MAX, GRAD-CHAIN (GRAD-W4, GRAD-INTERVAL: properties.interval).

Float64 statements allow for rounding only where it can occur, with the bound beside it;
statements about real numbers are evaluated at 60 significant digits with mpmath, from the
float inputs converted exactly.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
from hypothesis import strategies as st

from initcheck.properties import Property, PropertyCheck
from initcheck.recorded import rounded
from initcheck.sims.activations import sigmoid

DIGITS = 60
EPS = 2.0**-52  # float64 machine epsilon
finite = st.floats(allow_nan=False, allow_infinity=False)
moderate = st.floats(-50, 50, allow_nan=False)


def sigmoid_prime_float(z: float) -> float:
    """σ'(z) = σ(z)(1 − σ(z)) in float64, as sims/ computes it."""
    s = sigmoid(z)
    return float(s * (1.0 - s))


def sigmoid_prime_exact(x: mpmath.mpf) -> mpmath.mpf:
    return mpmath.exp(-abs(x)) / (1 + mpmath.exp(-abs(x))) ** 2  # even in x; exp(−|x|) never overflows


def _sigmoid_max(z: float, bound: float = 0.25) -> None:
    # ¼ − σ'(z) = tanh²(z/2)/4 ≈ z²/16: the working precision must resolve that gap, so it grows as |z| shrinks.
    gap_digits = 0 if z == 0 else max(0, int(-2 * mpmath.log10(abs(mpmath.mpf(z)))))
    with mpmath.workdps(DIGITS + gap_digits):
        exact = sigmoid_prime_exact(mpmath.mpf(z))
        assert exact <= bound, f"σ'({z!r}) = {exact} > {bound}"
    with np.errstate(over="ignore"):
        computed = sigmoid_prime_float(z)
    # No allowance needed: for s ≥ ½, 1 − s is exact (Sterbenz) and s(1 − s) ≤ ¼ rounds to ≤ ¼. For s < ½, fl(1 − s)
    # exceeds 1 − s by at most 2⁻⁵⁴, so the exact product is < ¼ + 2⁻⁵⁵, half the spacing above ¼: it rounds to ≤ ¼.
    assert computed <= bound, f"float σ'({z!r}) = {computed!r} > {bound}"


def sigmoid_prime_curve(rng: np.random.Generator) -> dict[str, Any]:
    """For fig-sigmoid-prime: σ' on [−8, 8], its critical points and its value there, from SymPy's derivative (theory.gradients)."""
    import sympy as sp

    from initcheck.theory.gradients import sigmoid_prime

    del rng  # a curve: nothing random
    x = sp.Symbol("x", real=True)
    critical = sp.solveset(sp.diff(sigmoid_prime(x), x), x, sp.S.Reals)  # {0}: the maximum, σ' → 0 at ±∞ (the symbolic check)
    if not isinstance(critical, sp.FiniteSet):
        raise ArithmeticError(f"critical points of σ' not a finite set: {critical}")
    z = np.linspace(-8.0, 8.0, 81)
    return {
        "figures": {
            "fig-sigmoid-prime": {
                "z": rounded(z),
                "sigmoid_prime": rounded(sp.lambdify(x, sigmoid_prime(x), "numpy")(z)),
                "critical_points": [{"z": float(c), "sigmoid_prime": float(sigmoid_prime(c)), "exact": str(sp.simplify(sigmoid_prime(c)))} for c in critical],
            }
        }
    }


GRAD_SIGMOID_MAX = PropertyCheck(
    properties=(
        Property(
            "σ'(z) ≤ 1/4 for every float z, exactly and in float64",
            "For any finite float z: σ'(z) ≤ 1/4 at 60 digits; the float64 σ(1 − σ) ≤ 1/4 too (no rounding allowance: see the comment).",
            lambda: finite,
            _sigmoid_max,
        ),
        Property("foil: σ'(z) ≤ 1/5", "σ'(z) ≤ 1/5 for every z.", lambda: finite, lambda z: _sigmoid_max(z, 0.2), expect="fails"),
    ),
    measurements=sigmoid_prime_curve,
)


def chain_gradient(w: list[float], b: list[float], a0: float, *, order: str) -> tuple[float, list[float]]:
    """∂a_L/∂b₁ for a_j = σ(w_j a_{j−1} + b_j): "backprop" multiplies from the output down; "product" is σ'(z₁)·Π_{j≥2} w_j σ'(z_j) left to right."""
    a, slopes = a0, []
    for wj, bj in zip(w, b, strict=True):
        s = sigmoid(wj * a + bj)
        slopes.append(float(s * (1.0 - s)))
        a = float(s)
    if order == "backprop":
        delta = slopes[-1]
        for j in range(len(w) - 1, 0, -1):
            delta = delta * w[j] * slopes[j - 1]
        return delta, slopes
    product = slopes[0]
    for wj, sj in zip(w[1:], slopes[1:], strict=True):
        product *= wj * sj
    return product, slopes


def _chain(case: tuple[list[float], list[float], float]) -> None:
    w, b, a0 = case
    with np.errstate(under="ignore", over="ignore"):
        backprop, slopes = chain_gradient(w, b, a0, order="backprop")
        product, _ = chain_gradient(w, b, a0, order="product")
    raw = [Fraction(slopes[0])]  # chain order σ'(z₁), w₂, σ'(z₂), ..., w_L, σ'(z_L): both methods multiply contiguous runs of it
    for wj, sj in zip(w[1:], slopes[1:], strict=True):
        raw += [Fraction(wj), Fraction(sj)]
    exact = Fraction(1)
    for value in raw:
        exact *= value
    k = 2 * len(w)  # each result carries at most 2L − 1 roundings of relative size ≤ 2⁻⁵³; k·2⁻⁵² bounds (1 + 2⁻⁵³)^k − 1
    if exact == 0:
        assert backprop == 0 and product == 0, f"exact 0, backprop {backprop!r}, product {product!r}"
    elif min(_partial_products(raw)) >= Fraction(2) ** -1000:
        bound = Fraction(k) * Fraction(EPS) * abs(exact)
        assert abs(Fraction(backprop) - exact) <= bound and abs(Fraction(product) - exact) <= bound, (
            f"backprop {backprop!r}, product {product!r}, exact {float(exact)!r}"
        )
    else:  # some grouping left the normal range: both results are tiny (factors ≤ 2.5, so the rest multiplies by ≤ 2⁴⁰)
        assert abs(backprop) <= 2.0**-900 and abs(product) <= 2.0**-900, f"backprop {backprop!r}, product {product!r}"


def _partial_products(values: list[Fraction]) -> list[Fraction]:
    """|products| of every contiguous run of the factors: whatever order a method multiplies in, its intermediates are among these."""
    runs = []
    for i in range(len(values)):
        running = Fraction(1)
        for value in values[i:]:
            running *= value
            runs.append(abs(running))
    return runs


chain_weights = st.floats(-10, 10, allow_nan=False)
GRAD_CHAIN = PropertyCheck(
    foil_elsewhere="the symbolic check rejects the product without σ'(z₁), and the simulation's complex-step cases reject it in float64",
    properties=(
        Property(
            "backprop equals the product formula up to rounding",
            "Any depth 1..30, weights in [−10, 10], biases in [−10, 10], input in [−10, 10]: backprop and σ'(z₁)Π w_jσ'(z_j) both lie "
            "within 2L·2⁻⁵² relative of the exact product of the same float factors (when no partial product underflows).",
            lambda: st.integers(1, 30).flatmap(lambda n: st.tuples(st.lists(chain_weights, min_size=n, max_size=n), st.lists(chain_weights, min_size=n, max_size=n), chain_weights)),
            _chain,
        ),
    )
)
