"""SAT-NIELSEN-FRACTION and SAT-LATER-LAYERS, symbolic part: how often a sigmoid hidden unit saturates (source 004, ch. 3).

The text's statements, written as facts about the derived values (initcheck.theory.hidden_saturation):
- SAT-NIELSEN-FRACTION: with N(0,1) weights z ~ N(0, 501), '|z| ≫ 1' is common and the unit saturates (more often than
  not: MAJORITY); with N(0, 1/n_in) weights, z ~ N(0, 3/2), saturation is 'much less likely' (under MUCH_LESS times as
  likely). Saturated: σ(z) within 0.01 of 0 or 1, |z| > ln 99. Fractions with and without the N(0,1) bias are recorded.
- SAT-LATER-LAYERS: a layer-2 unit with N(0,1) weights and bias, fed by n₁ saturated layer-1 units, has
  Var(z₂ | a) = Σaⱼ² + 1 ≈ n₁·E[a²] + 1; whether it saturates more often than not depends on n₁.
"""

from __future__ import annotations

import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, fact_mismatches, verdict_from_mismatches
from initcheck.theory import hidden_saturation as hs

MAJORITY = 0.5  # "the neuron saturates": more often than not
MUCH_LESS = 0.01  # "much less likely": under 1/100 of the old init's probability
WIDTHS = (30, 100, 1000)  # Nielsen's hidden width, and wider layers like the 1000-input example's


def _fraction(weight_rule: str, bias_name: str) -> float:
    return float(sp.N(hs.first_layer_saturated_fraction(weight_rule, bias_name), 15))


def check_nielsen_fraction(stated: dict[str, object]) -> Outcome:
    """SAT-NIELSEN-FRACTION: Var(z) of the text's two inits, P(|z| > 1), and the saturated fractions, old vs new."""
    variances = {rule: hs.first_layer_variance(rule, "standard_normal") for rule in hs.WEIGHT_VARIANCES}
    fractions = {rule: {b: _fraction(rule, b) for b in hs.BIAS_VARIANCES} for rule in hs.WEIGHT_VARIANCES}
    large = {rule: float(sp.N(hs.first_layer_large_probability(rule, "standard_normal"), 15)) for rule in hs.WEIGHT_VARIANCES}
    ratio = {b: fractions["scaled"][b] / fractions["normal"][b] for b in hs.BIAS_VARIANCES}
    derived = {
        "variance_old": variances["normal"],
        "variance_new": variances["scaled"],
        "large_z_common_old": large["normal"] > MAJORITY,
        "old_init_saturates": fractions["normal"]["standard_normal"] > MAJORITY,
        "new_init_much_less_likely": ratio["standard_normal"] < MUCH_LESS,
    }
    mismatches = [
        f"{k}: stated {v}, derived {derived[k]}"
        for k, v in stated.items()
        if (sp.simplify(sp.sympify(v) - derived[k]) != 0 if k.startswith("variance") else v != derived[k])
    ]
    return Outcome(
        verdict=verdict_from_mismatches(mismatches),
        summary=f"Saturated fraction (σ(z) within 0.01 of 0 or 1) of the hidden unit, exact: N(0,1) weights "
        f"{fractions['normal']['standard_normal']:.4f} with the N(0,1) bias (Var z = {variances['normal']}), "
        f"{fractions['normal']['zero']:.4f} without (Var z = 500); N(0, 1/n_in) weights {fractions['scaled']['standard_normal']:.3g} "
        f"with the bias (Var z = {variances['scaled']}), {fractions['scaled']['zero']:.3g} without (Var z = 1/2). "
        f"P(|z| > 1) = {large['normal']:.3f} (old) vs {large['scaled']:.3f} (new). The new init saturates "
        f"{1 / ratio['standard_normal']:.0f} times less often with the bias and {1 / ratio['zero']:.2g} times less often without it: "
        "the N(0,1) bias dominates the new init's residual saturation.",
        mismatches=tuple(mismatches),
        derivation=(
            ("Var(z | x)", r"500\,\mathrm{Var}(w)+\sigma_b^2"),
            ("saturated fraction", r"P(|z|>\ln 99)=\operatorname{erfc}\!\left(\frac{\ln 99}{\sqrt{2\,\mathrm{Var}(z)}}\right)"),
        ),
        details={
            "variance": {k: str(v) for k, v in variances.items()},
            "saturated_fraction": fractions,
            "probability_abs_z_above_1": large,
            "new_over_old": ratio,
            "thresholds": {"majority": MAJORITY, "much_less": MUCH_LESS},
        },
    )


SAT_NIELSEN_FRACTION = SymbolicCheck(
    check_nielsen_fraction,
    {
        "variance_old": 501,  # the text: sd √501 ≈ 22.4
        "variance_new": sp.Rational(3, 2),  # the text: sd √(3/2) ≈ 1.22
        "large_z_common_old": True,
        "old_init_saturates": True,
        "new_init_much_less_likely": True,
    },
    {"variance_old": 1001, "variance_new": 2, "large_z_common_old": True, "old_init_saturates": True, "new_init_much_less_likely": True},
    "Var(z) counting all 1000 inputs (n_in·Var(w) + 1), not the 500 that are 1",
)


def check_later_layers(stated: dict[int, bool]) -> Outcome:
    """SAT-LATER-LAYERS: does a layer-2 unit (N(0,1) weights) saturate more often than not, per width n₁ of layer 1?"""
    moments = hs.first_layer_activation_summary("normal")
    fractions = {n: hs.second_layer_mean_field_fraction(n) for n in WIDTHS}
    threshold = hs.mean_field_majority_width()
    derived = {n: f > MAJORITY for n, f in fractions.items()}
    mismatches = fact_mismatches({n: v for n, v in stated.items()}, derived)
    conditions = (
        f"the later layer is wide: n₁ ≥ {threshold} inputs for a majority of its units to saturate (mean field; at n₁ = 30, Nielsen's hidden width, {fractions[30]:.0%} do)",
    )
    return Outcome(
        verdict=verdict_from_mismatches(mismatches, conditions),
        summary=f"Layer-1 activations under N(0,1) weights on the 1000-input example: E[a²] = {moments['square']:.4f}, mean distance to the "
        f"nearer edge {moments['edge']:.4f}, {moments['saturated']:.1%} saturated. A layer-2 unit with N(0,1) weights then has "
        f"Var(z₂) ≈ n₁·{moments['square']:.3f} + 1: saturated fraction (mean field) "
        + ", ".join(f"{f:.3f} at n₁ = {n}" for n, f in fractions.items())
        + f". 'Very close to 0 or 1' (a majority within 0.01) needs n₁ ≥ {threshold}: true for wide layers like the example's, "
        "not for the 30-unit hidden layers of the text's own networks.",
        mismatches=tuple(mismatches),
        conditions=conditions,
        derivation=(
            ("Var(z₂ | a)", r"\sum_j a_j^2+\sigma_b^2\approx n_1E[\sigma(z_1)^2]+1"),
            ("saturated fraction", r"2\Phi\!\left(-\ln 99/\sqrt{q_2}\right)"),
        ),
        details={"first_layer": moments, "mean_field_fraction": fractions, "majority_width": threshold},
    )


SAT_LATER_LAYERS = SymbolicCheck(
    check_later_layers,
    {1000: True},  # the text's argument, for layers as wide as its 1000-input example
    {1000: True, 30: True},
    "every later layer saturates whatever its width (the first layer's Var(z) carried over)",
)
