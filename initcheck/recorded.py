"""Compact forms for what checks record for the report's figures (`measurements["figures"][figure id]`).

results.json is diffed and cached: a figure's data is recorded as a histogram (counts and edges), not its
samples, and as curves at a modest number of points, each number rounded to the digits a plot can show.
"""

from __future__ import annotations

from typing import Any

import numpy as np

PLOT_DIGITS = 5  # significant digits: a figure resolves a few parts in 10⁴ at most


def rounded(values: Any, digits: int = PLOT_DIGITS) -> Any:
    """Nested lists of floats at `digits` significant digits (NaN and ±inf kept as None: JSON has no NaN)."""
    array = np.asarray(values, dtype=float)
    if array.ndim == 0:
        value = float(array)
        return float(f"{value:.{digits}g}") if np.isfinite(value) else None
    return [rounded(v, digits) for v in array]


def histogram(samples: np.ndarray, *, bins: int, bounds: tuple[float, float] | None = None, density: bool = False) -> dict[str, Any]:
    """np.histogram as a record: counts (or densities) and the bin edges; samples outside `bounds` are counted apart."""
    values, edges = np.histogram(samples, bins=bins, range=bounds, density=density)
    record: dict[str, Any] = {"edges": rounded(edges, 6), "density" if density else "counts": rounded(values) if density else values.tolist()}
    if bounds is not None:
        record["outside_range"] = int(np.count_nonzero((samples < bounds[0]) | (samples > bounds[1])))
    return record
