"""Estimators for the conformance battery: moments, shape, tails, fit, dependence and seed behaviour of drawn weights.

Every standard error is taken across independent replicates (whole tensors drawn with their
own generator), never across entries of one tensor, so a sampler whose entries are dependent
(repeated rows, a shared offset) cannot shrink its own error bar. Ratios of replicate means use
the delta method; their finite-sample bias is O(1/N) in the total count N, against an SE of
O(1/√N), so it stays below 1/√N standard errors (N ≥ 10⁶ here: under 0.001 SE).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from initcheck.sims.stats import Estimate, mean_estimate

Draw = Callable[[np.random.Generator], np.ndarray]


def draw_replicates(rng: np.random.Generator, *, draw: Draw, replicates: int) -> np.ndarray:
    """`replicates` tensors, each from its own child generator (rng.spawn), stacked as float64 (R, *shape): each is
    converted once, into its row of the stack (the same values as np.stack of float64 copies, half the copying)."""
    children = rng.spawn(replicates)
    first = np.asarray(draw(children[0]))
    out = np.empty((replicates, *first.shape), dtype=np.float64)
    out[0] = first
    for index, child in enumerate(children[1:], start=1):
        tensor = np.asarray(draw(child))
        if tensor.shape != first.shape:
            raise ValueError(f"replicate {index} has shape {tensor.shape}, the first had {first.shape}")
        out[index] = tensor
    return out


def _per_replicate(samples: np.ndarray) -> np.ndarray:
    return samples.reshape(samples.shape[0], -1)


def mean_in_sd(samples: np.ndarray, *, sd: float) -> Estimate:
    """E[w]/sd: the per-tensor mean in units of the rule's sd, SE across tensors."""
    return mean_estimate(_per_replicate(samples).mean(axis=1) / sd, "per-tensor mean / sd, SE across tensors")


def pooled_ratio(groups: list[np.ndarray], *, scales: list[float], power: int) -> Estimate:
    """Per replicate, Σ over the groups' values of w^power/scale, per value; SE across replicates. Each group is
    (R, *shape) with its own scale (power 2 with scale Var under the rule: mean square ratio 1; power 1 with scale sd: mean 0)."""
    total = sum(np.sum(_per_replicate(g) ** power, axis=1) / scale for g, scale in zip(groups, scales, strict=True))
    count = sum(_per_replicate(g).shape[1] for g in groups)
    return mean_estimate(np.asarray(total) / count, f"per-replicate sum of w^{power}/scale per value, SE across replicates")


def second_moment_ratio(samples: np.ndarray, *, variance: float) -> Estimate:
    """E[w²]/Var_rule (1 when the sampler keeps the rule's variance; E[w] = 0 under every rule)."""
    return mean_estimate(np.mean(_per_replicate(samples) ** 2, axis=1) / variance, "per-tensor mean square / rule variance, SE across tensors")


def ratio_of_means(numerator: np.ndarray, denominator: np.ndarray, power: int) -> tuple[float, float]:
    """(Ā/B̄^power, its delta-method SE) over replicates, from the replicate covariance of (A, B): the gradient
    g = (1/B̄^power, −power·Ā/B̄^(power+1)) and SE² = gᵀ Cov(A, B) g / n. A repro script carries this function."""
    a, b = numerator.mean(), denominator.mean()
    value = a / b**power
    gradient = np.array([1 / b**power, -power * a / b ** (power + 1)])
    covariance = np.cov(np.vstack([numerator, denominator]))
    return float(value), float(np.sqrt(gradient @ covariance @ gradient / numerator.size))


def _ratio_of_means(numerator: np.ndarray, denominator: np.ndarray, power: int, method: str) -> Estimate:
    """ratio_of_means as an Estimate."""
    value, error = ratio_of_means(numerator, denominator, power)
    return Estimate(value, error, int(numerator.size), method)


def kurtosis(samples: np.ndarray) -> Estimate:
    """E[w⁴]/E[w²]² (zero mean assumed: the mean has its own test), ratio of replicate means."""
    flat = _per_replicate(samples)
    squares = flat * flat
    fourth = np.einsum("ij,ij->i", squares, squares) / flat.shape[1]  # Σw⁴ per tensor without a w⁴ array
    return _ratio_of_means(fourth, np.mean(squares, axis=1), 2, "ratio of replicate means of w⁴ and w², delta-method SE")


def pooled_kurtosis(groups: list[np.ndarray], *, sds: list[float]) -> Estimate:
    """E[z⁴]/E[z²]² of z = w/sd over groups of tensors, each (R, *shape) with its own sd: per replicate Σz⁴/N and Σz²/N
    over every group's values, then the ratio of replicate means with its delta-method SE (as `kurtosis`)."""
    count = sum(_per_replicate(g).shape[1] for g in groups)
    fourth = np.zeros(groups[0].shape[0])
    second = np.zeros(groups[0].shape[0])
    for g, sd in zip(groups, sds, strict=True):
        squares = (_per_replicate(g) / sd) ** 2
        fourth += np.einsum("ij,ij->i", squares, squares)
        second += squares.sum(axis=1)
    return _ratio_of_means(fourth / count, second / count, 2, "ratio of replicate means of Σz⁴ and Σz² (z = w/sd per group), delta-method SE")


def log_variance_ratio(first: np.ndarray, second: np.ndarray) -> Estimate:
    """log(E[w²] on probe 1 / E[w²] on probe 2): the fan axis, free of any overall scale error."""
    a = np.mean(_per_replicate(first) ** 2, axis=1)
    b = np.mean(_per_replicate(second) ** 2, axis=1)
    se = np.sqrt(a.var(ddof=1) / (a.size * a.mean() ** 2) + b.var(ddof=1) / (b.size * b.mean() ** 2))
    return Estimate(float(np.log(a.mean() / b.mean())), float(se), int(a.size + b.size), "log ratio of replicate mean squares, delta-method SE")


def diagonal_sum(matrices: np.ndarray, *, sd: float) -> Estimate:
    """Σᵢ Mᵢᵢ over the leading square block of each matrix, in units of its sd under the rule (Haar: mean 0), SE across matrices."""
    square = min(matrices.shape[1:])
    sums = np.trace(matrices[:, :square, :square], axis1=1, axis2=2)
    return mean_estimate(sums / sd, "per-matrix diagonal sum / sd, SE across matrices")


def first_entry_sign(matrices: np.ndarray) -> tuple[int, int]:
    """How many matrices have M₀₀ > 0, out of how many (Haar: each with probability 1/2, independently)."""
    return int(np.count_nonzero(matrices[:, 0, 0] > 0)), int(matrices.shape[0])


def row_mean_dispersion(rows: np.ndarray) -> Estimate:
    """L·E[row mean²]/E[w²] for rows of length L: 1 when entries are uncorrelated, larger when rows share a component."""
    length = rows.shape[-1]
    dispersion = length * np.mean(rows.mean(axis=-1) ** 2, axis=-1)
    return _ratio_of_means(dispersion, np.mean(rows**2, axis=(-2, -1)), 1, "ratio of replicate means, delta-method SE")


def _ks_sorted(ordered: np.ndarray, theoretical: np.ndarray, index: np.ndarray | None = None, out: np.ndarray | None = None) -> float:
    """sup|F_n − F| from ascending values and F at each: D⁺ = maxᵢ (i + 1)/n − F(x₍ᵢ₎), D⁻ = maxᵢ F(x₍ᵢ₎) − i/n (i from 0).
    Exact with ties too: over a run of equal values the first term is largest at the run's last index (the top of
    F_n's jump) and the second at its first (F_n just below the jump), the two values the sup can take there.
    `index`: np.arange(n) as float, when the caller has it; `out`: an array of n for the gaps, when the caller has one."""
    n = ordered.size
    gap = np.multiply(theoretical, n, out=out)
    gap -= np.arange(n, dtype=float) if index is None else index  # n·F(x₍ᵢ₎) − i: D⁺ = (1 − min)/n, D⁻ = max/n
    return float(max(1.0 - gap.min(), gap.max()) / n)


def ks_distance(values: np.ndarray, *, cdf: Callable[[np.ndarray], np.ndarray]) -> tuple[float, int]:
    """sup|F_n − F| of the pooled standardized values against the derived CDF (ties handled at each jump)."""
    ordered = np.sort(values.ravel())
    return _ks_sorted(ordered, np.asarray(cdf(ordered), dtype=float)), int(ordered.size)


def probability_transform(values: np.ndarray, *, cdf: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """U = F(x) for every value, flattened: Uniform(0, 1) when the values follow the continuous law F."""
    return np.asarray(cdf(values.ravel()), dtype=float)


def randomized_probability_transform_sorted(rng: np.random.Generator, counts: np.ndarray, *, cdf: np.ndarray) -> np.ndarray:
    """U = F(x⁻) + V·P(X = x), V ~ U(0, 1), for values of a discrete law: exactly Uniform(0, 1) when the values follow
    the law (the distributional transform; Rüschendorf 2009, J. Statist. Plann. Inference 139, 3921). Returned
    ascending, from how many values sit on each level (`counts`, levels ascending, cumulative probabilities `cdf`),
    without a sort: level k's cₖ values are F(k⁻) + P(k)·V₍ⱼ₎, and the order statistics V₍₁₎ < … < V₍꜀₎ of c uniforms
    are (E₁ + … + Eⱼ)/(E₁ + … + E꜀₊₁) for c + 1 i.i.d. standard exponentials (Devroye 1986, Non-Uniform Random Variate
    Generation, §V.2.1). Two draws from `rng`: the n values' exponentials, levels in ascending order, then each occupied
    level's last one (E꜀₊₁, which only its total holds). The same law as jittering each value and sorting."""
    counts = np.asarray(counts, dtype=np.int64)
    occupied = np.flatnonzero(counts)
    sizes = counts[occupied]
    below = np.concatenate([[0.0], cdf[:-1]])[occupied]
    held = cdf[occupied] - below
    values = rng.standard_exponential(int(sizes.sum()))
    last = rng.standard_exponential(occupied.size)
    np.cumsum(values, out=values)  # in place: the one array of n this makes (each fresh one costs page faults)
    ends = np.cumsum(sizes) - 1  # each level's last value
    starts = np.concatenate([[0.0], values[ends[:-1]]])  # the running sum before each level's first exponential
    # below + (sum − start)·held/(its c + 1 exponentials' total), in place
    values -= np.repeat(starts, sizes)
    values *= np.repeat(held / (values[ends] + last), sizes)
    values += np.repeat(below, sizes)
    return values


def randomized_probability_transform_pooled(rng: np.random.Generator, counts: list[np.ndarray], *, cdfs: list[np.ndarray]) -> np.ndarray:
    """The randomized transform of several groups of values, each of its own discrete law (group g: counts[g][k] values
    on level k, cumulative probabilities cdfs[g]), pooled and ascending, without sorting or merging the groups.

    A value of group g on level k is U = F_g(k⁻) + P_g(k)·V, uniform on its interval I = [F_g(k⁻), F_g(k)]. Cut [0, 1]
    at every end of every occupied interval. Given its c values uniform on I, the counts an interval puts in the cells
    inside it are Multinomial(c; cell width / |I|); given the counts, the values in a cell are uniform on it, and
    independent. So every value in a cell, whatever its group, is uniform on the cell, independently: the pooled U
    ascending is, cell after cell, that many sorted uniforms on each (randomized_probability_transform_sorted, with the
    cells as levels; an interval of zero width puts its values on its point, as U = F(k⁻) + 0·V does). The same law as
    jittering every value and sorting them all. Draws from `rng`: the multinomials, as binomials of each interval's
    remaining count, cell by cell left to right (all intervals at once), then one draw of exponentials for the cells."""
    lows, highs, sizes = [], [], []
    for group, cdf in zip(counts, cdfs, strict=True):
        group = np.asarray(group, dtype=np.int64)
        occupied = np.flatnonzero(group)
        lows.append(np.concatenate([[0.0], cdf[:-1]])[occupied])
        highs.append(np.asarray(cdf, dtype=float)[occupied])
        sizes.append(group[occupied])
    low, high, size = np.concatenate(lows), np.concatenate(highs), np.concatenate(sizes)
    high = np.maximum(high, low)  # a CDF evaluated in floats may dip by an ulp: such a level is a point, as held·V ≈ 0 made it
    ends = np.unique(np.concatenate([[0.0], low, high]))  # ascending, 0 first
    # cell 2i: the point ends[i]; cell 2i + 1: the open interval (ends[i], ends[i + 1])
    cell_counts = np.zeros(2 * ends.size - 1, dtype=np.int64)
    first, last = np.searchsorted(ends, low), np.searchsorted(ends, high)  # exact: both are in `ends`
    point = first == last
    np.add.at(cell_counts, 2 * first[point], size[point])
    cell, last, top, remaining = first[~point], last[~point], high[~point], size[~point]
    while cell.size:
        final = cell + 1 == last  # the interval's last cell takes what the others left
        share = np.clip((ends[cell + 1] - ends[cell]) / (top - ends[cell]), 0.0, 1.0)
        taken = np.where(final, remaining, rng.binomial(remaining, np.where(final, 0.0, share)))
        np.add.at(cell_counts, 2 * cell + 1, taken)
        going = ~final
        cell, last, top, remaining = cell[going] + 1, last[going], top[going], remaining[going] - taken[going]
    return randomized_probability_transform_sorted(rng, cell_counts, cdf=np.repeat(ends, 2)[1:])


def fit_statistics(uniforms: np.ndarray, *, ordered: bool = False) -> tuple[float, float, int]:
    """(D, A², n) of probability-transformed values against U(0, 1), from one sort: the Kolmogorov–Smirnov distance
    D = sup|F_n(u) − u| and the Anderson–Darling statistic (Anderson & Darling 1954, J. Amer. Statist. Assoc. 49, 765)

        A² = −n − (1/n) Σᵢ [(2i − 1) ln u₍ᵢ₎ + (2(n − i) + 1) ln(1 − u₍ᵢ₎)].

    For A² each u is first clamped to [1/n², 1 − 1/n²]: a value at or beyond a bounded law's end (a float32 draw may be
    rounded onto it; the bound test judges those) or a normal tail beyond the CDF's float range would give ln 0. Under the
    law P(any u outside) ≤ 2/n, and a clamped u moves A² by ≤ ln(n²)/n (≈ 3e-5 at n = 10⁶). `ordered`: the values are
    ascending already (randomized_probability_transform_sorted), so no sort is made."""
    values = uniforms.ravel() if ordered else np.sort(uniforms.ravel())
    n = values.size
    # three arrays of n, each reused (every fresh array of the default tier's 5 M values costs ~12 ms of page faults,
    # far more where a virtual machine first touches its memory; seven of them made this 0.16-0.2 s where 0.07 s is the
    # arithmetic): the same operations, the same bits
    weights = np.arange(n, dtype=float)
    clamped = np.empty_like(values)  # first the KS gaps, then the clamped u
    distance = _ks_sorted(values, values, index=weights, out=clamped)
    weights *= 2
    weights += 1  # 2i − 1 for i = 1..n (exact integers); reversed, 2(n − i) + 1
    np.clip(values, 1.0 / n**2, 1.0 - 1.0 / n**2, out=clamped)
    logs = np.log(clamped)
    total = np.dot(weights, logs)
    np.log1p(np.negative(clamped, out=clamped), out=logs)
    total += np.dot(weights[::-1], logs)
    return distance, float(-n - total / n), int(n)


def exceedances(values: np.ndarray, *, threshold: float) -> tuple[int, int]:
    """How many |value| exceed the threshold, out of how many."""
    return int(np.count_nonzero(np.abs(values) > threshold)), int(values.size)


def non_finite(values: np.ndarray) -> int:
    """Count of NaN and ±inf."""
    return int(values.size - np.count_nonzero(np.isfinite(values)))


def duplicate_values(samples: np.ndarray, *, ordered: bool = False) -> tuple[int, int]:
    """Σ over tensors of (entries − distinct entries), and the entries per tensor (one sort per tensor, vectorized;
    `ordered`: `samples` is (tensors, entries) with each tensor's entries ascending already, so no sort is made)."""
    ordered_rows = samples if ordered else np.sort(_per_replicate(samples), axis=1)
    return int(np.count_nonzero(ordered_rows[:, 1:] == ordered_rows[:, :-1])), int(ordered_rows.shape[1])


def _has_repeated_row(matrices: np.ndarray) -> np.ndarray:
    """Per matrix: do two rows coincide? Rows are keyed by a fixed projection (equal rows, equal keys); equal keys are then compared whole."""
    weights = np.sqrt(np.arange(2, matrices.shape[-1] + 2, dtype=np.float64))  # square roots of distinct non-squares: no exact cancellation
    keys = matrices @ weights
    order = np.argsort(keys, axis=1)
    sorted_keys = np.take_along_axis(keys, order, axis=1)
    found = np.zeros(matrices.shape[0], dtype=bool)
    for tensor, position in zip(*np.nonzero(sorted_keys[:, 1:] == sorted_keys[:, :-1]), strict=True):
        first, second = order[tensor, position], order[tensor, position + 1]
        found[tensor] |= bool(np.array_equal(matrices[tensor, first], matrices[tensor, second]))
    return found


def tensors_with_identical_lines(rows: np.ndarray) -> int:
    """How many tensors (as units × fan matrices) hold two identical rows or two identical columns."""
    return int(np.count_nonzero(_has_repeated_row(rows) | _has_repeated_row(np.swapaxes(rows, 1, 2))))


def orthogonality_error(matrices: np.ndarray, *, gain: float) -> float:
    """max over tensors of max|QQᵀ/gain² − I|, Q taken along its shorter side (rows if rows ≤ cols)."""
    worst = 0.0
    for q in matrices:
        short = q if q.shape[0] <= q.shape[1] else q.T
        gram = short @ short.T / gain**2
        worst = max(worst, float(np.max(np.abs(gram - np.eye(gram.shape[0])))))
    return worst


def same_seed_identical(*, draw_seeded: Callable[[int], np.ndarray], seeds: tuple[int, int]) -> tuple[bool, bool]:
    """(two draws from seed s are bit-identical, draws from seeds s and t differ). Each draw is copied as it comes: a
    sampler may hand back the same array each time, refilled, and the first draw would then compare with itself."""
    first, again, other = (np.array(draw_seeded(seed), copy=True) for seed in (seeds[0], seeds[0], seeds[1]))
    return bool(np.array_equal(first, again, equal_nan=True)), not bool(np.array_equal(first, other, equal_nan=True))
