"""The identity neuron (source 001, ch. 5, problem "identity neuron"): the Taylor route with its offset, and the best
uniform error without one (GRAD-IDENTITY).

`identity_neuron()`: with b = −w₁/2, w₂ = 4/w₁ the neuron is x − ½ + 2/w₁ up to w₁²/96 (expansion, bound, exact maximum error).

The identity neuron without an offset (source 001, ch. 5, problem "identity neuron"): the best uniform error.

The text: w₂σ(w₁x + b) ≈ x on [0, 1], "up to rescaling by a weight factor". The Taylor route (x = ½ + Δ, b = −w₁/2,
w₂ = 4/w₁) gives w₂σ(w₁x + b) = x − ½ + 2/w₁ + O(w₁²): exact only up to the additive offset 2/w₁ − ½ (GRAD-IDENTITY).
Without an offset the error cannot vanish. Within the symmetric family w₂ = 1, b = −w₁/2 the error
e(x) = σ(w₁(x − ½)) − x is odd about x = ½; on [0, ½] its extremes are e(0) = σ(−w₁/2) and the interior minimum where
w₁σ'(w₁(x − ½)) = 1, i.e. σ(u) = (1 − √(1 − 4/w₁))/2 at u = w₁(x − ½) (w₁ ≥ 4). The minimax w₁ equalizes the two
(Chebyshev alternation), solved with mpmath.findroot at 30 digits. That no other (w₁, b, w₂) does better is checked as a
property (initcheck.properties.identity_neuron), not derived here.
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import sympy as sp

from initcheck.theory.gradients import sigmoid


def _sigmoid(u: mpmath.mpf) -> mpmath.mpf:
    return 1 / (1 + mpmath.exp(-u))


def _errors(w: mpmath.mpf) -> tuple[mpmath.mpf, mpmath.mpf]:
    """(e(0), −min e on [0, ½]) for w₂ = 1, b = −w/2."""
    s = (1 - mpmath.sqrt(1 - 4 / w)) / 2  # σ(u) at the interior critical point, u < 0
    u = mpmath.log(s / (1 - s))
    x = mpmath.mpf(1) / 2 + u / w
    return _sigmoid(-w / 2), x - s


@lru_cache(maxsize=1)
def best_offset_free_error(digits: int = 30) -> dict[str, str]:
    """The minimax w₁ of the family w₂ = 1, b = −w₁/2 and its uniform error, as decimal strings."""
    with mpmath.workdps(digits + 10):
        w = mpmath.findroot(lambda v: _errors(v)[0] - _errors(v)[1], mpmath.mpf("5.6"))
        return {"w1": mpmath.nstr(w, digits), "b": mpmath.nstr(-w / 2, digits), "w2": "1", "error": mpmath.nstr(_errors(w)[0], digits)}


@lru_cache(maxsize=1)
def identity_neuron() -> dict[str, sp.Expr]:
    """Choose b = −w₁/2 and w₂ = 4/w₁; with x = ½ + Δ, w₂σ(w₁x + b) = 2/w₁ + Δ − w₁²Δ³/12 + O(w₁⁴) (Taylor in w₁Δ).

    Returns the expansion, the error bound w₁²/96 with the residual of its Taylor-remainder inequality, and the exact
    maximum error over x ∈ [0, 1] (at Δ = ±½).
    """
    w1 = sp.Symbol("w_1", positive=True)
    delta = sp.Symbol("Delta", real=True)
    output = (4 / w1) * sigmoid(w1 * (sp.Rational(1, 2) + delta) - w1 / 2)
    series = sp.series(output, w1, 0, 4).removeO()
    cubic = sp.expand(series - 2 / w1 - delta)
    # Bound: |σ(u) − ½ − u/4| = |u/2 − tanh(u/2)|/2 ≤ (|u|/2)³/6 = |u|³/48, since d/dv (v³/3 − v + tanh v) = v² − tanh² v ≥ 0.
    v = sp.Symbol("v", nonnegative=True)
    bound_derivative = sp.simplify(sp.diff(v**3 / 3 - v + sp.tanh(v), v) - (v**2 - sp.tanh(v) ** 2))
    bound = sp.simplify((4 / w1) * (w1 * sp.Rational(1, 2)) ** 3 / 48)
    # The error (4/w₁)|σ(w₁Δ) − ½ − w₁Δ/4| grows with |Δ|, so on x ∈ [0, 1] its maximum sits at Δ = ±½.
    max_error = (4 / w1) * sp.Abs(sigmoid(w1 / 2) - sp.Rational(1, 2) - w1 / 8)
    return {
        "w1": w1,
        "delta": delta,
        "output": output,
        "cubic_term": cubic,
        "bound_derivative_residual": bound_derivative,
        "bound": bound,
        "max_error": max_error,
    }
