"""REG-DROPOUT-DIST and REG-DROPOUT-ENSEMBLE, symbolic part (source 003, "Dropout").

- REG-DROPOUT-DIST: the text says the factor 1/(1 − p) makes a unit's distribution at prediction time match its
  distribution during training, arguing from the variance. Derived (theory.dropout): the means match; the variance does
  not, Var_train − Var_predict = p·E[x²]/(1 − p) > 0 (the factor overshoots: without it the variance is lower, with it
  higher); the variance would need 1/√(1 − p), which breaks the mean when E[x] ≠ 0; and u has an atom p at 0 that x has not.
- REG-DROPOUT-ENSEMBLE: the scaled network equals the exact average of the 2ⁿ masked subnetworks when its output is linear
  in the masked units (one linear layer; deep linear nets, independent masks); through a nonlinearity it does not
  (counterexample: one ReLU unit).
"""

from __future__ import annotations

import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, fact_mismatches, verdict_from_mismatches
from initcheck.theory import dropout

x = sp.symbols("x1:4", real=True)
w = sp.symbols("w1:4", real=True)
v = sp.symbols("v1:3", real=True)
W = sp.symbols("W1:7", real=True)


def _linear(m):  # one linear unit after dropout on 3 inputs
    return sum(wi * mi * xi for wi, mi, xi in zip(w, m, x, strict=True))


def _deep_linear(m):  # dropout on 3 inputs and on 2 linear hidden units
    return sum(v[j] * m[3 + j] * sum(W[3 * j + i] * m[i] * x[i] for i in range(3)) for j in range(2))


def _relu_unit(m):  # counterexample: inputs (1, 1), weights (1, 1), bias −1, one ReLU unit
    return sp.Max(0, m[0] + m[1] - 1)


def _sigmoid_unit(m):  # one sigmoid unit on 2 inputs x1, x2 with weights w1, w2
    return 1 / (1 + sp.exp(-(w[0] * m[0] * x[0] + w[1] * m[1] * x[1])))


def check_dropout_distribution(stated: dict[str, sp.Expr]) -> Outcome:
    """REG-DROPOUT-DIST: training/prediction mean ratio, variance difference, the variance-matching scale, the atom at 0."""
    moments = dropout.unit_moments()
    derived = {
        "mean_difference": sp.simplify(moments["train_mean"] - moments["predict_mean"]),
        "variance_difference": sp.simplify(moments["train_variance"] - moments["predict_variance"]),
    }
    mismatches = [f"{k}: stated {val}, derived {derived[k]}" for k, val in stated.items() if sp.simplify(derived[k] - val) != 0]
    matching = dropout.variance_matching_scale()
    unscaled = dropout.unit_moments(sp.Integer(1))
    return Outcome(
        verdict=verdict_from_mismatches(mismatches),
        summary=f"With the factor 1/(1 − p), E[u] − E[x] = {derived['mean_difference']} but Var(u) − Var(x) = {sp.factor(derived['variance_difference'])} "
        f"(μ = E[x], s = E[x²]): the training-time variance exceeds the prediction-time one by p·E[x²]/(1 − p) "
        f"(without the factor it falls short: Var = {sp.factor(unscaled['train_variance'])}). Matching the variance of a zero-mean unit needs "
        f"c = {matching[0]}, which then scales the mean by √(1 − p); and u has an atom of mass {dropout.zero_mass()} at 0. "
        "The factor matches the mean, not the distribution; the text's own variance argument refutes its conclusion.",
        mismatches=tuple(mismatches),
        derivation=(*((k.replace("_", " "), sp.latex(val)) for k, val in moments.items()), ("variance-matching scale", sp.latex(matching[0]))),
        details={**{k: str(val) for k, val in derived.items()}, "variance_matching_scale": str(matching[0]), "atom_at_zero": str(dropout.zero_mass())},
    )


REG_DROPOUT_DIST = SymbolicCheck(
    check_dropout_distribution,
    {"mean_difference": sp.Integer(0), "variance_difference": sp.Integer(0)},  # "the distribution matches": mean and variance
    {"mean_difference": sp.Integer(0), "variance_difference": -dropout.p * dropout.s},  # the unscaled shortfall, carried over
    "the scaled unit's variance still falls short by p·E[x²] (the unscaled argument carried over)",
)


def check_dropout_ensemble(stated: dict[str, object]) -> Outcome:
    """REG-DROPOUT-ENSEMBLE: 2ⁿ subnetworks; exact average for nets linear in the masked units; not through a ReLU or sigmoid."""
    half = sp.Rational(1, 2)
    gaps = {
        "linear_layer": dropout.ensemble_gap(_linear, 3),
        "deep_linear": dropout.ensemble_gap(_deep_linear, 5),
        "relu_unit": dropout.ensemble_gap(_relu_unit, 2, half),
        "sigmoid_unit": dropout.ensemble_gap(_sigmoid_unit, 2, half),
    }
    sigmoid_at_point = sp.nsimplify(gaps["sigmoid_unit"].subs({x[0]: 1, x[1]: 1, w[0]: 1, w[1]: 1}))
    derived = {
        "subnetworks_of_n_units": sp.Integer(2) ** sp.Symbol("n", positive=True, integer=True),
        "exact_for_a_linear_layer": gaps["linear_layer"] == 0,
        "exact_for_deep_linear_nets": gaps["deep_linear"] == 0,
        "exact_through_relu": gaps["relu_unit"] == 0,
        "exact_through_sigmoid": sp.N(sigmoid_at_point, 20) == 0,
    }
    mismatches = fact_mismatches(stated, derived)
    conditions = ("the output is linear in the dropped units (one linear layer after dropout, or a deep linear net with independent masks)",)
    return Outcome(
        verdict=verdict_from_mismatches(mismatches, conditions),
        summary="The exact average over all 2ⁿ masks (SymPy, each mask weighted by its probability) equals the unmasked network for one "
        f"linear layer (gap {gaps['linear_layer']}) and a two-layer linear net with dropout at both layers (gap {gaps['deep_linear']}). "
        f"Through a nonlinearity it does not: one ReLU unit, inputs (1, 1), weights (1, 1), bias −1, p = 1/2: ensemble mean 5/4, "
        f"network 1 (gap {gaps['relu_unit']}); one sigmoid unit at x = w = (1, 1), p = 1/2: gap {sp.N(sigmoid_at_point, 6)}. "
        "'Exponentially many' holds (2ⁿ); 'whose average the scaled net computes' holds only for nets linear in the dropped units "
        "(otherwise an approximation).",
        mismatches=tuple(mismatches),
        conditions=conditions,
        derivation=tuple((k.replace("_", " ") + ": ensemble − network", sp.latex(g)) for k, g in gaps.items()),
        details={k: str(g) for k, g in gaps.items()} | {"sigmoid_gap_at_x_w_1": str(sp.N(sigmoid_at_point, 15))},
    )


REG_DROPOUT_ENSEMBLE = SymbolicCheck(
    check_dropout_ensemble,
    {"subnetworks_of_n_units": sp.Integer(2) ** sp.Symbol("n", positive=True, integer=True), "exact_for_a_linear_layer": True, "exact_for_deep_linear_nets": True},
    {"subnetworks_of_n_units": sp.Integer(2) ** sp.Symbol("n", positive=True, integer=True), "exact_for_a_linear_layer": True, "exact_through_relu": True},
    "the scaled network computes the ensemble mean through nonlinearities too",
)
