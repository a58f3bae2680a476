"""The report's Audit section, from an audit document (initcheck audit --out DIR writes audit.json): per model its
findings, counts and figure (`initcheck.reports.figures.audit`)."""

from __future__ import annotations

from typing import Any


def audit_svgs(document: dict[str, Any] | None) -> list[str | None]:
    """One figure per audited model (None for a model not installed or not built)."""
    if document is None:
        return []
    from initcheck.reports.figures import svg
    from initcheck.reports.figures.audit import audit_figure

    return [svg(audit_figure(r)) if r.get("parameters") else None for r in document["records"]]


def audit_section(document: dict[str, Any] | None, drawn: list[str | None] | None = None) -> dict[str, Any] | None:
    """The audit (initcheck audit --out DIR) as the template shows it: per model its findings, a count of parameters
    confirmed, contradicted and not expected, its propagation figure, and (report.html) every parameter."""
    if document is None:
        return None
    figures = drawn if drawn is not None else audit_svgs(document)
    models = []
    for number, (record, figure) in enumerate(zip(document["records"], figures or [None] * len(document["records"]), strict=True), start=1):
        parameters = record.get("parameters", [])
        confirmed = sum(1 for p in parameters if p["expected_verdict"] and p["expected_verdict"]["consistent"])
        contradicted = sum(1 for p in parameters if p["expected_verdict"] and p["expected_verdict"]["consistent"] is False)
        layers = record.get("propagation", {}).get("layers", [])
        judged = [layer[d] for layer in layers for d in ("forward", "backward") if layer[d].get("judged")]
        models.append({**record, "number": number, "svg": figure, "confirmed": confirmed, "contradicted": contradicted,
                       "unexpected": sum(1 for p in parameters if not p["expected"]), "judged_layers": len(judged),
                       "layers_off": sum(1 for t in judged if not t["passed"])})  # fmt: skip
    return {**document, "models": models}
