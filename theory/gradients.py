"""Gradients as products of per-layer factors (source 001, Nielsen ch. 5, eqs. 121-124).

Builds the chain network, its product formula (eq. 121-122) and the statistics of
the per-layer factor |wσ'(z)|; initcheck.symbolic.gradients compares the formulas with
SymPy's own differentiation of the network, exactly.
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import sympy as sp

z = sp.Symbol("z", real=True)


def sigmoid(x: sp.Expr) -> sp.Expr:
    """σ(x) = 1/(1 + e^(−x))."""
    return 1 / (1 + sp.exp(-x))


def sigmoid_prime(x: sp.Expr) -> sp.Expr:
    """σ'(x), differentiated (not typed as σ(1−σ))."""
    return sp.diff(sigmoid(z), z).subs(z, x)


def chain_network(depth: int, activation: sp.Function) -> tuple[sp.Expr, list[sp.Symbol], list[sp.Symbol], list[sp.Expr]]:
    """C(a_L) for the chain a_j = f(w_j·a_{j−1} + b_j), j = 1..depth, from an input a_0; returns (C(a_depth), w, b, z)."""
    w = list(sp.symbols(f"w1:{depth + 1}", real=True))
    b = list(sp.symbols(f"b1:{depth + 1}", real=True))
    activation_value, zs = sp.Symbol("a_0", real=True), []
    for j in range(depth):
        zs.append(w[j] * activation_value + b[j])
        activation_value = activation(zs[-1])
    return sp.Function("C")(activation_value), w, b, zs


def chain_product(depth: int, activation: sp.Function, skip_first_derivative: bool = False) -> sp.Expr:
    """∂C/∂b₁ = f'(z₁)·Πⱼ₌₂ᴸ wⱼ f'(zⱼ)·∂C/∂a_L (eq. 121-122), built from the chain's own z's."""
    cost, w, _, zs = chain_network(depth, activation)
    fprime = [sp.Subs(sp.Derivative(activation(z), z), z, zj).doit() for zj in zs]
    product = sp.Integer(1) if skip_first_derivative else fprime[0]
    for j in range(1, depth):
        product *= w[j] * fprime[j]
    a_last = cost.args[0]
    return product * sp.Subs(sp.Derivative(sp.Function("C")(z), z), z, a_last).doit()


@lru_cache(maxsize=1)
def sigmoid_prime_extremes() -> dict[str, sp.Expr]:
    """σ'(z), σ' − σ(1−σ) (simplified), the real zeros of σ'', σ'(0) and the limits of σ' at ±∞ (source 001, ch. 5)."""
    derivative = sigmoid_prime(z)
    return {
        "derivative": derivative,
        "identity_residual": sp.simplify(derivative - sigmoid(z) * (1 - sigmoid(z))),
        "critical_points": sp.solveset(sp.diff(derivative, z), z, domain=sp.S.Reals),
        "peak": sp.simplify(derivative.subs(z, 0)),
        "tails": (sp.limit(derivative, z, sp.oo), sp.limit(derivative, z, -sp.oo)),
    }


def chain_bias_gradient(depth: int, activation: sp.Function) -> sp.Expr:
    """∂C/∂b₁ of the chain `chain_network(depth, activation)`, differentiated by SymPy (the left side of eq. 121-122)."""
    cost, _, b, _ = chain_network(depth, activation)
    return sp.diff(cost, b[0])


def matrix_gradients(transpose: bool = True) -> tuple[sp.Matrix, sp.Matrix, list[int]]:
    """∂C/∂b¹ on a [2,2,2,2] net with generic f and C = |a − y|²/2, by SymPy, and eq. 124's product Σ'(z¹)(W²)ᵀΣ'(z²)(W³)ᵀΣ'(z³)∇_aC.

    With `transpose=False` the product uses W in place of Wᵀ. Returns (direct, formula, sizes).
    """
    f = sp.Function("f")
    sizes = [2, 2, 2, 2]
    x = sp.Matrix(sp.symbols("x1:3", real=True))
    weights = [sp.Matrix(sizes[l + 1], sizes[l], lambda i, j, l=l: sp.Symbol(f"W{l + 1}_{i}{j}", real=True)) for l in range(3)]
    biases = [sp.Matrix(sp.symbols(f"b{l + 1}_0:{sizes[l + 1]}", real=True)) for l in range(3)]
    a, zs = x, []
    for weight, bias in zip(weights, biases, strict=True):
        zs.append(weight * a + bias)
        a = zs[-1].applyfunc(f)
    targets = sp.Matrix(sp.symbols("y1:3", real=True))
    cost = sum((a[i] - targets[i]) ** 2 for i in range(2)) / 2
    direct = sp.Matrix([sp.diff(cost, biases[0][i]) for i in range(2)])

    def sigma_prime(zl: sp.Matrix) -> sp.Matrix:
        return sp.diag(*[sp.Subs(sp.Derivative(f(z), z), z, zl[i]).doit() for i in range(zl.rows)])

    grad_a = a - targets
    product = sigma_prime(zs[0])
    for l in (1, 2):
        product = product * (weights[l].T if transpose else weights[l]) * sigma_prime(zs[l])
    return direct, product * grad_a, sizes


def bias_gradient_ratio() -> tuple[sp.Expr, sp.Expr]:
    """∂C/∂b₁ / ∂C/∂b₃ in the 4-neuron sigmoid chain, simplified, and σ'(z₁)·w₂σ'(z₂)·w₃ built from the chain's z's (001, after eq. 122)."""
    cost, _, b, zs = chain_network(4, sp.Lambda(z, sigmoid(z)))
    ratio = sp.simplify(sp.diff(cost, b[0]) / sp.diff(cost, b[2]))
    w2, w3 = sp.symbols("w2 w3", real=True)
    return ratio, sp.simplify(sigmoid_prime(zs[0]) * w2 * sigmoid_prime(zs[1]) * w3)


def explode_factors(depth: int = 4, weight: int = 100) -> list[sp.Expr]:
    """∂C/∂b_{j−1} / ∂C/∂b_j, j = 2..depth, with every w = `weight` and b_j = −weight·a_{j−1}, so that every z_j = 0 (001, ch. 5)."""
    cost, w, b, _ = chain_network(depth, sp.Lambda(z, sigmoid(z)))
    a0 = sp.Symbol("a_0", real=True)
    values: dict[sp.Symbol, sp.Expr] = {w[j]: weight for j in range(depth)}
    activation_value = a0
    for j in range(depth):
        values[b[j]] = -weight * activation_value
        activation_value = sigmoid(sp.Integer(0))
    return [sp.simplify((sp.diff(cost, b[j - 1]) / sp.diff(cost, b[j])).subs(values)) for j in range(1, depth)]


@lru_cache(maxsize=2)
def factor_statistics(digits: int = 10) -> dict[str, str]:
    """For w, b ~ N(0,1) and an input a ~ U[0,1): P(|wσ'(wa+b)| < 1/4) and E log|wσ'(wa+b)| (GRAD-BOUND's "usually").

    P(|w|σ'(z) ≥ 1/4) = 2∫₁^∞ φ(w)∫₀¹ [Φ(x* − wa) − Φ(−x* − wa)] da dw, where σ'(x) ≥ 1/(4|w|) ⇔ |x| ≤ x*(|w|)
    = 2·artanh(√(1 − 1/|w|)) (the GRAD-INTERVAL endpoints at threshold 1/(4|w|)); |w| < 1 never reaches 1/4.
    E log|wσ'(z)| = E log|w| + E log σ'(z) by linearity; z | a ~ N(0, 1 + a²) and log σ'(z) = −|z| − 2 log(1 + e^−|z|).
    E log|w| = −(γ + ln 2)/2 is integrated by SymPy; the rest by mpmath quadrature at two precisions.
    """
    w = sp.Symbol("w", positive=True)
    log_abs_w = sp.simplify(2 * sp.integrate(sp.log(w) * sp.exp(-(w**2) / 2) / sp.sqrt(2 * sp.pi), (w, 0, sp.oo)))
    values = []
    for dps in (digits + 5, digits + 12):
        with mpmath.workdps(dps):

            def antiderivative(u: mpmath.mpf) -> mpmath.mpf:  # G' = Φ, so ∫₀¹ Φ(c − wa) da = (G(c) − G(c − w))/w
                return u * mpmath.ncdf(u) + mpmath.npdf(u)

            def reach(weight: mpmath.mpf) -> mpmath.mpf:
                edge = 2 * mpmath.atanh(mpmath.sqrt(1 - 1 / weight))
                inside = antiderivative(edge) - antiderivative(edge - weight) - antiderivative(-edge) + antiderivative(-edge - weight)
                return inside / weight

            above = 2 * mpmath.quad(lambda weight: mpmath.npdf(weight) * reach(weight), [1, 2, 4, mpmath.inf])

            def log_sigma_prime_mean(a: mpmath.mpf) -> mpmath.mpf:
                sd = mpmath.sqrt(1 + a**2)
                tail = mpmath.quad(lambda t: mpmath.log1p(mpmath.exp(-t)) * mpmath.npdf(t, 0, sd), [0, mpmath.inf])
                return -sd * mpmath.sqrt(2 / mpmath.pi) - 4 * tail  # E|z| = sd·√(2/π); the log term is even in z

            mean_log = mpmath.mpf(sp.N(log_abs_w, dps + 5)) + mpmath.quad(log_sigma_prime_mean, [0, 1])
            values.append((1 - above, mean_log))
    (p_low, m_low), (p_high, m_high) = values
    with mpmath.workdps(digits + 12):
        agree = min(
            int(-mpmath.log10(abs(p_low - p_high) + mpmath.mpf(10) ** -(digits + 10))),
            int(-mpmath.log10(abs(m_low - m_high) + mpmath.mpf(10) ** -(digits + 10))),
        )
        shown = min(agree, digits)
        return {
            "fraction_below_quarter": mpmath.nstr(p_high, shown),
            "mean_log_factor": mpmath.nstr(m_high, shown),
            "mean_log_abs_w": str(log_abs_w),
            "certified_digits": str(shown),
        }
