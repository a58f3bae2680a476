"""What the frameworks' layers should do, derived: ReLU's one-sided derivatives at 0, dropout's kept fraction, scale and
mask agreement, and batch norm's running statistics and prediction-time output (sources 002, 003; the FW claims).

Values only, exact where the inputs are (SymPy Rationals): the measurements of real frameworks and the judging are in
initcheck.conformance.frameworks and initcheck.reproductions.frameworks.

Running statistics. Each documented convention is one recursion r ← (1 − α)·r + α·s, with s a batch statistic and α
the weight of the new batch: PyTorch's `momentum` is α (0.1); Keras's and Flax's `momentum` is 1 − α (0.99); Haiku's
`decay_rate` is 1 − α, and its average is zero-debiased: hidden h ← (1 − α)·h + α·s from h = 0, average h/(1 − (1 − α)ᵗ)
after t steps (Kingma & Ba 2015, §3, the same correction as Adam's). The batch variance s is Σ(x − x̄)²/m (biased) or
Σ(x − x̄)²/(m − 1) (unbiased, Bessel's correction).
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

h = sp.Symbol("h", real=True)
p = sp.Symbol("p", positive=True)  # drop probability, 0 < p < 1


def relu_one_sided_derivatives() -> tuple[sp.Expr, sp.Expr]:
    """(lim_{h→0⁻}, lim_{h→0⁺}) of (relu(h) − relu(0))/h = (0, 1): relu'(0) does not exist; any value in [0, 1] is a subgradient."""
    relu = sp.Max(h, 0)
    quotient = (relu - relu.subs(h, 0)) / h
    return sp.limit(quotient, h, 0, dir="-"), sp.limit(quotient, h, 0, dir="+")


def dropout_kept_fraction(drop: sp.Expr = p) -> sp.Expr:
    """P(kept) = 1 − p when the rate p is the probability of zeroing (source 003, 'Dropout')."""
    return sp.simplify(1 - drop)


def dropout_scale(drop: sp.Expr = p) -> sp.Expr:
    """The factor 1/(1 − p) that keeps E[m·x/(1 − p)] = E[x] for m ~ Bernoulli(1 − p) (inverted dropout)."""
    c = sp.Symbol("c", positive=True)
    (scale,) = sp.solve(sp.Eq(c * dropout_kept_fraction(drop), 1), c)
    return scale


def mask_agreement(drop: sp.Expr = p) -> sp.Expr:
    """P(two independent masks agree on a unit) = (1 − p)² + p², summed over the four outcomes; 1 for one mask used twice."""
    keep = dropout_kept_fraction(drop)
    outcomes = {(a, b): (keep if a else drop) * (keep if b else drop) for a in (0, 1) for b in (0, 1)}
    return sp.expand(sum(probability for (a, b), probability in outcomes.items() if a == b))


def batch_mean(column: Sequence[sp.Rational]) -> sp.Expr:
    """x̄ = Σx/m."""
    return sp.Add(*column) / len(column)


def batch_variance(column: Sequence[sp.Rational], *, unbiased: bool) -> sp.Expr:
    """Σ(x − x̄)²/m (biased) or /(m − 1) (unbiased)."""
    centre = batch_mean(column)
    return sp.Add(*[(x - centre) ** 2 for x in column]) / (len(column) - (1 if unbiased else 0))


def running_statistics(
    batches: Sequence[Sequence[Sequence[sp.Rational]]],
    *,
    new_weight: sp.Rational,
    unbiased: bool,
    initial_mean: int | sp.Rational = 0,
    initial_variance: int | sp.Rational = 1,
    debiased: bool = False,
) -> dict[str, list[sp.Expr]]:
    """Per feature, r ← (1 − α)·r + α·s over the batches (rows are examples), from (initial_mean, initial_variance).

    `debiased`: Haiku's zero-debiased average, h ← (1 − α)·h + α·s from h = 0, reported as h/(1 − (1 − α)ᵗ) (the
    initial values play no part). Exact for rational inputs.
    """
    features = len(batches[0][0])
    decay = 1 - new_weight
    mean = [sp.Integer(0) if debiased else sp.sympify(initial_mean)] * features
    variance = [sp.Integer(0) if debiased else sp.sympify(initial_variance)] * features
    for batch in batches:
        columns = [[row[j] for row in batch] for j in range(features)]
        mean = [decay * r + new_weight * batch_mean(c) for r, c in zip(mean, columns, strict=True)]
        variance = [decay * r + new_weight * batch_variance(c, unbiased=unbiased) for r, c in zip(variance, columns, strict=True)]
    if debiased:
        correction = 1 - decay ** len(batches)
        mean, variance = [r / correction for r in mean], [r / correction for r in variance]
    return {"mean": [sp.nsimplify(r) for r in mean], "variance": [sp.nsimplify(r) for r in variance]}


def normalized(rows: Sequence[Sequence[sp.Rational]], *, mean: Sequence[sp.Expr], variance: Sequence[sp.Expr], epsilon: sp.Rational) -> list[list[sp.Expr]]:
    """x̂ = (x − μ)/√(σ² + ε) per feature (γ = 1, β = 0: the layers' initial scale and offset; Ioffe & Szegedy 2015, Alg. 1)."""
    return [[(x - mu) / sp.sqrt(var + epsilon) for x, mu, var in zip(row, mean, variance, strict=True)] for row in rows]


def batch_normalized(rows: Sequence[Sequence[sp.Rational]], *, epsilon: sp.Rational, unbiased: bool = False) -> list[list[sp.Expr]]:
    """Training-mode output: x̂ with the batch's own mean and (biased, unless told) variance."""
    columns = [[row[j] for row in rows] for j in range(len(rows[0]))]
    return normalized(
        rows, mean=[batch_mean(c) for c in columns], variance=[batch_variance(c, unbiased=unbiased) for c in columns], epsilon=epsilon
    )
