"""Judge the perceptron claims (SYM-PERCEPTRON-TABLE, SYM-PERCEPTRON-LEARNS, SYM-RELU-STALL) against `initcheck.theory.perceptron`.

The published table is compared cell by cell with the exact replay, at each cell's printed precision.
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, judged, verdict_from_mismatches
from initcheck.symbolic.logistic_gd import SYM_PERCEPTRON_LEARNS_CONVEX, check_convex_convergence
from initcheck.symbolic.published import compare_printed
from initcheck.theory.exact import is_identically_zero
from initcheck.theory.gradients import sigmoid_prime
from initcheck.theory.perceptron import (
    PUBLISHED_TABLE,
    SAMPLE,
    STATED_DECIMALS,
    closed_form,
    derivative_at_zero,
    logistic_loss_curvature,
    replay,
)


def check_table(stated: dict[str, Any]) -> Outcome:
    """SYM-PERCEPTRON-TABLE: replay exactly, derive ρ and the limit, compare every printed cell.

    A cell agrees when the exact value rounds to it at its printed decimals and at the
    5 decimals the source says it uses; a value exactly halfway is a tie (either rounding).
    """
    rows = replay(len(stated["table"]), stated.get("gradient_factor", 2))
    rho, _, w_k_and_limit = closed_form()
    limit = w_k_and_limit[3:]
    cells, mismatches, ties = [], [], []
    for step, (printed_row, exact_row) in enumerate(zip(stated["table"], rows, strict=True), start=1):
        for column, printed_values in printed_row.items():
            for index, printed in enumerate(printed_values):
                exact = exact_row[column][index]
                shown = compare_printed(exact, printed)
                at_five = compare_printed(exact, printed, decimals=STATED_DECIMALS)
                name = f"step {step} {column}[{index + 1}]"
                agrees = shown.agrees and at_five.agrees
                cells.append({"cell": name, **shown.as_dict(), "agrees_at_5_decimals": at_five.agrees, "agrees": agrees})
                if not agrees:
                    mismatches.append(f"{name}: printed {printed}, exact {sp.N(exact, 10)}")
                elif shown.tie or at_five.tie:
                    ties.append(f"{name}: exact {exact} is a tie, printed {printed}")
    if tuple(limit) != tuple(stated["limit"]):
        mismatches.append(f"limit stated {stated['limit']}, derived {limit}")
    return judged(
        mismatches,
        summary=f"Exact replay: the error is multiplied by ρ = 1 − 2α‖x‖² = {rho} each step, w_k = 8x(1 − ρ^(k−1)) → {limit}. "
        f"{len(cells) - len(mismatches)} of {len(cells)} printed cells agree at their precision; "
        f"{len(mismatches)} disagree{': ' + '; '.join(mismatches) if mismatches else ''}. "
        f"{len(ties)} exact ties are rounded inconsistently (half up and half down both occur).",
        derivation=(
            ("contraction factor", sp.latex(sp.Eq(sp.Symbol(r"\rho"), rho))),
            ("weights at step k", sp.latex(sp.Matrix(w_k_and_limit[:3]))),
            ("limit", sp.latex(sp.Matrix(limit))),
        ),
        details={"contraction_factor": str(rho), "limit": [str(v) for v in limit], "cells": cells, "ties": ties},
    )


SYM_PERCEPTRON_TABLE = SymbolicCheck(
    check_table,
    {"table": PUBLISHED_TABLE, "limit": (4, 16, 8)},
    {"table": PUBLISHED_TABLE, "limit": (4, 16, 8), "gradient_factor": 1},
    "MSE gradient without its factor 2 (Δw = −α·Δy·x)",
)


def check_learns(stated: dict[str, dict[str, bool]]) -> Outcome:
    """SYM-PERCEPTRON-LEARNS, both sentences: learning from zero (002) and "convex, so GD converges from any point" (003).

    From w = 0 the first step is −2α(f(0) − y*)·f'(0)·x: non-zero iff f'(0) ≠ 0 (and f(0) ≠ y*); several outputs are
    independent single-output perceptrons. Logistic regression's loss is convex (Hessian σ'(z)·x xᵀ ⪰ 0), but convexity
    gives convergence only with a step η < 2/L and a minimizer (initcheck.symbolic.logistic_gd shows each necessary):
    the verdict carries those two conditions.
    """
    derivatives = derivative_at_zero()
    derived = {name: d != 0 for name, d in derivatives.items()}
    mismatches = [f"{name}: stated learns={v}, derived {derived[name]}" for name, v in stated["activations"].items() if derived[name] != v]
    xs = sp.symbols("x1:4", real=True)
    zs = sp.Symbol("z", real=True)
    hessian_scale = logistic_loss_curvature(zs)
    if not is_identically_zero(hessian_scale - sigmoid_prime(zs)):
        mismatches.append("logistic loss is not convex in z")
    convex = check_convex_convergence(stated["convex_convergence"])
    mismatches += list(convex.mismatches)
    return judged(
        mismatches,
        verdict=verdict_from_mismatches(mismatches, convex.conditions),
        conditions=convex.conditions,
        summary="f'(0): " + ", ".join(f"{k} {v}" for k, v in derivatives.items()) + ". A zero-initialized single layer moves "
        "at the first step exactly when f'(0) ≠ 0; the logistic loss has second derivative σ'(z) > 0, so it is convex. " + convex.summary,
        derivation=(
            ("logistic loss curvature", sp.latex(hessian_scale)),
            ("Hessian", sp.latex(sp.Matrix(xs) * sp.Matrix(xs).T) + r"\,\sigma'(z)"),
            *convex.derivation,
        ),
        details={"derivative_at_zero": {k: str(v) for k, v in derivatives.items()}, "convex_convergence": dict(convex.details)},
    )


ACTIVATIONS_LEARN = {"linear": True, "sigmoid": True, "tanh": True, "elu": True, "leaky_relu": True}
SYM_PERCEPTRON_LEARNS = SymbolicCheck(
    check_learns,
    {"activations": ACTIVATIONS_LEARN, "convex_convergence": SYM_PERCEPTRON_LEARNS_CONVEX.stated},
    {"activations": {**ACTIVATIONS_LEARN, "relu": True}, "convex_convergence": SYM_PERCEPTRON_LEARNS_CONVEX.stated},
    "ReLU learns from zero too",
)


def check_relu_stall(stated: dict[str, Any]) -> Outcome:
    """SYM-RELU-STALL: z = w·x; relu'(z) = 0 for z ≤ 0 (convention relu'(0) = 0) makes Δw = 0 exactly."""
    relu_prime_at = {"zero init": derivative_at_zero()["relu"]}
    w_given = (sp.Rational(6, 10), sp.Rational(-3, 10), sp.Rational(2, 10))
    z_given = sum(a * b for a, b in zip(w_given, SAMPLE, strict=True))
    relu_prime_at["w = (0.6, -0.3, 0.2)"] = sp.Integer(0) if z_given <= 0 else sp.Integer(1)
    derived = {name: d == 0 for name, d in relu_prime_at.items()}
    mismatches = [f"{name}: stated stalls={v}, derived {derived[name]}" for name, v in stated["stalls"].items() if derived[name] != v]
    if z_given != stated["z"]:
        mismatches.append(f"z stated {stated['z']}, derived {z_given}")
    return judged(
        mismatches,
        summary=f"At zero init z = 0 and relu'(0) = 0; at w = (0.6, −0.3, 0.2), z = {z_given} < 0: in both cases Δw = 0 at every step.",
        conditions=("relu'(0) = 0, the TensorFlow/PyTorch convention; with relu'(0) = 1 the zero init does learn",),
        derivation=(("z at the given w", sp.latex(sp.Eq(sp.Symbol("z"), z_given))),),
        details={"z": str(z_given)},
    )


SYM_RELU_STALL = SymbolicCheck(
    check_relu_stall,
    {"stalls": {"zero init": True, "w = (0.6, -0.3, 0.2)": True}, "z": sp.Rational(-1, 10)},
    {"stalls": {"zero init": True, "w = (0.6, -0.3, 0.2)": True}, "z": sp.Rational(1, 10)},
    "z = +0.1 (a sign slip), which would make the unit learn",
)
