"""The calibration of the statistical rule, as `initcheck calibrate` recorded it: z-scores against N(0, 1).

Draws only the record (calibration.json): the pooled histogram of z (bins of 0.25) over the N(0, 1) density,
and per case the mean z and sd(z) against 0 and 1. The density is the textbook formula for the reference line,
a plotting aid, not a derived result.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import matplotlib.pyplot as plt


def calibration_figure(record: dict[str, Any]) -> Any:
    """Left: pooled z histogram (density) and φ(z); right: mean z and sd(z) per case with the per-case bands."""
    height = max(3.0, 1.2 + 0.07 * len(record["cases"]))  # one row per case, readable at any count
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, height), gridspec_kw={"width_ratios": [1, 1.3]})
    edges, counts = record["histogram"]["edges"], record["histogram"]["counts"]
    total = record["z_scores"]
    widths = [b - a for a, b in itertools.pairwise(edges)]
    left.bar(edges[:-1], [c / total / w for c, w in zip(counts, widths, strict=True)], width=widths, align="edge", color="#9db4d4", edgecolor="white", linewidth=0.3)
    grid = [-5 + k * 0.05 for k in range(201)]
    left.plot(grid, [math.exp(-x * x / 2) / math.sqrt(2 * math.pi) for x in grid], color="#333333", linewidth=1.0, label="N(0, 1)")
    left.set_xlabel("z = (estimate − theory) / SE")
    left.set_ylabel("density")
    left.set_title(f"{total} z-scores, {record['seeds']} seeds", fontsize=8)
    left.legend(fontsize=7, frameon=False)
    cases = record["cases"]
    names = list(cases)
    means = [cases[n]["mean_z"] for n in names]
    sds = [cases[n]["sd_z"] for n in names]
    positions = range(len(names))
    right.scatter(means, positions, s=10, color="#4c72b0", label="mean z")
    right.scatter(sds, positions, s=10, marker="s", color="#c44e52", label="sd(z)")
    right.axvline(0, color="#4c72b0", linewidth=0.6, linestyle=":")
    right.axvline(1, color="#c44e52", linewidth=0.6, linestyle=":")
    labelled = [k for k in positions if k % 5 == 0]  # every fifth case number: the table lists them all
    right.set_yticks(labelled, [str(k + 1) for k in labelled], fontsize=6.5)
    right.set_ylabel("case (numbered as in the table)")
    right.invert_yaxis()
    right.legend(fontsize=7, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)
    return fig
