"""A finding a maintainer can run: a failing conformance record written out as a standalone Python script.

The script imports only the framework (or the user's file), NumPy and SciPy. It draws the very tensors the battery drew:
the battery's generator is `default_rng(seed)`, each probe takes `rng.spawn(R)` children in turn (probe A, then B, then
C: sims.conformance.draw_replicates), and each adapter seeds the framework from its child with one
`child.integers(0, 2**bits)` (initcheck.conformance.adapters._seed; 63 bits for torch, 31 for the others). The script
replays that: `SeedSequence(seed).spawn(...)`, probe by probe, and the same first integer of each child. It then computes
each failing statistic with the battery's formula (mean and second moment per tensor, SE across tensors; the fan axis as
a log ratio of mean squares; the kurtosis as a ratio of means with its delta-method SE; the KS distance and the
Anderson–Darling A² of the values of probes A, B and C, each through its probe's law (the derived CDF, given as a SciPy
distribution; in 16 bits the rounded law's, with the battery's jitter within each level), against U(0, 1); in 16 bits
the levels the draws occupy against Σ 1 − (1 − p)ⁿ of the rounded law, with the battery's Bernstein bound), compares it with the value
initcheck derived for the rule, prints expected, measured, SE, z and the critical value, the framework's version and the
documentation the values contradict, and exits 1 while any of them fails, 0 once all pass.

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
from initcheck.conformance.battery import FIT_PROBE, PIT_SEED, probes
from initcheck.conformance.rules import law

REPRODUCED = (
    "mean", "second moment", "fan axis: log Var(A)/Var(B)", "fourth moment (kurtosis)", "goodness of fit (KS, standardized)",
    "goodness of fit (Anderson–Darling A²)", "levels occupied",
)  # fmt: skip
PREFIX = {"torch": "torch.nn.init.", "jax": "jax.nn.initializers.", "keras": "keras.initializers.", "tensorflow": "tf_keras.initializers.", "haiku": "haiku.initializers."}
SEED_BITS = {"torch": 63, "jax": 31, "keras": 31, "tensorflow": 31, "haiku": 31}
# The standardized law of each family as a SciPy distribution, for the KS statistic (the derivation's CDF, in SciPy's words).
# Unit variance, as theory.conformance.standardized_law: N(0, 1); U[−√3, √3]; N(0, 1) cut at ±2, divided by its sd.
SCIPY_LAW = {
    "normal": "stats.norm()",
    "uniform": "stats.uniform(loc=-math.sqrt(3), scale=2 * math.sqrt(3))",
    "truncated_normal": "stats.truncnorm(-2, 2, scale=1 / stats.truncnorm(-2, 2).std())",
}


class ReproError(ValueError):
    """A record this module cannot write a script for (passing, not a framework initializer, no statistic it recomputes)."""


def _draw_code(record: dict[str, Any], kwargs: dict[str, Any]) -> tuple[str, str, str]:
    """(imports, draw function, version expression) for the record's target."""
    framework, target, dtype = record["framework"], record["target"], record["dtype"]
    name = target.rsplit(".", 1)[-1]
    if framework in PREFIX and not target.startswith(PREFIX[framework]):  # a layer default (torch-module:…): drawn by building a layer
        framework = "layer"
    args = ", ".join(f"{key}={value!r}" for key, value in kwargs.items())
    bits = SEED_BITS.get(framework)
    if framework == "torch":
        to_numpy = "tensor.float().numpy()" if dtype == "bfloat16" else "tensor.numpy()"
        return (
            "import torch",
            f"def draw(child, shape):\n    generator = torch.Generator().manual_seed(int(child.integers(0, 2**{bits})))\n"
            f"    tensor = torch.empty(shape, dtype=torch.{dtype})\n    with torch.no_grad():\n"
            f"        torch.nn.init.{name}(tensor{', ' + args if args else ''}, generator=generator)\n    return {to_numpy}",
            '"torch " + torch.__version__',
        )
    if framework == "jax":
        x64 = '\njax.config.update("jax_enable_x64", True)  # float64: JAX truncates to float32 otherwise' if dtype == "float64" else ""
        return (
            "import jax" + x64,
            f"INITIALIZER = jax.nn.initializers.{name}({args})\n\n\ndef draw(child, shape):\n"
            f"    return np.asarray(INITIALIZER(jax.random.PRNGKey(int(child.integers(0, 2**{bits}))), shape, jax.numpy.{dtype}))",
            '"jax " + jax.__version__',
        )
    if framework == "keras":
        backend = record.get("backend") or "jax"
        return (
            f'os.environ.setdefault("KERAS_BACKEND", {backend!r})\nimport keras',
            f"def draw(child, shape):\n    initializer = keras.initializers.{name}({args + ', ' if args else ''}seed=int(child.integers(0, 2**{bits})))\n"
            f"    return np.asarray(keras.ops.convert_to_numpy(initializer(shape, dtype={dtype!r})))",
            '"keras " + keras.__version__ + " (" + keras.backend.backend() + " backend)"',
        )
    if framework == "tensorflow":
        return (
            'os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")\nimport tensorflow\nimport tf_keras',
            f"def draw(child, shape):\n    initializer = tf_keras.initializers.{name}({args + ', ' if args else ''}seed=int(child.integers(0, 2**{bits})))\n"
            f"    return initializer(shape, dtype={dtype!r}).numpy()",
            '"tensorflow " + tensorflow.__version__ + ", tf-keras " + tf_keras.__version__',
        )
    if framework == "haiku":
        return (
            "import haiku as hk\nimport jax",
            f"def draw(child, shape):\n    initializer = hk.initializers.{name}({args})\n"
            f"    sample = hk.transform(lambda: initializer(shape, jax.numpy.{dtype}))\n"
            f"    return np.asarray(sample.apply({{}}, jax.random.PRNGKey(int(child.integers(0, 2**{bits})))))",
            '"dm-haiku " + hk.__version__',
        )
    if framework == "user" and ":" in target and target.rpartition(":")[0].endswith(".py"):
        path, _, function = target.rpartition(":")
        return (
            # the source itself, compiled here: a cached .pyc is trusted when size and mtime (whole seconds) match, so a fix
            # of the same length saved within the second of the last run would run the old code
            f"import importlib.util\n_path = {str(Path(path).resolve())!r}\n_spec = importlib.util.spec_from_file_location('target', _path)\n"
            "TARGET = importlib.util.module_from_spec(_spec)\nwith open(_path, encoding='utf-8') as _source:\n"
            "    exec(compile(_source.read(), _path, 'exec'), TARGET.__dict__)",
            f"def draw(child, shape):\n    return np.asarray(TARGET.{function}(child, shape))",
            f'"{Path(path).name}:{function} (a user file)"',
        )
    raise ReproError(f"no script for target {target!r}: --repro writes scripts for torch.nn.init.*, jax.nn.initializers.*, keras.initializers.*, "
                     "tf_keras.initializers.*, haiku.initializers.* and path/file.py:function targets")  # fmt: skip


def script(record: dict[str, Any], *, kwargs: dict[str, Any] | None = None, seed: int = 0, shapes: tuple[tuple[int, ...], ...] | None = None) -> str:
    """The standalone script for a failing record of `initcheck.conformance.conform` (the kwargs it passed to the target)."""
    if record.get("status") != "fail":
        raise ReproError(f"the record's status is {record.get('status')!r}: a script is written for a failing record")
    imports, draw, version = _draw_code(record, dict(kwargs or {}))  # a target it cannot draw is refused first
    failing = [t for t in record["tests"] if not t["passed"]]
    probe_list = probes(record["layout"], record["tier"], shapes)
    labels = [p.label for p in probe_list]
    # probes A, B, C (and the fan axis between A and B); the small fans (probe D) are drawn from later spawns: not replayed here
    kept = [t for t in failing if t["statistic"] in REPRODUCED and (t["probe"] in labels or t["probe"] in ("A vs B", FIT_PROBE, "all probes"))]
    if not kept:
        raise ReproError("no failing statistic the script recomputes: " + ", ".join(sorted({t["statistic"] for t in failing})))
    rule = law(record["rule"])
    if rule.family not in SCIPY_LAW:  # the fit and levels tests need the law's CDF in SciPy's words
        kept = [t for t in kept if not t["statistic"].startswith(("goodness of fit", "levels"))]
    replicates = record["design"]["replicates"]
    variances = []
    for probe in probe_list:
        variances.append(rule.variance(probe.fans, None) if rule.family != "orthogonal" else None)
    # "A vs B" needs A and B; the fit and levels tests need A, B and C
    needed = sorted({labels.index(t["probe"]) if t["probe"] in labels else 1 if t["probe"] == "A vs B" else 2 for t in kept})
    last = max(needed)
    checks = []
    for test in kept:
        statistic = test["statistic"]
        index = labels.index(test["probe"]) if test["probe"] in labels else None
        entry = {"statistic": statistic, "probe": test["probe"], "expected": test["expected"], "critical": test["critical"],
                 "allowance": test.get("rounding_allowance", 0.0), "recorded": test["measured"]}  # fmt: skip
        if statistic == "levels occupied":  # 16 bits: too few levels fails (a lower-tail Bernstein bound at the test's α)
            entry.update(law=SCIPY_LAW[rule.family], rounded=record["dtype"], lower=True, alpha=test["false_failure_rate"])
        if statistic.startswith("goodness of fit"):
            entry["law"] = SCIPY_LAW[rule.family]
            # float16/bfloat16: the battery's KS is against the law rounding to nearest makes (conformance.rounding.rounded_law)
            entry["rounded"] = record["dtype"] if record["dtype"] in ("float16", "bfloat16") else None
            entry["upper"] = True  # fails above the critical value: z is the statistic itself (D·√n, or A²)
        entry["index"] = index
        checks.append(entry)
    not_reproduced = sorted({f"{t['statistic']} on {t['probe'].split(' (')[0]}" for t in failing if t not in kept})
    header = (
        f"#!/usr/bin/env python3\n"
        f'"""{record["target"]} against {record["rule"]}, {record["dtype"]}, layout {record["layout"]}: a discrepancy found by initcheck {__version__}\n'
        f"({datetime.date.today().isoformat()}), written as a script that needs only the framework, NumPy and SciPy.\n\n"
        f"Documented: {record.get('documented', '')}\n"
        f"Claim: {record.get('claim_id') or 'none'}. Battery: {replicates} tensors per probe (each from its own generator), per-test\n"
        f"false-failure rate {record['design']['per_test_false_failure_rate']:.3g} (Student-t critical value with R - 1 df).\n\n"
        "The tensors are the battery's own: SeedSequence(SEED) spawns one child generator per tensor, probe after probe, and\n"
        "the framework is seeded with the first integer each child draws. Expected values are initcheck's derivation for the\n"
        "rule at each probe's fans. Exit status: 1 while any statistic below fails, 0 once all pass.\n"
        + (f"Failing in initcheck but not recomputed here: {', '.join(not_reproduced)}.\n" if not_reproduced else "")
        + '"""\n'
    )
    body = f'''
import math
import os
import sys

import numpy as np
from scipy import stats

{imports}

SEED = {seed}
REPLICATES = {replicates}
PROBES = {[(p.label, p.shape) for p in probe_list[: last + 1]]!r}
PIT_SEED = {PIT_SEED}
RULE_VARIANCE = {variances[: last + 1]!r}  # Var(w) the rule gives on each probe, derived by initcheck
CHECKS = {checks!r}


{draw}


def tensors():
    """The battery's draws: REPLICATES tensors per probe, each probe spawning its children after the last one's."""
    root = np.random.SeedSequence(SEED)
    drawn = []
    for label, shape in PROBES:
        children = [np.random.default_rng(s) for s in root.spawn(REPLICATES)]
        drawn.append(np.stack([np.asarray(draw(child, tuple(shape)), dtype=np.float64).reshape(-1) for child in children]))
    return drawn


def levels(dtype):
    """Every finite float16 or bfloat16 value (bfloat16: the float32s whose low 16 bits are 0), ascending, as float64."""
    bits = np.arange(2**16, dtype=np.uint32)
    if dtype == "float16":
        values = bits.astype(np.uint16).view(np.float16).astype(np.float64)
    else:
        with np.errstate(invalid="ignore"):
            values = (bits << 16).view(np.float32).astype(np.float64)
    return np.unique(values[np.isfinite(values)])


def rounded_cdf(law, sd, dtype):
    """Every level of dtype and the cumulative probability of round-to-nearest(sd·Z) up to it: each level holds
    F(upper midpoint) − F(lower midpoint) (nothing, far out in the tails or past a bounded law's end)."""
    level = levels(dtype)
    return level, np.clip(np.append(law.cdf((level[1:] + level[:-1]) / 2 / sd), 1.0), 0.0, 1.0)


def jittered_sorted(jitter, counts, cumulative):
    """The randomized transform of values counted by level, ascending: level k's c values are F(k-) + P(k)·V with V the
    order statistics of c uniforms, (E1 + ... + Ej)/(E1 + ... + E(c+1)) from c + 1 standard exponentials (the
    battery's draw: one call for the probe, levels in ascending order)."""
    occupied = np.flatnonzero(counts)
    sizes = counts[occupied]
    below = np.concatenate([[0.0], cumulative[:-1]])[occupied]
    held = cumulative[occupied] - below
    sums = np.cumsum(jitter.standard_exponential(int(sizes.sum()) + occupied.size))
    ends = np.cumsum(sizes + 1) - 1
    starts = np.concatenate([[0.0], sums[ends[:-1]]])
    inside = np.ones(sums.size, dtype=bool)
    inside[ends] = False
    fraction = (sums[inside] - np.repeat(starts, sizes)) / np.repeat(sums[ends] - starts, sizes)
    return np.repeat(below, sizes) + np.repeat(held, sizes) * fraction


def transformed(law, rounded, drawn):
    """Every value of probes A, B and C through its probe's law, pooled and ascending: U = F(w/sd), Uniform(0, 1) under
    the rule. In float16 and bfloat16, F is the rounded law's and each value is jittered within its level (the
    randomized probability integral transform, uniform for a discrete law too), from default_rng(PIT_SEED)."""
    jitter = np.random.default_rng(PIT_SEED)
    pooled = []
    for values, variance in zip(drawn[:3], RULE_VARIANCE[:3]):
        sd = math.sqrt(variance)
        if rounded is None:
            pooled.append(law.cdf(values.ravel() / sd))
            continue
        level, cumulative = rounded_cdf(law, sd, rounded)
        counts = np.bincount(np.searchsorted(level, np.sort(values.ravel())), minlength=level.size)
        pooled.append(jittered_sorted(jitter, counts, cumulative))
    return np.sort(np.concatenate(pooled), kind="stable" if rounded else "quicksort")


def fit(u):
    """The Kolmogorov–Smirnov distance and the Anderson–Darling A² of U against Uniform(0, 1) (u clamped to
    [1/n², 1 − 1/n²] for A², as initcheck does)."""
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


def statistic(check, drawn):
    """(value, standard error) as the battery computes it."""
    name, i = check["statistic"], check["index"]
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
        fourth, second = np.mean(squares**2, axis=1), np.mean(squares, axis=1)
        value = fourth.mean() / second.mean() ** 2
        gradient = np.array([1 / second.mean() ** 2, -2 * fourth.mean() / second.mean() ** 3])
        return value, math.sqrt(gradient @ np.cov(np.vstack([fourth, second])) @ gradient / fourth.size)
    if name.startswith("goodness of fit"):
        law = eval(check["law"])  # a scipy.stats distribution of the standardized values, written by initcheck
        distance, a2, n = fit(transformed(law, check["rounded"], drawn))
        if "Anderson" in name:
            return a2, 1.0  # A² is judged on its own scale: its limit law has no n
        return distance, 1 / math.sqrt(n)  # z = D·√n, the scale of the Kolmogorov critical value
    if name == "levels occupied":
        law = eval(check["law"])
        occupied, expected, variance = 0, 0.0, 0.0
        for values, rule_variance in zip(drawn[:3], RULE_VARIANCE[:3]):
            level, cumulative = rounded_cdf(law, math.sqrt(rule_variance), check["rounded"])
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
    drawn = tensors()
    failed = 0
    for check in CHECKS:
        value, se = statistic(check, drawn)
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
'''
    return header + body


def matrix_scripts(records: list[dict[str, Any]], *, seed: int) -> dict[str, bytes]:
    """A script for each failing matrix record whose target this module can draw (framework initializers by dotted
    path; layer defaults, drawn by building the layer, get none), named repro-NN-<target>-<backend>-<dtype>.py; each
    such record gets "repro": its file name. The kwargs are the matrix entry's own (the record keeps only their text)."""
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
