"""Variance of a pre-activation z = Σ wᵢxᵢ + b, forward and backward (source 003; 004 §"weight initialization").

Everything here is derived from moments: for independent w and x,
E[(wx)²] = E[w²]·E[x²], so Var(wx) = (Var w + E[w]²)(Var x + E[x]²) − E[w]²E[x]².
An exact double integral for normal weights and uniform inputs gives a special case
computed independently; initcheck.symbolic.variance compares the two, and the statements.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

n = sp.Symbol("n", positive=True, integer=True)
n_in, n_out = sp.symbols("n_in n_out", positive=True, integer=True)
mean_w, mean_x = sp.symbols("mu_w mu_x", real=True)
var_w, var_x, var_b = sp.symbols("sigma_w^2 sigma_x^2 sigma_b^2", nonnegative=True)


def product_variance(mw: sp.Expr, vw: sp.Expr, mx: sp.Expr, vx: sp.Expr) -> sp.Expr:
    """Var(w·x) = E[w²]E[x²] − E[w]²E[x]² for independent w, x (E[w²] = Var w + E[w]²)."""
    return sp.expand((vw + mw**2) * (vx + mx**2) - mw**2 * mx**2)


def forward_variance(
    fan_in: sp.Expr = n, mw: sp.Expr = mean_w, vw: sp.Expr = var_w, mx: sp.Expr = mean_x, vx: sp.Expr = var_x, vb: sp.Expr = var_b
) -> sp.Expr:
    """Var(Σᵢ₌₁ⁿ wᵢxᵢ + b) = n·Var(wx) + Var(b), all terms independent (source 003, VAR-SUM)."""
    return sp.expand(fan_in * product_variance(mw, vw, mx, vx) + vb)


@lru_cache(maxsize=1)
def normal_times_uniform_variance() -> tuple[sp.Expr, sp.Expr]:
    """Exact Var(w·x) for w ~ N(μ, s²), x ~ U[l, l+1] by double integration, and the general formula there."""
    mu, l = sp.symbols("mu l", real=True)
    s = sp.Symbol("s", positive=True)
    w, x = sp.symbols("w x", real=True)
    density_w = sp.exp(-((w - mu) ** 2) / (2 * s**2)) / sp.sqrt(2 * sp.pi * s**2)

    def moment(f: sp.Expr) -> sp.Expr:
        return sp.integrate(sp.integrate(f * density_w, (w, -sp.oo, sp.oo)), (x, l, l + 1))

    integrated = sp.expand(moment((w * x) ** 2) - moment(w * x) ** 2)
    formula = product_variance(mu, s**2, l + sp.Rational(1, 2), sp.Rational(1, 12))
    return integrated, formula


def forward_variance_special_cases() -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """Var(z) in general, with E[w] = 0 (n·Var(w)·E[x²] + Var(b)), and with also E[x] = 0, b = 0 (n·σ_w²·Var(x)) (source 003)."""
    general = forward_variance()
    zero_mean_weights = general.subs(mean_w, 0)
    return general, zero_mean_weights, zero_mean_weights.subs({mean_x: 0, var_b: 0})


def unit_gain_variance(gain: sp.Expr) -> sp.Expr:
    """The Var(w) that makes a layer's `gain` (an expression in Var(w)) equal 1."""
    return sp.solve(sp.Eq(gain, 1), var_w)[0]


def nielsen_variance(weight_variance: sp.Expr) -> sp.Expr:
    """Var(z | x) for Nielsen's input: 1000 inputs, 500 equal to 1 and 500 to 0, b ~ N(0,1) (source 004).

    Conditional on the input, Var(z) = Σ xᵢ²·Var(w) + Var(b): the VAR-SUM formula with
    the input's empirical moments E[x²] = 1/2 and n = 1000.
    """
    empirical_second_moment = sp.Rational(500 * 1**2 + 500 * 0**2, 1000)
    return forward_variance(1000, 0, weight_variance, 0, empirical_second_moment, 1)


def forward_gain() -> sp.Expr:
    """Var(z)/Var(x) for a linear layer with zero-mean inputs and weights, b = 0: n_in·Var(w)."""
    return sp.simplify(forward_variance(n_in, 0, var_w, 0, var_x, 0) / var_x)


def backward_gain() -> sp.Expr:
    """Var(∂C/∂x)/Var(∂C/∂z) for ∂C/∂xᵢ = Σⱼ Wⱼᵢ ∂C/∂zⱼ: a sum over the n_out units fed, n_out·Var(w) (source 003)."""
    return sp.simplify(forward_variance(n_out, 0, var_w, 0, var_x, 0) / var_x)
