"""Backpropagation in a two-layer network (source 002, eqs. 5-14), differentiated by SymPy with generic activations.

n₁ inputs, n₂ hidden units, n₃ outputs; biases as extra units x_{n₁+1} = 1 and h_{n₂+1} = 1 (the article's convention).
z_{2,k} = Σᵢ xᵢw_{1,i,k}, h_k = f_h(z_{2,k}); z_{3,k} = Σᵢ hᵢw_{2,i,k}, y_k = f_y(z_{3,k}); L = Σᵢ(yᵢ − yᵢ*)² (no ½).
f_h and f_y are undefined SymPy functions, so the derivatives hold for every differentiable activation.

`autodiff` gives ∂L/∂w by sp.diff of L; `article` gives the article's eqs. 12 (output weights), 11 (hidden errors Δh_k) and
13 (hidden weights). Values only: the comparison is in initcheck.symbolic.backprop.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

f_h, f_y = sp.Function("f_h"), sp.Function("f_y")


@dataclass(frozen=True)
class TwoLayerNet:
    x: tuple[sp.Expr, ...]  # inputs with the bias input 1 appended
    y_target: tuple[sp.Symbol, ...]
    w1: sp.Matrix  # (n₁ + 1) × n₂
    w2: sp.Matrix  # (n₂ + 1) × n₃
    z2: tuple[sp.Expr, ...]
    h: tuple[sp.Expr, ...]  # hidden values with the bias unit 1 appended
    z3: tuple[sp.Expr, ...]
    y: tuple[sp.Expr, ...]
    loss: sp.Expr


def two_layer_net(n1: int, n2: int, n3: int) -> TwoLayerNet:
    """The article's network with symbolic inputs, targets and weights."""
    x = (*sp.symbols(f"x1:{n1 + 1}", real=True), sp.Integer(1))
    target = sp.symbols(f"ystar1:{n3 + 1}", real=True)
    w1 = sp.Matrix(n1 + 1, n2, lambda j, k: sp.Symbol(f"w1_{j + 1}_{k + 1}", real=True))
    w2 = sp.Matrix(n2 + 1, n3, lambda j, k: sp.Symbol(f"w2_{j + 1}_{k + 1}", real=True))
    z2 = tuple(sum(x[i] * w1[i, k] for i in range(n1 + 1)) for k in range(n2))
    h = (*(f_h(z) for z in z2), sp.Integer(1))
    z3 = tuple(sum(h[i] * w2[i, k] for i in range(n2 + 1)) for k in range(n3))
    y = tuple(f_y(z) for z in z3)
    loss = sum((yi - ti) ** 2 for yi, ti in zip(y, target, strict=True))
    return TwoLayerNet(x, target, w1, w2, z2, h, z3, y, loss)


def derivative_at(function: sp.Function, point: sp.Expr) -> sp.Expr:
    """f'(point) as SymPy writes it for an undefined f."""
    t = sp.Dummy("t")
    return sp.diff(function(t), t).subs(t, point)


def autodiff(net: TwoLayerNet) -> dict[str, sp.Matrix]:
    """∂L/∂w₁ and ∂L/∂w₂ by sp.diff, entry by entry."""
    return {
        "w1": net.w1.applyfunc(lambda w: sp.diff(net.loss, w)),
        "w2": net.w2.applyfunc(lambda w: sp.diff(net.loss, w)),
    }


def article(net: TwoLayerNet, hidden_error_has_output_derivative: bool = True) -> dict[str, sp.Matrix]:
    """Eqs. 11-13: Δy_k = y_k − y_k*; ∂L/∂w_{2,j,k} = 2f_y'(z_{3,k})h_jΔy_k; Δh_k = Σᵢ Δyᵢ f_y'(z_{3,i}) w_{2,k,i};
    ∂L/∂w_{1,j,k} = 2f_h'(z_{2,k})x_jΔh_k. With `hidden_error_has_output_derivative` False, Δh_k = Σᵢ Δyᵢw_{2,k,i} (a foil)."""
    dy = [yi - ti for yi, ti in zip(net.y, net.y_target, strict=True)]
    fy = [derivative_at(f_y, z) if hidden_error_has_output_derivative else sp.Integer(1) for z in net.z3]
    n2 = len(net.z2)
    dh = [sum(dy[i] * fy[i] * net.w2[k, i] for i in range(len(dy))) for k in range(n2 + 1)]  # eq. 11, bias unit included
    w2 = sp.Matrix(net.w2.rows, net.w2.cols, lambda j, k: 2 * derivative_at(f_y, net.z3[k]) * net.h[j] * dy[k])
    w1 = sp.Matrix(net.w1.rows, net.w1.cols, lambda j, k: 2 * derivative_at(f_h, net.z2[k]) * net.x[j] * dh[k])
    return {"w1": w1, "w2": w2}


def gradient_descent_step(weights: sp.Matrix, gradient: sp.Matrix, rate: sp.Expr) -> sp.Matrix:
    """Eq. 14: w^(k+1) = w^(k) − α ∂L/∂w."""
    return weights - rate * gradient
