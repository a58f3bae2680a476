"""Low precision: the law a 16-bit dtype can hold (initcheck.conformance.rounding) and the battery that judges it.

A correct float16/bfloat16 sampler is round-to-nearest of the exact law. The battery compares the mean, mean square,
kurtosis, CDF (at every level) and bound with that rounded law, and sizes the default tier to see a 0.5% variance
error. Foils: a 0.5% variance error, and U[0,1) drawn from 128 levels (what JAX and tf-keras do in bfloat16).
"""

from __future__ import annotations

import importlib.util
import math

import numpy as np
import pytest
from scipy import stats

from initcheck.conformance import conform
from initcheck.conformance.rounding import dtype_levels, level_counts, rounded_law

FORMATS = {"float16": (5, 10), "bfloat16": (8, 7)}  # exponent and fraction bits (IEEE 754 binary16; bfloat16 = float32's top half)
needs_ml_dtypes = pytest.mark.skipif(importlib.util.find_spec("ml_dtypes") is None, reason="bfloat16 arrays need ml_dtypes (installed with JAX or TensorFlow)")


@pytest.mark.parametrize("dtype", sorted(FORMATS))
def test_a_16_bit_type_has_every_finite_level_once(dtype):
    """(2^E − 1) exponents × 2^F fractions per sign, ±0 merged: from the format, not from the enumeration."""
    exponent, fraction = FORMATS[dtype]
    levels = dtype_levels(dtype)
    assert levels.size == 2 * (2**exponent - 1) * 2**fraction - 1
    assert np.all(np.diff(levels) > 0) and np.array_equal(levels, -levels[::-1])
    if dtype == "float16":
        assert np.array_equal(levels.astype(np.float16).astype(np.float64), levels)  # each a float16, exactly


@pytest.mark.parametrize("family", ["normal", "uniform", "truncated_normal"])
@pytest.mark.parametrize("dtype", sorted(FORMATS))
def test_the_rounded_law_is_a_symmetric_distribution_close_to_the_exact_one(family, dtype):
    law = rounded_law(family, 0.05, dtype)
    assert math.isclose(law["probabilities"].sum(), 1.0, abs_tol=1e-12) and law["mean"] == 0.0 and abs(law["mean_computed"]) < 1e-15
    assert abs(law["second"] - 1) < 2.0**-12  # rounding moves the mean square by O(eps²), far less than eps
    assert np.all(np.diff(law["cdf"]) >= 0) and law["cdf"][-1] == 1.0


def test_float16_rounding_of_normal_draws_gives_the_derived_level_probabilities():
    """numpy's float64 → float16 cast is round-to-nearest-even: the frequencies of the levels near 0.5 sd follow the
    derived probabilities (binomial z ≤ 5 each); the foil, the continuous density times the level spacing at the level
    itself, is off by the asymmetry of the rounding intervals where the spacing doubles (at a power of 2)."""
    rng = np.random.default_rng(7)
    sd = 0.3
    draws = (rng.standard_normal(2_000_000) * sd).astype(np.float16).astype(np.float64) / sd
    law = rounded_law("normal", sd, "float16")
    boundary = np.flatnonzero(np.isclose(law["levels"] * sd, 0.25))[0]  # 0.25 = 2⁻²: the spacing doubles here
    for index in range(boundary - 2, boundary + 3):
        level, p = law["levels"][index], law["probabilities"][index]
        count = np.count_nonzero(draws == level)
        assert abs(count - draws.size * p) <= 5 * math.sqrt(draws.size * p * (1 - p)), (level, count, draws.size * p)
    spacing_below = law["levels"][boundary] - law["levels"][boundary - 1]
    naive = stats.norm.pdf(law["levels"][boundary]) * spacing_below  # the foil: as if the level's cell were its lower spacing
    assert abs(law["probabilities"][boundary] - naive) / naive > 0.4  # the cell is 1.5 spacings wide: its probability too


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_values_are_counted_by_level_through_their_bit_patterns_as_a_search_over_the_levels_counts_them(dtype):
    """level_counts reads each value's 16-bit pattern; a search over dtype_levels is the slow, plain way. Both −0.0 and
    +0.0 are the level 0 (the foil: counting patterns, not values, would put them on two levels)."""
    rng = np.random.default_rng(11)
    wide = rng.standard_normal(50_000) * 0.05
    if dtype == "float16":
        values = wide.astype(np.float16).astype(np.float64)
    else:  # bfloat16 without ml_dtypes: a float32 with its low 16 bits cleared (truncation suffices for a count)
        values = (wide.astype(np.float32).view(np.uint32) & 0xFFFF0000).view(np.float32).astype(np.float64)
    values = np.concatenate([values, [-0.0, 0.0, 0.0]])
    levels = dtype_levels(dtype)
    plain = np.bincount(np.searchsorted(levels, values), minlength=levels.size)
    counted = level_counts(values, dtype)
    assert np.array_equal(counted, plain) and counted.sum() == values.size
    assert counted[np.searchsorted(levels, 0.0)] == np.count_nonzero(values == 0.0) >= 3
    # the dtype's own values (the battery's draws): their bit patterns, read without a conversion, count the same
    if dtype == "float16":
        own = values.astype(np.float16)
    else:  # bfloat16's bit patterns, as 16-bit words (what an ml_dtypes array holds)
        own = (values.astype(np.float32).view(np.uint32) >> 16).astype(np.uint16)
    assert np.array_equal(level_counts(own, dtype), plain)
    with pytest.raises(ValueError, match="finite"):
        level_counts(np.array([1.0, np.inf]), dtype)


@pytest.mark.parametrize("family", ["normal", "uniform", "truncated_normal"])
def test_the_printed_cdf_a_script_evaluates_is_the_batterys_bit_for_bit(family):
    """A finding's script evaluates the rounded law from rounding.cdf_expression; its 16-bit jitter depends on each
    level's exact width, so the expression must give the battery's CDF to the last bit at every level's midpoint (the
    foil, SciPy's own normal CDF, differs at ~1e-16 in places and is 0 at other levels of the far tails)."""
    import scipy
    import scipy.constants
    import scipy.special

    from initcheck.conformance.rounding import _standardized_cdf, cdf_expression

    printed = eval("lambda x: " + cdf_expression(family), {"numpy": np, "scipy": scipy})
    for dtype in ("float16", "bfloat16"):
        levels = dtype_levels(dtype)
        for sd in (0.0123, 0.05, 1 / 3, 1.7):
            midpoints = (levels[1:] + levels[:-1]) / 2 / sd
            ours, theirs = np.asarray(printed(midpoints), dtype=float), np.asarray(_standardized_cdf(family)(midpoints), dtype=float)
            assert np.array_equal(ours, theirs, equal_nan=True), (family, dtype, sd)
    if family == "normal":
        midpoints = (dtype_levels("float16")[1:] + dtype_levels("float16")[:-1]) / 2 / 0.05
        assert not np.array_equal(stats.norm.cdf(midpoints), _standardized_cdf(family)(midpoints))


FLOAT16 = '''import numpy as np


def fans(shape):
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


def he(rng, shape):
    return (rng.standard_normal(shape) * np.sqrt(2 / fans(shape)[0])).astype(DTYPE)


def he_half_percent_wide(rng, shape):
    return (rng.standard_normal(shape) * np.sqrt(1.005 * 2 / fans(shape)[0])).astype(DTYPE)


def glorot_uniform_from_128_levels(rng, shape):
    a = np.sqrt(6 / sum(fans(shape)))
    return (2 * a * (rng.integers(0, 128, shape) / 128) - a).astype(DTYPE)


def glorot_uniform(rng, shape):
    a = np.sqrt(6 / sum(fans(shape)))
    return rng.uniform(-a, a, shape).astype(DTYPE)


_BUFFERS = {}


def he_into_one_buffer(rng, shape):  # correct, but every call returns the same array, refilled
    buffer = _BUFFERS.setdefault(shape, np.empty(shape, dtype=DTYPE))
    buffer[...] = he(rng, shape)
    return buffer
'''


def write_samplers(tmp_path, dtype):
    path = tmp_path / f"samplers_{dtype}.py"
    header = "import ml_dtypes\nDTYPE = ml_dtypes.bfloat16\n" if dtype == "bfloat16" else "DTYPE = 'float16'\n"
    path.write_text(header + FLOAT16)
    return path


@pytest.mark.parametrize("dtype", ["float16", pytest.param("bfloat16", marks=needs_ml_dtypes)])
def test_the_default_tier_passes_rounded_correct_draws_and_sees_a_half_percent_variance_error(tmp_path, dtype):
    path = write_samplers(tmp_path, dtype)
    correct = conform(f"{path}:he", "kaiming_normal", layout="keras")
    assert correct["status"] == "pass" and correct["dtype"] == dtype, correct["failures"]
    wide = conform(f"{path}:he_half_percent_wide", "kaiming_normal", layout="keras")
    failed = {f.split(" on ")[0] for f in wide["failures"]}  # a scale error is another law: the fit tests may see it too
    assert "second moment" in failed and failed <= {"second moment", "goodness of fit (Anderson–Darling A²)", "goodness of fit (KS, standardized)"}, failed
    # the replicates are sized on probe A (the largest): there a 0.5% variance error and a 0.005 sd mean shift show at power 0.999
    detects = {t["statistic"]: t["detects"] for t in correct["tests"] if t["statistic"] in ("second moment", "mean") and t["probe"].startswith("A")}
    assert all(float(d.split("≥ ")[1].split(" ")[0]) <= 0.005 for d in detects.values()) and len(detects) == 2, detects


def test_a_sampler_that_refills_one_buffer_is_judged_on_what_it_drew_each_time(tmp_path):
    """The battery keeps each 16-bit tensor's bit patterns for the level count: a copy, since a correct sampler may hand
    back the same array each time, refilled. Kept as views, every tensor would count as the last one drawn (copies of
    one tensor's levels), and the fit tests fail a correct sampler (mutant level-count-patterns-not-copied). The seed
    test copies each draw too: it compared a draw with itself and failed "other seed → other values" (found by this
    test; mutant seed-draws-not-copied)."""
    path = write_samplers(tmp_path, "float16")
    record = conform(f"{path}:he_into_one_buffer", "kaiming_normal", layout="keras", tier="quick")
    assert record["status"] == "pass", record["failures"]


@needs_ml_dtypes
def test_bfloat16_uniform_from_128_levels_is_rejected_and_round_to_nearest_passes(tmp_path):
    path = write_samplers(tmp_path, "bfloat16")
    assert conform(f"{path}:glorot_uniform", "glorot_uniform", layout="keras")["status"] == "pass"
    grid = conform(f"{path}:glorot_uniform_from_128_levels", "glorot_uniform", layout="keras")
    assert any(f.startswith("mean on A") for f in grid["failures"]) and any(f.startswith("goodness of fit") for f in grid["failures"])


def test_equal_rows_expected_by_chance_in_16_bits_make_the_identical_rows_test_not_applicable_not_a_failure(tmp_path):
    """An RNN bias read as (gates·H, 2) in bfloat16: two 16-bit values per row, so among a thousand rows some are equal
    by chance (the matrix saw 460-1213 in 128 tensors). The test must stand aside there, and stay on for long lines,
    where a repeated unit is a bug (foil: float16 rows copied from their neighbour)."""
    from initcheck.conformance.battery import _chance_identical_lines

    law = rounded_law("uniform", 0.05, "bfloat16")
    assert _chance_identical_lines(law["probabilities"], (1024, 2), 128) > 1.0
    assert _chance_identical_lines(law["probabilities"], (128, 32), 128) < 1e-30
    path = tmp_path / "rows.py"
    path.write_text(
        "import numpy as np\n\n\ndef narrow(rng, shape):\n    return (rng.standard_normal(shape) * np.sqrt(2 / shape[-2])).astype('float16')\n\n\n"
        "def copied(rng, shape):\n    w = (rng.standard_normal(shape) * np.sqrt(2 / shape[-2])).astype('float16')\n    w[..., 1::2] = w[..., 0::2][..., : w.shape[-1] // 2]\n    return w\n"
    )
    narrow = conform(f"{path}:narrow", "kaiming_normal", layout="keras", tier="quick", shapes=((2, 1024), (2, 256), (2, 512)))
    (row_test,) = [t for t in narrow["tests"] if t["statistic"] == "identical rows or columns"]
    assert row_test["passed"] and row_test["detects"].startswith("not applicable")
    copied = conform(f"{path}:copied", "kaiming_normal", layout="keras", tier="quick")
    assert "identical rows or columns on all probes" in copied["failures"]
