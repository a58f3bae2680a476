"""The single-layer perceptron from zero init (source 002): the published table, learning, and the ReLU stall.

Model: y = f(w·x), x = (x₁, x₂, 1) (the bias is the third input), loss (y − y*)²,
update Δw = −2α·(y − y*)·f'(z)·x (002, eq. 4).
"""

from __future__ import annotations

import sympy as sp

SAMPLE = (sp.Rational(1, 2), sp.Integer(2), sp.Integer(1))  # x* = (0.5, 2) and the bias input 1
TARGET = sp.Integer(42)
RATE = sp.Rational(1, 10)

# The table as printed in source 002 (decimal commas kept); step 6 prints no Δw.
PUBLISHED_TABLE: tuple[dict[str, tuple[str, ...]], ...] = (
    {"w": ("0", "0", "0"), "y": ("0",), "dy": ("-42",), "dw": ("4,2", "16,8", "8,4")},
    {"w": ("4,2", "16,8", "8,4"), "y": ("44,1",), "dy": ("2,1",), "dw": ("-0,21", "-0,84", "-0,42")},
    {"w": ("3,99", "15,96", "7,98"), "y": ("41,895",), "dy": ("-0,105",), "dw": ("0,0105", "0,042", "0,021")},
    {"w": ("4,005", "16,002", "8,001"), "y": ("42,00525",), "dy": ("0,00525",), "dw": ("-0,00053", "-0,0021", "-0,00105")},
    {"w": ("3,99998", "15,9999", "7,99995"), "y": ("41,99974",), "dy": ("-0,00026",), "dw": ("0,00003", "0,00010", "0,00005")},
    {"w": ("4,00000", "16,00001", "8,00000"), "y": ("42,00001",), "dy": ("0,00001",), "dw": ()},
)
STATED_DECIMALS = 5  # "all numbers are given to 5 decimal places" (002, under the table)


def gradient_step_factor(gradient_factor: sp.Expr = 2) -> sp.Expr:
    """Δy_{k+1} = (1 − c·α‖x‖²)·Δy_k for a linear unit, c = 2 for the MSE gradient: the error's contraction factor."""
    norm_squared = sum(v**2 for v in SAMPLE)
    return 1 - gradient_factor * RATE * norm_squared


def replay(steps: int, gradient_factor: sp.Expr = 2) -> list[dict[str, tuple[sp.Rational, ...]]]:
    """Exact rational replay of gradient descent on the linear unit from w = 0."""
    w = [sp.Integer(0)] * 3
    rows = []
    for _ in range(steps):
        y = sum(wi * xi for wi, xi in zip(w, SAMPLE, strict=True))
        dy = y - TARGET
        dw = [-gradient_factor * RATE * dy * xi for xi in SAMPLE]
        rows.append({"w": tuple(w), "y": (y,), "dy": (dy,), "dw": tuple(dw)})
        w = [wi + d for wi, d in zip(w, dw, strict=True)]
    return rows


def closed_form() -> tuple[sp.Expr, sp.Expr, tuple[sp.Expr, ...]]:
    """w at the start of step k: w_k = c·x·(1 − ρ^(k−1)) with ρ the contraction factor; its limit x·y*/‖x‖²."""
    k = sp.Symbol("k", positive=True, integer=True)
    rho = gradient_step_factor()
    first_step = [-2 * RATE * (0 - TARGET) * xi for xi in SAMPLE]
    w_k = tuple(sp.simplify(d * (1 - rho ** (k - 1)) / (1 - rho)) for d in first_step)
    if not abs(rho) < 1:
        raise ArithmeticError(f"contraction factor {rho} has modulus ≥ 1: no limit")
    limit = tuple(d / (1 - rho) for d in first_step)  # ρ^(k−1) → 0 since |ρ| < 1
    return rho, k, tuple(w_k) + limit


def logistic_loss_curvature(z: sp.Symbol) -> sp.Expr:
    """d²/dz² log(1 + e^(−z)), simplified: the logistic loss's curvature in z, σ'(z) > 0, so the loss is convex."""
    return sp.simplify(sp.diff(sp.log(1 + sp.exp(-z)), z, 2))


def derivative_at_zero() -> dict[str, sp.Expr]:
    """f'(0) for each activation, differentiated (leaky ReLU and ReLU with the frameworks' one-sided conventions)."""
    u = sp.Symbol("u", real=True)
    smooth = {"linear": u, "sigmoid": 1 / (1 + sp.exp(-u)), "tanh": sp.tanh(u), "elu": sp.Piecewise((u, u > 0), (sp.exp(u) - 1, True))}
    values = {name: sp.limit(sp.diff(f, u), u, 0) for name, f in smooth.items()}
    # Not differentiable at 0: the value there is a framework convention, stated rather than derived.
    values["leaky_relu"] = sp.Rational(1, 100)  # PyTorch/TF: x > 0 ? 1 : slope, so the slope (0.01) at 0
    values["relu"] = sp.Integer(0)  # relu'(0) = 0 (TensorFlow and PyTorch)
    return values
