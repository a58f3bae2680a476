"""The README's list of conformance findings, made from a recorded matrix (conformance.json) by `initcheck findings`.

One line per initializer (target, rule, layout, framework and backend) that fails in any dtype: the framework's version,
each failing dtype with its failing statistics (the largest |z| of each, its critical value and sample size, or the count
for an exact test), then the dtypes a framework refused and the records that could not run. A test keeps the README's
block equal to this text for the recorded matrix, as `initcheck claims --markdown` does for the claim table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

STATUSES = ("pass", "fail", "refused", "error", "not installed")


def _key(record: dict[str, Any]) -> tuple[str, str, str, str, str]:
    return (record["framework"], record.get("backend") or "", record["target"], record.get("rule", ""), record.get("layout", ""))


def _who(record: dict[str, Any]) -> str:
    version = record.get("framework_version") or "version not recorded"
    backend = f" on the {record['backend']} backend" if record.get("backend") and "backend" not in version else ""
    return f"{record['framework']} {version}{backend}"


def _statistics(tests: Iterable[dict[str, Any]]) -> str:
    """Each failing statistic once: the test with the largest |z| (or the exact test's measured value)."""
    worst: dict[str, dict[str, Any]] = {}
    for test in tests:
        if test["passed"]:
            continue
        seen = worst.get(test["statistic"])
        if seen is None or abs(_z(test)) > abs(_z(seen)):
            worst[test["statistic"]] = test
    parts = []
    for name, test in worst.items():
        if test.get("z") is None:
            parts.append(f"{name}: {test['measured']} (expected {test['expected']}, n = {test['n']} {test['n_unit']})")
        else:
            parts.append(f"{name} on {test['probe'].split(' (')[0]}: z = {_z(test):+.3g} (critical {test['critical']:.3g}, n = {test['n']} {test['n_unit']})")
    return "; ".join(parts)


def _z(test: dict[str, Any]) -> float:
    z = test.get("z")
    if z is None:
        return 0.0
    return float(z) if not isinstance(z, str) else float(z.replace("inf", "Infinity"))


def findings_markdown(document: dict[str, Any]) -> str:
    """The findings of a matrix run, as the README lists them."""
    records = document["records"]
    counts = {status: sum(r["status"] == status for r in records) for status in STATUSES}
    lines = [
        f"Matrix run: seed {document['seed']}, tier {document['tier']}, dtypes {document.get('dtypes') or 'listed'}; {len(records)} records: "
        + ", ".join(f"{status} {count}" for status, count in counts.items() if count)
        + ".",
        "",
    ]
    groups: dict[tuple[str, str, str, str, str], list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(_key(record), []).append(record)
    failing = [(key, group) for key, group in groups.items() if any(r["status"] == "fail" for r in group)]
    for (_, _, target, rule, layout), group in failing:
        by_dtype = "; ".join(f"**{r['dtype']}**: {_statistics(r['tests'])}" for r in group if r["status"] == "fail")
        passing = [r["dtype"] for r in group if r["status"] == "pass"]
        said = " (a sentence of the documentation tested on its own)" if group[0].get("statement") else ""
        lines.append(f"- `{target}` against `{rule}` [{layout}]{said}, {_who(group[0])}: {by_dtype}" + (f" (passes in {', '.join(passing)})" if passing else "") + ".")
    others = [r for r in records if r["status"] in ("refused", "error")]
    if others:
        lines += ["", "Could not be judged:"]
        lines += [f"- `{r['target']}` [{r.get('dtype', '')}], {_who(r)}: {r['status']}: {r.get('reason', '')}" for r in others]
    absent = sorted({r["framework"] + (f" ({r['backend']} backend)" if r.get("backend") else "") for r in records if r["status"] == "not installed"})
    if absent:
        lines += ["", "Not installed where the matrix ran: " + ", ".join(absent) + "."]
    return "\n".join(lines) + "\n"


__all__ = ["findings_markdown"]
