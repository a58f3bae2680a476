"""The conformance matrix, as `initcheck conform --out DIR` recorded it: every z-scored statistic of every initializer.

Draws only the record (conformance.json): per initializer (one row) each statistic's |z| in units of its critical
value (a Poisson count test: its count over its critical count), so 1 is the line a statistic must not cross; exact tests (bounds, counts)
have no z and appear in the table only. Failing statistics are red, and so is a failing initializer's name; up to 25 rows
a label under the row names the statistics that failed (more rows sit too close for one). The markers are an image
embedded in the SVG (RASTER_DPI), the rest vector.
"""

from __future__ import annotations

import itertools
import math
import textwrap
from typing import Any

import matplotlib.pyplot as plt

MAX_HEIGHT = 8.0  # inches: the figure and its caption fit one page at any number of initializers, the section's heading and counts too
FLOOR = 1e-3  # |z|/critical below this (a z of ~0.005) is drawn at the floor: the axis is logarithmic
FAILED = "#c44e52"
# The markers (~950 a part) are drawn as one embedded image at this resolution, the axes, names and labels as vector text:
# WeasyPrint draws an SVG's elements one by one (the four parts: 7.6 s of PDF time as vector markers, 3.9 s as images).
RASTER_DPI = 200


ROWS_PER_PAGE = 85  # rows a page holds, drawn the page's whole width (5 pt names 7.6 pt apart)
ROWS_PER_FIGURE = 43  # half a page: a larger matrix is drawn as several figures of (nearly) equal size, in its own order,
# so that a part fits the half page a section leaves and two fill a page (whole-page parts left a page half empty)


def conformance_figures(document: dict[str, Any]) -> list[Any]:
    """The matrix in figures of at most ROWS_PER_FIGURE initializers each, sizes balanced (every record that ran, in order)."""
    rows = [r for r in document["records"] if r.get("tests")]
    parts = math.ceil(len(rows) / ROWS_PER_FIGURE)
    bounds = [len(rows) * part // parts for part in range(parts + 1)]  # sizes differ by one row at most
    return [conformance_figure({**document, "records": rows[start:end]}) for start, end in itertools.pairwise(bounds)]


def conformance_figure(document: dict[str, Any]) -> Any:
    """One row per initializer that ran; x = |z|/critical per statistic (log axis), the critical value at 1."""
    rows = [r for r in document["records"] if r.get("tests")]
    dense = len(rows) > 25
    # a page at most; dense rows at the spacing with which a page holds ROWS_PER_PAGE (the same in every part), sparse
    # ones 0.3 in apart (room for a label under each)
    height = min(MAX_HEIGHT, 1.0 + (MAX_HEIGHT - 1.0) * len(rows) / ROWS_PER_PAGE if dense else max(2.4, 1.0 + 0.3 * len(rows)))
    fig, ax = plt.subplots(figsize=(7.2, height), dpi=RASTER_DPI)
    points: dict[bool, tuple[list[float], list[int]]] = {False: ([], []), True: ([], [])}  # failed? -> (x, y): one scatter each
    for position, record in enumerate(rows):
        failing: list[str] = []
        for test in record["tests"]:
            ratio = _ratio(test)
            if ratio is None:
                continue
            failed = not test["passed"]
            points[failed][0].append(ratio)
            points[failed][1].append(position)
            if failed and test["statistic"] not in failing:
                failing.append(test["statistic"])
        if failing and not dense:  # one label per row, under its points: the table after the figure gives each test's numbers
            text = textwrap.shorten("fails: " + "; ".join(failing), width=110, placeholder=" …")
            ax.annotate(text, (0.01, position), xycoords=("axes fraction", "data"), xytext=(0, -8), textcoords="offset points",
                        fontsize=6, color=FAILED, va="top")  # fmt: skip
        # dense rows (~6 pt apart) leave no room for a label under a row: it would sit on the next row's name; the failing
        # row's own name is red instead, and the failure tables after the figure name the statistics
    for failed, (x, y) in points.items():  # the failing points drawn last, on top
        ax.scatter(x, y, s=14 if failed else 8, color=FAILED if failed else "#4c72b0", alpha=0.9 if failed else 0.5, zorder=4 if failed else 3, rasterized=True)
    ax.axvline(1.0, color="#333333", linewidth=0.8, linestyle="--", label="critical value")
    ax.set_xscale("log")
    ax.set_yticks(range(len(rows)), [_label(r) for r in rows], fontsize=5 if dense else 6.5)
    for tick, record in zip(ax.get_yticklabels(), rows, strict=True):
        if record["status"] == "fail":
            tick.set_color(FAILED)
    ax.set_ylim(len(rows) + (0.6 if dense else 0.3), -0.7)  # first row on top, room for the failures named under the last row
    ax.set_xlabel("|z| / the statistic's own critical value")
    ax.legend(fontsize=7, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    return fig


def _ratio(test: dict[str, Any]) -> float | None:
    """How far a test is toward failing, 1 at its critical value: |z|/critical, or count/critical count for a Poisson
    count test (judged_by "count"); None for an exact test (no critical value)."""
    if test.get("z") is None or not test.get("critical"):
        return None
    value = test["measured"] if test.get("judged_by") == "count" else abs(test["z"])
    return max(value / test["critical"], FLOOR)


def _label(record: dict[str, Any]) -> str:
    """The target without its folders (a user file's path can be long), the rule, layout and dtype: one target can appear
    under several rules and layouts."""
    on = f"on {record['backend']}, " if record.get("backend") else ""
    return f"{record['target'].rsplit('/', 1)[-1]} · {record.get('rule', '')} [{on}{record.get('layout', '')}, {record.get('dtype', '')}]"
