"""Figures for the report: each draws numbers that sims/ measured and theory/ derived; nothing is computed here but the plot.

A `FigureSpec` names the claims it illustrates and its caption; `draw(rng, results)` returns a matplotlib
Figure. `svg(figure)` serializes it with text kept as text (searchable, printable labels).
"""

from __future__ import annotations

import io
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


@dataclass(frozen=True)
class FigureSpec:
    id: str
    claims: tuple[str, ...]
    caption: str
    draw: Callable[[Any, dict[str, Any]], Any]  # draw(rng, results by claim ID) -> matplotlib Figure


def svg(figure: Any) -> str:
    """The figure as an inline SVG element (XML declaration and DOCTYPE dropped), then closed."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": "initcheck"})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def check_record(results: dict[str, Any], claim_id: str, kind: str) -> dict[str, Any] | None:
    """The claim's check of this kind in the results JSON, if it ran (None when absent or not run)."""
    return next((c for c in results.get(claim_id, {}).get("checks", []) if c.get("kind") == kind and c.get("passed") is not None), None)


def symbolic_detail(results: dict[str, Any], claim_id: str, *keys: str) -> Any:
    """A derived value recorded by a claim's symbolic check in the results JSON (None when absent: the figure derives it)."""
    record = check_record(results, claim_id, "symbolic")
    value: Any = record.get("details") if record else None
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def all_figures() -> list[FigureSpec]:
    from initcheck.reports.figures import gradients, reproductions, symmetry, variance

    return [*variance.FIGURES, *gradients.FIGURES, *symmetry.FIGURES, *reproductions.FIGURES]
