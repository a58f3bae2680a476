"""What a bias contributes at initialization (source 000, ch. 9; source 004, ch. 3, "Weight initialization").

For z = Σ wᵢxᵢ + b with independent terms and E[w] = 0, Var(z) = n·Var(w)·E[x²] + σ_b² (VAR-SUM), so the bias's
share of Var(z) is σ_b² / (n·Var(w)·E[x²] + σ_b²). The saturated fraction of a sigmoid unit (σ(z) within 0.01 of 0
or 1, |z| > ln 99) is derived for each weight rule with b = 0 and with b ~ N(0, 1):

- Nielsen's input (1000 inputs, 500 of them 1): z | x is normal, so P(|z| > t) = 2∫ₜ^∞ φ_v, integrated by SymPy;
- Krohn's input (784 inputs U[0,1)): z is not normal; its characteristic function is ψ(u)^784·e^{−σ_b²u²/2}
  (theory.saturation's ψ times the bias's), inverted by Gil-Pelaez with mpmath at two precisions (certified digits).

Values only: the comparison with the texts is in initcheck.symbolic.bias.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import mpmath
import sympy as sp

from initcheck.theory import saturation
from initcheck.theory.variance import forward_variance, nielsen_variance

BIAS_VARIANCES = {"zero": sp.Integer(0), "standard_normal": sp.Integer(1)}
NIELSEN_WEIGHTS = {"normal": sp.Integer(1), "scaled": sp.Rational(1, 1000)}  # N(0,1) and N(0, 1/n_in), n_in = 1000
KROHN_WEIGHTS = {"normal": saturation.WEIGHT_VARIANCES["normal"], "glorot_uniform": saturation.WEIGHT_VARIANCES["glorot_uniform"]}
KROHN_INPUT_SECOND_MOMENT = sp.integrate(sp.Symbol("x") ** 2, (sp.Symbol("x"), 0, 1))  # E[x²] for x ~ U[0,1): 1/3


def bias_variance_share(weight_variance_part: sp.Expr, bias_variance: sp.Expr = BIAS_VARIANCES["standard_normal"]) -> sp.Expr:
    """σ_b² / Var(z), Var(z) = (Σᵢ Var(wᵢxᵢ)) + σ_b² with the weights' part given."""
    return sp.nsimplify(bias_variance / (weight_variance_part + bias_variance))


def nielsen_shares() -> dict[str, sp.Expr]:
    """Bias N(0,1) share of Var(z | x) on Nielsen's input: 1/501 (N(0,1) weights), 2/3 (N(0, 1/n_in) weights)."""
    return {rule: 1 / nielsen_variance(v) for rule, v in NIELSEN_WEIGHTS.items()}  # Var(b) = 1 over Var(z) = 500·Var(w) + 1


def krohn_shares() -> dict[str, sp.Expr]:
    """Bias N(0,1) share of Var(z) on Krohn's layer: 3/787 (N(0,1) weights), 195/293 (Glorot, Var(w) = 2/(784 + 256))."""
    return {
        rule: bias_variance_share(forward_variance(saturation.N_INPUT, 0, v, 0, KROHN_INPUT_SECOND_MOMENT, 0))
        for rule, v in KROHN_WEIGHTS.items()
    }


def bias_parameter_share(sizes: tuple[int, ...]) -> sp.Expr:
    """Biases among all parameters of a dense net with layer sizes `sizes`: Σ n_out / Σ (n_in + 1)·n_out."""
    pairs = list(itertools.pairwise(sizes))
    return sp.Rational(sum(o for _, o in pairs), sum((i + 1) * o for i, o in pairs))


@lru_cache(maxsize=1)
def normal_tail_formula() -> sp.Expr:
    """P(|z| > t) for z ~ N(0, v): 2∫ₜ^∞ e^{−z²/2v}/√(2πv) dz, integrated (erfc(t/√(2v)))."""
    z, t, v = sp.Symbol("z", real=True), sp.Symbol("t", positive=True), sp.Symbol("v", positive=True)
    return sp.simplify(2 * sp.integrate(sp.exp(-(z**2) / (2 * v)) / sp.sqrt(2 * sp.pi * v), (z, t, sp.oo)))


def nielsen_saturated_fraction(weight_variance: sp.Expr, bias_variance: sp.Expr) -> sp.Expr:
    """Exact saturated fraction on Nielsen's input: P(|z| > ln 99), z | x ~ N(0, 500·Var(w) + σ_b²)."""
    variance = forward_variance(1000, 0, weight_variance, 0, sp.Rational(1, 2), bias_variance)
    t, v = sp.Symbol("t", positive=True), sp.Symbol("v", positive=True)
    return normal_tail_formula().subs({t: saturation.saturation_threshold(), v: variance})


def _saturated_probability(rule: str, bias_variance: mpmath.mpf, threshold: mpmath.mpf) -> mpmath.mpf:
    """1 − (2/π)∫₀^∞ sin(tu)/u · ψ(u)^784 · e^{−σ_b²u²/2} du (Gil-Pelaez for the symmetric z; ψ from theory.saturation)."""
    weight_part = forward_variance(saturation.N_INPUT, 0, KROHN_WEIGHTS[rule], 0, KROHN_INPUT_SECOND_MOMENT, 0)
    variance = mpmath.mpf(sp.N(weight_part, mpmath.mp.dps + 5)) + bias_variance
    cutoff = mpmath.sqrt(2 * (mpmath.mp.dps + 5) * mpmath.log(10) / variance) * 2  # the integrand ≈ exp(−Var·u²/2) near 0
    psi = saturation._psi  # the per-input characteristic function VAR-KROHN-SATURATION certifies

    def integrand(u: mpmath.mpf) -> mpmath.mpf:
        if not u:
            return threshold
        return mpmath.sin(threshold * u) / u * psi(rule, u) ** saturation.N_INPUT * mpmath.exp(-bias_variance * u**2 / 2)

    return 1 - 2 / mpmath.pi * mpmath.quad(integrand, mpmath.linspace(0, cutoff, 24))


@lru_cache(maxsize=8)
def krohn_saturated_fraction(rule: str, bias: str, digits: int = 10) -> tuple[str, int]:
    """Expected saturated fraction of Krohn's layer with bias `bias` ("zero" or "standard_normal"), as a decimal string,
    and the digits on which two working precisions (digits + 10, digits + 20) agree."""
    threshold = sp.lambdify((), saturation.saturation_threshold(), "mpmath")
    values = []
    for dps in (digits + 10, digits + 20):
        with mpmath.workdps(dps):
            values.append(_saturated_probability(rule, mpmath.mpf(int(BIAS_VARIANCES[bias])), threshold()))
    with mpmath.workdps(digits + 20):
        gap = abs(values[0] - values[1])
        agreeing = min(int(-mpmath.log10(gap / abs(values[1]))) if gap else digits, digits)
        return mpmath.nstr(values[1], agreeing), agreeing
