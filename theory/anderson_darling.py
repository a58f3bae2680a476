"""The Anderson–Darling statistic's limit law, derived: its tail P(A² > z) as a certified series, its mean and variance
summed, and the critical value at a false-failure rate α, for the conformance battery's goodness-of-fit test. Values
only: the test itself lives in `initcheck.conformance.judging`.
"""

from __future__ import annotations

from functools import cache

import mpmath
import sympy as sp


def anderson_darling_tail(z: float | str, *, dps: int = 30) -> mpmath.mpf:
    """P(A² > z) for A², the limit law of the Anderson–Darling statistic A²ₙ = n∫(Fₙ − F)²/(F(1 − F)) dF of n i.i.d.
    values against their own continuous, fully specified F (the same law for every F: it is that of the uniforms F(X)).

    A² = Σⱼ λⱼ χ²₁,ⱼ with λⱼ = 1/(j(j+1)) (Anderson & Darling 1952, Ann. Math. Statist. 23, 193–212, §5), and its
    distribution function is the series (ibid.; as evaluated by Marsaglia & Marsaglia 2004, J. Statist. Softw. 9(2), eq. 1)

        P(A² ≤ z) = (√(2π)/z) Σⱼ aⱼ (4j+1) exp(−(4j+1)²π²/(8z)) ∫₀^∞ exp(z/(8(w²+1)) − (4j+1)²π²w²/(8z)) dw,
        aⱼ = (−1)ʲ Γ(j + ½)/(Γ(½) j!).

    Summed in mpmath at `dps` working digits until a term is below 10^−dps; 1 − P loses about −log₁₀(1 − P) digits
    to cancellation (8 at the battery's α ≈ 5e-8), so `anderson_darling_critical` evaluates it at two precisions and
    keeps the digits they share."""
    with mpmath.workdps(dps):
        at = mpmath.mpf(z)
        if at <= 0:
            return mpmath.mpf(1)
        total, j = mpmath.mpf(0), 0
        while True:
            a = (-1) ** j * mpmath.gamma(j + mpmath.mpf(1) / 2) / (mpmath.gamma(mpmath.mpf(1) / 2) * mpmath.factorial(j))
            c = (4 * j + 1) ** 2 * mpmath.pi**2 / (8 * at)
            integral = mpmath.quad(lambda w, c=c: mpmath.exp(at / (8 * (w**2 + 1)) - c * w**2), [0, 1, 4, mpmath.inf])
            term = a * (4 * j + 1) * mpmath.exp(-c) * integral
            total += term
            if abs(term) < mpmath.mpf(10) ** -dps:
                break
            j += 1
        return 1 - mpmath.sqrt(2 * mpmath.pi) / at * total


@cache
def anderson_darling_moments() -> dict[str, sp.Expr]:
    """E[A²] = Σ λⱼ = 1 and Var[A²] = 2Σ λⱼ² = 2π²/3 − 6 for λⱼ = 1/(j(j+1)) (a χ²₁ has mean 1, variance 2): summed here."""
    j = sp.Symbol("j", positive=True, integer=True)
    weight = 1 / (j * (j + 1))
    return {"mean": sp.simplify(sp.summation(weight, (j, 1, sp.oo))), "variance": sp.simplify(2 * sp.summation(weight**2, (j, 1, sp.oo)))}


@cache
def anderson_darling_critical(alpha: float, digits: int = 6) -> tuple[float, int]:
    """The z with P(A² > z) = α (`anderson_darling_tail`), solved at two working precisions (20 and 30 digits): the
    value and the significant digits the two share (at least `digits`, or ValueError)."""
    values = []  # log P(A² > z) is nearly linear in z beyond the mode (the tail is ~e^−z): the secant method converges
    for dps in (20, 30):
        with mpmath.workdps(dps):
            target = mpmath.mpf(alpha)
            values.append(mpmath.findroot(lambda z, dps=dps, target=target: mpmath.log(anderson_darling_tail(z, dps=dps)) - mpmath.log(target), (5, 10)))
    gap = abs(values[1] - values[0])
    agreeing = int(-mpmath.log10(gap / abs(values[1]))) if gap else 15
    if agreeing < digits:
        raise ValueError(f"the Anderson–Darling critical value at α = {alpha:g} agrees to {agreeing} digits only at 20 and 30 digits")
    return float(values[1]), min(agreeing, 15)
