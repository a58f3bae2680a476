"""Judge VAR-KROHN-SATURATION and SAT-KROHN-HIST against `initcheck.theory.saturation` (certified saturated fractions, the activation density's mode)."""

from __future__ import annotations

import mpmath
import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, fact_mismatches, judged
from initcheck.theory.saturation import (
    KERAS_TRUNCATION_SD,
    WEIGHT_VARIANCES,
    activation_mode_at_half,
    saturated_fraction,
    saturation_threshold,
    truncated_normal_sd,
)


def check_krohn_saturation(stated: dict[str, bool]) -> Outcome:
    """VAR-KROHN-SATURATION: N(0,1) weights saturate most units; Glorot weights almost none (fractions certified)."""
    fractions = {init: saturated_fraction(init) for init in WEIGHT_VARIANCES}
    derived = {f"{init}_majority_saturated": float(frac) > 0.5 for init, (frac, _) in fractions.items()}
    mismatches = fact_mismatches(stated, derived)
    keras_gap = abs(truncated_normal_sd() - mpmath.mpf(KERAS_TRUNCATION_SD))
    return judged(
        mismatches,
        summary="Expected fraction of sigmoid outputs within 0.01 of 0 or 1 (|z| > ln 99): "
        + "; ".join(f"{init} {frac} ({d} digits)" for init, (frac, d) in fractions.items())
        + ". Keras' glorot_normal is a normal truncated at ±2 sd, rescaled so that Var(w) = 2/(n_in+n_out) exactly.",
        derivation=(
            ("saturation threshold", sp.latex(sp.Eq(sp.Symbol("|z|"), saturation_threshold()))),
            ("Gil-Pelaez", r"P(|z|\le t)=\frac{2}{\pi}\int_0^\infty \frac{\sin tu}{u}\,\psi(u)^{784}\,du"),
            ("N(0,1) weights", r"\psi(u)=\int_0^1 e^{-u^2x^2/2}dx=\sqrt{\pi/2}\,\mathrm{erf}(u/\sqrt2)/u"),
            ("glorot_uniform", r"\psi(u)=\mathrm{Si}(ua)/(ua),\ a=\sqrt{6/(n_{in}+n_{out})}"),
        ),
        details={
            "saturated_fraction": {init: frac for init, (frac, _) in fractions.items()},
            "certified_digits": {init: d for init, (_, d) in fractions.items()},
            "threshold_ln99": str(sp.N(saturation_threshold(), 20)),
            "keras_truncation_sd_agrees_to": int(-mpmath.log10(keras_gap)) if keras_gap else 30,
        },
    )


VAR_KROHN_SATURATION = SymbolicCheck(
    check_krohn_saturation,
    {"normal_majority_saturated": True, "glorot_normal_majority_saturated": False, "glorot_uniform_majority_saturated": False},
    {"normal_majority_saturated": True, "glorot_normal_majority_saturated": True, "glorot_uniform_majority_saturated": True},
    "Glorot weights saturate most units too (variance not scaled by fan)",
)


def check_krohn_histogram(stated: dict[str, str]) -> Outcome:
    """SAT-KROHN-HIST: the activation density has a mode at ½ ("bell") iff s² < 2, else it piles at the edges."""
    modes = {init: activation_mode_at_half(v) for init, v in WEIGHT_VARIANCES.items()}
    derived = {init: ("bell" if m["bell_at_half"] else "edges") for init, m in modes.items()}
    mismatches = [f"{init}: stated {v}, derived {derived[init]}" for init, v in stated.items() if derived[init] != v]
    return judged(
        mismatches,
        summary="log-density curvature at a = ½ is "
        + str(modes["normal"]["curvature"])
        + "; s² ≈ Var(w)·784/3 is "
        + ", ".join(f"{init} {sp.N(m['s2'], 6)}" for init, m in modes.items())
        + " against the threshold 2: "
        + ", ".join(f"{k} {v}" for k, v in derived.items())
        + ".",
        derivation=(
            ("curvature of log p(a) at ½", sp.latex(modes["normal"]["curvature"])),
            ("bell iff", sp.latex(sp.Symbol("s^2") < modes["normal"]["threshold"])),
        ),
        details={init: {"s2": str(m["s2"]), "shape": derived[init]} for init, m in modes.items()},
    )


SAT_KROHN_HIST = SymbolicCheck(
    check_krohn_histogram,
    {"normal": "edges", "glorot_normal": "bell", "glorot_uniform": "bell"},
    {"normal": "edges", "glorot_normal": "edges", "glorot_uniform": "edges"},
    "Glorot activations also at the edges",
)
