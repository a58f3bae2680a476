"""Figures for the report, drawn only from what the results JSON records: nothing is sampled, derived or rerun here.

A check records what its figure needs when `initcheck verify` runs: a simulation, property or reproduction
check under `measurements.figures.<figure id>`, a symbolic check in its `details`. A `Record` names one such
place; a `FigureSpec` names the claims it illustrates, its caption, the records it reads and `draw(results)`,
which returns a matplotlib Figure. When a record is absent the figure says which one (`missing`) instead of
computing it. `svg(figure)` serializes a figure with text kept as text (searchable, printable labels).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

plt.rcParams.update(
    {
        "svg.fonttype": "none",  # labels stay <text>: searchable in HTML, vector text in the PDF
        "svg.hashsalt": "initcheck",  # stable ids: the same results give the same SVG bytes
        "font.family": "DejaVu Sans",
        "font.size": 8.5,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.dpi": 100,
        "figure.constrained_layout.use": True,  # no label collides with a neighbour panel's
    }
)


def check_record(results: dict[str, Any], claim_id: str, kind: str) -> dict[str, Any] | None:
    """The claim's check of this kind in the results JSON, if it ran (None when absent or not run)."""
    return next((c for c in results.get(claim_id, {}).get("checks", []) if c.get("kind") == kind and c.get("passed") is not None), None)


@dataclass(frozen=True)
class Record:
    """One recorded value a figure reads: the claim's check of `kind`, then `keys` into its record."""

    claim_id: str
    kind: str
    keys: tuple[str, ...]

    def read(self, results: dict[str, Any]) -> Any:
        """The recorded value, or None when the check did not run or did not record it."""
        value: Any = check_record(results, self.claim_id, self.kind)
        for key in self.keys:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    @property
    def label(self) -> str:
        return f"{self.claim_id} {self.kind} check: {'.'.join(self.keys)}"


def figure_record(claim_id: str, kind: str, figure_id: str) -> Record:
    """Where a simulation, property or reproduction check records a figure's data: measurements.figures.<figure id>."""
    return Record(claim_id, kind, ("measurements", "figures", figure_id))


def symbolic_record(claim_id: str, *keys: str) -> Record:
    """A derived value in a symbolic check's details."""
    return Record(claim_id, "symbolic", ("details", *keys))


def missing(ax: Any, *records: Record) -> None:
    """Say on the panel which records these results lack (the panel draws nothing else): nothing is recomputed."""
    lines = "\n".join(record.label for record in records)
    ax.text(0.5, 0.5, f"not in these results:\n{lines}", ha="center", va="center", fontsize=7.5, color="#8a1c1c", transform=ax.transAxes, wrap=True)
    ax.set_axis_off()


def read_all(ax: Any, results: dict[str, Any], *records: Record) -> list[Any] | None:
    """Every record's value; None (and the panel says which are missing) when any is absent."""
    values = [record.read(results) for record in records]
    absent = [record for record, value in zip(records, values, strict=True) if value is None]
    if absent:
        missing(ax, *absent)
        return None
    return values


@dataclass(frozen=True)
class FigureSpec:
    id: str
    claims: tuple[str, ...]
    caption: str
    draw: Callable[[dict[str, Any]], Any]  # draw(results by claim ID) -> matplotlib Figure
    reads: tuple[Record, ...] = ()  # the records it draws from (each check that records them runs in `initcheck verify`)


SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_of_ten(value: float, position: int | None = None) -> str:
    exponent = round(math.log10(value)) if value > 0 else 0
    return f"10{str(exponent).translate(SUPERSCRIPTS)}" if value > 0 and math.isclose(value, 10.0**exponent) else f"{value:g}"


def _plain_log_labels(figure: Any) -> None:
    """Log axes labelled 10⁻³ in plain text, not TeX-like $10^{-3}$: the same reading, without matplotlib's mathtext parser,
    which took most of the time of the log-scale figures."""
    from matplotlib.ticker import FuncFormatter, LogFormatter

    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if axis.get_scale() == "log":
                axis.set_major_formatter(FuncFormatter(_power_of_ten))
                axis.set_minor_formatter(LogFormatter(labelOnlyBase=False, minor_thresholds=(1, 0.4)))


def svg(figure: Any) -> str:
    """The figure as an inline SVG element (XML declaration and DOCTYPE dropped), then closed."""
    _plain_log_labels(figure)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": "initcheck"})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def all_figures() -> list[FigureSpec]:
    from initcheck.reports.figures import gradients, reproductions, symmetry, transverse, variance

    return [*variance.FIGURES, *gradients.FIGURES, *symmetry.FIGURES, *transverse.FIGURES, *reproductions.FIGURES]
