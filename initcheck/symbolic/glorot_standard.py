"""VAR-GLOROT-STANDARD, derived part: standard U[±1/√n] vs normalized init through a deep tanh net (source 003; G&B 2010, Figs. 6-7).

Written as facts about the mean-field path (theory.glorot_standard), 5 tanh layers as in Glorot & Bengio, inputs N(0, 1):
- standard init: forward and backward second moments shrink geometrically: every per-layer gain ≤ 1/3 (= n·Var(w));
- normalized init: no geometric shrinking: the per-layer gains rise toward 1 with depth (tanh's linear regime).
Recorded beside them: 'level' is only approximate under the normalized init: tanh's compression still lowers the
back-propagated variance from the top layer to the first (a condition of the verdict, with the factor).
"""

from __future__ import annotations

import itertools

import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, fact_mismatches, verdict_from_mismatches
from initcheck.theory import glorot_standard as gs

DEPTH = 5


def check_glorot_standard(stated: dict[str, bool]) -> Outcome:
    """VAR-GLOROT-STANDARD: per-layer gains of the two inits; whether the normalized init keeps the variances exactly."""
    standard, normalized = gs.mean_field("standard", DEPTH), gs.mean_field("normalized", DEPTH)
    gains = {init: gs.uniform_gain(sp.Integer(1) if init == "standard" else sp.Integer(3)) for init in ("standard", "normalized")}  # n·a²: 1 and 3
    derived = {
        "standard_shrinks_geometrically": max(standard["forward_gain"] + standard["backward_gain"]) <= float(gains["standard"]),
        "normalized_gains_rise_toward_one": all(
            b > a for seq in (normalized["forward_gain"], normalized["backward_gain"]) for a, b in itertools.pairwise(seq)
        )
        and min(normalized["backward_gain"]) > max(standard["backward_gain"]),
        "normalized_keeps_variances_exactly": max(normalized["forward_gain"] + normalized["backward_gain"]) == 1.0,
    }
    mismatches = fact_mismatches(stated, derived)
    fall = {init: path["backward"][-1] / path["backward"][0] for init, path in (("standard", standard), ("normalized", normalized))}
    conditions = (
        f"'level' under the normalized init only up to tanh's compression: from N(0, 1) inputs the back-propagated variance still falls "
        f"{fall['normalized']:.1f}x from layer {DEPTH} to layer 1 (standard: {fall['standard']:.0f}x), and the forward second moment "
        f"{normalized['forward'][0] / normalized['forward'][-1]:.1f}x",
    )
    return Outcome(
        verdict=verdict_from_mismatches(mismatches, conditions),
        summary=f"n·Var(w) = {gains['standard']} (standard) and {gains['normalized']} (normalized). Mean field through {DEPTH} tanh layers: "
        f"standard forward {', '.join(f'{v:.3g}' for v in standard['forward'])}, backward {', '.join(f'{v:.3g}' for v in standard['backward'])}; "
        f"normalized forward {', '.join(f'{v:.3g}' for v in normalized['forward'])}, backward {', '.join(f'{v:.3g}' for v in normalized['backward'])}. "
        f"Standard gains stay ≤ 1/3 (geometric shrinking, {fall['standard']:.0f}x over the net); normalized gains rise toward 1 "
        f"({', '.join(f'{v:.2f}' for v in normalized['backward_gain'])} backward), a {fall['normalized']:.1f}x fall, not exactly level.",
        mismatches=tuple(mismatches),
        conditions=conditions,
        derivation=(
            ("forward", r"q_{l+1}=g\,E[\tanh^2(\sqrt{q_l}\,\xi)]"),
            ("backward", r"r_l=g\,E[\tanh'^2(\sqrt{q_l}\,\xi)]\,r_{l+1}"),
            ("gain", r"g=n\,\mathrm{Var}(w)=\tfrac13\ \text{(standard)},\ 1\ \text{(normalized)}"),
        ),
        details={"standard": standard, "normalized": normalized, "fall_factor": fall},
    )


VAR_GLOROT_STANDARD = SymbolicCheck(
    check_glorot_standard,
    {"standard_shrinks_geometrically": True, "normalized_gains_rise_toward_one": True},
    {"standard_shrinks_geometrically": True, "normalized_gains_rise_toward_one": True, "normalized_keeps_variances_exactly": True},
    "the normalized init keeps forward and backward variances exactly (gain 1 read through tanh)",
)
