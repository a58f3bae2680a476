"""Saturated sigmoid hidden units on Nielsen's 1000-input example and in the layers after it (source 004, ch. 3).

First hidden layer (SAT-NIELSEN-FRACTION): 1000 inputs, 500 of them 1; z = Σ wᵢxᵢ + b is normal given the input, with
Var(z) = 500·Var(w) + σ_b² (theory.variance.nielsen_variance's formula), so the saturated fraction P(|z| > ln 99) is the
normal tail theory.bias.nielsen_saturated_fraction integrates.

Later hidden layers (SAT-LATER-LAYERS): a unit of layer 2 sees n₁ activations aⱼ = σ(z₁ⱼ) of layer 1, i.i.d. given the
input (independent weights per unit), and z₂ = Σⱼ wⱼaⱼ + b with w, b ~ N(0, 1), so z₂ | a ~ N(0, Σⱼaⱼ² + 1). The
mean-field value replaces Σⱼaⱼ² by n₁·E[a²] (E[a²] by mpmath quadrature): q₂ = n₁·E[σ(z₁)²] + 1 and the saturated
fraction 2Φ(−ln 99/√q₂). At finite width, P = E[g(S)] with g(S) = erfc(ln 99/√(2(S + 1))) and S = Σⱼaⱼ² a sum of n₁ i.i.d.
terms: the expansion g(μ) + g₂(μ)κ₂/2 + g₃(μ)κ₃/6 (g₂, g₃ the second and third derivatives by mpmath.diff; κ the
cumulants of S, n₁ times those of a², by quadrature) gives 0.239810 at n₁ = 30, against 0.239827 from the exact
Gil-Pelaez integral over the characteristic function of w·σ(z₁) (computed once at 6 digits, minutes; the mean-field
value is 0.242644).

Values only: the comparison with the text is in initcheck.symbolic.hidden_saturation.
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import sympy as sp

from initcheck.theory import bias, saturation
from initcheck.theory.variance import nielsen_variance

WEIGHT_VARIANCES = bias.NIELSEN_WEIGHTS  # "normal": N(0,1) (old), "scaled": N(0, 1/n_in) (new), n_in = 1000
BIAS_VARIANCES = bias.BIAS_VARIANCES  # "zero", "standard_normal"


def first_layer_variance(weight_rule: str, bias_name: str) -> sp.Expr:
    """Var(z | x) = 500·Var(w) + σ_b² on Nielsen's input (VAR-NIELSEN-LARGE/-SCALED without or with the bias)."""
    with_bias = nielsen_variance(WEIGHT_VARIANCES[weight_rule])  # σ_b² = 1
    return sp.nsimplify(with_bias - 1 + BIAS_VARIANCES[bias_name])


def first_layer_saturated_fraction(weight_rule: str, bias_name: str) -> sp.Expr:
    """P(|z| > ln 99), z | x ~ N(0, 500·Var(w) + σ_b²): erfc(ln 99/√(2 Var z)), exact (theory.bias's normal tail)."""
    return bias.nielsen_saturated_fraction(WEIGHT_VARIANCES[weight_rule], BIAS_VARIANCES[bias_name])


def first_layer_large_probability(weight_rule: str, bias_name: str, bound: int = 1) -> sp.Expr:
    """P(|z| > bound) for the same z: how common '|z| ≫ 1' is (the text's 'z can be very large')."""
    t, v = sp.Symbol("t", positive=True), sp.Symbol("v", positive=True)
    return bias.normal_tail_formula().subs({t: bound, v: first_layer_variance(weight_rule, bias_name)})


def _normal_density(z: mpmath.mpf, variance: mpmath.mpf) -> mpmath.mpf:
    return mpmath.exp(-(z**2) / (2 * variance)) / mpmath.sqrt(2 * mpmath.pi * variance)


def activation_moment(variance: mpmath.mpf, function: str) -> mpmath.mpf:
    """E[g(σ(z))] for z ~ N(0, variance): g = a² ("square"), the distance to the nearer edge min(a, 1 − a) ("edge"),
    or the indicator of saturation min(a, 1 − a) < 1/100 ("saturated"); mpmath quadrature split at 0 and ±ln 99."""
    t = mpmath.log(99)
    g = {
        "square": lambda z: mpmath.mpf(1) / (1 + mpmath.exp(-z)) ** 2,
        "edge": lambda z: 1 / (1 + mpmath.exp(abs(z))),
        "saturated": lambda z: mpmath.mpf(1) if abs(z) > t else mpmath.mpf(0),
    }[function]
    sd = mpmath.sqrt(variance)
    points = [-40 * sd, -t, 0, t, 40 * sd] if 40 * sd > t else [-40 * sd, 0, 40 * sd]
    return mpmath.quad(lambda z: g(z) * _normal_density(z, variance), points)


@lru_cache(maxsize=16)
def second_layer_mean_field_fraction(width: int, weight_rule: str = "normal", bias_name: str = "standard_normal") -> float:
    """The mean-field value 2Φ(−ln 99/√q₂), q₂ = n₁·E[σ(z₁)²] + 1 (Σaⱼ² replaced by its mean)."""
    with mpmath.workdps(20):
        v1 = mpmath.mpf(sp.N(first_layer_variance(weight_rule, bias_name), 25))
        q2 = width * activation_moment(v1, "square") + 1
        return float(mpmath.erfc(mpmath.log(99) / mpmath.sqrt(2 * q2)))


@lru_cache(maxsize=16)
def second_layer_fraction(width: int, weight_rule: str = "normal", bias_name: str = "standard_normal") -> float:
    """Finite-width saturated fraction of a layer-2 unit: E[g(S)] to third order in the cumulants of S = Σⱼaⱼ²."""
    with mpmath.workdps(20):
        v1 = mpmath.mpf(sp.N(first_layer_variance(weight_rule, bias_name), 25))
        sd = mpmath.sqrt(v1)
        moment = {k: mpmath.quad(lambda z, k=k: (1 / (1 + mpmath.exp(-z))) ** k * _normal_density(z, v1), [-40 * sd, 0, 40 * sd]) for k in (2, 4, 6)}
        mean = width * moment[2]
        second = width * (moment[4] - moment[2] ** 2)
        third = width * (moment[6] - 3 * moment[4] * moment[2] + 2 * moment[2] ** 3)
        t = mpmath.log(99)

        def g(s: mpmath.mpf) -> mpmath.mpf:
            return mpmath.erfc(t / mpmath.sqrt(2 * (s + 1)))

        return float(g(mean) + mpmath.diff(g, mean, 2) * second / 2 + mpmath.diff(g, mean, 3) * third / 6)


def mean_field_majority_width(weight_rule: str = "normal", bias_name: str = "standard_normal") -> int:
    """The least n₁ whose mean-field layer-2 saturated fraction is ≥ 1/2: q₂ ≥ (ln 99/Φ⁻¹(3/4))², n₁ = ⌈(q₂ − 1)/E[a²]⌉."""
    with mpmath.workdps(20):
        v1 = mpmath.mpf(sp.N(first_layer_variance(weight_rule, bias_name), 25))
        needed_q = (mpmath.log(99) / (mpmath.sqrt(2) * mpmath.erfinv(mpmath.mpf(1) / 2))) ** 2  # Φ⁻¹(3/4) = √2·erf⁻¹(1/2)
        return int(mpmath.ceil((needed_q - 1) / activation_moment(v1, "square")))


def first_layer_activation_summary(weight_rule: str, bias_name: str = "standard_normal") -> dict[str, float]:
    """E[a²], E[min(a, 1 − a)] and P(saturated) for a = σ(z₁) on Nielsen's input."""
    with mpmath.workdps(20):
        v1 = mpmath.mpf(sp.N(first_layer_variance(weight_rule, bias_name), 25))
        return {k: float(activation_moment(v1, k)) for k in ("square", "edge", "saturated")}


def saturation_threshold() -> sp.Expr:
    """ln 99 (theory.saturation's threshold: σ(z) within 1/100 of 0 or 1)."""
    return saturation.saturation_threshold()
