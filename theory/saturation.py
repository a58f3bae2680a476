"""Saturated sigmoid units in Krohn's 784 → 256 layer (source 000, ch. 9, Fig. 9.1).

Inputs xᵢ ~ U[0,1) (784 of them), weights wᵢ i.i.d., b = 0, a = σ(z), z = Σ wᵢxᵢ.
"Saturated" means a within 0.01 of 0 or 1, i.e. |z| > ln 99. The expected fraction
is P(|z| > ln 99) over both x and w. Its characteristic function is exact:
E[e^{iuz}] = ψ(u)^784 with ψ(u) = E_{x,w}[cos(u·x·w)], and for a symmetric z
(Gil-Pelaez) P(|z| ≤ t) = (2/π)∫₀^∞ sin(tu)/u · ψ(u)^784 du: a one-dimensional
integral, evaluated with mpmath at two working precisions to certify the digits.
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import sympy as sp

N_INPUT, N_DENSE = 784, 256
KERAS_TRUNCATION_SD = "0.87962566103423978"  # constant in Keras' VarianceScaling (truncated normal), compared below


def saturation_threshold() -> sp.Expr:
    """σ(z) < 1/100 ⇔ z < −ln 99: solved, not typed."""
    z = sp.Symbol("z", real=True)
    return -sp.solve(sp.Eq(1 / (1 + sp.exp(-z)), sp.Rational(1, 100)), z)[0]


def truncated_normal_sd() -> mpmath.mpf:
    """sd of N(0,1) truncated to [−2, 2]: √(1 − 4φ(2)/(2Φ(2) − 1)). Keras divides its stddev by this."""
    return mpmath.sqrt(1 - 4 * mpmath.npdf(2) / (2 * mpmath.ncdf(2) - 1))


def _psi(init: str, u: mpmath.mpf) -> mpmath.mpf:
    """ψ(u) = E_{x~U[0,1), w}[cos(u x w)] for one input-weight pair."""
    glorot_variance = mpmath.mpf(2) / (N_INPUT + N_DENSE)
    if u == 0:
        return mpmath.mpf(1)
    if init == "normal":  # w ~ N(0,1): E_w cos(uxw) = exp(−u²x²/2), then ∫₀¹ dx
        return mpmath.sqrt(mpmath.pi / 2) * mpmath.erf(u / mpmath.sqrt(2)) / u
    if init == "glorot_uniform":  # w ~ U[−a, a], a² = 3·Var: E = sin(uxa)/(uxa), ∫₀¹ dx = Si(ua)/(ua)
        a = mpmath.sqrt(3 * glorot_variance)
        return mpmath.si(u * a) / (u * a)
    if init == "glorot_normal":  # w = s·T, T ~ N(0,1) truncated to [−2, 2], s = √Var / sd(T): ∫₀¹ dx gives E sinc(u s T)
        s = mpmath.sqrt(glorot_variance) / truncated_normal_sd()
        return _truncated_sinc_mean(u * s)
    raise ValueError(f"unknown initializer {init!r}")


def _truncated_sinc_mean(v: mpmath.mpf) -> mpmath.mpf:
    """E[sin(vT)/(vT)] for T ~ N(0,1) on [−2, 2], by the series Σ (−1)^k v^{2k} E[T^{2k}]/(2k+1)!.

    Even moments by parts: ∫ t^n φ = −2·2^{n−1}φ(2) + (n−1)∫ t^{n−2} φ over [−2, 2]. |vT| ≤ 2|v| ≤ 4 here,
    so the terms fall below 10^−(dps+10) after a few dozen.
    """
    mass = 2 * mpmath.ncdf(2) - 1
    moment, total, k = mpmath.mpf(1), mpmath.mpf(1), 0  # moment = E[T^{2k}]
    tolerance = mpmath.mpf(10) ** -(mpmath.mp.dps + 10)
    while True:
        k += 1
        n = 2 * k
        moment = (n - 1) * moment - 2 * mpmath.mpf(2) ** (n - 1) * mpmath.npdf(2) / mass
        term = (-1) ** k * v ** (2 * k) * moment / mpmath.factorial(2 * k + 1)
        total += term
        if abs(term) < tolerance and k > 4:
            return total


def _unsaturated_probability(init: str, t: mpmath.mpf) -> mpmath.mpf:
    """(2/π)∫₀^∞ sin(tu)/u · ψ(u)^784 du, split where ψ^784 has decayed below 10^−(dps+5)."""
    variance = N_INPUT * mpmath.mpf(1) / 3 * (1 if init == "normal" else mpmath.mpf(2) / (N_INPUT + N_DENSE))
    cutoff = mpmath.sqrt(2 * (mpmath.mp.dps + 5) * mpmath.log(10) / variance) * 2  # ψ^784 ≈ exp(−Var·u²/2) near 0
    nodes = mpmath.linspace(0, cutoff, 24)
    integral = mpmath.quad(lambda u: mpmath.sin(t * u) / u * _psi(init, u) ** N_INPUT if u else t, nodes)
    return 2 / mpmath.pi * integral


@lru_cache(maxsize=8)
def saturated_fraction(init: str, digits: int = 15) -> tuple[str, int]:
    """Expected fraction of saturated units, as a decimal string, and the digits on which two precisions agree."""
    t = sp.lambdify((), saturation_threshold(), "mpmath")
    values = []
    for dps in (digits + 10, digits + 20):
        with mpmath.workdps(dps):
            values.append(1 - _unsaturated_probability(init, t()))
    with mpmath.workdps(digits + 20):
        gap = abs(values[0] - values[1])
        agreeing = int(-mpmath.log10(gap / abs(values[1]))) if gap else digits
        return mpmath.nstr(values[1], min(agreeing, digits)), min(agreeing, digits)


def activation_mode_at_half(weight_variance: sp.Expr) -> dict[str, sp.Expr]:
    """a = σ(z), z ~ N(0, s²): d²/da² log density at a = ½ is 8 − 16/s², so ½ is a mode iff s² < 2.

    s² = Var(w)·Σxᵢ² ≈ Var(w)·784/3 (E[x²] = 1/3 for U[0,1)).
    """
    a, s2 = sp.Symbol("a", positive=True), sp.Symbol("s2", positive=True)
    log_density = -(sp.log(a / (1 - a)) ** 2) / (2 * s2) - sp.log(a) - sp.log(1 - a)
    curvature = sp.simplify(sp.diff(log_density, a, 2).subs(a, sp.Rational(1, 2)))
    threshold = sp.solve(sp.Eq(curvature, 0), s2)[0]
    spread = weight_variance * N_INPUT * sp.integrate(sp.Symbol("x") ** 2, (sp.Symbol("x"), 0, 1))
    return {"curvature": curvature, "threshold": threshold, "s2": spread, "bell_at_half": bool(spread < threshold)}


WEIGHT_VARIANCES = {
    "normal": sp.Integer(1),
    "glorot_normal": sp.Rational(2, N_INPUT + N_DENSE),
    "glorot_uniform": sp.Rational(2, N_INPUT + N_DENSE),
}
