"""Second moments through depth: the mean-field map and its first finite-width correction (VAR-DEPTH).

Net: z₁ = W₁x, z_l = W_l f(z_{l−1}), W_l ~ N(0, c/n) entrywise, x ~ N(0, I_n), width n. Given layer l−1, the n
entries of z_l are i.i.d. N(0, Q_l) with Q_l = (c/n)·Σᵢ f(z_{l−1,i})² (a Gaussian matrix times a fixed vector), so

    E[Q_{l+1} | Q_l] = F(Q_l),   Var(Q_{l+1} | Q_l) = S(Q_l)/n,
    F(q) = c·E f(√q ξ)²,        S(q) = c²·Var f(√q ξ)²,       ξ ~ N(0, 1),

exactly at every width; Q₁ = (c/n)|x|² has mean c and variance 2c²/n. At infinite width Q_l follows the
mean-field path q_{l+1} = F(q_l), q₁ = c (Poole et al. 2016; Schoenholz et al. 2017). At width n, the delta
method gives E[Q_l] = q_l + β_l/n + O(1/n²), Var(Q_l) = v_l/n + O(1/n²), with

    v₁ = 2c²,  β₁ = 0,   v_{l+1} = S(q_l) + F'(q_l)²·v_l,   β_{l+1} = F'(q_l)·β_l + ½F''(q_l)·v_l.

F' and F'' come from the Gaussian heat identity d/dq E g(√q ξ) = ½E g''(√q ξ): F' = (c/2)E(f²)'', F'' = (c/4)E(f²)''''.
SymPy differentiates f² as a polynomial in u = f (tanh: du/dy = 1 − u², sigmoid: du/dy = u(1 − u)); the Gaussian
expectations use mpmath's Gauss–Legendre nodes on [−10, 10], split where the density and f(√q x) turn, summed in
double precision; two rules (24 and 48 nodes per piece) certify the digits reported. For ReLU and linear layers F is linear
(F = c·q·E relu(ξ)², the ½ integrated by SymPy), so F'' = 0 and E[Q_l] = q_l exactly at every width.

`depth_gains` and `depth_weight_scales` give the per-layer gain n·Var(w)·E[f(y)²]/Var(y) of a square layer per
activation and initializer (source 003; He et al. 2015, eq. 10); initcheck.symbolic.meanfield judges VAR-DEPTH with them.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import lru_cache

import mpmath
import sympy as sp
from mpmath.calculus.quadrature import GaussLegendre

from initcheck.theory.initializers import relu_second_moment, y
from initcheck.theory.variance import forward_gain, n_in, n_out, var_w

u = sp.Symbol("u", real=True)  # the activation's value f(y)
n_width = sp.Symbol("n", positive=True, integer=True)  # width of a square layer (n_in = n_out = n)
_CHAIN = {"tanh": 1 - u**2, "sigmoid": u * (1 - u)}  # df/dy written in f itself
_AT_ZERO = {"tanh": sp.Integer(0), "sigmoid": sp.Rational(1, 2)}  # f(0): Var f = E(f − f(0))² − (E(f − f(0)))², no cancellation
_CENTRED = {"tanh": math.tanh, "sigmoid": lambda y: math.tanh(y / 2) / 2}  # f(y) − f(0), no cancellation for tiny y
_TAIL = 10  # |ξ| > 10 carries probability 1.5e-23, below the digits certified


def square_derivatives(activation: str) -> tuple[sp.Expr, ...]:
    """f − f(0), (f − f(0))², f², f⁴, (f²)'' and (f²)'''' as polynomials in u = f(y), with d/dy = f'(y)·d/du."""
    if activation not in _CHAIN:
        raise ValueError(f"unknown smooth activation {activation!r}: expected 'tanh' or 'sigmoid'")

    def d(expr: sp.Expr) -> sp.Expr:
        return sp.expand(sp.diff(expr, u) * _CHAIN[activation])

    centred = u - _AT_ZERO[activation]
    return centred, centred**2, u**2, u**4, d(d(u**2)), d(d(d(d(u**2))))


@lru_cache(maxsize=2)
def _polynomials(activation: str) -> tuple:
    """The polynomials as functions of g = f − f(0), so that E(f − f(0))² keeps its digits as q → 0."""
    g = sp.Symbol("g", real=True)
    return tuple(sp.lambdify(g, sp.horner(sp.expand(p.subs(u, g + _AT_ZERO[activation]))), "math") for p in square_derivatives(activation))


@lru_cache(maxsize=4)
def gauss_legendre_rule(degree: int) -> tuple[tuple[float, float], ...]:
    """Gauss–Legendre nodes and weights on [−1, 1] (mpmath, 3·2^(degree−1) of them), rounded to double."""
    return tuple((float(x), float(w)) for x, w in GaussLegendre(mpmath.mp).calc_nodes(degree, 80))


def gaussian_expectations(activation: str, q: float, *, degree: int = 4) -> list[float]:
    """E over ξ ~ N(0,1) of each polynomial in `square_derivatives`, at u = f(√q ξ): one f evaluation per node.

    Pieces: [−10, 10] split at 0, ±1, ±2, ±4, ±7 (the Gaussian) and at ±k/√q, k = 1, 2, 4, …, 32 (where f(√q ξ)
    turns; f' decays like e^(−2√q|ξ|)). Double precision: the sums carry ~1e-14 relative error, far below any
    Monte Carlo standard error, and two rules (`degree` 4 and 5) certify the digits.
    """
    polys = _polynomials(activation)
    root = math.sqrt(q)
    turns = {s * k / root for s in (-1, 1) for k in (1, 2, 4, 8, 16, 32) if k / root < _TAIL}
    breaks = sorted({0.0, -_TAIL, _TAIL, *(s * k for s in (-1, 1) for k in (1, 2, 4, 7)), *turns})
    totals = [0.0] * len(polys)
    for left, right in itertools.pairwise(breaks):
        half, mid = (right - left) / 2, (right + left) / 2
        for node, weight in gauss_legendre_rule(degree):
            x = mid + half * node
            value = _CENTRED[activation](root * x)
            density = weight * half * math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
            totals = [t + density * p(value) for t, p in zip(totals, polys, strict=True)]
    return totals


def _smooth_path(activation: str, c: float, depth: int, degree: int) -> dict[str, list[float]]:
    q, v, beta, foil = [c], [2 * c**2], [0.0], [c]
    last: tuple[float, ...] = ()
    for _ in range(depth - 1):
        if not last or q[-1] != q[-2]:  # a path at its fixed point in double precision stops changing
            _, _, f2, f4, d2, d4 = gaussian_expectations(activation, q[-1], degree=degree)
            last = (c * f2, c / 2 * d2, c / 4 * d4, c**2 * (f4 - f2**2))
        big_f, slope, curvature, spread = last
        beta.append(slope * beta[-1] + curvature * v[-1] / 2)
        v.append(spread + slope**2 * v[-1])
        q.append(big_f)
        if activation == "sigmoid":  # foil map: c·Var f in place of c·E f²
            centred, centred2 = gaussian_expectations(activation, foil[-1], degree=degree)[:2]
            foil.append(c * (centred2 - centred**2))
        else:  # tanh foil: the linear regime, gain c·f'(0)² = c per layer
            foil.append(foil[-1] * c)
    return {"q": q, "beta": beta, "v": v, "foil": foil}


@dataclass(frozen=True)
class MeanFieldPath:
    """q_l (mean field), β_l (first-order 1/n coefficient of E[Q_l]), v_l (of Var Q_l), the foil's path; l = 1..depth."""

    q: list[float]
    beta: list[float]
    v: list[float]
    foil: list[float]
    digits: int  # on which two quadrature rules agree


@lru_cache(maxsize=64)
def mean_field_path(activation: str, c: sp.Expr, depth: int) -> MeanFieldPath:
    """q_l, β_l, v_l (l = 1..depth) and the foil path, as floats, with the digits on which two rules agree.

    `activation` is "relu", "linear", "tanh" or "sigmoid"; c = n·Var(w) (1 for LeCun and square Glorot, 2 for He,
    n for N(0,1)). Foils: ReLU without the ½ (gain c), tanh in its linear regime (gain c), sigmoid with Var f in
    place of E f² (the output's mean 1/2 left out), linear with a ReLU-style ½.
    """
    c = sp.nsimplify(c)
    if activation in ("relu", "linear"):
        gain = c * (relu_second_moment() if activation == "relu" else 1)
        foil_gain = c if activation == "relu" else gain / 2
        return MeanFieldPath(
            q=[float(c * gain**k) for k in range(depth)],
            beta=[0.0] * depth,
            v=[],  # not needed: F is linear, so E[Q_l] = q_l at every width
            foil=[float(c * foil_gain**k) for k in range(depth)],
            digits=15,  # exact rationals rounded once
        )
    coarse, fine = (_smooth_path(activation, float(c), depth, degree) for degree in (4, 5))
    worst = max(abs(a - b) / max(abs(b), 1e-300) for key in ("q", "beta", "foil") for a, b in zip(coarse[key], fine[key], strict=True))
    return MeanFieldPath(fine["q"], fine["beta"], fine["v"], fine["foil"], min(15, int(-math.log10(worst + 1e-16))))


def depth_second_moment(activation: str, c: sp.Expr, depth: int, width: int) -> float:
    """E[Q_L] ≈ q_L + β_L/n: the mean-field value with its first finite-width correction (exact for ReLU/linear)."""
    path = mean_field_path(activation, c, depth)
    return path.q[-1] + path.beta[-1] / width


def relative_correction(activation: str, c: sp.Expr, depth: int, width: int) -> float:
    """δ = β_L/(n·q_L): the first-order finite-width correction relative to the mean-field value."""
    path = mean_field_path(activation, c, depth)
    return path.beta[-1] / (width * path.q[-1])


def activation_gain_factor(activation: str) -> sp.Expr:
    """E[f(y)²]/Var(y) to leading order as Var(y) → 0 (tanh: f'(0)² from the series), exactly for ReLU."""
    if activation == "relu":
        return relu_second_moment()
    if activation == "tanh":
        return sp.series(sp.tanh(y) ** 2 / y**2, y, 0, 1).removeO()
    if activation == "linear":
        return sp.Integer(1)
    raise ValueError(f"unknown activation {activation!r}")


def depth_gains() -> dict[tuple[str, str], sp.Expr]:
    """Per-layer gain n·Var(w)·E[f(y)²]/Var(y) in a square net (n_in = n_out = n) for activation × init."""
    inits = {"lecun": 1 / n_width, "glorot": (2 / (n_in + n_out)).subs({n_in: n_width, n_out: n_width}), "he": 2 / n_width}
    return {
        (act, init): sp.simplify(forward_gain().subs({n_in: n_width, var_w: v}) * activation_gain_factor(act))
        for act in ("tanh", "relu", "linear")
        for init, v in inits.items()
    }


def depth_weight_scales() -> dict[str, sp.Expr]:
    """c = n·Var(w) of a square layer (n_in = n_out = n) per initializer: N(0,1) → n, LeCun 1/n → 1, Glorot → 1, He → 2.

    Glorot's 2/(n_in + n_out) and LeCun's 1/n_in coincide on square layers (checked here, not assumed): they share a key.
    """
    variances = {
        "N(0,1)": sp.Integer(1),
        "LeCun": 1 / n_width,
        "Glorot": (2 / (n_in + n_out)).subs({n_in: n_width, n_out: n_width}),
        "He": 2 / n_width,
    }
    scales = {name: sp.simplify(forward_gain().subs({n_in: n_width, var_w: v})) for name, v in variances.items()}
    if sp.simplify(scales["LeCun"] - scales["Glorot"]) != 0:
        raise AssertionError("LeCun and Glorot differ on square layers")
    return {"N(0,1)": scales["N(0,1)"], "LeCun/Glorot": scales["LeCun"], "He": scales["He"]}
