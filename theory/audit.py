"""What a layer does to the second moment of its signal at init, for `initcheck audit` (sources 003 and 004).

For a dense or convolutional unit y = Σᵢ wᵢxᵢ + b over its fan (a receptive-field patch for a
convolution) with i.i.d. zero-mean weights of variance Var(w), independent of x:

    E[y² | x] = Var(w)·Σᵢ xᵢ² + b²                  (VAR-SUM with E[w] = 0, conditional on the probe)

and backward, ∂C/∂xᵢ = Σⱼ wⱼᵢ ∂C/∂yⱼ over the units xᵢ feeds, with the gradient independent of the
weights (the assumption VAR-BACKWARD and the mean-field papers make):

    E[(∂C/∂xᵢ)² | ∂C/∂y] = Var(w)·Σⱼ (∂C/∂yⱼ)².

Both are `theory.variance.forward_variance` with the input's (or the gradient's) second moment over
the fan in place of n·Var(x): the same derivation as VAR-DEPTH, HE-VAR and VAR-BACKWARD, one layer
at a time, so a deep model's measured path can be compared with its prediction layer by layer.
"""

from __future__ import annotations

import sympy as sp

from initcheck.theory.variance import backward_gain, forward_variance, n_out
from initcheck.theory.variance import var_w as variance_symbol

var_w = sp.Symbol("Var_w", nonnegative=True)
fan_square = sp.Symbol("S", nonnegative=True)  # Σ over the fan of the input's (or gradient's) squares, averaged over positions
fan = sp.Symbol("n", positive=True, integer=True)


def forward_second_moment() -> sp.Expr:
    """E[y²] − b² given the probe: n·Var(w)·(S/n) = Var(w)·S (forward_variance with E[w] = 0, E[x²] = S/n, no bias)."""
    return sp.simplify(forward_variance(fan, 0, var_w, 0, fan_square / fan, 0))


def backward_second_moment() -> sp.Expr:
    """E[(∂C/∂x)²] given ∂C/∂y: the backward gain n_out·Var(w) (`theory.variance.backward_gain`, VAR-BACKWARD) times
    the gradient's mean square S/n_out over the n_out units fed: Var(w)·S."""
    gain = backward_gain().subs({variance_symbol: var_w, n_out: fan})
    return sp.simplify(gain * fan_square / fan)
