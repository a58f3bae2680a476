"""Judge the variance claims (VAR-SUM, VAR-NIELSEN-*, VAR-CALIBRATED, VAR-BACKWARD) against `initcheck.theory.variance`.

Each check compares the statement with the derived Var(z) and layer gains and records the verdict,
the mismatches, the summary and the LaTeX steps a report typesets; the derivations are theory's.
"""

from __future__ import annotations

import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, judged
from initcheck.symbolic.published import compare_printed
from initcheck.theory.variance import (
    backward_gain,
    forward_gain,
    forward_variance_special_cases,
    mean_w,
    mean_x,
    n,
    n_in,
    n_out,
    nielsen_variance,
    normal_times_uniform_variance,
    product_variance,
    unit_gain_variance,
    var_b,
    var_w,
    var_x,
)


def check_forward_variance(stated: tuple[sp.Expr, sp.Expr, sp.Expr]) -> Outcome:
    """VAR-SUM: the general form, then E[w]=0, then E[w]=E[x]=0 with b=0."""
    general, zero_mean_weights, card_form = forward_variance_special_cases()
    derived = (general, zero_mean_weights, card_form)
    labels = ("general", "E[w]=0", "E[w]=E[x]=0, b=0")
    mismatches = [lab for lab, d, s in zip(labels, derived, stated, strict=True) if sp.simplify(d - s) != 0]
    integrated, formula = normal_times_uniform_variance()
    if sp.simplify(integrated - formula) != 0:
        mismatches.append("exact special case N(mu,s^2) x U[l,l+1]")
    hypotheses = (
        "all wᵢ, xᵢ, b independent; the wᵢxᵢ identically distributed",
        "n·σ_w²·Var(x) needs E[x]=0 as well as E[w]=0: with E[x]≠0 the factor is E[x²] = Var(x)+E[x]², not Var(x)",
    )
    return judged(
        mismatches,
        summary="Var(z) = n[Var(w)Var(x) + Var(w)E[x]² + E[w]²Var(x)] + Var(b) derived from moments; "
        "both special cases follow; the card's form needs E[x]=0.",
        derivation=(
            (
                "Var(wx) for independent w, x",
                sp.latex(sp.Eq(sp.Symbol(r"\mathrm{Var}(wx)"), product_variance(mean_w, var_w, mean_x, var_x))),
            ),
            ("Var(z), n terms and a bias", sp.latex(sp.Eq(sp.Symbol(r"\mathrm{Var}(z)"), general))),
            ("E[w] = 0", sp.latex(sp.factor(zero_mean_weights - var_b) + var_b)),
            ("E[w] = E[x] = 0, b = 0", sp.latex(card_form)),
            ("exact case w~N(μ,s²), x~U[l,l+1]", sp.latex(sp.factor(integrated))),
        ),
        details={"hypotheses": list(hypotheses)},
    )


VAR_SUM = SymbolicCheck(
    run=check_forward_variance,
    stated=(
        n * (var_w * var_x + var_w * mean_x**2 + mean_w**2 * var_x) + var_b,
        n * var_w * (var_x + mean_x**2) + var_b,
        n * var_w * var_x,
    ),
    foil=(
        n * (var_w * var_x + var_w * mean_x**2 + mean_w**2 * var_x) + var_b,
        n * var_w * var_x + var_b,
        n * var_w * var_x,
    ),
    foil_label="Var(x) in place of E[x²] when E[w]=0",
)


def _check_nielsen(weight_variance: sp.Expr, stated: tuple[sp.Expr, str]) -> Outcome:
    exact_variance = sp.nsimplify(nielsen_variance(weight_variance))
    sd = sp.sqrt(exact_variance)
    sd_digits = str(sp.N(sd, 15))
    stated_variance, printed_sd = stated
    printed = compare_printed(sd, printed_sd)
    mismatches = []
    if sp.simplify(exact_variance - stated_variance) != 0:
        mismatches.append(f"Var(z): stated {stated_variance}, derived {exact_variance}")
    if not printed.agrees:
        mismatches.append(f"sd: printed {printed_sd}, derived {sd_digits}")
    return judged(
        mismatches,
        summary=f"Var(z) = {exact_variance} exactly; sd = √({exact_variance}) = {sd_digits} (15 significant digits), "
        f"printed {printed_sd}: {'agrees' if printed.agrees else 'disagrees'} at the printed {printed.decimals} decimal(s). "
        "z is normal given x: a sum of independent normals.",
        derivation=(
            ("Var(z | x) = Σxᵢ²·Var(w) + Var(b)", sp.latex(sp.Eq(sp.Symbol(r"\mathrm{Var}(z)"), sp.Integer(500) * weight_variance + 1))),
            ("value", sp.latex(sp.Eq(sp.Symbol(r"\mathrm{Var}(z)"), exact_variance))),
            ("standard deviation", f"{sp.latex(sd)} \\approx {sd_digits}"),
        ),
        details={"variance": str(exact_variance), "sd": sd_digits, "sd_digits": 15, "sd_printed": printed.as_dict()},
    )


def check_nielsen_large(stated: tuple[sp.Expr, str]) -> Outcome:
    """VAR-NIELSEN-LARGE: w, b ~ N(0,1) gives Var(z) = 500 + 1."""
    return _check_nielsen(sp.Integer(1), stated)


def check_nielsen_scaled(stated: tuple[sp.Expr, str]) -> Outcome:
    """VAR-NIELSEN-SCALED: w ~ N(0, 1/n_in), b ~ N(0,1) gives Var(z) = 500/1000 + 1."""
    return _check_nielsen(sp.Rational(1, 1000), stated)


VAR_NIELSEN_LARGE = SymbolicCheck(
    check_nielsen_large, (sp.Integer(501), "22.4"), (sp.Integer(500), "22.4"), "bias variance left out (Var z = 500)"
)


VAR_NIELSEN_SCALED = SymbolicCheck(
    check_nielsen_scaled, (sp.Rational(3, 2), "1.22"), (sp.Rational(1, 2), "0.71"), "bias variance left out (Var z = 1/2)"
)


def _check_layer_gain(derived_gain: sp.Expr, stated_weight_variance: sp.Expr, what: str, solve_for_one: sp.Expr) -> Outcome:
    gain = sp.simplify(derived_gain.subs(var_w, stated_weight_variance))
    mismatches = [] if sp.simplify(gain - 1) == 0 else [f"{what} gain with Var(w) = {stated_weight_variance} is {gain}, not 1"]
    return judged(
        mismatches,
        summary=f"{what} gain per layer = {derived_gain}; it equals 1 iff Var(w) = {solve_for_one}.",
        derivation=(
            (f"{what} gain", sp.latex(derived_gain)),
            ("gain = 1 solved for Var(w)", sp.latex(sp.Eq(var_w, solve_for_one))),
            ("gain at the stated Var(w)", sp.latex(gain)),
        ),
        details={"gain": str(derived_gain), "variance_for_unit_gain": str(solve_for_one), "gain_at_stated": str(gain)},
    )


def check_calibrated(stated: sp.Expr) -> Outcome:
    """VAR-CALIBRATED: Var(w) = 1/n_in makes the forward gain n_in·Var(w) equal 1."""
    gain = forward_gain()
    return _check_layer_gain(gain, stated, "forward", unit_gain_variance(gain))


def check_backward(stated: sp.Expr) -> Outcome:
    """VAR-BACKWARD: the backward gain is n_out·Var(w); `stated` is the claimed gain."""
    gain = backward_gain()
    mismatches = [] if sp.simplify(gain - stated) == 0 else [f"backward gain stated {stated}, derived {gain}"]
    return judged(
        mismatches,
        summary=f"The backpropagated gradient's variance is multiplied by {gain} per layer (zero-mean weights independent of the gradient).",
        derivation=(("∂C/∂xᵢ = Σⱼ Wⱼᵢ δⱼ over the n_out units: Var gain", sp.latex(gain)),),
        details={"gain": str(gain)},
    )


VAR_CALIBRATED = SymbolicCheck(check_calibrated, 1 / n_in, 1 / n_out, "fan_out for fan_in: Var(w) = 1/n_out")


VAR_BACKWARD = SymbolicCheck(check_backward, n_out * var_w, n_in * var_w, "fan_in for fan_out: n_in·Var(w)")
