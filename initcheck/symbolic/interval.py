"""Judge GRAD-W4, GRAD-INTERVAL and GRAD-INTERVAL-MAX against `initcheck.theory.interval`.

The interval's endpoints and eq. 123's maximum (certified with mpmath) are theory's;
here they meet the statement and the printed numbers.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, judged
from initcheck.symbolic.published import compare_printed
from initcheck.theory.exact import is_identically_zero
from initcheck.theory.interval import (
    W_OF_R,
    W,
    interval_endpoints,
    interval_width,
    nielsen_width,
    sigmoid_prime_peak,
    t,
    threshold_weight,
    width_limits,
    width_maximum,
)


def check_w4(stated: sp.Expr) -> Outcome:
    """GRAD-W4: sup over a, b of |wσ'(wa+b)| is |w|·max σ' = |w|/4 (wa+b ranges over ℝ), so ≥ 1 needs |w| ≥ 4."""
    peak = sigmoid_prime_peak()
    threshold = threshold_weight()
    mismatches = [] if sp.simplify(threshold - stated) == 0 else [f"threshold stated {stated}, derived {threshold}"]
    return judged(
        mismatches,
        summary=f"sup |wσ'(wa+b)| = |w|·{peak}; it reaches 1 only when |w| ≥ {threshold}.",
        derivation=(("sup over a, b", sp.latex(W * peak)), ("threshold", sp.latex(sp.Eq(W, threshold)))),
        details={"threshold": str(threshold)},
    )


GRAD_W4 = SymbolicCheck(check_w4, sp.Integer(4), sp.Integer(2), "|w| ≥ 2 (σ' max taken as 1/2)")


def check_interval(stated_width: sp.Expr) -> Outcome:
    """GRAD-INTERVAL: the set {a : |wσ'(wa+b)| ≥ 1} is one interval (σ' is unimodal) whose width equals eq. 123 exactly."""
    lower, upper = interval_endpoints()
    width = interval_width()
    stated_in_r = stated_width.subs(W, W_OF_R)  # √(1 − 4/|w|) becomes √(r²) = r
    # Both widths are (2/|w|)·log(A): equal arguments A ⇔ equal widths, and the arguments are rational in r.
    argument_derived = sp.simplify(sp.exp(W_OF_R * width / 2))
    argument_stated = sp.simplify(sp.exp(W_OF_R * stated_in_r / 2))
    same = is_identically_zero(sp.together(argument_derived - argument_stated))
    mismatches = [] if same else [f"width: exp(|w|·width/2) is {argument_derived} by derivation, {argument_stated} as stated"]
    samples = {str(w): sp.N(nielsen_width(W).subs(W, w), 20) for w in (4, sp.Rational(69, 10), 10, 100)}
    return judged(
        mismatches,
        summary="σ' increases below 0 and decreases above it, so {x : σ'(x) ≥ 1/|w|} is one interval [x₋, x₊]; "
        "its width in a is (x₊ − x₋)/|w|, equal to Nielsen's eq. 123 exactly (not only a bound) for every |w| ≥ 4.",
        derivation=(
            ("change of variable", sp.latex(sp.Eq(1 / (1 + t), sp.sqrt(1 - 4 / W)))),
            ("endpoints in x = wa+b", sp.latex((lower, upper))),
            ("width in a", sp.latex(sp.simplify(width))),
            ("eq. 123 in t", sp.latex(sp.simplify(stated_in_r))),
        ),
        details={"width_samples": {k: str(v) for k, v in samples.items()}, "equality_not_just_bound": not mismatches},
    )


GRAD_INTERVAL = SymbolicCheck(check_interval, nielsen_width(W), nielsen_width(W) / 2, "(1/|w|)·ln(…): the factor 2 dropped")


def check_interval_max(stated: tuple[str, str]) -> Outcome:
    """GRAD-INTERVAL-MAX: width is 0 at |w| = 4, → 0 as |w| → ∞, with one interior maximum (certified at 40 digits)."""
    argmax, peak = width_maximum(40)
    argmax_check, _ = width_maximum(60)
    agreeing = int(-mpmath.log10(abs(argmax - argmax_check) + mpmath.mpf(10) ** -60))
    limits = width_limits()
    printed_argmax, printed_peak = stated
    at_argmax = compare_printed(sp.Float(mpmath.nstr(argmax, 40), 40), printed_argmax)
    at_peak = compare_printed(sp.Float(mpmath.nstr(peak, 40), 40), printed_peak)
    mismatches = [f"printed {c.printed}, derived {mpmath.nstr(v, 15)}" for c, v in ((at_argmax, argmax), (at_peak, peak)) if not c.agrees]
    if limits != (0, 0):
        mismatches.append(f"width at |w|=4 and ∞: {limits}")
    return judged(
        mismatches,
        summary=f"Width is 0 at |w| = 4 and tends to 0; its maximum is {mpmath.nstr(peak, 20)} at |w| = {mpmath.nstr(argmax, 20)} "
        f"(20 digits shown, {min(agreeing, 40)} certified). Printed ≈{printed_argmax} and ≈{printed_peak}: "
        f"{'both agree' if not mismatches else 'disagree'} at their printed precision.",
        derivation=(("maximize eq. 123", r"\frac{d}{d|w|}\,\frac{2}{|w|}\ln\Big(\frac{|w|(1+\sqrt{1-4/|w|})}{2}-1\Big) = 0"),),
        details={
            "argmax": mpmath.nstr(argmax, 25),
            "max": mpmath.nstr(peak, 25),
            "certified_digits": min(agreeing, 40),
            "method": "mpmath.findroot (anderson) on the derivative, bracket [5, 9] with a sign change, at 50 and 70 working digits",
            "printed": [at_argmax.as_dict(), at_peak.as_dict()],
        },
    )


GRAD_INTERVAL_MAX = SymbolicCheck(check_interval_max, ("6.9", "0.45"), ("6.9", "0.22"), "maximum of the width without its factor 2 (≈0.22)")
