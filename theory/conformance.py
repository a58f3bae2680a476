"""Initializer rules, derived: the law of each weight (family, variance from the fans) and its moments, bound and CDF.

A rule is a distribution family of zero mean and a variance formula in fan_in and fan_out
(or, for orthogonal matrices, in m = max(rows, cols)). Every number a conformance test
compares with — the uniform bound √3·sd, the truncated normal's sd factor 0.87962566…,
each family's kurtosis, the tail probabilities — is integrated here, not typed in.
Values only: the comparison with a framework's draws lives in `initcheck.conformance`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import mpmath
import sympy as sp

x = sp.Symbol("x", real=True)
fan_in = sp.Symbol("fan_in", positive=True)
fan_out = sp.Symbol("fan_out", positive=True)
m = sp.Symbol("m", positive=True, integer=True)  # max(rows, cols) of an orthogonal matrix
TRUNCATION = sp.Integer(2)  # every truncated rule in the frameworks cuts at ±2 sd of the untruncated normal

FAMILIES = ("normal", "uniform", "truncated_normal", "orthogonal")


def normal_density(t: sp.Expr = x) -> sp.Expr:
    """φ(t) = exp(−t²/2)/√(2π)."""
    return sp.exp(-(t**2) / 2) / sp.sqrt(2 * sp.pi)


@cache
def gaussian_antiderivative(k: int) -> sp.Expr:
    """A_k(x) with A_k' = x^k·φ(x): A_0 = Φ = ∫₋∞ˣ φ, A_1 = −φ, and by parts A_k = −x^(k−1)·φ + (k−1)·A_(k−2).

    Each A_k is checked by differentiation (cheap) instead of asking SymPy for a definite
    integral per moment (seconds each): the recurrence is the integration by parts of x^(k−1)·(xφ).
    """
    if k == 0:
        t = sp.Symbol("t", real=True)
        result = sp.integrate(normal_density(t), (t, -sp.oo, x))
    elif k == 1:
        result = -normal_density()
    else:
        result = -(x ** (k - 1)) * normal_density() + (k - 1) * gaussian_antiderivative(k - 2)
    if sp.simplify(sp.diff(result, x) - x**k * normal_density()) != 0:
        raise ArithmeticError(f"A_{k} is not an antiderivative of x^{k}·φ")
    return result


@cache
def truncated_moment(k: int, c: sp.Expr = TRUNCATION) -> sp.Expr:
    """E[X^k] for X ~ N(0, 1) conditioned on |X| ≤ c: [A_k]₋꜀ᶜ / [A_0]₋꜀ᶜ."""
    def between(expression: sp.Expr) -> sp.Expr:
        return expression.subs(x, c) - expression.subs(x, -c)

    return sp.simplify(between(gaussian_antiderivative(k)) / between(gaussian_antiderivative(0)))


def truncated_sd_factor(c: sp.Expr = TRUNCATION) -> sp.Expr:
    """sd of N(0,1) truncated at ±c: √(1 − 2cφ(c)/(Φ(c) − Φ(−c))); 0.87962566103423978… at c = 2."""
    return sp.sqrt(truncated_moment(2, c))


def uniform_half_width_per_sd() -> sp.Expr:
    """a/sd for U[−a, a]: Var = ∫₋ₐᵃ t²/(2a) dt = a²/3 solved for sd = 1 gives a = √3."""
    a = sp.Symbol("a", positive=True)
    variance = sp.integrate(x**2 / (2 * a), (x, -a, a))
    return sp.solve(sp.Eq(variance, 1), a)[0]


def sphere_coordinate_square_law() -> tuple[sp.Expr, sp.Expr]:
    """(a, b) with u₁² ~ Beta(a, b) = Beta(1/2, (m−1)/2) for u uniform on the unit sphere in ℝ^m (u₁² = g₁²/Σgᵢ² for
    independent standard normals gᵢ: a χ²₁ over χ²₁ + χ²ₘ₋₁)."""
    return sp.Rational(1, 2), (m - 1) / 2


def sphere_coordinate_moment(k: int) -> sp.Expr:
    """E[u₁^(2k)] for u uniform on the unit sphere in ℝ^m: u₁² ~ Beta(1/2, (m−1)/2), so Γ(1/2+k)Γ(m/2)/(Γ(1/2)Γ(m/2+k))."""
    alpha, beta = sphere_coordinate_square_law()
    total = alpha + beta
    return sp.gammasimp(sp.gamma(alpha + k) * sp.gamma(total) / (sp.gamma(alpha) * sp.gamma(total + k)))


k = sp.Symbol("k", positive=True, integer=True)  # min(rows, cols): the length of an orthogonal matrix's diagonal


def diagonal_sum(*, rows: sp.Expr = m, diagonal: sp.Expr = k) -> dict[str, sp.Expr]:
    """Mean and variance of T = Σᵢ Qᵢᵢ (i < k) for Q of shape m×k (or k×m) with Haar-distributed orthonormal columns
    (rows): E[T] = 0 and Var(T) = k/m.

    Haar measure is invariant under Q → Q·D for every diagonal sign matrix D, which flips Qᵢᵢ alone: so E[Qᵢᵢ] = 0 and
    E[QᵢᵢQⱼⱼ] = 0 for i ≠ j, and Var(T) = k·E[Q₁₁²] with Q₁₁² ~ Beta(1/2, (m−1)/2) (a coordinate of a uniform unit vector
    in ℝ^m, `sphere_coordinate_moment`). QR of a Gaussian matrix without the sign correction (Mezzadri 2007, §5; the
    Stewart 1980 algorithm) breaks this invariance: Householder QR makes every Rᵢᵢ of one sign, and T is then biased.
    """
    second = sphere_coordinate_moment(1).subs(m, rows)
    return {"mean": sp.Integer(0), "variance": sp.simplify(diagonal * second)}


def first_entry_sign(*, rows: sp.Expr = m) -> dict[str, sp.Expr]:
    """P(Q₀₀ > 0) = 1/2 for Q of shape m×k (or k×m), m ≥ 2, with Haar-distributed orthonormal columns (rows).

    Q₀₀ is a coordinate of a uniform unit vector in ℝ^m: its square has the Beta(1/2, (m−1)/2) density g(u)
    (`sphere_coordinate_square_law`), and Haar measure is invariant under Q → diag(−1, 1, …, 1)·Q, which flips Q₀₀ alone,
    so the mass at |Q₀₀| = t splits evenly between ±t: Q₀₀ has density f(t) = g(t²)·|d(t²)/dt|/2 on [−1, 1], and
    P(Q₀₀ > 0) = ∫₀¹ f(t) dt, integrated here (a hypergeometric at 1, Gauss's sum) = 1/2. An initializer that fixes
    Q's overall sign (Q → −Q when Q₀₀ > 0, cr-sparse#28), or keeps QR's own sign convention, gives P = 0 or 1, while
    the diagonal sum's law barely moves. Derived for symbolic m once (~2 s), then evaluated at `rows`.
    """
    return {"positive": _first_entry_positive().subs(m, rows)}


@cache
def _first_entry_positive() -> sp.Expr:
    """∫₀¹ f(t) dt for symbolic m (see first_entry_sign)."""
    u, t = sp.Symbol("u", positive=True), sp.Symbol("t", positive=True)
    a, b = sphere_coordinate_square_law()
    square = u ** (a - 1) * (1 - u) ** (b - 1) / sp.beta(a, b)
    density = sp.simplify(square.subs(u, t**2) * sp.diff(t**2, t) / 2)  # of Q₀₀ at t > 0 (and, by the reflection, at −t)
    return sp.simplify(sp.gammasimp(sp.hyperexpand(sp.expand_func(sp.integrate(density, (t, 0, 1))))))


@cache
def standardized_law(family: str) -> dict[str, sp.Expr]:
    """The unit-variance member Z of a family: E[Z], E[Z²], kurtosis E[Z⁴], bound sup|Z| (oo if unbounded) and CDF F(x).

    normal: N(0, 1). uniform: U[−√3, √3]. truncated_normal: N(0,1) cut at ±2 and divided by its
    sd factor s, so the bound is 2/s. orthogonal: one entry of a Haar-orthogonal row of length m,
    scaled by √m (its kurtosis 3m/(m+2) → 3; no closed CDF is needed, the battery uses none).
    """
    if family == "normal":
        density, lower, upper = normal_density(), -sp.oo, sp.oo
    elif family == "uniform":
        a = uniform_half_width_per_sd()
        density, lower, upper = 1 / (2 * a), -a, a
    elif family == "truncated_normal":  # Z = X/s for X ~ N(0,1) | |X| ≤ 2: moments and CDF follow from X's by the change of scale
        s, c = truncated_sd_factor(), TRUNCATION
        phi = gaussian_antiderivative(0)  # Φ(x)
        inside = (phi.subs(x, s * x) - phi.subs(x, -c)) / (phi.subs(x, c) - phi.subs(x, -c))
        return {
            "mean": truncated_moment(1) / s, "second": truncated_moment(2) / s**2, "kurtosis": truncated_moment(4) / truncated_moment(2) ** 2,
            "bound": c / s, "cdf": sp.Piecewise((0, x < -c / s), (inside, x <= c / s), (1, True)),
        }  # fmt: skip
    elif family == "orthogonal":
        second, fourth = sphere_coordinate_moment(1), sphere_coordinate_moment(2)
        return {"mean": sp.Integer(0), "second": sp.Integer(1), "kurtosis": sp.simplify(fourth / second**2), "bound": sp.sqrt(m), "cdf": sp.nan}
    else:
        raise ValueError(f"unknown family {family!r}; known: {', '.join(FAMILIES)}")
    t = sp.Symbol("t", real=True)
    moments = [sp.simplify(sp.integrate(x**k * density, (x, lower, upper))) for k in (1, 2, 4)]
    cdf = sp.integrate(density.subs(x, t), (t, lower, x))
    if upper != sp.oo:
        cdf = sp.Piecewise((0, x < lower), (cdf, x <= upper), (1, True))
    return {"mean": moments[0], "second": moments[1], "kurtosis": sp.simplify(moments[2] / moments[1] ** 2), "bound": upper, "cdf": cdf}


def tail_probability(family: str, threshold: sp.Expr) -> sp.Expr:
    """P(|Z| > t) = 1 − F(t) + F(−t) for the unit-variance member of the family."""
    cdf = standardized_law(family)["cdf"]
    return sp.simplify(1 - cdf.subs(x, threshold) + cdf.subs(x, -threshold))


def leaky_relu_gain(negative_slope: sp.Expr) -> sp.Expr:
    """gain = √(2/(1 + a²)): E[leaky_relu(y)²] = (1 + a²)/2 · Var(y) for symmetric y, integrated here."""
    a = sp.sympify(negative_slope)
    y = sp.Symbol("y", real=True)
    second = sp.integrate(y**2 * normal_density(y), (y, 0, sp.oo)) + sp.integrate((a * y) ** 2 * normal_density(y), (y, -sp.oo, 0))
    return sp.sqrt(1 / sp.simplify(second))


def fan(mode: str) -> sp.Expr:
    """fan_in, fan_out or fan_avg = (fan_in + fan_out)/2."""
    return {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]


@dataclass(frozen=True)
class Rule:
    """A zero-mean law: family and Var(w) as an expression in fan_in, fan_out (or m for orthogonal)."""

    name: str
    family: str
    variance: sp.Expr
    documented: str  # the formula as the frameworks' documentation states it


def variance_scaling(name: str, scale: sp.Expr, mode: str, family: str, documented: str) -> Rule:
    """Var(w) = scale/fan(mode) (Keras/JAX VarianceScaling; the truncated form is sd-corrected so Var is exact)."""
    return Rule(name, family, sp.sympify(scale) / fan(mode), documented)


def named_rule(name: str, **parameters: float | str) -> Rule:
    """The rule a framework documents under `name` (parameters as the frameworks name them, exact where given as ints)."""
    mode = str(parameters.pop("mode", "fan_in"))
    distribution = str(parameters.pop("distribution", "truncated_normal"))
    p = {k: sp.nsimplify(v) for k, v in parameters.items()}
    gain = p.get("gain", sp.Integer(1))
    s = truncated_sd_factor()
    if name == "glorot_uniform":  # a = gain·√(6/(fan_in + fan_out)) (Glorot & Bengio eq. 16; torch xavier_uniform_)
        half = gain * sp.sqrt(6 / (fan_in + fan_out))
        return Rule(name, "uniform", sp.simplify((half / uniform_half_width_per_sd()) ** 2), "U[-a, a], a = gain·√(6/(fan_in+fan_out))")
    if name == "xavier_normal":  # torch: plain normal, std = gain·√(2/(fan_in+fan_out))
        return Rule(name, "normal", gain**2 * 2 / (fan_in + fan_out), "N(0, std²), std = gain·√(2/(fan_in+fan_out))")
    if name in ("glorot_normal", "he_normal", "lecun_normal"):  # Keras/JAX: truncated normal, std corrected by 1/0.8796
        scale = {"glorot_normal": 1, "he_normal": 2, "lecun_normal": 1}[name]
        return variance_scaling(name, scale, "fan_avg" if name == "glorot_normal" else "fan_in", "truncated_normal", f"truncated N, Var = {scale}/fan")
    if name in ("he_uniform", "lecun_uniform"):
        scale = 2 if name == "he_uniform" else 1
        return variance_scaling(name, scale, "fan_in", "uniform", f"U[-a, a], a = √(3·{scale}/fan_in)")
    if name in ("kaiming_normal", "kaiming_uniform"):  # torch: gain = √(2/(1+a²)), std = gain/√fan(mode)
        g = leaky_relu_gain(p.get("a", sp.Integer(0)))
        family = "normal" if name == "kaiming_normal" else "uniform"
        return Rule(name, family, sp.simplify(g**2 / fan(mode)), f"gain²/{mode}, gain = √(2/(1+a²))")
    if name == "torch_linear_default":  # nn.Linear/ConvNd.reset_parameters: kaiming_uniform_(a=√5)
        g = leaky_relu_gain(sp.sqrt(5))
        return Rule(name, "uniform", sp.simplify(g**2 / fan_in), "kaiming_uniform_(a=√5) = U[-1/√fan_in, 1/√fan_in]")
    if name == "torch_rnn_default":  # nn.RNN/LSTM/GRU.reset_parameters: every weight and bias uniform_(−1/√H, 1/√H)
        # torch's docs: "All the weights and biases are initialized from U(−√k, √k) where k = 1/hidden_size". A (gates·H, ·)
        # weight in torch layout has fan_out = gates·H (receptive field 1), so Var = (1/H)/3 = gates/(3·fan_out).
        gates = p.get("gates", sp.Integer(1))
        return Rule(name, "uniform", gates / (3 * fan_out), f"U[-1/√hidden_size, 1/√hidden_size], hidden_size = rows/{gates} (gates)")
    if name == "variance_scaling":  # Keras/JAX VarianceScaling(scale, mode, distribution); truncated_normal is sd-corrected
        if distribution not in ("normal", "uniform", "truncated_normal"):
            raise ValueError(f"unknown distribution {distribution!r}")
        scale = p.get("scale", sp.Integer(1))
        return variance_scaling(name, scale, mode, distribution, f"VarianceScaling({scale}, {mode}, {distribution}): Var = {scale}/{mode}")
    if name == "haiku_default":  # hk.Linear/ConvND: TruncatedNormal(stddev=1/√fan_in), stddev of the untruncated normal
        return Rule(name, "truncated_normal", s**2 / fan_in, "TruncatedNormal(stddev=1/√fan_in), no correction")
    if name == "normal":
        return Rule(name, "normal", p["std"] ** 2, "N(0, std²)")
    if name == "uniform":
        return Rule(name, "uniform", p["a"] ** 2 / uniform_half_width_per_sd() ** 2, "U[-a, a]")
    if name == "truncated_normal":  # std of the untruncated normal, cut at ±2 std, no correction (Keras, JAX, torch at a=-2std)
        return Rule(name, "truncated_normal", p["std"] ** 2 * s**2, "N(0, std²) cut at ±2·std, no variance correction")
    if name == "truncated_normal_sd":  # a truncated normal whose own sd is std (the ±2 cut in units of the untruncated sd std/s)
        return Rule(name, "truncated_normal", p["std"] ** 2, "truncated normal of sd std")
    if name == "orthogonal":
        return Rule(name, "orthogonal", gain**2 / m, "gain·Q, Q with orthonormal rows or columns")
    raise ValueError(f"unknown rule {name!r}")


RULE_NAMES = (
    "glorot_uniform", "xavier_normal", "glorot_normal", "he_normal", "lecun_normal", "he_uniform", "lecun_uniform",
    "kaiming_normal", "kaiming_uniform", "torch_linear_default", "torch_rnn_default", "variance_scaling", "haiku_default", "normal", "uniform", "truncated_normal", "truncated_normal_sd", "orthogonal",
)  # fmt: skip


def numeric(expression: sp.Expr, digits: int = 30) -> float:
    """A derived constant to float, evaluated by mpmath at `digits` significant digits first."""
    with mpmath.workdps(digits):
        return float(sp.N(expression, digits))
