"""HTML fragments for each kind of check, from the results JSON: tables of numbers, typeset derivations, counterexamples."""

from __future__ import annotations

from html import escape
from typing import Any

from initcheck.reports.math import latex_svg
from initcheck.reports.pdf import Anchors, fitted

VERDICT_WORDS = {
    "holds": "The claim holds: every check that ran agrees with it.",
    "holds-under-conditions": "The claim holds only under extra conditions, which the checks state: {conditions}",
    "refuted": "The claim as published is refuted: {mismatches}",
    "not-checked": "Not checked yet: no check of this claim has run. It is listed so that the gap is visible.",
}


def number(value: Any, digits: int = 6) -> str:
    if isinstance(value, bool) or value is None:
        return escape(str(value))
    if isinstance(value, (int, float)):
        return f"{value:.{digits}g}"
    return escape(str(value))


def mark(passed: bool | None) -> str:
    if passed is None:
        return '<span class="mark-none" title="no check">–</span>'
    return '<span class="mark-pass" title="passed">✓</span>' if passed else '<span class="mark-fail" title="failed">✗</span>'


def figure_mark(link: str | None, figures: list[dict[str, Any]]) -> str:
    """The summary's figure column: ✓ the registry links the figures that show the claim, all drawn from recorded data;
    – no figure, or its records are not in these results; ✗ the registry's link and the figures disagree."""
    linked = {part.strip() for part in (link or "").split(",") if part.strip()}
    if linked != {f["id"] for f in figures}:
        return '<span class="mark-fail" title="the registry\'s figure link and the figures disagree">✗</span>'
    if not figures:
        return mark(None)
    if any(f.get("absent") for f in figures):
        return '<span class="mark-none" title="figure drawn, its records not in these results">–</span>'
    return '<span class="mark-pass" title="figure drawn from the recorded results">✓</span>'


def absent(check: dict[str, Any]) -> bool:
    """A kind of check the claim does not have (or whose runner is missing): listed once, not given a heading."""
    return check.get("passed") is None and "traceback" not in check


def absent_words(kinds: list[str]) -> str:
    """"No symbolic or reproduction check of this claim yet.", or "" when it has every kind."""
    if not kinds:
        return ""
    names = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " or " + kinds[-1]
    return f"No {names} check of this claim yet."


def verdict_words(claim: dict[str, Any]) -> str:
    conditions = sorted({c for check in claim["checks"] for c in check.get("conditions", [])})
    mismatches = [m for check in claim["checks"] for m in check.get("mismatches", [])]
    text = VERDICT_WORDS[claim["verdict"]].format(conditions="; ".join(conditions) or "see the notes.", mismatches="; ".join(mismatches) or "see the checks.")
    if claim["verdict"] != claim["documented_verdict"] or not claim["consistent"]:
        text += f" (Documented verdict: {claim['documented_verdict']}; this run is NOT consistent with it.)"
    return text


def _items(title: str, values: list[str]) -> str:
    return f"<p><b>{title}:</b></p><ul>" + "".join(f"<li>{escape(v)}</li>" for v in values) + "</ul>" if values else ""


def _text(value: Any) -> str:
    """A recorded leaf as the report prints it: numbers to 6 significant digits, inside lists too (results.json keeps them whole)."""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_text(v)}" for k, v in value.items()) + "}"
    return str(value)


def _flatten(details: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(details, dict):
        return [row for key, value in details.items() for row in _flatten(value, f"{prefix}{key}." if prefix or key else "")]
    if isinstance(details, list) and details and all(isinstance(v, dict) for v in details):
        return [row for i, value in enumerate(details) for row in _flatten(value, f"{prefix}{i}.")]
    text = _text(details)
    return [(prefix.rstrip("."), text if len(text) < 300 else text[:297] + "…")]


def _records(value: Any) -> dict[str, dict[str, Any]] | None:
    """At least two records with fields in common, by name (a dict of dicts, or a list of dicts named by their "label" or
    position), or None."""
    if isinstance(value, list) and len(value) >= 2 and all(isinstance(v, dict) and v for v in value):
        labels = [v.get("label") for v in value]
        named = all(isinstance(label, str) for label in labels) and len(set(labels)) == len(labels)
        value = {str(labels[i] if named else i): v for i, v in enumerate(value)}
    if not (isinstance(value, dict) and len(value) >= 2 and all(isinstance(v, dict) and v for v in value.values())):
        return None
    fields = [set(dict(_flatten(v))) for v in value.values()]
    return value if len(set.intersection(*fields)) * 2 >= len(set.union(*fields)) else None


def _table(head: list[str], rows: list[list[str]]) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return "<table class='grid'><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + f"</tr>{cells}</table>"


def _records_table(title: str, records: dict[str, dict[str, Any]], anchors: Anchors | None = None) -> str:
    """Records as one table: flat records (every field a leaf) a row each and a column per field; nested ones a column
    each and a row per flattened field. "–" where a record lacks a field. Long: in report.html only (`fitted`)."""
    flat = {name: dict(_flatten(record)) for name, record in records.items()}
    fields = list(dict.fromkeys(k for rows in flat.values() for k in rows))
    if all(not isinstance(v, dict) for record in records.values() for v in record.values()):
        return fitted(_table([title, *fields], [[name, *(rows.get(f, "–") for f in fields)] for name, rows in flat.items()]), len(flat), title, anchors)
    return fitted(_table([title, *flat], [[field, *(rows.get(field, "–") for rows in flat.values())] for field in fields]), len(fields), title, anchors)


def _details_tables(details: dict[str, Any], header: str, *, longest: int | None = None, anchors: Anchors | None = None) -> str:
    """A recorded dict as tables: every group of records (_records) in its own table, found at any depth; the remaining
    leaves as one quantity/value table. With `longest`, values longer than that are left to results.json, and the table
    says how many."""
    tables: list[str] = []
    leaves: list[tuple[str, Any]] = []

    def walk(prefix: str, value: Any) -> None:
        records = _records(value)
        if records is not None:
            tables.append(_records_table(prefix or header, records, anchors))
        elif (isinstance(value, dict) and value) or _is_records(value):
            for key, item in value.items() if isinstance(value, dict) else enumerate(value):
                walk(f"{prefix}.{key}" if prefix else str(key), item)
        else:
            leaves.append((prefix, value))

    walk("", details)
    rows = [row for name, value in leaves for row in _flatten(value, f"{name}.")]
    kept = [[k, v] for k, v in rows if longest is None or len(v) < longest]
    html = "".join(tables) + (fitted(_table([header, "value"], kept), len(kept), header, anchors) if kept else "")
    if len(kept) < len(rows):
        html += f"<p class='small'>{len(rows) - len(kept)} longer value(s) of '{escape(header)}' are in results.json only.</p>"
    return html


def symbolic(check: dict[str, Any], anchors: Anchors | None = None) -> str:
    html = f"<p>{escape(check['summary'])}</p>"
    if check.get("derivation"):
        steps = "".join(f"<tr><td class='small'>{escape(label)}</td><td>{latex_svg(latex)}</td></tr>" for label, latex in check["derivation"])
        html += f"<table class='derivation'>{steps}</table>"
    html += _items("Contradicted by the derivation", check.get("mismatches", [])) + _items("Conditions found", check.get("conditions", []))
    details = dict(check.get("details", {}))
    html += "".join(_record_table(key, details.pop(key), anchors) for key in list(details) if _is_records(details[key]))
    html += _details_tables(details, "derived quantity", anchors=anchors)
    foil = check.get("foil")
    if foil:
        html += f"<p class='small'><b>Foil</b> ({escape(foil['label'])}): verdict {escape(foil['verdict'])}, {'rejected' if foil['rejected'] else 'NOT rejected'}.</p>"
    return html


def _cases_summary(stat: list[dict[str, Any]], exact: list[dict[str, Any]]) -> str:
    """The PDF's short table of a simulation with many cases: per type, how many agree and behave, the largest |z| and the
    smallest foil |z| (statistical), the largest |measured − theory| over its tolerance (exact), each with its case."""
    rows = []
    computed = [c for c in stat if "not_computed" not in c]
    if stat:
        worst = max(computed, key=lambda c: abs(c["z"]), default=None)
        closest = min(computed, key=lambda c: abs(c["foil"]["z"]), default=None)
        rows.append(
            f"<tr><td>statistical</td><td class='num'>{len(stat)}</td><td class='num'>{sum(c['agrees'] for c in stat)}</td><td class='num'>{sum(c['behaves'] for c in stat)}</td>"
            f"<td>{'largest |z| ' + format(abs(worst['z']), '.2f') + ': ' + escape(worst['case']) if worst else '–'}</td>"
            f"<td>{'smallest foil |z| ' + number(abs(closest['foil']['z']), 3) + ': ' + escape(closest['case']) if closest else '–'}</td></tr>"
        )
    computed_exact = [c for c in exact if "not_computed" not in c]
    if exact:
        def share(c: dict[str, Any]) -> float:  # |difference| in tolerances (a tolerance of 0: any difference is the worst)
            return abs(c["difference"]) / c["tolerance"] if c["tolerance"] else (0.0 if c["difference"] == 0 else float("inf"))

        worst = max(computed_exact, key=share, default=None)
        furthest = f"largest |difference| {number(abs(worst['difference']), 3)} (tolerance {number(worst['tolerance'], 3)}): {escape(worst['case'])}" if worst else "–"
        rows.append(
            f"<tr><td>exact</td><td class='num'>{len(exact)}</td><td class='num'>{sum(c['agrees'] for c in exact)}</td><td class='num'>{sum(c['behaves'] for c in exact)}</td>"
            f"<td>{furthest}</td><td>–</td></tr>"
        )
    return "<table class='grid'><tr><th>cases</th><th>n</th><th>agree</th><th>foil rejected</th><th>furthest from theory</th><th>closest foil</th></tr>" + "".join(rows) + "</table>"


def simulation(check: dict[str, Any], anchors: Anchors | None = None) -> str:
    html = f"<p>{escape(check['summary'])}. Rule: |z| ≤ {check['rule']['z_critical']} (false-failure rate {number(check['rule']['false_failure_rate_per_case'], 2)} per case).</p>"
    stat = [c for c in check["cases"] if c["type"] == "statistical"]
    exact = [c for c in check["cases"] if c["type"] == "exact"]
    tables = ""
    if stat:
        tables += "<table class='grid'><tr><th>case</th><th>estimate ± SE (n)</th><th>theory</th><th>z</th><th>foil: value, z</th><th>MDE (rel.)</th></tr>"
        for c in stat:
            foil = c["foil"]
            if "not_computed" in c:
                tables += f"<tr><td>{escape(c['case'])}</td><td colspan='5'>✗ not computed: {escape(c['not_computed'])}</td></tr>"
                continue
            tables += (
                f"<tr><td>{escape(c['case'])}<div class='small'>{escape(c['method'])}</div></td>"
                f"<td class='num'>{number(c['estimate'])} ± {number(c['standard_error'], 2)} ({c['n']})</td><td class='num'>{number(c['theory'])}</td>"
                f"<td class='num'>{c['z']:+.2f}</td><td>{escape(foil['label'])}: {number(foil['value'])}, z = {number(foil['z'], 3)} {mark(foil['rejected'])}</td>"
                f"<td class='num'>{number(c['minimum_detectable_effect'], 2)} ({number(c['relative_mde'], 2)})</td></tr>"
            )
        tables += "</table>"
    if exact:
        tables += "<table class='grid'><tr><th>case</th><th>measured</th><th>theory</th><th>tolerance (why)</th><th>foil: value</th></tr>"
        for c in exact:
            if "not_computed" in c:
                tables += f"<tr><td>{escape(c['case'])}</td><td colspan='4'>✗ not computed: {escape(c['not_computed'])}</td></tr>"
                continue
            side = "≤" if c["one_sided"] else "±"
            tables += (
                f"<tr><td>{escape(c['case'])}</td><td class='num'>{number(c['measured'], 10)}</td><td class='num'>{number(c['theory'], 10)}</td>"
                f"<td>{side} {number(c['tolerance'], 3)} ({escape(c['tolerance_reason'])})</td>"
                f"<td>{escape(c['foil']['label'])}: {number(c['foil']['value'])} {mark(c['foil']['rejected'])}</td></tr>"
            )
        tables += "</table>"
    html += fitted(tables, len(stat) + len(exact), "every case", anchors, summary=_cases_summary(stat, exact))
    for title, records in (check.get("measurements") or {}).items():
        if _is_records(records) and not any(isinstance(v, list) for r in records for v in r.values()):
            html += _record_table(f"Measured, not asserted: {title}", records, anchors, always=True)  # profiles (lists) are drawn, not tabulated
    return html


def properties(check: dict[str, Any], anchors: Anchors | None = None) -> str:
    html = f"<p>{escape(check['summary'])}. Hypothesis profile <code>{escape(check['profile'])}</code>.</p>"
    html += "<table class='grid'><tr><th>property</th><th>expected</th><th>examples</th><th>counterexample</th></tr>"
    for p in check["properties"]:
        expected = "holds" if p["expect"] == "holds" else "foil: must fail"
        found = escape(p["counterexample"]) + f" <span class='small'>({escape(p['found_by'])})</span>" if p["counterexample"] else "none found"
        conditions = f"<div class='small'>conditions: {escape('; '.join(p['conditions']))}</div>" if p["conditions"] else ""
        html += f"<tr><td><b>{escape(p['property'])}</b><div class='small'>{escape(p['statement'])}</div>{conditions}</td><td>{expected} {mark(p['behaves'])}</td><td class='num'>{p['examples_run']}</td><td>{found}</td></tr>"
    html += "</table>"
    measured = {k: v for k, v in (check.get("measurements") or {}).items() if k != "figures"}  # a figure's data is drawn, not tabulated
    if measured:
        tables = _details_tables(measured, "quantity")
        html += fitted(tables, tables.count("<tr>"), "Measured (recorded, not asserted)", anchors, always=True, heading=True)
    return html


def _is_records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _record_table(title: str, records: list[dict[str, Any]], anchors: Anchors | None = None, *, always: bool = False) -> str:
    """A list of records (table cells, layers) as one table: a row per record, a column per field (long: `fitted`)."""
    keys = list(dict.fromkeys(k for r in records for k in r))
    head = "".join(f"<th>{escape(str(k))}</th>" for k in keys)
    body = "".join("<tr>" + "".join(f"<td class='num'>{number(r.get(k), 4)}</td>" for k in keys) + "</tr>" for r in records)
    return fitted(f"<table class='grid'><tr>{head}</tr>{body}</table>", len(records), title, anchors, always=always, heading=True)


def reproduction(check: dict[str, Any], anchors: Anchors | None = None) -> str:
    html = f"<p>{escape(check['summary'])}.</p><p class='small'>Data: {escape(str(check.get('data', '')))}. Size: {escape(check['size'])}.</p>"
    if check.get("rule"):
        html += f"<p class='small'>Rule: {escape(check['rule'])}.</p>"
    for net, result in check.get("results", {}).items():
        html += _record_table(f"{net}: norms grow with depth in {100 * result['fraction_of_seeds_increasing']:.0f}% of seeds", result["layers"], anchors)
    html += _items("Contradicted", check.get("mismatches", [])) + _items("Conditions", check.get("conditions", []))
    for part in ("published", "ours"):
        html += _details_tables(check.get(part, {}), part, longest=120, anchors=anchors)
    foil = check["foil"]
    html += f"<p class='small'><b>Foil</b> ({escape(foil['label'])}): {'rejected' if foil['rejected'] else 'NOT rejected'}.</p>"
    return html


BODIES = {"symbolic": symbolic, "simulation": simulation, "property": properties, "reproduction": reproduction}


def body(check: dict[str, Any], anchor: str | None = None) -> str:
    """The check's HTML, or "" for a check that did not run (its summary is shown instead). With `anchor` (the report
    passes "<claim ID>-<kind>"), its long tables are in report.html only and the PDF points to them."""
    if check.get("passed") is None or check["kind"] not in BODIES or "traceback" in check:
        return ""
    return BODIES[check["kind"]](check, Anchors(anchor) if anchor else None)
