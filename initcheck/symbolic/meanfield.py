"""Judge VAR-DEPTH against `initcheck.theory.meanfield`: the per-layer gain of each activation × initializer, compounded over depth."""

from __future__ import annotations

import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, judged
from initcheck.theory.meanfield import depth_gains


def check_depth(stated: dict[tuple[str, str], sp.Expr]) -> Outcome:
    """VAR-DEPTH: E[x²] after L layers is gain^L·E[x²]; unit gain for Glorot·tanh (near 0) and He·ReLU, ½ for Glorot·ReLU."""
    gains = depth_gains()
    depth = sp.Symbol("L", positive=True, integer=True)
    mismatches = [
        f"{act} with {init}: stated gain {g}, derived {gains[act, init]}"
        for (act, init), g in stated.items()
        if sp.simplify(gains[act, init] - g) != 0
    ]
    return judged(
        mismatches,
        summary="Per-layer gain: "
        + ", ".join(f"{act}/{init} {g}" for (act, init), g in gains.items())
        + "; after L layers the second moment is gain^L times the input's: geometric unless gain = 1.",
        derivation=tuple(
            (f"{act}, {init}", sp.latex(g) + r"\quad\Rightarrow\quad " + sp.latex(g**depth)) for (act, init), g in gains.items()
        ),
        details={
            "gains": {f"{act}/{init}": str(g) for (act, init), g in gains.items()},
            "hypotheses": ["tanh gain is the small-variance limit (tanh'(0)² = 1); at larger variance tanh contracts"],
        },
    )


VAR_DEPTH = SymbolicCheck(
    check_depth,
    {("tanh", "glorot"): sp.Integer(1), ("relu", "he"): sp.Integer(1), ("relu", "glorot"): sp.Rational(1, 2)},
    {("tanh", "glorot"): sp.Integer(1), ("relu", "he"): sp.Integer(1), ("relu", "glorot"): sp.Integer(1)},
    "no ReLU halving: Glorot with ReLU keeps gain 1",
)
