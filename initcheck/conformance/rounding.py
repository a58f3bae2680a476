"""The law a 16-bit dtype can hold: round-to-nearest of a rule's exact law, evaluated over every level of the dtype.

The law itself is derived in `initcheck.theory.conformance` (standardized_law: the family's CDF, symbolic); this module
evaluates that CDF at the 65,535 midpoints between float16 or bfloat16 levels, as `rules.Law.cdf` evaluates it for
the KS test (numbers, not a derivation: NumPy over the levels).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import sympy as sp

from initcheck.theory.conformance import standardized_law, x

LOW_PRECISION = ("float16", "bfloat16")


def _pattern_values(dtype: str) -> np.ndarray:
    """The value of each of the 2¹⁶ bit patterns of a 16-bit float type, as float64 (NaN and ±inf included).

    float16 is numpy's own; bfloat16 is the upper half of a float32 (1 sign, 8 exponent, 7 fraction bits), so its
    values are the float32s whose low 16 bits are 0."""
    bits = np.arange(2**16, dtype=np.uint32)
    if dtype == "float16":
        return bits.astype(np.uint16).view(np.float16).astype(np.float64)
    if dtype == "bfloat16":
        with np.errstate(invalid="ignore"):  # the NaN patterns among the 2¹⁶
            return (bits << 16).view(np.float32).astype(np.float64)
    raise ValueError(f"dtype_levels takes {', '.join(LOW_PRECISION)}; got {dtype!r}")


@cache
def dtype_levels(dtype: str) -> np.ndarray:
    """Every finite value of a 16-bit float type, ascending, as float64 (exact: each is a float64 too; ±0 merged)."""
    values = _pattern_values(dtype)
    levels = np.unique(values[np.isfinite(values)])
    levels.flags.writeable = False  # cached: every probe of every 16-bit battery shares this array
    return levels


@cache
def _code_table(dtype: str) -> np.ndarray:
    """For each of the 2¹⁶ bit patterns of the dtype, the index of its value in dtype_levels (−1 for NaN and ±inf)."""
    values = _pattern_values(dtype)
    levels = dtype_levels(dtype)
    finite = np.isfinite(values)
    table = np.full(2**16, -1, dtype=np.int64)
    table[finite] = np.searchsorted(levels, values[finite])
    return table


def level_counts(values: np.ndarray, dtype: str) -> np.ndarray:
    """How many of `values` sit on each level of dtype_levels: values of the dtype itself (their bit patterns are read),
    or exact float16 or bfloat16 values held in a wider float. The 2¹⁶ bit patterns are counted, then each pattern's
    count goes to its level (±0 share one), so no search over the values is needed."""
    flat = np.asarray(values).ravel()
    if flat.dtype.itemsize == 2:  # the dtype's own values (float16, or ml_dtypes' bfloat16)
        bits = flat.view(np.uint16)
    elif dtype == "float16":
        bits = flat.astype(np.float16).view(np.uint16)
    else:  # a bfloat16 is exact in float32, whose upper 16 bits are its pattern
        bits = (flat.astype(np.float32).view(np.uint32) >> 16).astype(np.uint16)
    by_pattern = np.bincount(bits, minlength=1 << 16)
    table = _code_table(dtype)
    finite = table >= 0
    if np.any(by_pattern[~finite]):
        raise ValueError("level_counts takes finite values")
    return np.bincount(table[finite], weights=by_pattern[finite], minlength=dtype_levels(dtype).size).astype(np.int64)


@cache
def _standardized_cdf(family: str) -> Any:
    return sp.lambdify(x, standardized_law(family)["cdf"], modules=["scipy", "numpy"])


def cdf_expression(family: str) -> str:
    """The family's standardized CDF as a Python expression in x, for a script with `numpy` and `scipy` (its `special`
    and `constants` imported): printed by the printer `sp.lambdify` uses for these modules (SciPyPrinter, here with
    qualified names), so it does the same floating-point operations as `_standardized_cdf`, bit for bit
    (tests/test_conformance_rounding.py). A conformance finding's script evaluates the rounded law with it."""
    from sympy.printing.numpy import SciPyPrinter

    printer = SciPyPrinter({"fully_qualified_modules": True, "inline": True, "allow_unknown_functions": True})
    return str(printer.doprint(standardized_law(family)["cdf"]))


def rounded_law(family: str, sd: float, dtype: str) -> dict[str, Any]:
    """W = round-to-nearest(sd·Z) in `dtype`, Z the family's unit-variance member: the law a correct sampler holds.

    Level v gets P = F(v⁺/sd) − F(v⁻/sd), v± the midpoints to its neighbours (ties have probability 0 for a continuous
    Z). Returned, in units of sd: the levels with P > 0, their probabilities and CDF, E[W]/sd (0 by symmetry: the levels
    and F are symmetric), E[W²]/sd² (the variance ratio rounding makes, 1 + O(eps²)), the kurtosis E[W⁴]/E[W²]², and
    the bound: the largest level, the rounded sd·sup|Z|; "all_cdf" is the CDF at every level of dtype_levels, those
    that hold nothing included (for level_counts). The CDF is the derived one (standardized_law), evaluated in
    float64 at the 65,535 midpoints: each P is exact to ~1e-16 absolute, far below any statistic's resolution.
    """
    levels = dtype_levels(dtype)
    cumulative = np.asarray(_standardized_cdf(family)((levels[1:] + levels[:-1]) / 2 / sd), dtype=np.float64)
    cumulative = np.clip(np.append(cumulative, 1.0), 0.0, 1.0)
    probabilities = np.diff(cumulative, prepend=0.0)
    held = probabilities > 0
    scaled, p = levels[held] / sd, probabilities[held]
    second = float(np.sum(p * scaled**2))
    return {
        # E[W] = 0 exactly: the levels and F are symmetric about 0 (the float64 sum Σ p·v is 0 to ~1e-16, rounding noise)
        "levels": scaled, "probabilities": p, "cdf": cumulative[held], "all_cdf": cumulative, "mean": 0.0, "mean_computed": float(np.sum(p * scaled)), "second": second,
        "kurtosis": float(np.sum(p * scaled**4)) / second**2, "bound": float(np.max(np.abs(scaled))),
    }  # fmt: skip


__all__ = ["LOW_PRECISION", "cdf_expression", "dtype_levels", "level_counts", "rounded_law"]
