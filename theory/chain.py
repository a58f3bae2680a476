"""A deep chain of single neurons with fresh w, b ~ N(0,1) per layer: the stationary law and the per-layer factor (GRAD-BOUND).

Chain: z_j = w_j·f(z_{j−1}) + b_j. Given z_{j−1}, z_j ~ N(0, 1 + f(z_{j−1})²), so z is a Markov chain whose
stationary density solves ρ(x) = ∫ ρ(y)·φ(x; 0, 1 + f(y)²) dy (Nyström: Gauss–Legendre nodes on [−12, 12], power
iteration). The gradient picks up |w_j f'(z_j)| per layer (GRAD-CHAIN), with z_j = w_j a + b_j and a = f(z_{j−1})
drawn from the stationary law, independent of the fresh (w_j, b_j). Its statistics:

    P(|w f'(wa + b)| < 1/4) = 1 − 2∫₁^∞ φ(w)·E_a[Φ(x*(w) − wa) − Φ(−x*(w) − wa)] dw,   σ'(x) ≥ 1/(4w) ⇔ |x| ≤ x*(w)
                                                                                   = 2·artanh(√(1 − 1/w))  (sigmoid),
    E log|w f'(z)| = E log|w| + E_a E[log f'(z) | z ~ N(0, 1 + a²)],   E log|w| = −(γ + ln 2)/2 (SymPy),

the second being the gradient's Lyapunov exponent: log|∂C/∂b₁ / ∂C/∂b_L| / L converges to it. Integrals are summed
in double precision on mpmath's Gauss–Legendre nodes; two rules (24 and 48 nodes per piece) certify the digits.
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache

import sympy as sp

from initcheck.theory.meanfield import gauss_legendre_rule

_PIECES = (-12.0, -6.0, -3.0, -1.5, 0.0, 1.5, 3.0, 6.0, 12.0)  # |z| ≤ 12: the stationary variance is ≤ 2 (tail < 1e-16)
_ACTIVATIONS = {
    "sigmoid": (lambda z: 1 / (1 + math.exp(-z)), lambda z: -abs(z) - 2 * math.log1p(math.exp(-abs(z)))),  # f, log f'
    "tanh": (math.tanh, lambda z: math.log(4.0) - 2 * abs(z) - 2 * math.log1p(math.exp(-2 * abs(z)))),
}


def _nodes(pieces: tuple[float, ...], degree: int) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for left, right in itertools.pairwise(pieces):
        half, mid = (right - left) / 2, (right + left) / 2
        out.extend((mid + half * x, half * w) for x, w in gauss_legendre_rule(degree))
    return out


def _normal_pdf(x: float, variance: float) -> float:
    return math.exp(-x * x / (2 * variance)) / math.sqrt(2 * math.pi * variance)


def _normal_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2))


def stationary_law(activation: str, degree: int = 4, sweeps: int = 200) -> list[tuple[float, float]]:
    """(node, probability weight) pairs of the chain's stationary law of z, by power iteration of the Nyström kernel."""
    f = _ACTIVATIONS[activation][0]
    nodes = _nodes(_PIECES, degree)
    variances = [1 + f(y) ** 2 for y, _ in nodes]
    kernel = [[w * _normal_pdf(x, v) for (_, w), v in zip(nodes, variances, strict=True)] for x, _ in nodes]
    density = [_normal_pdf(x, 1.0) for x, _ in nodes]
    for _ in range(sweeps):
        new = [sum(k * d for k, d in zip(row, density, strict=True)) for row in kernel]
        change = max(abs(a - b) for a, b in zip(new, density, strict=True))
        density = new
        if change < 1e-16:
            break
    total = sum(d * w for d, (_, w) in zip(density, nodes, strict=True))
    return [(x, d * w / total) for d, (x, w) in zip(density, nodes, strict=True)]


def _factor_statistics(activation: str, degree: int) -> tuple[float, float, float]:
    f, log_prime = _ACTIVATIONS[activation]
    law = stationary_law(activation, degree)
    mean_log_abs_w = _mean_log_abs_w()
    mean_log_prime = 0.0
    for z, p in law:
        sd = math.sqrt(1 + f(z) ** 2)
        mean_log_prime += (
            p * 2 * sum(w * _normal_pdf(x, sd * sd) * log_prime(x) for x, w in _nodes((0.0, sd, 3 * sd, 6 * sd, 12 * sd), degree))
        )
    reach = 0.0
    if activation == "sigmoid":
        for t, t_weight in _nodes((0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0), degree):  # w = 1 + t² up to 10 (φ(10) ~ 1e-22)
            weight, w_weight = 1 + t * t, 2 * t * t_weight  # the substitution removes the √(w − 1) edge at w = 1
            edge = 2 * math.atanh(math.sqrt(1 - 1 / weight))
            inside = sum(p * (_normal_cdf(edge - weight * f(z)) - _normal_cdf(-edge - weight * f(z))) for z, p in law)
            reach += 2 * w_weight * _normal_pdf(weight, 1.0) * inside
    stationary_a_squared = sum(p * f(z) ** 2 for z, p in law)
    return 1 - reach, mean_log_abs_w + mean_log_prime, stationary_a_squared


@lru_cache(maxsize=1)
def _mean_log_abs_w() -> float:
    """E log|w| for w ~ N(0,1): −(γ + ln 2)/2, integrated once by SymPy (both quadrature rules use it)."""
    w = sp.Symbol("w", positive=True)
    return float(sp.integrate(2 * sp.log(w) * sp.exp(-(w**2) / 2) / sp.sqrt(2 * sp.pi), (w, 0, sp.oo)))


@lru_cache(maxsize=4)
def chain_factor_statistics(activation: str) -> dict[str, float | int]:
    """P(|w f'(z)| < 1/4) (sigmoid only), E log|w f'(z)| and E[a²] under the stationary law, with certified digits."""
    coarse, fine = _factor_statistics(activation, 4), _factor_statistics(activation, 5)
    worst = max(abs(a - b) / max(abs(b), 1e-300) for a, b in zip(coarse, fine, strict=True) if b)
    return {
        "fraction_below_quarter": fine[0] if activation == "sigmoid" else math.nan,
        "mean_log_factor": fine[1],
        "stationary_mean_a_squared": fine[2],
        "digits": min(15, int(-math.log10(worst + 1e-16))),
    }
