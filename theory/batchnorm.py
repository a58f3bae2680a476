"""The batch-norm backward pass (source 003, "Batch normalization"; Ioffe & Szegedy 2015, Alg. 1 and §3).

One feature over a batch of m values: μ = Σxᵢ/m, σ² = Σ(xᵢ − μ)²/m, x̂ᵢ = (xᵢ − μ)/√(σ² + ε), yᵢ = γx̂ᵢ + β, upstream
gradients gᵢ = ∂L/∂yᵢ. SymPy differentiates L = Σgᵢyᵢ through μ and σ² (the statistics are functions of the inputs);
the closed-form backward pass of Ioffe & Szegedy is, after collecting terms,
∂L/∂xᵢ = γ/√(σ² + ε) · (gᵢ − mean(g) − x̂ᵢ·mean(g·x̂)).

Values only: the comparison with the text is in initcheck.symbolic.batchnorm.
"""

from __future__ import annotations

import sympy as sp

gamma = sp.Symbol("gamma", positive=True)
epsilon = sp.Symbol("epsilon", positive=True)


def batch_symbols(batch: int) -> tuple[tuple[sp.Symbol, ...], tuple[sp.Symbol, ...]]:
    """(x₁…x_m, g₁…g_m) as real symbols."""
    return sp.symbols(f"x1:{batch + 1}", real=True), sp.symbols(f"g1:{batch + 1}", real=True)


def normalized(xs: tuple[sp.Symbol, ...]) -> list[sp.Expr]:
    """x̂ᵢ = (xᵢ − μ)/√(σ² + ε) with the 1/m batch variance."""
    m = len(xs)
    mu = sum(xs) / m
    var = sum((v - mu) ** 2 for v in xs) / m
    return [(v - mu) / sp.sqrt(var + epsilon) for v in xs]


def autodiff_gradient(batch: int, statistics_constant: bool = False) -> list[sp.Expr]:
    """∂(Σgᵢ(γx̂ᵢ + β))/∂xⱼ by SymPy; with `statistics_constant`, μ and σ² are frozen (the gradient of a fixed affine map)."""
    xs, gs = batch_symbols(batch)
    if statistics_constant:
        mu0, var0 = sp.Symbol("mu0", real=True), sp.Symbol("var0", positive=True)
        loss = sum(g * gamma * (v - mu0) / sp.sqrt(var0 + epsilon) for g, v in zip(gs, xs, strict=True))
        m = batch
        mu = sum(xs) / m
        frozen = {mu0: mu, var0: sum((v - mu) ** 2 for v in xs) / m}
        return [sp.diff(loss, v).subs(frozen) for v in xs]
    loss = sum(g * gamma * xh for g, xh in zip(gs, normalized(xs), strict=True))
    return [sp.diff(loss, v) for v in xs]


def closed_form_gradient(batch: int) -> list[sp.Expr]:
    """γ/√(σ² + ε)·(gᵢ − mean(g) − x̂ᵢ·mean(g·x̂)) (Ioffe & Szegedy's backward pass, collected)."""
    xs, gs = batch_symbols(batch)
    xh = normalized(xs)
    mu = sum(xs) / batch
    var = sum((v - mu) ** 2 for v in xs) / batch
    mean_g = sum(gs) / batch
    mean_gx = sum(g * h for g, h in zip(gs, xh, strict=True)) / batch
    return [gamma / sp.sqrt(var + epsilon) * (g - mean_g - h * mean_gx) for g, h in zip(gs, xh, strict=True)]


def gradient_sums(batch: int) -> dict[str, sp.Expr]:
    """Σᵢ∂L/∂xᵢ and Σᵢx̂ᵢ∂L/∂xᵢ of the autodiff gradient, simplified (0, and a multiple of ε)."""
    xs, _ = batch_symbols(batch)
    grad = autodiff_gradient(batch)
    xh = normalized(xs)
    return {"sum": sp.simplify(sum(grad)), "sum_times_normalized": sp.simplify(sum(g * h for g, h in zip(grad, xh, strict=True)))}
