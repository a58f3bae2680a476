"""L2 weight decay from the old N(0,1) init (source 004, ch. 3, problem): how far pure decay shrinks the weights.

An SGD step with L2 regularization multiplies each weight by (1 − ηλ/n) (n the training-set size) before the gradient
step; an epoch has n/m steps, so pure decay scales the weights by (1 − ηλ/n)^{n/m} → e^{−ηλ/m} when ηλ ≪ n. Starting from
RMS 1 (N(0,1) weights), pure decay reaches a target RMS τ after ln(1/τ)·m/(ηλ) epochs. The text's target 1/√n is read
two ways: n = n_in = 784 (the new init's scale) and n = the total number of weights of [784, 30, 10] (the text's words).
The book's graphed example: η = 0.1, λ = 5, m = 10, n = 50,000 training images, 30 epochs.
"""

from __future__ import annotations

import itertools

import mpmath
import sympy as sp

BOOK = {"rate": sp.Rational(1, 10), "lam": sp.Integer(5), "batch": sp.Integer(10), "train": sp.Integer(50_000), "epochs": sp.Integer(30)}
SIZES = (784, 30, 10)


def epoch_factor(exact: bool = True) -> sp.Expr:
    """(1 − ηλ/n)^{n/m} (exact, evaluated by mpmath to 30 digits: SymPy would expand the power into a rational of ~25,000
    digits) or its limit e^{−ηλ/m} (a SymPy expression)."""
    if exact:
        with mpmath.workdps(30):
            ratio = BOOK["rate"] * BOOK["lam"] / BOOK["train"]  # ηλ/n = 1/100000, an exact Rational
            base = 1 - mpmath.mpf(int(ratio.p)) / int(ratio.q)
            return sp.Float(mpmath.power(base, int(BOOK["train"] / BOOK["batch"])), 30)
    return sp.exp(-BOOK["rate"] * BOOK["lam"] / BOOK["batch"])


def weight_count() -> int:
    """Σ n_in·n_out over the layers of [784, 30, 10] (weights only)."""
    return sum(a * b for a, b in itertools.pairwise(SIZES))


def targets() -> dict[str, sp.Expr]:
    """1/√n for n = n_in (784) and n = total weights (23,820)."""
    return {"n_in": 1 / sp.sqrt(SIZES[0]), "total_weights": 1 / sp.sqrt(weight_count())}


def epochs_to_reach(target: sp.Expr) -> sp.Expr:
    """ln(1/τ)/(−ln factor): epochs of pure decay from RMS 1 to τ (exact per-epoch factor)."""
    log_factor = BOOK["train"] / BOOK["batch"] * sp.log(1 - BOOK["rate"] * BOOK["lam"] / BOOK["train"])
    return sp.log(1 / target) / -log_factor


def rms_after_graphed_epochs() -> sp.Expr:
    """Pure-decay RMS after the graphed 30 epochs: factor^30 (the fastest decay alone can shrink them)."""
    return epoch_factor() ** BOOK["epochs"]
