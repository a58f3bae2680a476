"""Calibration: the battery on correct initializers over many seeds (slow tier): false failures against the designed 1e-6.

The goodness-of-fit statistics (KS's D·√n and A²) are printed with the moment z's; A²'s mean over the seeds must be
its limit law's mean 1 (a miscalibrated transform, such as a discrete law judged as continuous, moves it).

With 4 correct initializers × 200 seeds = 800 batteries, the expected number of false failures
is ≤ 8e-4; any failure is a design error (a miscalibrated test), so the test asserts none, and
checks that the moment z's are standard normal (they are t with R − 1 ≥ 63 df: sd within 10%).
"""

import importlib.util

import numpy as np
import pytest
from scipy import stats

from initcheck.conformance import conform
from initcheck.conformance.foils import CORRECT, CORRECT_LOW_PRECISION
from initcheck.theory import anderson_darling

SEEDS = 200
HAS_ML_DTYPES = importlib.util.find_spec("ml_dtypes") is not None
LOW = [pytest.param(c, marks=pytest.mark.skipif("bfloat16" in c.name and not HAS_ML_DTYPES, reason="bfloat16 needs ml_dtypes")) for c in CORRECT_LOW_PRECISION]


@pytest.mark.slow
@pytest.mark.parametrize("correct", [*CORRECT, *LOW], ids=lambda c: c.name)
def test_correct_initializers_never_fail_over_200_seeds(correct):
    """Float32 initializers and, in float16 and bfloat16, round-to-nearest draws judged against the rounded law."""
    failures, zs, fit = [], [], {"KS": [], "A²": [], "levels z": []}
    small: dict[str, list[float]] = {}  # probe D's statistics, each on its own: calibrated per case, not only pooled
    for seed in range(SEEDS):
        record = conform(correct.function, correct.rule, layout="keras", tier="quick", seed=1000 + seed)
        failures += [(seed, name) for name in record["failures"]]
        zs += [
            t["z"] for t in record["tests"]
            if t["n_unit"] == "tensors" and t["z"] is not None and t["statistic"] != "duplicate values" and "acceptance" not in t  # not the binomial sign count
        ]  # fmt: skip
        for t in record["tests"]:
            if t["probe"].startswith("D fans") and t["z"] is not None:
                small.setdefault(t["statistic"], []).append(t["z"])
            if t["statistic"].startswith("goodness of fit"):
                fit["A²" if "Anderson" in t["statistic"] else "KS"].append(t["z"])
            elif t["statistic"] == "levels occupied":  # 16 bits: (occupied − expected)/σ, σ an upper bound (negative association)
                fit["levels z"].append(t["z"])
    z = np.asarray(zs)
    print(f"\n{correct.name}: {len(failures)} false failures in {SEEDS} batteries; moment z: n {z.size}, mean {z.mean():.3f}, sd {z.std():.3f}, max |z| {np.abs(z).max():.2f}")
    for name, values in fit.items():
        if values:
            print(f"  {name}: n {len(values)}, mean {np.mean(values):.3f}, sd {np.std(values):.3f}, min {np.min(values):.2f}, max {np.max(values):.2f}")
    for name, values in small.items():
        print(f"  D {name}: n {len(values)}, mean {np.mean(values):.3f}, sd {np.std(values):.3f}, min {np.min(values):.2f}, max {np.max(values):.2f}")
    assert failures == []
    if fit["A²"]:  # A²'s limit law: mean 1, sd √(2π²/3 − 6) = 0.761 (anderson_darling.anderson_darling_moments); 5 SE over the seeds
        sd = float(np.sqrt(float(anderson_darling.anderson_darling_moments()["variance"])))
        assert abs(np.mean(fit["A²"]) - 1) < 5 * sd / np.sqrt(len(fit["A²"])), np.mean(fit["A²"])
    # 200 seeds × ~9 moment z's: the sd of z is within 10% of 1 unless the SEs are wrong (t_63 has sd 1.016)
    assert abs(z.mean()) < 5 * z.std() / np.sqrt(z.size) + 0.05 and 0.9 < z.std() < 1.1, (z.mean(), z.std())
    assert stats.kstest(z, "norm").pvalue > 1e-6
