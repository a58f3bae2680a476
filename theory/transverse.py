"""Transverse stability of the symmetric set under gradient descent (source 003: "because of numerical errors the
parameters may still move off the dead point, and then the network will learn something").

Network: hⱼ = f(wⱼ·x + bⱼ), y = Σⱼ vⱼhⱼ + c (k outputs, vⱼ ∈ Rᵏ), loss L = (1/m)Σᵢ‖yᵢ − tᵢ‖², GD with rate α.
A constant init puts every unit at the same p = (w, b, v); the set {p₁ = … = pₙ} is invariant. A small difference
Δ = p₁ − p₂ between two units evolves, to first order, by the transverse Jacobian of the GD map:

    Δ ← T·Δ,   T = I − α(H₁₁ − H₁₂),

H the Hessian of L, H₁₁ a unit's own block, H₁₂ the block between two units, at the symmetric point. SymPy derives
H₁₁ − H₁₂ from a two-unit net with an undefined f (`transverse_curvature`); it is the residual-weighted curvature of
one unit's output, (2/m)Σᵢ[[ (rᵢ·v) f''(zᵢ) x̃x̃ᵀ, f'(zᵢ) x̃ rᵢᵀ ], [ f'(zᵢ) rᵢ x̃ᵀ, 0 ]], x̃ = (x, 1): the Gauss-Newton
parts cancel, since moving two units apart leaves the output unchanged to first order.

`transverse_path` runs the symmetric trajectory at 30 significant digits (mpmath: no BLAS, no libm, the same digits
on every machine) and carries a one-ulp seed Δ₀ along it: ‖Δₜ‖∞ is the predicted spread between units, log ρ(Tₜ)
the growth rate per step (ρ the spectral radius). Values only: the judging is in initcheck.simulations.transverse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import mpmath
import sympy as sp

DIGITS = 20  # the path is contracting or slowly growing: 20 digits keep ≥ 12 correct over 10⁴ steps (checked against 30 in the tests)


@lru_cache(maxsize=8)
def transverse_curvature(d: int, k: int, *, own_block_only: bool = False) -> tuple[sp.Matrix, tuple[sp.Symbol, ...]]:
    """H₁₁ − H₁₂ for one sample's loss ‖y − t‖², derived from a two-unit net, in the symbols (x, v, r, f', f'').

    Parameters per unit ordered (w₁..w_d, b, v₁..v_k). With `own_block_only`, H₁₁ alone (the foil: a unit's own
    Hessian block, as if the other units did not answer the same way).
    """
    x = sp.symbols(f"x1:{d + 1}", real=True)
    t = sp.symbols(f"t1:{k + 1}", real=True)
    f = sp.Function("f")
    units = []
    for j in (1, 2):
        w = sp.symbols(f"w{j}_1:{d + 1}", real=True)
        units.append((w, sp.Symbol(f"b{j}", real=True), sp.symbols(f"v{j}_1:{k + 1}", real=True)))
    c = sp.symbols(f"c1:{k + 1}", real=True)
    hidden = [f(sum(wi * xi for wi, xi in zip(w, x, strict=True)) + b) for w, b, _ in units]
    outputs = [sum(units[j][2][o] * hidden[j] for j in range(2)) + c[o] for o in range(k)]
    loss = sum((y - target) ** 2 for y, target in zip(outputs, t, strict=True))
    first = [*units[0][0], units[0][1], *units[0][2]]
    second = [*units[1][0], units[1][1], *units[1][2]]
    block = sp.Matrix(len(first), len(first), lambda a, b: sp.diff(loss, first[a], first[b]))
    if not own_block_only:
        block -= sp.Matrix(len(first), len(first), lambda a, b: sp.diff(loss, first[a], second[b]))
    v, r = sp.symbols(f"v1:{k + 1}", real=True), sp.symbols(f"r1:{k + 1}", real=True)
    f1, f2, f0, z = sp.symbols("fprime fsecond fvalue z", real=True)
    symmetric = {**dict(zip(second, first, strict=True))}
    block = block.subs(symmetric)
    z_of = sum(wi * xi for wi, xi in zip(units[0][0], x, strict=True)) + units[0][1]
    block = block.subs(z_of, z).doit()
    block = block.replace(lambda e: isinstance(e, sp.Subs), lambda e: sp.Derivative(f(z), (z, e.expr.derivative_count)))
    block = block.subs({sp.Derivative(f(z), (z, 2)): f2, sp.Derivative(f(z), z): f1, f(z): f0})
    residual = {t[o]: 2 * units[0][2][o] * f0 + c[o] - r[o] for o in range(k)}  # r = y − t at the symmetric point, two units
    block = sp.expand(block.subs(residual).subs(dict(zip(units[0][2], v, strict=True))))  # a polynomial: expand cancels exactly
    return block, (*x, *v, *r, f1, f2, f0)


@lru_cache(maxsize=8)
def _curvature_function(d: int, k: int, own_block_only: bool) -> Callable[..., list[mpmath.mpf]]:
    block, symbols = transverse_curvature(d, k, own_block_only=own_block_only)
    return sp.lambdify(symbols, list(block), "mpmath")  # the entries row by row: plain lists are faster than mpmath matrices


def activation(name: str, z: mpmath.mpf) -> tuple[mpmath.mpf, mpmath.mpf, mpmath.mpf]:
    """f, f', f'' for "sigmoid" and "tanh"."""
    if name == "sigmoid":
        s = 1 / (1 + mpmath.exp(-z))
        return s, s * (1 - s), s * (1 - s) * (1 - 2 * s)
    if name == "tanh":
        th = mpmath.tanh(z)
        return th, 1 - th**2, -2 * th * (1 - th**2)
    raise ValueError(f"unknown activation {name!r}")


@dataclass(frozen=True)
class TransversePath:
    """Per step t = 1..steps: log10 of the predicted spread ‖Δₜ‖∞ after the step (seed Δ₀ on w₁₁), and the loss before
    it; the final loss, the moduli of the last step's T eigenvalues, and log ρ(T) there (the growth rate per step)."""

    log10_spread: list[float]
    loss: list[float]
    final_loss: float
    final_moduli: list[float]
    final_log_growth_rate: float
    own_block_log10_spread: list[float] | None = None  # the foil's prediction along the same path (with_foil=True)


def transverse_path(
    x: Sequence[Sequence[float]],
    targets: Sequence[Sequence[float]],
    *,
    width: int,
    activation_name: str,
    c1: float,
    c2: float,
    rate: float,
    steps: int,
    seed_size: float,
    with_foil: bool = False,
) -> TransversePath:
    """The symmetric path of a width-`width` net from W₁ ≡ c1, W₂ ≡ c2, biases 0, with the transverse seed carried along
    (and, with `with_foil`, a second seed carried by the foil I − αH₁₁ along the same path)."""
    m, d, k = len(x), len(x[0]), len(targets[0])
    blocks_of = {"transverse": _curvature_function(d, k, False), **({"own_block": _curvature_function(d, k, True)} if with_foil else {})}
    with mpmath.workdps(DIGITS):
        xs = [[mpmath.mpf(v) for v in row] for row in x]
        ts = [[mpmath.mpf(v) for v in row] for row in targets]
        w, b, v, c = [mpmath.mpf(c1)] * d, mpmath.mpf(0), [mpmath.mpf(c2)] * k, [mpmath.mpf(0)] * k
        alpha, size = mpmath.mpf(rate), d + 1 + k
        deltas = {name: [mpmath.mpf(seed_size)] + [mpmath.mpf(0)] * (size - 1) for name in blocks_of}
        spreads: dict[str, list[float]] = {name: [] for name in blocks_of}
        losses: list[float] = []
        for _ in range(steps):
            zs = [mpmath.fsum(wi * xi for wi, xi in zip(w, row, strict=True)) + b for row in xs]
            acts = [activation(activation_name, z) for z in zs]
            residuals = [[width * v[o] * a[0] + c[o] - t[o] for o in range(k)] for a, t in zip(acts, ts, strict=True)]
            losses.append(float(mpmath.fsum(r**2 for rs in residuals for r in rs) / m))
            scale = mpmath.mpf(2) / m
            gw = [scale * mpmath.fsum(mpmath.fsum(r * vo for r, vo in zip(rs, v, strict=True)) * a[1] * row[i] for rs, a, row in zip(residuals, acts, xs, strict=True)) for i in range(d)]
            gb = scale * mpmath.fsum(mpmath.fsum(r * vo for r, vo in zip(rs, v, strict=True)) * a[1] for rs, a in zip(residuals, acts, strict=True))
            gv = [scale * mpmath.fsum(rs[o] * a[0] for rs, a in zip(residuals, acts, strict=True)) for o in range(k)]
            gc = [scale * mpmath.fsum(rs[o] for rs in residuals) for o in range(k)]
            for name, curvature in blocks_of.items():
                blocks = [curvature(*row, *v, *rs, a[1], a[2], a[0]) for row, rs, a in zip(xs, residuals, acts, strict=True)]
                curv = [mpmath.fsum(entries) for entries in zip(*blocks, strict=True)]
                jacobian = [(1 if e // size == e % size else 0) - alpha / m * curv[e] for e in range(size * size)]  # I − α·(1/m)Σ blocks
                delta = deltas[name]
                deltas[name] = [mpmath.fsum(jacobian[i * size + j] * delta[j] for j in range(size)) for i in range(size)]
                spreads[name].append(float(mpmath.log10(max(abs(e) for e in deltas[name]))))
                if name == "transverse":
                    step = jacobian
            w = [wi - alpha * g for wi, g in zip(w, gw, strict=True)]
            b, v = b - alpha * gb, [vo - alpha * g for vo, g in zip(v, gv, strict=True)]
            c = [co - alpha * g for co, g in zip(c, gc, strict=True)]
        zs = [mpmath.fsum(wi * xi for wi, xi in zip(w, row, strict=True)) + b for row in xs]
        outs = [[width * v[o] * activation(activation_name, z)[0] + c[o] for o in range(k)] for z in zs]
        final = float(mpmath.fsum((o - t) ** 2 for os_, ts_ in zip(outs, ts, strict=True) for o, t in zip(os_, ts_, strict=True)) / m)
        last = mpmath.matrix([step[i * size : (i + 1) * size] for i in range(size)])
        moduli = sorted(float(abs(e)) for e in mpmath.eig(last, left=False, right=False))
    return TransversePath(spreads["transverse"], losses, final, moduli, float(mpmath.log(moduli[-1])), spreads.get("own_block"))
