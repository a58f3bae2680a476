"""HTML fragments for each kind of check, from the results JSON: tables of numbers, typeset derivations, counterexamples."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from initcheck.reports.math import latex_svg

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


def _flatten(details: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(details, dict):
        return [row for key, value in details.items() for row in _flatten(value, f"{prefix}{key}." if prefix or key else "")]
    if isinstance(details, list) and details and all(isinstance(v, dict) for v in details):
        return [row for i, value in enumerate(details) for row in _flatten(value, f"{prefix}{i}.")]
    text = json.dumps(details, ensure_ascii=False) if isinstance(details, (list, dict)) else str(details)
    return [(prefix.rstrip("."), text if len(text) < 300 else text[:297] + "…")]


def symbolic(check: dict[str, Any]) -> str:
    html = f"<p>{escape(check['summary'])}</p>"
    if check.get("derivation"):
        steps = "".join(f"<tr><td class='small'>{escape(label)}</td><td>{latex_svg(latex)}</td></tr>" for label, latex in check["derivation"])
        html += f"<table class='derivation'>{steps}</table>"
    html += _items("Contradicted by the derivation", check.get("mismatches", [])) + _items("Conditions found", check.get("conditions", []))
    details = dict(check.get("details", {}))
    html += "".join(_record_table(key, details.pop(key)) for key in list(details) if _is_records(details[key]))
    rows = _flatten(details)
    if rows:
        html += "<table class='grid'><tr><th>derived quantity</th><th>value</th></tr>" + "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in rows) + "</table>"
    foil = check.get("foil")
    if foil:
        html += f"<p class='small'><b>Foil</b> ({escape(foil['label'])}): verdict {escape(foil['verdict'])}, {'rejected' if foil['rejected'] else 'NOT rejected'}.</p>"
    return html


def simulation(check: dict[str, Any]) -> str:
    html = f"<p>{escape(check['summary'])}. Rule: |z| ≤ {check['rule']['z_critical']} (false-failure rate {number(check['rule']['false_failure_rate_per_case'], 2)} per case).</p>"
    stat = [c for c in check["cases"] if c["type"] == "statistical"]
    exact = [c for c in check["cases"] if c["type"] == "exact"]
    if stat:
        html += "<table class='grid'><tr><th>case</th><th>estimate ± SE (n)</th><th>theory</th><th>z</th><th>foil: value, z</th><th>MDE (rel.)</th></tr>"
        for c in stat:
            foil = c["foil"]
            html += (
                f"<tr><td>{escape(c['case'])}<div class='small'>{escape(c['method'])}</div></td>"
                f"<td class='num'>{number(c['estimate'])} ± {number(c['standard_error'], 2)} ({c['n']})</td><td class='num'>{number(c['theory'])}</td>"
                f"<td class='num'>{c['z']:+.2f}</td><td>{escape(foil['label'])}: {number(foil['value'])}, z = {number(foil['z'], 3)} {mark(foil['rejected'])}</td>"
                f"<td class='num'>{number(c['minimum_detectable_effect'], 2)} ({number(c['relative_mde'], 2)})</td></tr>"
            )
        html += "</table>"
    if exact:
        html += "<table class='grid'><tr><th>case</th><th>measured</th><th>theory</th><th>tolerance (why)</th><th>foil: value</th></tr>"
        for c in exact:
            side = "≤" if c["one_sided"] else "±"
            html += (
                f"<tr><td>{escape(c['case'])}</td><td class='num'>{number(c['measured'], 10)}</td><td class='num'>{number(c['theory'], 10)}</td>"
                f"<td>{side} {number(c['tolerance'], 3)} ({escape(c['tolerance_reason'])})</td>"
                f"<td>{escape(c['foil']['label'])}: {number(c['foil']['value'])} {mark(c['foil']['rejected'])}</td></tr>"
            )
        html += "</table>"
    for title, records in (check.get("measurements") or {}).items():
        if _is_records(records) and not any(isinstance(v, list) for r in records for v in r.values()):
            html += _record_table(f"Measured, not asserted: {title}", records)  # profiles (lists) are drawn, not tabulated
    return html


def properties(check: dict[str, Any]) -> str:
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
        rows = "".join(f"<tr><td>{escape(k)}</td><td class='num'>{escape(v)}</td></tr>" for k, v in _flatten(measured))
        html += f"<p class='small'><b>Measured (recorded, not asserted):</b></p><table class='grid'><tr><th>quantity</th><th>value</th></tr>{rows}</table>"
    return html


def _is_records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _record_table(title: str, records: list[dict[str, Any]]) -> str:
    """A list of records (table cells, layers) as one table: a row per record, a column per field."""
    keys = list(dict.fromkeys(k for r in records for k in r))
    head = "".join(f"<th>{escape(str(k))}</th>" for k in keys)
    body = "".join("<tr>" + "".join(f"<td class='num'>{number(r.get(k), 4)}</td>" for k in keys) + "</tr>" for r in records)
    return f"<p class='small'><b>{escape(title)}</b></p><table class='grid'><tr>{head}</tr>{body}</table>"


def reproduction(check: dict[str, Any]) -> str:
    html = f"<p>{escape(check['summary'])}.</p><p class='small'>Data: {escape(str(check.get('data', '')))}. Size: {escape(check['size'])}.</p>"
    if check.get("rule"):
        html += f"<p class='small'>Rule: {escape(check['rule'])}.</p>"
    for net, result in check.get("results", {}).items():
        html += _record_table(f"{net}: norms grow with depth in {100 * result['fraction_of_seeds_increasing']:.0f}% of seeds", result["layers"])
    html += _items("Contradicted", check.get("mismatches", [])) + _items("Conditions", check.get("conditions", []))
    for part in ("published", "ours"):
        rows = [(k, v) for k, v in _flatten(check.get(part, {})) if len(v) < 120]
        if rows:
            html += f"<table class='grid'><tr><th>{part}</th><th>value</th></tr>" + "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in rows) + "</table>"
    foil = check["foil"]
    html += f"<p class='small'><b>Foil</b> ({escape(foil['label'])}): {'rejected' if foil['rejected'] else 'NOT rejected'}.</p>"
    return html


BODIES = {"symbolic": symbolic, "simulation": simulation, "property": properties, "reproduction": reproduction}


def body(check: dict[str, Any]) -> str:
    """The check's HTML, or "" for a check that did not run (its summary is shown instead)."""
    if check.get("passed") is None or check["kind"] not in BODIES or "traceback" in check:
        return ""
    return BODIES[check["kind"]](check)
