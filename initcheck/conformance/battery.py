"""The conformance battery: every statistic on three probe shapes, judged at a false-failure rate ≤ 1e-6 per initializer.

Design (the numbers are recomputed and recorded with each result):
- Probes, in the layout's own axes: A = dense (in 64, out 256), B = dense (in 256, out 64) — A and
  B are non-square both ways, so a fan_in/fan_out swap changes their variance ratio by 16 — and
  C = conv 3×3 (in 16, out 48), where a receptive field left out of the fans shows.
- Replicates: whole tensors, each drawn with its own generator; every SE is taken across them.
- Statistical tests (K of them) share the budget: each runs at α = 1e-6/K (Bonferroni), so the
  battery's false-failure rate is ≤ 1e-6. Moment tests compare a t statistic (SE from R replicates,
  R − 1 degrees of freedom) with the Student-t critical value at α: a normal critical value would
  understate the tail of a t with ~100 degrees of freedom tenfold at these rates.
- Orthogonal rules: QQᵀ = g²·I exactly (to rounding), and Haar distribution through the diagonal sum Σᵢ Qᵢᵢ, whose
  mean is 0 by the sign invariance of Haar measure (theory.conformance.diagonal_sum), and the sign of Q₀₀, positive
  with probability 1/2 (theory.conformance.first_entry_sign; an exact two-sided binomial test). QR without the sign
  correction (tensorflow#9429, chainer#5615) shifts the sum by about 6 sd per matrix at the probe shapes and makes Q₀₀
  negative; a canonical overall sign (Q → −Q when Q₀₀ > 0, cr-sparse#28) leaves the sum nearly Haar and only the sign
  test catches it.
- Goodness of fit (i.i.d. families): every value of A, B and C goes through its own probe's law, U = F(w/sd) (in
  16-bit dtypes the rounded law's, U = F(w⁻) + V·P(w) with V uniform from a fixed stream: the randomized transform,
  uniform for a discrete law too), and the pooled U are judged against U(0, 1) by the KS distance (kstwobign) and by
  the Anderson–Darling A² (its limit law's tail from theory.anderson_darling.anderson_darling_tail), which weights the
  tails by 1/(F(1 − F)). A law with the normal's first five moments (foils.mixture_components) passes every moment
  test and fails both.
- Exact tests (bound, non-finite values, identical rows, seed behaviour, orthogonality) cannot fail
  for a sampler that follows the rule: their false-failure rate is 0 (rounding tolerances stated).
- Power: each moment test records its minimum detectable effect (t_crit + 3.09)·SE, detected with
  probability ≥ 0.999; the replicate count is chosen so the second moment detects a 1% variance error.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from initcheck.conformance import rounding
from initcheck.conformance.judging import (
    binomial_two_sided,
    critical_t,
    exact,
    fit_tests,
    levels_occupied,
    moment,
    poisson_detectable,
    poisson_upper,
)
from initcheck.conformance.layouts import Fans, fans, orthogonal_matrices, shape_for, units_by_fan
from initcheck.conformance.rules import Law, law
from initcheck.sims import conformance as sims
from initcheck.sims.stats import Z_POWER

BATTERY_FALSE_FAILURE = 1e-6
# K, the statistical tests sharing that budget: mean ×4, second moment ×4 (probes A, B, C and D, the small fans),
# kurtosis ×3 (A, B, C), fan axis, tail count, duplicates (A, B and C together);
# + KS and Anderson–Darling (A, B and C pooled), row-mean dispersion ×3, and D's kurtosis, KS and A² for i.i.d.
# families (22); the Haar diagonal sum ×3 and the sign of Q₀₀ ×3 for orthogonal ones, which have no probe D, no fit
# tests and no dispersion (17).
# An upper bound: a bounded law's tail count (every orthogonal rule's) becomes the exact bound test, and low-precision
# dtypes judge the levels occupied in place of duplicates; a smaller K would only loosen α.
STATISTICAL_TESTS = 22
TAIL_THRESHOLD_SD = 5.0  # tail exceedances counted beyond 5 sd for unbounded laws (P = 5.7e-7 per value under N(0,1))
DUPLICATE_RESOLUTION = 2.0**-20  # a float32/64 sampler is assumed to draw from ≥ 2^20 equally likely levels (JAX, torch use 2^23–2^24)
EPS = {"float16": 2.0**-10, "bfloat16": 2.0**-7, "float32": 2.0**-23, "float64": 2.0**-52}
EXACT_IN_FLOAT32 = ("float32", "float16", "bfloat16")  # dtypes whose every value is a float32 value (sorted as float32)
# In float16 and bfloat16 a rule is judged against the law round-to-nearest of the exact law makes (rounding.rounded_law:
# its mean, mean square, kurtosis, CDF over every level and its largest level): what a dtype may do to a correct draw.
# No bias from rounding down, no loss of the bound. Beyond it only the scale's own arithmetic in float32 is allowed.
SCALE_ALLOWANCE = 8 * EPS["float32"]


FIT_PROBE = "A, B, C pooled"  # the fit tests' probe: every value of A, B and C, each through its own probe's law
PIT_SEED = 20261206  # the jitter within each 16-bit level (randomized PIT): a fixed stream, independent of every draw
PIT_SEED_D = PIT_SEED + 1  # probe D's own jitter stream (its fit tests are separate from A, B and C's)


def judged_rounded(dtype: str, family: str) -> bool:
    """Whether the battery judges the rounded law (16-bit dtypes, every family with a CDF) rather than the exact one."""
    return dtype in rounding.LOW_PRECISION and family != "orthogonal"


def sorts_values(dtype: str, family: str) -> bool:
    """Whether the battery sorts each tensor's values: for the duplicate count (float32, float64) or the continuous fit
    (every family but orthogonal, where the law is not judged rounded); a 16-bit fit counts levels instead."""
    return dtype in ("float32", "float64") or (family != "orthogonal" and not judged_rounded(dtype, family))


# variance_effect: the relative variance error the second moment must catch at power 0.999 (quick: for tests of gross bugs)
TIERS: dict[str, dict[str, Any]] = {
    "quick": {"inputs": 32, "outputs": 128, "min_replicates": 64, "variance_effect": 0.03, "low_precision_variance_effect": 0.03},
    "default": {"inputs": 64, "outputs": 256, "min_replicates": 128, "variance_effect": 0.01, "low_precision_variance_effect": 0.005},
}
# low_precision_variance_effect: in float16/bfloat16, where rounding effects are 0.1-0.5% of the variance and a few
# thousandths of an sd in the mean, the default tier detects a 0.5% variance error (and so a ~0.003 sd mean shift) at
# power 0.999: 4× the replicates. The quick tier keeps its 3% (its records say what it detects).

Sampler = Callable[[np.random.Generator, tuple[int, ...], str], np.ndarray]


class SamplerError(ValueError):
    """The sampler raised, or returned the wrong shape or dtype."""


@dataclass(frozen=True)
class Probe:
    label: str
    shape: tuple[int, ...]
    fans: Fans


def probes(layout: str, tier: str = "default", shapes: tuple[tuple[int, ...], ...] | None = None) -> list[Probe]:
    """A, B, C as in the module docstring; `shapes` replaces them for a layer that cannot take them (an LSTM's weights have
    4·hidden rows, an attention projection is square): A and B must still differ in their fans for the fan-axis test."""
    if shapes is not None:
        if len(shapes) != 3:
            raise ValueError(f"a battery needs 3 probe shapes (A, B, C), got {len(shapes)}")
        return [Probe(f"{label} {shape} (fan_in {fans(shape, layout).fan_in}, fan_out {fans(shape, layout).fan_out})", shape, fans(shape, layout)) for label, shape in zip("ABC", shapes, strict=True)]
    size = TIERS[tier]
    dense_a = shape_for(layout, inputs=size["inputs"], outputs=size["outputs"])
    dense_b = shape_for(layout, inputs=size["outputs"], outputs=size["inputs"])
    conv = shape_for(layout, inputs=size["inputs"] // 4, outputs=3 * size["inputs"] // 4, kernel=(3, 3))
    return [
        Probe(f"A {dense_a} (fan_in {fans(dense_a, layout).fan_in}, fan_out {fans(dense_a, layout).fan_out})", dense_a, fans(dense_a, layout)),
        Probe(f"B {dense_b} (fan_in {fans(dense_b, layout).fan_in}, fan_out {fans(dense_b, layout).fan_out})", dense_b, fans(dense_b, layout)),
        Probe(f"C {conv} (fan_in {fans(conv, layout).fan_in}, fan_out {fans(conv, layout).fan_out})", conv, fans(conv, layout)),
    ]


def replicates_for(kurtosis: float, probe_size: int, alpha: float, minimum: int, effect: float) -> int:
    """R so that (t_crit + z_power)·√((κ − 1)/(R·n)) ≤ effect: that relative variance error is detected at power 0.999."""
    replicates = minimum
    while (critical_t(alpha, replicates) + Z_POWER) * math.sqrt((kurtosis - 1) / (replicates * probe_size)) > effect:
        replicates *= 2
    return replicates


def _checked_draw(
    sampler: Sampler, shape: tuple[int, ...], dtype: str, clock: list[float] | None = None, patterns: list[np.ndarray] | None = None
) -> Callable[[np.random.Generator], np.ndarray]:
    """The sampler with its output checked (shape, dtype) and, when a clock is given, the time inside it added to clock[0];
    with `patterns`, a 16-bit draw's bit patterns are appended to it (a copy: a sampler may reuse its buffer), for the
    level count, which then needs no conversion back from the float64 stack."""

    def draw(rng: np.random.Generator) -> np.ndarray:
        started = time.perf_counter()
        try:
            values = sampler(rng, shape, dtype)
        except Exception as error:
            raise SamplerError(f"the sampler raised {type(error).__name__}: {error}") from error
        values = np.asarray(values)
        if clock is not None:
            clock[0] += time.perf_counter() - started
        if values.shape != shape:
            raise SamplerError(f"the sampler returned shape {values.shape} for shape {shape}")
        if str(values.dtype) != dtype:
            raise SamplerError(f"the sampler returned dtype {values.dtype} for dtype {dtype}")
        if patterns is not None:
            patterns.append(values.view(np.uint16).copy())
        return values

    return draw


def _ascending(samples: np.ndarray, dtype: str) -> np.ndarray:
    """Each tensor's values ascending, (R, values): sorted in float32 when the dtype's values are all float32 values
    (float32 and the 16-bit dtypes: the same order, and the sort takes about half the time of float64's), else float64.
    For the duplicate count; the pooled fit sorts each probe's values whole from these rows (`_pooled_transform`)."""
    rows = samples.reshape(samples.shape[0], -1)
    return np.sort(rows.astype(np.float32) if dtype in EXACT_IN_FLOAT32 else rows, axis=1)


def _pooled_transform(
    ascending: list[np.ndarray], sds: list[float], rounded: list[dict[str, Any]], counts: list[np.ndarray], rule_law: Law, jitter_seed: int
) -> np.ndarray:
    """Every value of every probe through its own probe's law, pooled and ascending: U = F(w/sd), Uniform(0, 1) under the
    rule, w/sd in float64. Each probe's values are sorted as one array in the dtype `_ascending` chose (float32 where
    exact): its tensors share one law, and F keeps their order, so each probe gives one ascending run of U, and the
    pooled U is a stable sort of three runs, a merge. The same array as sorting U itself, since an ascending array is
    fixed by its values. At the default tier's 5.1 M values, merging the 384 per-tensor runs by Timsort took 0.2-0.3 s
    on every CPU, where these three sorts take 0.03 s with NumPy's AVX2 sort; on AMD Zen 4 NumPy's AVX-512 sort is 6×
    slower (a microcoded compress-store, numpy/x86-simd-sort#6) and the two ways cost the same. In 16 bits (`rounded` given, with each probe's
    `counts` by level: rounding.level_counts) the rounded law's randomized transform, jittered from
    default_rng(jitter_seed) and made ascending for all probes at once, cell by cell between every probe's level ends
    (sims.randomized_probability_transform_pooled): no sort and no merge. Merging the probes' three jittered runs took
    0.18 s of a 1.0 s float16 battery at the default tier's 20 M values."""
    assert rule_law.cdf is not None
    if rounded:
        return sims.randomized_probability_transform_pooled(np.random.default_rng(jitter_seed), counts, cdfs=[r["all_cdf"] for r in rounded])
    runs = [sims.probability_transform(np.divide(np.sort(rows, axis=None), sd, dtype=np.float64), cdf=rule_law.cdf) for rows, sd in zip(ascending, sds, strict=True)]
    pooled = np.concatenate(runs)
    pooled.sort(kind="stable")  # in place: no second array of every value
    return pooled


def _chance_identical_lines(probabilities: np.ndarray, shape: tuple[int, ...], replicates: int) -> float:
    """Expected pairs of equal rows or columns over the replicates when every entry is an independent draw of a discrete
    law with these level probabilities: P(two entries equal) = Σp², so a pair of lines of length L is equal with
    probability (Σp²)^L; R·(C(u, 2)·q^f + C(f, 2)·q^u) for u lines of length f (and f of length u)."""
    q = float(np.sum(probabilities**2))
    rows, length = shape
    return replicates * (math.comb(rows, 2) * q**length + math.comb(length, 2) * q**rows)


SMALL_FANS = (1, 2, 3, 4)  # the "fan + 1" class (a bias counted as an input): a factor 2 at fan 1, 1.5% at fan 64


def _small_fans(
    rng: np.random.Generator, sampler: Sampler, rule_law: Law, *, layout: str, dtype: str, tier: str, critical: float, alpha: float, clock: list[float]
) -> list[dict[str, Any]]:
    """Probe D: dense layers with fan_in 1, 2, 3 and 4 (fan_out the tier's outputs), min_replicates/2 tensors of each
    (32 quick, 64 default), drawn after the other probes. Each value is taken in its own fan's sd units, z = w/sd(fan),
    and pooled over the four tensors of a replicate:
    - mean Σz/N (0) and second moment Σz²/N (1 under the rule; the rounded laws' mean over the four fans in 16 bits);
    - kurtosis ΣΣz⁴/ΣΣz² · N (the family's; in 16 bits (Σₖ nₖ m₄ₖ/N)/(Σₖ nₖ m₂ₖ/N)² of the four rounded laws);
    each with its own Student-t critical value (R_D − 1 df);
    - KS and A² of the pooled U = F(z) (each fan's law; the rounded laws' randomized transform in 16 bits, jittered from
      PIT_SEED_D) against U(0, 1), as for A, B and C.
    The fan + 1 bug moves the second moment by 27%; the quick tier detects 6%, the default 3% (at power 0.999). The
    row-mean dispersion is not run on D: a unit's mean over 1–4 values carries nothing its second moment does not."""
    outputs, replicates = TIERS[tier]["outputs"], TIERS[tier]["min_replicates"] // 2
    critical = critical_t(alpha, replicates)
    shapes = [shape_for(layout, inputs=f, outputs=outputs) for f in SMALL_FANS]
    label = f"D fans {SMALL_FANS[0]}–{SMALL_FANS[-1]} ({', '.join(str(s) for s in shapes)})"
    try:
        drawn = [sims.draw_replicates(rng, draw=_checked_draw(sampler, shape, dtype, clock), replicates=replicates) for shape in shapes]
    except SamplerError as error:
        return [exact("small fans", label, None, None, True, 0, f"not applicable: the sampler cannot draw these shapes ({error})")]
    variances = [rule_law.variance(fans(shape, layout)) for shape in shapes]
    bad = sum(sims.non_finite(samples) for samples in drawn)
    if bad:
        return [exact("non-finite values", label, 0, bad, False, sum(s.size for s in drawn), "any NaN or inf")]
    sds = [math.sqrt(v) for v in variances]
    low = judged_rounded(dtype, rule_law.family)
    rounded = [rounding.rounded_law(rule_law.family, sd, dtype) for sd in sds] if low else []
    sizes = [math.prod(shape) for shape in shapes]
    m2 = [r["second"] for r in rounded] if low else [1.0] * len(shapes)
    m4 = [r["kurtosis"] * r["second"] ** 2 for r in rounded] if low else [rule_law.kurtosis()] * len(shapes)
    total = sum(sizes)
    expected_second = sum(n * m for n, m in zip(sizes, m2, strict=True)) / total
    expected_kurtosis = (sum(n * m for n, m in zip(sizes, m4, strict=True)) / total) / expected_second**2
    second = sims.pooled_ratio(drawn, scales=variances, power=2)
    mean = sims.pooled_ratio(drawn, scales=sds, power=1)
    allowance = SCALE_ALLOWANCE if low else EPS.get(dtype, 0.0)
    counts = [rounding.level_counts(s, dtype) for s in drawn] if low else []
    ascending = [] if low else [_ascending(s, dtype) for s in drawn]
    return [
        moment("mean", label, mean, 0.0, critical, alpha, "mean shift in sd"),
        moment("second moment", label, second, expected_second, critical, alpha, "relative variance error", allowance),
        moment(
            "fourth moment (kurtosis)", label, sims.pooled_kurtosis(drawn, sds=sds), expected_kurtosis, critical, alpha, "kurtosis error",
            0.0 if low else 4 * EPS.get(dtype, 0.0) * expected_kurtosis,
        ),
        *fit_tests(_pooled_transform(ascending, sds, rounded, counts, rule_law, PIT_SEED_D), label, alpha),
    ]  # fmt: skip


def run_battery(
    rng: np.random.Generator, sampler: Sampler, rule: str, *, layout: str, dtype: str = "float32", tier: str = "default",
    shapes: tuple[tuple[int, ...], ...] | None = None,
) -> dict[str, Any]:
    """Every statistic of the battery for one sampler against one rule; a JSON-ready record (see the module docstring).

    `shapes`: the three probe shapes when the standard ones do not fit the layer (see `probes`)."""
    started = time.perf_counter()
    rule_law: Law = law(rule)
    family = rule_law.family
    probe_list = probes(layout, tier, shapes)
    alpha = BATTERY_FALSE_FAILURE / STATISTICAL_TESTS
    first_matrix = orthogonal_matrices(np.zeros((1, *probe_list[0].shape)), layout).shape[1:]
    effect = TIERS[tier]["low_precision_variance_effect" if dtype in rounding.LOW_PRECISION else "variance_effect"]
    replicates = replicates_for(rule_law.kurtosis(first_matrix), math.prod(probe_list[0].shape), alpha, TIERS[tier]["min_replicates"], effect)
    critical = critical_t(alpha, replicates)
    tests: list[dict[str, Any]] = []
    clock = [0.0]  # seconds spent inside the sampler: the framework's own time to draw the same values
    drawn: list[np.ndarray] = []
    matrix_shapes: list[Any] = []  # each probe as the matrix an orthogonal rule sees (its variance and kurtosis follow)
    sds: list[float] = []  # the rule's sd on each probe: values are compared in sd units without a standardized copy
    rounded: list[dict[str, Any]] = []  # per probe, the law round-to-nearest in a 16-bit dtype makes (rounding.rounded_law)
    patterns: list[list[np.ndarray]] = []  # per probe, in 16 bits, each tensor's bit patterns (for the level count)
    for probe in probe_list:
        kept: list[np.ndarray] | None = [] if judged_rounded(dtype, family) else None
        samples = sims.draw_replicates(rng, draw=_checked_draw(sampler, probe.shape, dtype, clock, kept), replicates=replicates)
        if kept is not None:
            patterns.append(kept)
        matrix_shape = orthogonal_matrices(samples[:1], layout).shape[1:]
        variance = rule_law.variance(probe.fans, matrix_shape)
        drawn.append(samples)
        matrix_shapes.append(matrix_shape)
        sds.append(math.sqrt(variance))
        if judged_rounded(dtype, family):
            rounded.append(rounding.rounded_law(family, math.sqrt(variance), dtype))
        bad = sims.non_finite(samples)
        tests.append(exact("non-finite values", probe.label, 0, bad, bad == 0, samples.size, "any NaN or inf"))
        if bad:
            continue
        mean_expected, second_expected, allowance = 0.0, 1.0, EPS.get(dtype, 0.0)
        if rounded:  # the rounded law's own mean and mean square; only the scale's float32 arithmetic is allowed beyond it
            mean_expected, second_expected, allowance = rounded[-1]["mean"], rounded[-1]["second"], SCALE_ALLOWANCE
        tests.append(moment("mean", probe.label, sims.mean_in_sd(samples, sd=math.sqrt(variance)), mean_expected, critical, alpha, "mean shift in sd"))
        # allowance eps: rounding each value to nearest in the dtype moves a mean square by ≤ eps relative (orthogonal
        # matrices have a deterministic mean square, so their SE is rounding noise and the allowance is what judges them)
        second = sims.second_moment_ratio(samples, variance=variance)
        tests.append(moment("second moment", probe.label, second, second_expected, critical, alpha, "relative variance error", allowance))
    if any(not t["passed"] for t in tests if t["statistic"] == "non-finite values"):
        return _record(rule_law, layout, dtype, tier, replicates, alpha, critical, probe_list, tests, started, clock[0])
    a, b = drawn[0], drawn[1]
    ratio = math.log(rule_law.variance(probe_list[0].fans, matrix_shapes[0]) / rule_law.variance(probe_list[1].fans, matrix_shapes[1]))
    fan_allowance = 2 * SCALE_ALLOWANCE if rounded else 2 * EPS.get(dtype, 0.0)
    if rounded:
        ratio += math.log(rounded[0]["second"] / rounded[1]["second"])
    fan_axis = sims.log_variance_ratio(a, b)
    tests.append(moment("fan axis: log Var(A)/Var(B)", "A vs B", fan_axis, ratio, critical, alpha, "log variance ratio error", fan_allowance))
    for index, (probe, samples) in enumerate(zip(probe_list, drawn, strict=True)):  # E[w⁴]/E[w²]² does not depend on the scale
        kurtosis = rounded[index]["kurtosis"] if rounded else rule_law.kurtosis(matrix_shapes[index])
        allowance = 0.0 if rounded else 4 * EPS.get(dtype, 0.0) * kurtosis
        tests.append(moment("fourth moment (kurtosis)", probe.label, sims.kurtosis(samples), kurtosis, critical, alpha, "kurtosis error", allowance))
    pooled_size = sum(samples.size for samples in drawn)
    # each tensor's values ascending, for the duplicate count and the continuous fit (the rounded fit counts levels)
    ascending = [_ascending(samples, dtype) for samples in drawn] if sorts_values(dtype, family) else []
    eps = EPS.get(dtype, 0.0)
    if math.isfinite(rule_law.bound_in_sd) or family == "orthogonal":
        beyond, thresholds = 0, []
        for index, (samples, sd) in enumerate(zip(drawn, sds, strict=True)):
            bound_sd = rule_law.bound_in_sd if family != "orthogonal" else math.sqrt(max(matrix_shapes[index]))
            # 4 eps: the framework rounds its scale and its draw in the dtype before we see the value; in a 16-bit
            # dtype the bound is the rounded law's largest level (round-to-nearest may reach it, never pass it)
            threshold = rounded[index]["bound"] * sd * (1 + SCALE_ALLOWANCE) if rounded else bound_sd * sd * (1 + 4 * eps)
            beyond += sims.exceedances(samples, threshold=threshold)[0]
            thresholds.append(threshold)
        said = "the rounded bound (the nearest level to the exact one)" if rounded else "the exact bound (+4 eps rounding)"
        tests.append({**exact("bound", "all probes", 0, beyond, beyond == 0, pooled_size, f"any value beyond {said}"), "thresholds": thresholds})
    else:
        count = sum(sims.exceedances(samples, threshold=TAIL_THRESHOLD_SD * sd)[0] for samples, sd in zip(drawn, sds, strict=True))
        n = pooled_size
        mean = n * rule_law.tail_probability(TAIL_THRESHOLD_SD)
        extra = poisson_detectable(mean, alpha)
        tests.append(
            poisson_upper(
                f"tail exceedances beyond {TAIL_THRESHOLD_SD:g} sd", "all probes", count, mean, alpha, n, "values",
                f"extra tail rate ≥ {extra / n:.2g} per value at power 0.999",
            )
        )  # fmt: skip
    if family != "orthogonal":
        assert rule_law.cdf is not None
        # every probe's values through its own law's CDF (the rounded law's, with a jitter within each level, in 16 bits):
        # one pooled sample of Uniform(0, 1) under the rule, for the KS distance and A² against the uniform
        counts = [rounding.level_counts(np.concatenate(tensors, axis=None), dtype) for tensors in patterns]
        if rounded:
            tests.append(levels_occupied(counts, rounded, alpha))
        tests += fit_tests(_pooled_transform(ascending, sds, rounded, counts, rule_law, PIT_SEED), FIT_PROBE, alpha)
        for probe, samples in zip(probe_list, drawn, strict=True):
            rows = sims.row_mean_dispersion(units_by_fan(samples, layout))
            tests.append(moment("row-mean dispersion", probe.label, rows, 1.0, critical, alpha, "shared per-unit component"))
    if dtype in ("float32", "float64"):  # pairs of equal values within a tensor, over every tensor of A, B and C
        counted = [sims.duplicate_values(rows, ordered=True) for rows in ascending]
        duplicates = sum(count for count, _ in counted)
        mean_pairs = replicates * sum(per * (per - 1) / 2 for _, per in counted) * DUPLICATE_RESOLUTION
        tests.append(
            poisson_upper(
                "duplicate values", "all probes", duplicates, mean_pairs, alpha, replicates * len(drawn), "tensors",
                f"more repeats than a 2^20-level sampler (≥ {mean_pairs + poisson_detectable(mean_pairs, alpha):.0f} in all)",
            )
        )  # fmt: skip
    else:
        tests.append(exact("duplicate values", "all probes", None, None, True, 0, f"not applicable: {dtype} has < 2^20 levels"))
    identical, judged, skipped = 0, 0, []
    for index, (probe, samples) in enumerate(zip(probe_list, drawn, strict=True)):
        units = units_by_fan(samples, layout)
        chance = _chance_identical_lines(rounded[index]["probabilities"], units.shape[1:], replicates) if rounded else 0.0
        if chance > alpha:  # 16 bits, short lines: equal rows happen by chance (an LSTM bias (4H, 2) in bfloat16 has ~10 per tensor)
            skipped.append(f"{probe.label.split(' ')[0]}: {chance:.2g} identical pairs expected by chance in {dtype} (rows of {units.shape[2]}, columns of {units.shape[1]})")
            continue
        identical += sims.tensors_with_identical_lines(units)
        judged += replicates
    if judged:
        said = "any repeated unit or input" + (f" (not applicable on {'; '.join(skipped)})" if skipped else "")
        tests.append(exact("identical rows or columns", "all probes", 0, identical, identical == 0, judged, said))
    else:
        tests.append(exact("identical rows or columns", "all probes", None, None, True, 0, "not applicable: " + "; ".join(skipped)))
    if family == "orthogonal":  # on every probe: a transposed (B) or conv (C) shape takes another path in many initializers
        for probe, samples in zip(probe_list, drawn, strict=True):
            matrices = orthogonal_matrices(samples, layout)
            error = sims.orthogonality_error(matrices, gain=rule_law.gain)
            tolerance = 16 * max(eps, 2.0**-52) * math.sqrt(min(matrices.shape[1:]))  # rounding of k products in the dtype: ~eps·√k
            tests.append(exact("orthogonality max|QQᵀ/g² − I|", probe.label, f"≤ {tolerance:.2g}", error, error <= tolerance, replicates, "any departure"))
            # Haar: E[Σ Qᵢᵢ] = 0 by sign invariance (theory.diagonal_sum); QR without the sign fix shifts it by about −6 sd here
            diagonal = sims.diagonal_sum(matrices, sd=rule_law.diagonal_sum_sd(matrices.shape[1:]))
            tests.append(moment("Haar: diagonal sum / sd", probe.label, diagonal, 0.0, critical, alpha, "diagonal sign bias in sd"))
            # Haar: P(Q₀₀ > 0) = 1/2 (theory.first_entry_sign); a canonical overall sign (cr-sparse#28) gives 0 or 1
            positive, matrices_n = sims.first_entry_sign(matrices)
            p_positive = rule_law.first_entry_positive(matrices.shape[1:])
            tests.append(binomial_two_sided("Haar: sign of Q₀₀ (count > 0)", probe.label, count=positive, n=matrices_n, probability=p_positive, alpha=alpha, unit="tensors"))
    if shapes is None and family != "orthogonal":
        tests += _small_fans(rng, sampler, rule_law, layout=layout, dtype=dtype, tier=tier, critical=critical, alpha=alpha, clock=clock)
    draw_a = _checked_draw(sampler, probe_list[0].shape, dtype)
    same, different = sims.same_seed_identical(draw_seeded=lambda s: draw_a(np.random.default_rng(s)), seeds=(20261129, 20261130))
    tests.append(exact("same seed → same values", probe_list[0].label, True, same, same, 2, "ignored seed / global RNG"))
    tests.append(exact("other seed → other values", probe_list[0].label, True, different, different, 2, "fixed or repeated seed"))
    return _record(rule_law, layout, dtype, tier, replicates, alpha, critical, probe_list, tests, started, clock[0])


def _record(
    rule_law: Law, layout: str, dtype: str, tier: str, replicates: int, alpha: float, critical: float, probe_list: list[Probe], tests: list, started: float, draw_seconds: float
) -> dict[str, Any]:
    return {
        "rule": rule_law.spec, "family": rule_law.family, "documented": rule_law.rule.documented, "claim_id": rule_law.claim_id,
        "layout": layout, "dtype": dtype, "tier": tier, "status": "pass" if all(t["passed"] for t in tests) else "fail",
        "design": {
            "replicates": replicates, "probes": [p.label for p in probe_list], "battery_false_failure_rate": BATTERY_FALSE_FAILURE,
            "per_test_false_failure_rate": alpha, "t_critical": critical, "power": 0.999,
        },
        "failures": [t["statistic"] + " on " + t["probe"] for t in tests if not t["passed"]],
        "tests": tests, "seconds": time.perf_counter() - started, "draw_seconds": draw_seconds,
    }  # fmt: skip
