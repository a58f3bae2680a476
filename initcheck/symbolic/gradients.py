"""Judge the gradient-product claims (GRAD-SIGMOID-MAX, GRAD-CHAIN, GRAD-MATRIX, GRAD-BOUND, GRAD-EXPLODE, GRAD-ACTIVATION).

The chain and matrix formulas are compared with SymPy's own differentiation of the network
(`initcheck.theory.gradients`), exactly.
"""

from __future__ import annotations

import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, judged
from initcheck.theory.exact import is_identically_zero
from initcheck.theory.gradients import (
    bias_gradient_ratio,
    chain_bias_gradient,
    chain_product,
    explode_factors,
    factor_statistics,
    matrix_gradients,
    sigmoid,
    sigmoid_prime,
    sigmoid_prime_extremes,
    z,
)


def check_sigmoid_max(stated: sp.Expr) -> Outcome:
    """GRAD-SIGMOID-MAX: σ' = σ(1−σ); σ'' = 0 only at z = 0; σ'(0) = 1/4; σ' → 0 at ±∞, so 1/4 is the strict global max."""
    facts = sigmoid_prime_extremes()
    derivative, identity, critical, peak, tails = (
        facts[key] for key in ("derivative", "identity_residual", "critical_points", "peak", "tails")
    )
    mismatches = []
    if identity != 0:
        mismatches.append("σ' ≠ σ(1−σ)")
    if critical != sp.FiniteSet(0):
        mismatches.append(f"critical points {critical}, not only 0")
    if tails != (0, 0):
        mismatches.append(f"σ' at ±∞ is {tails}")
    if sp.simplify(peak - stated) != 0:
        mismatches.append(f"maximum stated {stated}, derived {peak}")
    return judged(
        mismatches,
        summary=f"σ'(z) = σ(z)(1−σ(z)); its only critical point is z = 0, where σ'(0) = {peak}; σ' → 0 as z → ±∞, "
        "so 1/4 is the maximum, attained only at 0.",
        derivation=(
            ("σ'(z)", sp.latex(sp.simplify(derivative))),
            ("critical points of σ'", sp.latex(critical)),
            ("σ'(0)", sp.latex(peak)),
        ),
        details={"maximum": str(peak), "critical_points": str(critical)},
    )


GRAD_SIGMOID_MAX = SymbolicCheck(check_sigmoid_max, sp.Rational(1, 4), sp.Rational(1, 2), "σ' max 1/2 (σ(0) for σ'(0))")


def chain_derivation_step() -> tuple[str, str]:
    """The step the report typesets: ∂C/∂b₁ of the 4-neuron chain with a generic f, printed in a hash-independent order.

    order="none": the default printer orders the f′(zⱼ) factors by a hash-dependent key (PYTHONHASHSEED changed the bytes).
    """
    return ("∂C/∂b₁, 4-neuron chain, generic f", sp.latex(chain_bias_gradient(4, sp.Function("f")), order="none"))


def check_chain(stated_builder: str) -> Outcome:
    """GRAD-CHAIN: differentiate C(a_L) by b₁ and compare with the product formula, L = 1..6, for σ and a generic f."""
    mismatches = []
    for name, activation in (("sigmoid", sp.Lambda(z, sigmoid(z))), ("generic f", sp.Function("f"))):
        for depth in range(1, 7):
            formula = chain_product(depth, activation, skip_first_derivative=(stated_builder == "without f'(z1)"))
            if not is_identically_zero(chain_bias_gradient(depth, activation) - formula):
                mismatches.append(f"{name}, depth {depth}")
    return judged(
        mismatches,
        summary="∂C/∂b₁ computed by SymPy equals f'(z₁)·Π wⱼf'(zⱼ)·∂C/∂a_L exactly for depths 1-6, "
        "for the sigmoid and for an arbitrary differentiable f.",
        derivation=(chain_derivation_step(),),
        details={"depths": list(range(1, 7)), "activations": ["sigmoid", "generic f"]},
    )


GRAD_CHAIN = SymbolicCheck(check_chain, "product formula", "without f'(z1)", "product formula without the first σ'(z₁)")


def check_matrix(transpose: bool) -> Outcome:
    """GRAD-MATRIX: δ¹ = Σ'(z¹)(W²)ᵀΣ'(z²)(W³)ᵀΣ'(z³)∇_aC (eq. 124) on a [2,2,2,2] net with generic f and C."""
    direct, formula, sizes = matrix_gradients(transpose)
    mismatches = [] if all(is_identically_zero(d) for d in direct - formula) else ["eq. 124 differs from direct differentiation"]
    return judged(
        mismatches,
        summary="On a [2,2,2,2] network with a generic activation f, the gradient ∂C/∂b¹ from SymPy equals "
        "Σ'(z¹)(W²)ᵀΣ'(z²)(W³)ᵀΣ'(z³)∇_aC exactly.",
        derivation=((r"\delta^1", r"\Sigma'(z^1)(W^2)^T\Sigma'(z^2)(W^3)^T\Sigma'(z^3)\nabla_a C"),),
        details={"sizes": sizes},
    )


GRAD_MATRIX = SymbolicCheck(check_matrix, True, False, "W in place of Wᵀ")


def check_bound(stated: sp.Expr) -> Outcome:
    """GRAD-BOUND: |w| < 1 ⇒ |wσ'(z)| < 1/4; in the 4-chain ∂C/∂b₁ / ∂C/∂b₃ = σ'(z₁)w₂σ'(z₂)w₃, below 1/16 in size.

    `stated` is the claimed lower bound on the ratio |∂C/∂b₃| / |∂C/∂b₁|.
    """
    ratio, expected_shape = bias_gradient_ratio()
    bound = sigmoid_prime_extremes()["peak"] ** 2  # |σ'(z₁)|·|w₂σ'(z₂)|·|w₃| < (1/4)(1/4)(1)
    mismatches = []
    if sp.simplify(ratio - expected_shape) != 0:
        mismatches.append("ratio is not σ'(z₁)w₂σ'(z₂)w₃")
    if sp.simplify(1 / bound - stated) != 0:
        mismatches.append(f"factor stated {stated}, derived {1 / bound}")
    return judged(
        mismatches,
        summary=f"∂C/∂b₁ / ∂C/∂b₃ = σ'(z₁)·w₂σ'(z₂)·w₃; with |wⱼ| < 1 and σ' ≤ 1/4 its size is below {bound}: "
        f"∂C/∂b₁ is at least {1 / bound} times smaller. 'Usually', for w, b ~ N(0,1) and an input a ~ U[0,1): "
        f"P(|wσ'(z)| < 1/4) = {factor_statistics()['fraction_below_quarter']} and E log|wσ'(z)| = {factor_statistics()['mean_log_factor']}, "
        "a typical decay of about 10× per layer.",
        derivation=(
            ("ratio of bias gradients", sp.latex(sp.Eq(sp.Symbol(r"\frac{\partial C/\partial b_1}{\partial C/\partial b_3}"), ratio))),
            ("bound for |w| < 1", sp.latex(bound)),
        ),
        details={
            "ratio_bound": str(bound),
            "probability_abs_w_below_1": str(sp.N(sp.erf(1 / sp.sqrt(2)), 15)),
            "usually": factor_statistics(),
        },
    )


GRAD_BOUND = SymbolicCheck(check_bound, sp.Integer(16), sp.Integer(4), "4 times smaller (one factor of 1/4 only)")


def check_explode(stated: sp.Expr) -> Outcome:
    """GRAD-EXPLODE: w = 100 and bᵢ = −100·a_{i−1} make every zᵢ = 0, so each factor is 100·σ'(0) = 25."""
    factors = explode_factors(depth=4, weight=100)
    mismatches = [
        f"∂C/∂b{j + 1} / ∂C/∂b{j + 2}: derived {fct}, stated {stated}" for j, fct in enumerate(factors) if sp.simplify(fct - stated) != 0
    ]
    return judged(
        mismatches,
        summary=f"With wⱼ = 100 and bⱼ = −100·aⱼ₋₁, every zⱼ = 0 and the ratios ∂C/∂bⱼ₋₁ / ∂C/∂bⱼ are {factors}.",
        derivation=(("per-layer factor", sp.latex(sp.Eq(sp.Symbol(r"w\,\sigma'(0)"), 100 * sigmoid_prime(sp.Integer(0))))),),
        details={"factors": [str(f) for f in factors]},
    )


GRAD_EXPLODE = SymbolicCheck(check_explode, sp.Integer(25), sp.Integer(50), "100·σ(0) = 50 (σ in place of σ')")


def check_activation_product(stated: bool) -> Outcome:
    """GRAD-ACTIVATION: for any differentiable f the chain gradient is a product of wⱼf'(zⱼ): the depth-L ratio is Π of L factors."""
    derived = check_chain("product formula").verdict == "holds"
    mismatches = [] if derived == stated else [f"product structure for any activation: stated {stated}, derived {derived}"]
    return judged(
        mismatches,
        summary="The chain gradient is f'(z₁)·Π wⱼf'(zⱼ)·∂C/∂a_L for an arbitrary f (GRAD-CHAIN with generic f): "
        "a larger f' changes the factors, not the product structure, so the gradient still varies geometrically with depth "
        "unless every |wⱼf'(zⱼ)| = 1.",
        details={"product_structure_for_generic_f": derived},
    )


GRAD_ACTIVATION = SymbolicCheck(check_activation_product, True, False, "a larger f' removes the product structure")
