"""GRAD-DEPTH-ACC, derived part: the published accuracies judged with the binomial noise of 10,000 validation images (source 001, ch. 5).

The text's words as facts: after the third hidden layer the accuracy "drops again, to 96.53%; statistically this drop is
probably insignificant" (from 96.57, and from the 96.90 peak: both tested), at the 5% level. Beside them, its
"encouraging – a small increase in depth helps" (96.48 → 96.90), tested the same way: the gain is within the noise too, so
"helps" is a hint from single runs, not evidence (a condition of the verdict). The seed-to-seed spread (the text: "the
numbers vary between runs") adds to the binomial noise; the reproduction with seeds is initcheck.reproductions.depth_accuracy.
"""

from __future__ import annotations

from initcheck.outcome import Outcome, SymbolicCheck, fact_mismatches, verdict_from_mismatches
from initcheck.theory import depth_accuracy

LEVEL = 0.05  # "statistically significant": two-sided p < 0.05


def check_depth_accuracy(stated: dict[str, bool]) -> Outcome:
    """GRAD-DEPTH-ACC: which published differences exceed the binomial noise (unpaired z, two-sided, 5%)."""
    one_se = "one_se_only" in stated
    results = depth_accuracy.comparisons(one_se_only=one_se)
    derived = {f"{name}_significant": r["p"] < LEVEL for name, r in results.items()}
    facts = {k: v for k, v in stated.items() if k != "one_se_only"}
    mismatches = fact_mismatches(facts, derived)
    gain = results["gain_1_to_2"]
    conditions = (f"'depth helps' (96.48 → 96.90) as a hint only: that gain is within the binomial noise too (z = {gain['z']:.2f}, p = {gain['p']:.2f})",)
    return Outcome(
        verdict=verdict_from_mismatches(mismatches, conditions),
        summary="Binomial SE of one accuracy near 96.5% on 10,000 images: "
        f"{float(depth_accuracy.standard_error(depth_accuracy.PUBLISHED[1])):.3f} points; of a difference of two: ≈ 0.26. "
        + "; ".join(f"{name.replace('_', ' ')}: {r['difference_points']:+.2f} points, z = {r['z']:.2f}, p = {r['p']:.2f}" for name, r in results.items())
        + ". The last drop is insignificant, as the text says; so is every other difference, including the 'encouraging' gain.",
        mismatches=tuple(mismatches),
        conditions=conditions,
        derivation=(("SE of a difference", r"\sqrt{\frac{p_1(1-p_1)+p_2(1-p_2)}{n}},\ n=10\,000"),),
        details={"comparisons": results, "level": LEVEL, "images": depth_accuracy.VALIDATION_IMAGES},
    )


GRAD_DEPTH_ACC = SymbolicCheck(
    check_depth_accuracy,
    {"drop_3_to_4_significant": False, "drop_2_to_4_significant": False},
    {"drop_3_to_4_significant": False, "drop_2_to_4_significant": False, "one_se_only": True},
    "the difference divided by one accuracy's SE, not the difference's (96.90 → 96.53 then reads as significant)",
)
