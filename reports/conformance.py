"""The report's Conformance section, from a conformance document (initcheck conform --out DIR writes conformance.json):
the matrix's counts, every record, the list of failures (one line per initializer and rule) and its figures
(`initcheck.reports.figures.conformance`)."""

from __future__ import annotations

from typing import Any


def conformance_svgs(document: dict[str, Any] | None) -> list[str]:
    """The conformance figures (ROWS_PER_FIGURE initializers each), none when no record has test results to draw."""
    if document is None or not any(r.get("tests") for r in document["records"]):
        return []
    from initcheck.reports.figures import svg
    from initcheck.reports.figures.conformance import conformance_figures

    return [svg(figure) for figure in conformance_figures(document)]


# The list of failures names each failed statistic by its short name (the tables of report.html by the full one),
# found by the start of the record's name (the tail test's name carries the battery's threshold: never retyped here).
SHORT_STATISTIC = {
    "goodness of fit (KS": "KS", "goodness of fit (Anderson–Darling": "A²", "fourth moment (kurtosis)": "kurtosis",
    "fan axis: log Var(A)/Var(B)": "fan axis", "tail exceedances beyond": "tail count",
}  # fmt: skip


def short_statistic(statistic: str) -> str:
    """The statistic's short name (SHORT_STATISTIC), or its own name when it has none."""
    return next((short for start, short in SHORT_STATISTIC.items() if statistic.startswith(start)), statistic)


def conformance_section(document: dict[str, Any] | None, drawn: list[str] | None = None) -> dict[str, Any] | None:
    """The conformance matrix (initcheck conform --out DIR) as the template shows it: counts, every record, the failures
    and a figure (`drawn`, or drawn now)."""
    if document is None:
        return None
    records = document["records"]
    counts: dict[str, int] = {}
    for record in records:
        counts[record["status"]] = counts.get(record["status"], 0) + 1
    failing = [{**r, "failed_tests": [t for t in r.get("tests", []) if not t["passed"]]} for r in records if r["status"] == "fail"]
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}  # one line per initializer and rule, its failing dtypes in turn (the PDF's list)
    for index, r in enumerate(failing, start=1):
        key = (r.get("target"), r.get("rule"), r.get("framework"), r.get("backend"), r.get("layout"))
        group = groups.setdefault(key, {"target": r.get("target"), "rule": r.get("rule"), "framework": r.get("framework"), "backend": r.get("backend"),
                                        "layout": r.get("layout"), "dtypes": []})  # fmt: skip
        statistics = list(dict.fromkeys(short_statistic(t["statistic"]) for t in r["failed_tests"]))
        group["dtypes"].append({"dtype": r.get("dtype"), "statistics": statistics, "repro": r.get("repro"), "index": index})
    return {
        **document, "counts": sorted(counts.items()), "failing": failing, "failing_groups": list(groups.values()),
        "svgs": drawn if drawn is not None else conformance_svgs(document),
    }  # fmt: skip
