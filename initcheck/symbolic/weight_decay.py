"""SAT-L2, derived part: does L2 decay bring the old init's weights to ~1/√n "in the examples graphed"? (source 004, ch. 3, problem)

The text's heuristic as facts (theory.weight_decay): (2) if ηλ ≪ n the weights decay by e^{−ηλ/m} per epoch; (3) the decay
tails off near 1/√n; and the problem's "these conditions are all satisfied in the examples graphed" (30 epochs, η = 0.1,
λ = 5, m = 10, n = 50,000), read with n = n_in (the new init's scale) and with n = the total number of weights (the text's
words). From RMS 1, pure decay (the rate the reproduction measures) reaches 0.223 after 30 epochs.
"""

from __future__ import annotations

import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, verdict_from_mismatches
from initcheck.theory import weight_decay as wd

SMALL = sp.Rational(1, 100)  # "ηλ ≪ n": ηλ/n under 1/100


def check_weight_decay(stated: dict[str, object]) -> Outcome:
    """SAT-L2: the per-epoch factor, ηλ ≪ n, and whether 30 graphed epochs reach 1/√n under each reading of n."""
    book = wd.BOOK
    rms = wd.rms_after_graphed_epochs()
    epochs = {k: wd.epochs_to_reach(v) for k, v in wd.targets().items()}
    derived = {
        "epoch_factor_limit": wd.epoch_factor(exact=False),
        "eta_lambda_much_less_than_n": bool(book["rate"] * book["lam"] / book["train"] < SMALL),
        "graphed_epochs_reach_1_over_sqrt_n_in": float(sp.N(epochs["n_in"], 20)) <= book["epochs"],
        "graphed_epochs_reach_1_over_sqrt_total_weights": float(sp.N(epochs["total_weights"], 20)) <= book["epochs"],
    }
    mismatches = [
        f"{k}: stated {v}, derived {derived[k]}" for k, v in stated.items() if (sp.simplify(v - derived[k]) != 0 if k == "epoch_factor_limit" else v != derived[k])
    ]
    return Outcome(
        verdict=verdict_from_mismatches(mismatches),
        summary=f"Per epoch the weights shrink by (1 − ηλ/n)^(n/m) = {float(sp.N(wd.epoch_factor())):.6f} ≈ e^(−ηλ/m) = {float(sp.N(derived['epoch_factor_limit'])):.6f}; "
        f"ηλ/n = {book['rate'] * book['lam'] / book['train']} ≪ 1. After the graphed {book['epochs']} epochs pure decay leaves RMS "
        f"{float(sp.N(rms)):.3f}: 1/√784 = {float(sp.N(wd.targets()['n_in'])):.4f} needs {float(sp.N(epochs['n_in'])):.1f} epochs, "
        f"1/√{wd.weight_count()} (all weights) = {float(sp.N(wd.targets()['total_weights'])):.4f} needs {float(sp.N(epochs['total_weights'])):.1f}: "
        "neither reading of n is reached in the examples graphed.",
        mismatches=tuple(mismatches),
        derivation=(
            ("per-epoch factor", r"\left(1-\frac{\eta\lambda}{n}\right)^{n/m}\approx e^{-\eta\lambda/m}"),
            ("epochs to reach τ", r"\frac{\ln(1/\tau)}{-\ln\left(1-\eta\lambda/n\right)^{n/m}}"),
        ),
        details={
            "rms_after_graphed_epochs": float(sp.N(rms)),
            "epochs_to_reach": {k: float(sp.N(v)) for k, v in epochs.items()},
            "targets": {k: float(sp.N(v)) for k, v in wd.targets().items()},
            "weight_count": wd.weight_count(),
        },
    )


_BOOK = wd.BOOK
SAT_L2 = SymbolicCheck(
    check_weight_decay,
    {
        "epoch_factor_limit": sp.exp(-_BOOK["rate"] * _BOOK["lam"] / _BOOK["batch"]),  # the text's (2)
        "eta_lambda_much_less_than_n": True,
        "graphed_epochs_reach_1_over_sqrt_n_in": True,  # "satisfied in the examples graphed", n = n_in
        "graphed_epochs_reach_1_over_sqrt_total_weights": True,  # the same, n = all weights
    },
    {
        "epoch_factor_limit": sp.exp(-_BOOK["rate"] * _BOOK["lam"]),
        "eta_lambda_much_less_than_n": True,
        "graphed_epochs_reach_1_over_sqrt_n_in": True,
        "graphed_epochs_reach_1_over_sqrt_total_weights": True,
    },
    "decay e^(−ηλ) per epoch (the mini-batch size forgotten)",
)
