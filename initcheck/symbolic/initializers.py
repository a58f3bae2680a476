"""Judge GLOROT-VAR, GLOROT-UNIFORM and HE-VAR against `initcheck.theory.initializers` (VAR-DEPTH: initcheck.symbolic.meanfield)."""

from __future__ import annotations

import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, judged
from initcheck.theory.initializers import (
    a,
    glorot_solutions,
    glorot_uniform_limit,
    q,
    relu_layer_gain,
    relu_second_moment,
    relu_second_moments,
    uniform_variance,
)
from initcheck.theory.variance import backward_gain, forward_gain, n_in, n_out, var_w


def check_glorot_variance(stated: sp.Expr) -> Outcome:
    """GLOROT-VAR: n_in·Var(w) = 1 and n_out·Var(w) = 1 together force n_in = n_out; the compromise averages them.

    Glorot & Bengio (2010, eq. 12) take Var(w) = 2/(n_in + n_out): the solution of the
    averaged condition ½(n_in + n_out)·Var(w) = 1, the harmonic mean of 1/n_in and 1/n_out.
    """
    both, compromise = glorot_solutions()
    harmonic_mean = 2 / (n_in + n_out)
    mismatches = []
    if not (len(both) == 1 and sp.simplify(both[0][n_out] - n_in) == 0):
        mismatches.append("both constraints do not force n_in = n_out")
    if sp.simplify(compromise - stated) != 0:
        mismatches.append(f"compromise stated {stated}, derived {compromise}")
    if sp.simplify(compromise - harmonic_mean) != 0:
        mismatches.append("compromise is not the harmonic mean of 1/n_in and 1/n_out")
    return judged(
        mismatches,
        summary=f"Both gains equal 1 only if n_out = n_in; averaging the two conditions gives Var(w) = {compromise}.",
        derivation=(
            ("forward and backward gains = 1", sp.latex([sp.Eq(forward_gain(), 1), sp.Eq(backward_gain(), 1)])),
            ("their joint solution", sp.latex(both)),
            ("averaged condition", sp.latex(sp.Eq((forward_gain() + backward_gain()) / 2, 1))),
            ("compromise", sp.latex(sp.Eq(var_w, compromise))),
        ),
        details={"compromise": str(compromise), "joint_solution": str(both)},
    )


GLOROT_VAR = SymbolicCheck(check_glorot_variance, 2 / (n_in + n_out), 1 / (n_in + n_out), "1/(n_in+n_out): the factor 2 dropped")


def check_glorot_uniform(stated: sp.Expr) -> Outcome:
    """GLOROT-UNIFORM: a²/3 = 2/(n_in+n_out) gives a = √(6/(n_in+n_out)) (Glorot & Bengio 2010, eq. 16)."""
    variance = uniform_variance()
    limit = glorot_uniform_limit()
    mismatches = [] if len(limit) == 1 and sp.simplify(limit[0] - stated) == 0 else [f"limit stated {stated}, derived {limit}"]
    return judged(
        mismatches,
        summary=f"Var(U[-a,a]) = {variance} by integration; matching 2/(n_in+n_out) gives a = {limit[0]}.",
        derivation=(
            ("variance by integration", r"\int_{-a}^{a} \frac{x^2}{2a}\,dx = " + sp.latex(variance)),
            ("limit", sp.latex(sp.Eq(a, limit[0]))),
        ),
        details={"uniform_variance": str(variance), "limit": str(limit[0])},
    )


GLOROT_UNIFORM = SymbolicCheck(
    check_glorot_uniform, sp.sqrt(6 / (n_in + n_out)), sp.sqrt(2 / (n_in + n_out)), "a = √(2/(n_in+n_out)): the 1/3 of Var(U) forgotten"
)


def check_he_variance(stated: sp.Expr) -> Outcome:
    """HE-VAR: Var(z_next) = n_in·Var(w)·E[relu(y)²] = n_in·Var(w)·Var(y)/2, so unit gain needs Var(w) = 2/n_in."""
    ratios = relu_second_moments()
    gain, unit_gain = relu_layer_gain()
    mismatches = [f"E[relu(y)²]/Var(y) = {r} for {law}" for law, r in ratios.items() if r != ratios["normal"]]
    if sp.simplify(unit_gain - stated) != 0:
        mismatches.append(f"He variance stated {stated}, derived {unit_gain}")
    return judged(
        mismatches,
        summary=f"E[relu(y)²] = Var(y)·{relu_second_moment()} (integrated for normal, uniform and Laplace y); "
        f"a ReLU layer's gain is {gain}, equal to 1 iff Var(w) = {unit_gain}.",
        derivation=(
            ("E[relu(y)²], y ~ N(0, q)", r"\int_0^\infty y^2 \frac{e^{-y^2/2q}}{\sqrt{2\pi q}}\,dy = " + sp.latex(relu_second_moment() * q)),
            ("ReLU layer gain", sp.latex(gain)),
            ("unit gain", sp.latex(sp.Eq(var_w, unit_gain))),
        ),
        details={"relu_factor_by_law": {k: str(v) for k, v in ratios.items()}, "variance_for_unit_gain": str(unit_gain)},
    )


HE_VAR = SymbolicCheck(check_he_variance, 2 / n_in, 1 / n_in, "He without the ReLU halving: 1/n_in")
