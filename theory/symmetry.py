"""Zero and constant initialization of a two-layer network (source 002, 003; Goodfellow et al. p. 301).

Network: h = f(W₁x + b₁), y = W₂h + b₂, loss Σ(y − y*)², gradient descent with rate α.
Gradients come from SymPy's differentiation with an undefined activation f, so
each statement holds for every differentiable f unless a condition on f(0), f'(0)
is derived.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from initcheck.theory.exact import is_identically_zero

f = sp.Function("f")
alpha = sp.Symbol("alpha", positive=True)
F0, F1 = sp.symbols("f(0) f'(0)", real=True)
ACTIVATION_AT_ZERO = {  # (f(0), f'(0)); relu'(0) = 0 is the TensorFlow/PyTorch convention
    "sigmoid": (sp.Rational(1, 2), sp.Rational(1, 4)),
    "tanh": (sp.Integer(0), sp.Integer(1)),
    "relu": (sp.Integer(0), sp.Integer(0)),
    "linear": (sp.Integer(0), sp.Integer(1)),
}


def _network(n_hidden: int, *, output_bias: bool = True) -> tuple[sp.Expr, dict[str, list[sp.Symbol]]]:
    """Loss of a 2-input, n_hidden, 2-output network on one sample, and its parameters by name."""
    x = sp.symbols("x1:3", real=True)
    target = sp.symbols("t1:3", real=True)
    w1 = [[sp.Symbol(f"W1_{j}{i}", real=True) for i in range(2)] for j in range(n_hidden)]
    b1 = [sp.Symbol(f"b1_{j}", real=True) for j in range(n_hidden)]
    w2 = [[sp.Symbol(f"W2_{k}{j}", real=True) for j in range(n_hidden)] for k in range(2)]
    b2 = [sp.Symbol(f"b2_{k}", real=True) for k in range(2)] if output_bias else [sp.Integer(0)] * 2
    hidden = [f(sum(w1[j][i] * x[i] for i in range(2)) + b1[j]) for j in range(n_hidden)]
    outputs = [sum(w2[k][j] * hidden[j] for j in range(n_hidden)) + b2[k] for k in range(2)]
    loss = sum((outputs[k] - target[k]) ** 2 for k in range(2))
    params = {"W1": [v for row in w1 for v in row], "b1": b1, "W2": [v for row in w2 for v in row]}
    if output_bias:
        params["b2"] = b2
    return loss, params


def _at_zero_derivatives(expr: sp.Expr) -> sp.Expr:
    """Name f(0) and f'(0) as symbols, so activations can be substituted by their values at 0."""
    expr = expr.replace(lambda e: isinstance(e, sp.Subs) and e.point == (0,), lambda e: F1)
    return expr.subs(f(0), F0)


@lru_cache(maxsize=2)
def zero_init_movement(output_bias: bool) -> dict[str, dict[str, int | None]]:
    """First GD step (1 or 2) at which each parameter group moves from all-zero init, per activation; None = never.

    Two steps decide it: if a group has not moved after two steps, the state is a fixed
    point of the update for that group (W₂ = 0 blocks the hidden layer, h = f(0) = 0 blocks W₂).
    """
    loss, params = _network(2, output_bias=output_bias)
    state = {p: sp.Integer(0) for group in params.values() for p in group}
    gradients = []
    for _ in range(2):
        grads = {p: _at_zero_derivatives(sp.diff(loss, p).subs(state)) for group in params.values() for p in group}
        gradients.append(grads)
        state = {p: sp.expand(state[p] - alpha * grads[p]) for p in state}
    result: dict[str, dict[str, int | None]] = {}
    for activation, (value, slope) in ACTIVATION_AT_ZERO.items():
        first: dict[str, int | None] = {}
        for name, group in params.items():
            first[name] = next(
                (
                    step + 1
                    for step, grads in enumerate(gradients)
                    if any(not is_identically_zero(grads[p].subs({F0: value, F1: slope})) for p in group)
                ),
                None,
            )
        result[activation] = first
    return result


def constant_init_symmetry(n_hidden: int = 3) -> dict[str, sp.Expr]:
    """One GD step from a symmetric state (identical hidden units) gives a symmetric state, for any f.

    Returns the largest difference between hidden units' gradients (must be 0) and the
    gradient ratios that map the wide net onto the one-unit net with output weight n·w₂.
    """
    loss, params = _network(n_hidden, output_bias=True)
    shared = {"v1": sp.Symbol("v1", real=True), "v2": sp.Symbol("v2", real=True), "c": sp.Symbol("c", real=True)}
    u1, u2 = sp.symbols("u1 u2", real=True)  # shared outgoing weights to outputs 1 and 2
    symmetric = {}
    for j in range(n_hidden):
        symmetric[params["W1"][2 * j]] = shared["v1"]
        symmetric[params["W1"][2 * j + 1]] = shared["v2"]
        symmetric[params["b1"][j]] = shared["c"]
        symmetric[params["W2"][j]] = u1
        symmetric[params["W2"][n_hidden + j]] = u2
    grads = {p: sp.diff(loss, p).subs(symmetric) for group in params.values() for p in group}
    differences = [grads[params["W1"][2 * j + i]] - grads[params["W1"][i]] for j in range(n_hidden) for i in range(2)]
    differences += [grads[params["b1"][j]] - grads[params["b1"][0]] for j in range(n_hidden)]
    differences += [grads[params["W2"][k * n_hidden + j]] - grads[params["W2"][k * n_hidden]] for k in range(2) for j in range(n_hidden)]
    # One-unit net with output weights U_k = n·u_k: same output; its gradients relate by these ratios.
    one_loss, one_params = _network(1, output_bias=True)
    one_state = {
        one_params["W1"][0]: shared["v1"],
        one_params["W1"][1]: shared["v2"],
        one_params["b1"][0]: shared["c"],
        one_params["W2"][0]: n_hidden * u1,
        one_params["W2"][1]: n_hidden * u2,
    }
    one_state.update({one_params["b2"][k]: params["b2"][k] for k in range(2)})
    same_output = sp.simplify(loss.subs(symmetric) - one_loss.subs(one_state))
    hidden_ratio = sp.simplify(sp.diff(one_loss, one_params["W1"][0]).subs(one_state) / grads[params["W1"][0]])
    output_ratio = sp.simplify(sp.diff(one_loss, one_params["W2"][0]).subs(one_state) / grads[params["W2"][0]])
    return {
        "unit_differences_zero": all(is_identically_zero(d) for d in differences),
        "same_output": same_output,
        "hidden_gradient_ratio": hidden_ratio,
        "output_gradient_ratio": output_ratio,
    }
