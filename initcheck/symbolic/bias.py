"""SYM-ZERO-BIAS, symbolic part: what a bias contributes to z and to saturation at initialization (sources 000, 004).

The texts' statements, written as facts about the derived values (initcheck.theory.bias):
- 000: biases are a small share of the parameters (784 → 256 layer);
- 004: Var(z) = 501 and 3/2 on the 1000-input example, so a N(0,1) bias is 1/501 and 2/3 of Var(z);
- 004: with N(0, 1/n_in) weights a N(0,1) bias does not make saturation likely, and once saturation is avoided the
  bias init makes little difference: the saturated fraction stays below AVOIDED with either bias and moves by less
  than LITTLE between b = 0 and b ~ N(0,1).
The converse (N(0,1) weights) is recorded beside it: the saturated fraction then depends on the weights, not the bias.
"""

from __future__ import annotations

import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, fact_mismatches, verdict_from_mismatches
from initcheck.theory import bias

AVOIDED = 0.01  # "saturation avoided": under 1% of the first layer's units within 0.01 of 0 or 1
LITTLE = 0.01  # "little difference": the saturated fraction moves by under one percentage point
SMALL_SHARE = 0.01  # "a small share of the parameters": under 1%
KROHN_LAYER = (784, 256)
SCALED_RULES = {"nielsen": "scaled", "krohn": "glorot_uniform"}  # the rules that avoid saturation in each text
LARGE_RULES = {"nielsen": "normal", "krohn": "normal"}


def saturated_fractions() -> dict[str, dict[str, dict[str, float]]]:
    """{text: {weight rule: {bias: fraction}}}: Nielsen's exact (erfc), Krohn's certified (10 digits)."""
    nielsen = {
        rule: {b: float(sp.N(bias.nielsen_saturated_fraction(v, bv), 15)) for b, bv in bias.BIAS_VARIANCES.items()}
        for rule, v in bias.NIELSEN_WEIGHTS.items()
    }
    krohn = {rule: {b: float(bias.krohn_saturated_fraction(rule, b)[0]) for b in bias.BIAS_VARIANCES} for rule in bias.KROHN_WEIGHTS}
    return {"nielsen": nielsen, "krohn": krohn}


def check_zero_bias(stated: dict[str, object]) -> Outcome:
    """SYM-ZERO-BIAS: bias shares of parameters and of Var(z), and the saturated fraction with b = 0 vs b ~ N(0,1)."""
    fractions = saturated_fractions()
    parameter_share = bias.bias_parameter_share(KROHN_LAYER)
    shares = bias.nielsen_shares()
    gaps = {text: {rule: abs(f["standard_normal"] - f["zero"]) for rule, f in by_rule.items()} for text, by_rule in fractions.items()}
    scaled = {text: fractions[text][rule] for text, rule in SCALED_RULES.items()}
    derived = {
        "biases_small_share_of_parameters": bool(parameter_share < SMALL_SHARE),
        "nielsen_bias_share_of_var_z_normal_weights": shares["normal"],
        "nielsen_bias_share_of_var_z_scaled_weights": shares["scaled"],
        "normal_bias_keeps_saturation_avoided": all(f["standard_normal"] < AVOIDED for f in scaled.values()),
        "bias_init_little_difference_once_avoided": all(
            max(f.values()) < AVOIDED and gaps[text][SCALED_RULES[text]] < LITTLE for text, f in scaled.items()
        ),
    }
    mismatches = fact_mismatches(stated, derived)
    large = {text: fractions[text][rule] for text, rule in LARGE_RULES.items()}
    krohn_shares = bias.krohn_shares()
    return Outcome(
        verdict=verdict_from_mismatches(mismatches),
        summary=f"Biases are {parameter_share} of the 784→256 layer's parameters, but a N(0,1) bias is {shares['scaled']} of Var(z) under "
        f"N(0, 1/n_in) weights ({shares['normal']} under N(0,1); Krohn's input: {krohn_shares['glorot_uniform']} under Glorot, "
        f"{krohn_shares['normal']} under N(0,1)). Saturated fraction of the first sigmoid layer, b = 0 → b ~ N(0,1): "
        + "; ".join(
            f"{text} {rule} weights {f['zero']:.3g} → {f['standard_normal']:.3g}" for text, by_rule in fractions.items() for rule, f in by_rule.items()
        )
        + f". Once the weights avoid saturation either bias leaves under {AVOIDED:.0%} of units saturated (a change of at most "
        f"{max(gaps[t][r] for t, r in SCALED_RULES.items()):.2g}); the converse: under N(0,1) weights {min(min(f.values()) for f in large.values()):.0%} "
        "or more saturate whatever the bias, so the bias init makes little difference to saturation there too: the weights decide it.",
        mismatches=tuple(mismatches),
        derivation=(
            ("bias share of Var(z)", r"\frac{\sigma_b^2}{n\,\mathrm{Var}(w)\,E[x^2]+\sigma_b^2}"),
            ("Nielsen, N(0,1) and N(0,1/n) weights", sp.latex(shares["normal"]) + r",\ " + sp.latex(shares["scaled"])),
            ("Krohn, N(0,1) and Glorot weights", sp.latex(krohn_shares["normal"]) + r",\ " + sp.latex(krohn_shares["glorot_uniform"])),
            ("saturated fraction, z | x normal", sp.latex(bias.normal_tail_formula()) + r",\ t=\ln 99"),
            ("Krohn, with a bias", r"P(|z|\le t)=\frac{2}{\pi}\int_0^\infty \frac{\sin tu}{u}\,\psi(u)^{784}e^{-\sigma_b^2u^2/2}\,du"),
        ),
        details={
            "bias_parameter_share": {"784-256": str(parameter_share), "784-30-10": str(bias.bias_parameter_share((784, 30, 10)))},
            "bias_share_of_var_z": {"nielsen": {k: str(v) for k, v in shares.items()}, "krohn": {k: str(v) for k, v in krohn_shares.items()}},
            "saturated_fraction": fractions,
            "saturated_fraction_change": gaps,
            "thresholds": {"avoided": AVOIDED, "little": LITTLE, "small_share": SMALL_SHARE},
            "krohn_certified_digits": {r: {b: bias.krohn_saturated_fraction(r, b)[1] for b in bias.BIAS_VARIANCES} for r in bias.KROHN_WEIGHTS},
        },
    )


SYM_ZERO_BIAS = SymbolicCheck(
    check_zero_bias,
    {
        "biases_small_share_of_parameters": True,
        "nielsen_bias_share_of_var_z_normal_weights": sp.Rational(1, 501),  # 004's printed Var(z) = 501
        "nielsen_bias_share_of_var_z_scaled_weights": sp.Rational(2, 3),  # 004's printed Var(z) = 3/2
        "normal_bias_keeps_saturation_avoided": True,
        "bias_init_little_difference_once_avoided": True,
    },
    {
        "biases_small_share_of_parameters": True,
        "nielsen_bias_share_of_var_z_normal_weights": sp.Rational(1, 1001),
        "nielsen_bias_share_of_var_z_scaled_weights": sp.Rational(1, 1001),
        "normal_bias_keeps_saturation_avoided": True,
        "bias_init_little_difference_once_avoided": True,
    },
    "a bias's share of Var(z) is its share of the unit's parameters, 1/1001",
)
