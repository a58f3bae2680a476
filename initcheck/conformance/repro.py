"""A finding a maintainer can run: a failing conformance record written out as a standalone Python script.

The script imports only the framework (or the user's file), NumPy and SciPy. It draws the very tensors the battery drew:
the battery's generator is `default_rng(seed)`, each probe takes `rng.spawn(R)` children in turn (probe A, then B, then
C, then the four small-fan shapes of probe D: sims.conformance.draw_replicates), and each adapter seeds the framework
from its child with one `child.integers(0, 2**bits)` (initcheck.conformance.adapters._seed; 63 bits for torch, 31 for
the others). The script replays that: `SeedSequence(seed).spawn(...)`, probe by probe, and the same first integer of
each child. A layer default (torch-module:KIND, tf-keras-layer:KIND, ...) is built by the very functions the battery
used (adapters._torch_layer_weight and its kin), whose source the script carries (`carried`), not by a retyped copy.

It then computes each failing statistic with the battery's formula: mean and second moment per tensor, SE across
tensors (on D, pooled over its four fans, each value in its own fan's sd units); the fan axis as a log ratio of mean
squares; the kurtosis and the row-mean dispersion as ratios of means with their delta-method SE; the KS distance and
the Anderson–Darling A² of the values of probes A, B and C (or of D), each through its probe's law (the derived CDF,
given as a SciPy distribution; in 16 bits the rounded law's, with the battery's jitter within each level), against
U(0, 1); in 16 bits the levels the draws occupy against Σ 1 − (1 − p)ⁿ of the rounded law, with the battery's Bernstein
bound. It compares each with the value initcheck derived for the rule, prints expected, measured, SE, z and the
critical value, the framework's version and the documentation the values contradict, and exits 1 while any of them
fails, 0 once all pass.

Statistics the script does not recompute (rounding-exact tests, the tail count, orthogonality, Haar, seeds) are named in
its output as not reproduced; a record whose failures are all of that kind gets no script (ReproError).
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from initcheck import __version__
from initcheck.conformance import layouts, rounding
from initcheck.conformance.battery import FIT_PROBE, PIT_SEED, PIT_SEED_D, SMALL_FANS, TIERS, probes
from initcheck.conformance.drawcode import ReproError, carried, draw_code
from initcheck.conformance.layouts import fans, shape_for
from initcheck.conformance.matrix import entry_shapes
from initcheck.conformance.rules import law
from initcheck.sims import conformance as sims

REPRODUCED = (
    "mean", "second moment", "fan axis: log Var(A)/Var(B)", "fourth moment (kurtosis)", "goodness of fit (KS, standardized)",
    "goodness of fit (Anderson–Darling A²)", "levels occupied", "row-mean dispersion", "bound",
)  # fmt: skip
# The standardized law of each family as a SciPy distribution, for the KS statistic (the derivation's CDF, in SciPy's words).
# Unit variance, as theory.conformance.standardized_law: N(0, 1); U[−√3, √3]; N(0, 1) cut at ±2, divided by its sd.
SCIPY_LAW = {
    "normal": "stats.norm()",
    "uniform": "stats.uniform(loc=-math.sqrt(3), scale=2 * math.sqrt(3))",
    "truncated_normal": "stats.truncnorm(-2, 2, scale=1 / stats.truncnorm(-2, 2).std())",
}


def _probes_read(check: dict[str, Any]) -> list[int]:
    """The probes (0, 1, 2 for A, B, C) whose tensors a check reads: its own; A and B for "A vs B"; none for D (drawn
    after them); A, B and C for the pooled fit, the levels and the "all probes" tests."""
    if isinstance(check["index"], int):
        return [check["index"]]
    if check["probe"] == "A vs B":
        return [0, 1]
    return [] if check["index"] == "D" else [0, 1, 2]

def script(record: dict[str, Any], *, kwargs: dict[str, Any] | None = None, seed: int = 0, shapes: tuple[tuple[int, ...], ...] | None = None) -> str:
    """The standalone script for a failing record of `initcheck.conformance.conform` (the kwargs it passed to the target;
    `shapes`: its probes A, B, C when not the standard ones, by default the matrix entry's for the target)."""
    if record.get("status") != "fail":
        raise ReproError(f"the record's status is {record.get('status')!r}: a script is written for a failing record")
    imports, draw, version = draw_code(record, dict(kwargs or {}))  # a target it cannot draw is refused first
    if shapes is None:
        shapes = entry_shapes(record["target"], record["tier"])
    failing = [t for t in record["tests"] if not t["passed"]]
    probe_list = probes(record["layout"], record["tier"], shapes)
    labels = [p.label for p in probe_list]
    rule = law(record["rule"])
    small = [] if shapes is not None or rule.family == "orthogonal" else [shape_for(record["layout"], inputs=f, outputs=TIERS[record["tier"]]["outputs"]) for f in SMALL_FANS]
    d_label = next((t["probe"] for t in record["tests"] if t["probe"].startswith("D fans")), None)
    kept = [t for t in failing if t["statistic"] in REPRODUCED and (t["probe"] in labels or t["probe"] in ("A vs B", FIT_PROBE, "all probes") or t["probe"] == d_label)]
    if rule.family not in SCIPY_LAW:  # the fit and levels tests need the law's CDF in SciPy's words
        kept = [t for t in kept if not t["statistic"].startswith(("goodness of fit", "levels"))]
    kept = [t for t in kept if t["statistic"] != "bound" or "thresholds" in t]  # older records name no thresholds
    if not kept:
        raise ReproError("no failing statistic the script recomputes: " + ", ".join(sorted({t["statistic"] for t in failing})))
    replicates = record["design"]["replicates"]
    variances = [rule.variance(probe.fans, None) if rule.family != "orthogonal" else None for probe in probe_list]
    checks = []
    for test in kept:
        statistic = test["statistic"]
        index = labels.index(test["probe"]) if test["probe"] in labels else "D" if test["probe"] == d_label else None
        entry = {"statistic": statistic, "probe": test["probe"], "expected": test["expected"], "critical": test["critical"],
                 "allowance": test.get("rounding_allowance", 0.0), "recorded": test["measured"], "index": index}  # fmt: skip
        if statistic == "bound":  # an exact test: any value beyond the recorded threshold of its probe fails
            entry.update(thresholds=test["thresholds"], count=True)
        if statistic == "levels occupied":  # 16 bits: too few levels fails (a lower-tail Bernstein bound at the test's α)
            entry.update(cdf=rounding.cdf_expression(rule.family), rounded=record["dtype"], lower=True, alpha=test["false_failure_rate"])
        if statistic.startswith("goodness of fit"):
            entry["law"] = SCIPY_LAW[rule.family]
            # float16/bfloat16: the battery's KS is against the law rounding to nearest makes (conformance.rounding.rounded_law)
            entry["rounded"] = record["dtype"] if record["dtype"] in ("float16", "bfloat16") else None
            if entry["rounded"]:  # the derived CDF as initcheck evaluates it: the jitter's splits depend on its last bits
                entry["cdf"] = rounding.cdf_expression(rule.family)
            entry["upper"] = True  # fails above the critical value: z is the statistic itself (D·√n, or A²)
        checks.append(entry)
    needed = sorted({i for check in checks for i in _probes_read(check)})
    shown = {(c["statistic"], c["probe"]) for c in checks}
    not_reproduced = sorted({f"{t['statistic']} on {t['probe'].split(' (')[0]}" for t in failing if (t["statistic"], t["probe"]) not in shown})
    small_fans = any(c["index"] == "D" for c in checks)
    header = (
        f"#!/usr/bin/env python3\n"
        f'"""{record["target"]} against {record["rule"]}, {record["dtype"]}, layout {record["layout"]}: a discrepancy found by initcheck {__version__}\n'
        f"({datetime.date.today().isoformat()}), written as a script that needs only the framework, NumPy and SciPy.\n\n"
        f"Documented: {record.get('documented', '')}\n"
        f"Claim: {record.get('claim_id') or 'none'}. Battery: {replicates} tensors per probe (each from its own generator), per-test\n"
        f"false-failure rate {record['design']['per_test_false_failure_rate']:.3g} (Student-t critical value with R - 1 df).\n\n"
        "The tensors are the battery's own: SeedSequence(SEED) spawns one child generator per tensor, probe after probe\n"
        "(A, B, C, then the small fans D), and the framework is seeded with the first integer each child draws. Expected\n"
        "values are initcheck's derivation for the rule at each probe's fans. Exit status: 1 while any statistic below\n"
        "fails, 0 once all pass.\n"
        + (f"Failing in initcheck but not recomputed here: {', '.join(not_reproduced)}.\n" if not_reproduced else "")
        + '"""\n'
    )
    small_shapes = small if small_fans else []
    body = f"""
import math
import os
import sys

import numpy as np
import scipy
import scipy.constants
import scipy.special
from scipy import stats

{imports}

SEED = {seed}
REPLICATES = {replicates}
PROBES = {[(p.label, p.shape) for p in probe_list]!r}
NEEDED = {needed!r}  # the probes drawn (the others only spawn their children, so that later probes get the battery's seeds)
SMALL_FANS = {[(shape, rule.variance(fans(shape, record["layout"]))) for shape in small_shapes]!r}  # probe D: (shape, Var(w) the rule gives)
SMALL_REPLICATES = {TIERS[record["tier"]]["min_replicates"] // 2}
LAYOUT = {record["layout"]!r}
PIT_SEED = {PIT_SEED}
PIT_SEED_D = {PIT_SEED_D}
RULE_VARIANCE = {variances!r}  # Var(w) the rule gives on each probe, derived by initcheck
CHECKS = {checks!r}


{draw}


{carried(("LAYOUTS", layouts.LAYOUTS), layouts.LayoutError, layouts._check, layouts.units_by_fan)}


def tensors():
    \"\"\"The battery's draws: REPLICATES tensors per probe A, B, C, each probe spawning its children after the last
    one's, then SMALL_REPLICATES tensors of each small-fan shape (probe D), flattened per tensor as float64.\"\"\"
    root = np.random.SeedSequence(SEED)
    drawn = []
    for index, (label, shape) in enumerate(PROBES):
        children = root.spawn(REPLICATES)
        drawn.append(np.stack([stacked(child, shape) for child in children]) if index in NEEDED else None)
    small = [np.stack([stacked(child, shape) for child in root.spawn(SMALL_REPLICATES)]) for shape, _ in SMALL_FANS]
    return drawn, small


def stacked(seed_sequence, shape):
    return np.asarray(draw(np.random.default_rng(seed_sequence), tuple(shape)), dtype=np.float64).reshape(-1)


def levels(dtype):
    \"\"\"Every finite float16 or bfloat16 value (bfloat16: the float32s whose low 16 bits are 0), ascending, as float64.\"\"\"
    bits = np.arange(2**16, dtype=np.uint32)
    if dtype == "float16":
        values = bits.astype(np.uint16).view(np.float16).astype(np.float64)
    else:
        with np.errstate(invalid="ignore"):
            values = (bits << 16).view(np.float32).astype(np.float64)
    return np.unique(values[np.isfinite(values)])


def derived_cdf(expression):
    \"\"\"The standardized law's CDF as initcheck derives and evaluates it (the same NumPy and SciPy operations, bit for
    bit: the jitter's binomial splits depend on each level's exact probability).\"\"\"
    return eval("lambda x: " + expression, {{"numpy": np, "scipy": scipy}})


def rounded_cdf(cdf, sd, dtype):
    \"\"\"Every level of dtype and the cumulative probability of round-to-nearest(sd·Z) up to it: each level holds
    F(upper midpoint) − F(lower midpoint) (nothing, far out in the tails or past a bounded law's end).\"\"\"
    level = levels(dtype)
    return level, np.clip(np.append(np.asarray(cdf((level[1:] + level[:-1]) / 2 / sd), dtype=np.float64), 1.0), 0.0, 1.0)


{carried(sims.randomized_probability_transform_sorted, sims.randomized_probability_transform_pooled)}


def transformed(cdf, rounded, groups, variances, jitter_seed):
    \"\"\"Every value of the groups (probes A, B and C, or D's four fans) through its group's law, pooled and ascending:
    U = F(w/sd), Uniform(0, 1) under the rule. In float16 and bfloat16, F is the rounded law's and each value is
    jittered within its level (the randomized probability integral transform, uniform for a discrete law too), from
    default_rng(jitter_seed).\"\"\"
    if rounded is None:
        return np.sort(np.concatenate([cdf(values.ravel() / math.sqrt(variance)) for values, variance in zip(groups, variances)]))
    counts, cumulatives = [], []
    for values, variance in zip(groups, variances):
        level, cumulative = rounded_cdf(cdf, math.sqrt(variance), rounded)
        counts.append(np.bincount(np.searchsorted(level, np.sort(values.ravel())), minlength=level.size))
        cumulatives.append(cumulative)
    return randomized_probability_transform_pooled(np.random.default_rng(jitter_seed), counts, cdfs=cumulatives)


def fit(u):
    \"\"\"The Kolmogorov–Smirnov distance and the Anderson–Darling A² of U against Uniform(0, 1) (u clamped to
    [1/n², 1 − 1/n²] for A², as initcheck does).\"\"\"
    ordered = u  # ascending already
    n = ordered.size
    gap = ordered * n - np.arange(n, dtype=float)  # D+ = max (i + 1)/n - u(i), D- = max u(i) - i/n: exact with ties too
    distance = max(1.0 - gap.min(), gap.max()) / n
    clamped = np.clip(ordered, 1.0 / n**2, 1.0 - 1.0 / n**2)
    weights = np.arange(1, 2 * n, 2, dtype=float)
    a2 = -n - (np.dot(weights, np.log(clamped)) + np.dot(weights[::-1], np.log1p(-clamped))) / n
    return distance, a2, n


def mean_se(values):
    return values.mean(), values.std(ddof=1) / math.sqrt(values.size)


{carried(sims.ratio_of_means)}


def pooled(groups, scales, power):
    \"\"\"Per tensor, the sum over D's four fans of (w/scale)^power, per value.\"\"\"
    return sum(np.sum((values / scale) ** power, axis=1) for values, scale in zip(groups, scales)) / sum(values.shape[1] for values in groups)


def statistic(check, drawn, small):
    \"\"\"(value, standard error) as the battery computes it.\"\"\"
    name, i = check["statistic"], check["index"]
    if i == "D":  # the small fans: each value in its own fan's sd units, pooled over the four tensors of a replicate
        variances = [variance for _, variance in SMALL_FANS]
        sds = [math.sqrt(v) for v in variances]
        if name == "mean":
            return mean_se(pooled(small, sds, 1))
        if name == "second moment":
            return mean_se(pooled(small, sds, 2))
        if name.startswith("fourth moment"):
            return ratio_of_means(pooled(small, sds, 4), pooled(small, sds, 2), 2)
    if name == "mean":
        return mean_se(drawn[i].mean(axis=1) / math.sqrt(RULE_VARIANCE[i]))
    if name == "second moment":
        return mean_se(np.mean(drawn[i] ** 2, axis=1) / RULE_VARIANCE[i])
    if name.startswith("fan axis"):
        a, b = np.mean(drawn[0] ** 2, axis=1), np.mean(drawn[1] ** 2, axis=1)
        se = math.sqrt(a.var(ddof=1) / (a.size * a.mean() ** 2) + b.var(ddof=1) / (b.size * b.mean() ** 2))
        return math.log(a.mean() / b.mean()), se
    if name.startswith("fourth moment"):
        squares = drawn[i] ** 2
        return ratio_of_means(np.mean(squares**2, axis=1), np.mean(squares, axis=1), 2)
    if name == "row-mean dispersion":  # L·E[unit mean²]/E[w²] over each output unit's L weights: 1 for uncorrelated entries
        rows = units_by_fan(drawn[i].reshape(-1, *PROBES[i][1]), LAYOUT)
        return ratio_of_means(rows.shape[-1] * np.mean(rows.mean(axis=-1) ** 2, axis=-1), np.mean(rows**2, axis=(-2, -1)), 1)
    if name.startswith("goodness of fit"):
        # the rounded law (16 bits): from initcheck's derived CDF; else a scipy.stats distribution of the standardized values
        cdf = derived_cdf(check["cdf"]) if check["rounded"] else eval(check["law"]).cdf
        if i == "D":
            u = transformed(cdf, check["rounded"], small, [variance for _, variance in SMALL_FANS], PIT_SEED_D)
        else:
            u = transformed(cdf, check["rounded"], drawn[:3], RULE_VARIANCE[:3], PIT_SEED)
        distance, a2, n = fit(u)
        if "Anderson" in name:
            return a2, 1.0  # A² is judged on its own scale: its limit law has no n
        return distance, 1 / math.sqrt(n)  # z = D·√n, the scale of the Kolmogorov critical value
    if name == "bound":  # values beyond the rule's bound (initcheck's threshold per probe: the bound, + rounding allowance)
        return sum(int(np.count_nonzero(np.abs(values) > threshold)) for values, threshold in zip(drawn[:3], check["thresholds"])), None
    if name == "levels occupied":
        cdf = derived_cdf(check["cdf"])
        occupied, expected, variance = 0, 0.0, 0.0
        for values, rule_variance in zip(drawn[:3], RULE_VARIANCE[:3]):
            level, cumulative = rounded_cdf(cdf, math.sqrt(rule_variance), check["rounded"])
            p = np.diff(cumulative, prepend=0.0)
            q = -np.expm1(values.size * np.log1p(-np.clip(p, 0.0, 1.0 - 1e-16)))  # P(a level of probability p is occupied)
            occupied += np.unique(values).size
            expected += q.sum()
            variance += np.sum(q * (1 - q))
        log_alpha = math.log(1 / check["alpha"])
        shortfall = log_alpha / 3 + math.sqrt(log_alpha**2 / 9 + 2 * variance * log_alpha)  # Bernstein's lower tail at alpha
        check["expected"], check["critical"] = expected, shortfall / math.sqrt(variance)
        return occupied, math.sqrt(variance)
    raise ValueError(name)


def main():
    print(f"{{VERSION}}; numpy {{np.__version__}}, scipy {{__import__('scipy').__version__}}")
    print({record["target"] + " against " + record["rule"] + ", " + record["dtype"]!r})
    drawn, small = tensors()
    failed = 0
    for check in CHECKS:
        value, se = statistic(check, drawn, small)
        if check.get("count"):  # an exact test: no value may pass the bound
            ok = value == 0
            failed += not ok
            print(f"  {{check['statistic']}} on {{check['probe']}}: expected 0, measured {{value}} values beyond the bound: {{'ok' if ok else 'FAILS'}}")
            continue
        if check.get("upper"):  # a goodness-of-fit statistic: fails above its critical value (its mean is check["expected"])
            z = value / se
            ok = z <= check["critical"]
        elif check.get("lower"):  # levels occupied: fails when too few, below expected by critical·sd or more
            z = (value - check["expected"]) / se
            ok = z > -check["critical"]
        else:
            z = (value - check["expected"]) / se
            ok = abs(value - check["expected"]) <= check["critical"] * se + check["allowance"]
        failed += not ok
        print(f"  {{check['statistic']}} on {{check['probe']}}: expected {{check['expected']:.6g}}, measured {{value:.6g}} "
              f"(SE {{se:.3g}}), z = {{z:.3g}}, critical {{check['critical']:.3g}}: {{'ok' if ok else 'FAILS'}}")
    print(f"{{failed}} of {{len(CHECKS)}} statistics fail" + (": the discrepancy is there" if failed else ": fixed"))
    return 1 if failed else 0


VERSION = {version}

if __name__ == "__main__":
    sys.exit(main())
"""
    return header + body


def matrix_scripts(records: list[dict[str, Any]], *, seed: int) -> dict[str, bytes]:
    """A script for each failing matrix record with a statistic a script recomputes (framework initializers by dotted
    path, and layer defaults, built by initcheck's own code carried into the script), named
    repro-NN-<target>-<backend>-<dtype>.py; each such record gets "repro": its file name. The kwargs are the matrix
    entry's own (the record keeps only their text); the probe shapes too (entry_shapes)."""
    from initcheck.conformance.matrix import ENTRIES

    scripts: dict[str, bytes] = {}
    for record in records:
        if record.get("status") != "fail":
            continue
        entry = next(
            (e for e in ENTRIES.get(record["framework"], ()) if (e.target, e.rule, e.layout) == (record["target"], record["rule"], record["layout"])), None
        )
        if entry is None:
            continue
        try:
            text = script(record, kwargs=entry.kwargs, seed=seed)
        except ReproError:
            continue
        slug = "-".join(re.sub(r"[^A-Za-z0-9_.]+", "_", part) for part in (record["target"], record.get("backend") or "", record["dtype"]) if part)
        name = f"repro-{len(scripts) + 1:02d}-{slug}.py"
        scripts[name] = text.encode()
        record["repro"] = name
    return scripts


def write(path: Path, text: str) -> None:
    """The script written atomically (a temporary file renamed over the target), executable."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o755)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


__all__ = ["REPRODUCED", "ReproError", "matrix_scripts", "script", "write"]
