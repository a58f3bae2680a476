"""Render report.html and report.pdf from a recorded verification run.

`render_report` returns the files' bytes; the command (initcheck.cli, with initcheck.output) writes them,
all or nothing. Nothing here writes a file, runs a check or decides whether a results file may be reused.
"""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from initcheck.reports.audit import audit_section, audit_svgs
from initcheck.reports.conformance import conformance_section, conformance_svgs
from initcheck.reports.pdf import preload_pdf, render_pdf
from initcheck.reports.processes import side_by_side
from initcheck.signals import result, signals_held

FORMATS = ("html", "pdf")
KINDS = ("symbolic", "simulation", "property", "reproduction", "figure")


def _environment_rows(results: dict[str, Any]) -> list[tuple[str, str]]:
    """Software, machine and BLAS of the run that produced the results (recorded by `initcheck verify`), not of this build."""
    environment = results.get("environment")
    if not environment:
        return [("checks ran on", "not recorded in these results")]
    packages = ", ".join(f"{name} {version}" for name, version in environment.get("packages", {}).items())
    blas = "; ".join(
        f"{lib.get('internal_api', '?')} {lib.get('version', '?')}, kernel {lib.get('architecture') or 'not reported'}, "
        f"{lib.get('num_threads', '?')} thread(s) ({lib.get('user_api', '?')}{', ' + lib['prefix'] if lib.get('prefix') else ''})"
        for lib in environment.get("blas", [])
    )
    simd = environment.get("numpy_simd")
    simd_text = (
        f"baseline {' '.join(simd.get('baseline', [])) or 'none'}; dispatched {' '.join(simd.get('dispatch_used', [])) or 'none'}"
        f" of {' '.join(simd.get('dispatch', [])) or 'none'}"
        + (f" (NPY_DISABLE_CPU_FEATURES={simd['disabled_by_environment']})" if simd.get("disabled_by_environment") else "")
        if simd
        else "not recorded"
    )
    forced = f" (OPENBLAS_CORETYPE={environment['openblas_coretype']})" if environment.get("openblas_coretype") else ""
    return [
        ("software", f"Python {environment.get('python', '?')}, {packages}"),
        ("machine", f"{environment.get('cpu', 'CPU not recorded')}; {environment.get('platform', '?')}, {environment.get('machine', '?')}, {environment.get('cpus', '?')} CPUs"),
        ("NumPy SIMD", simd_text),
        ("BLAS", (blas or "none loaded") + forced),
    ]


def _rule(results: dict[str, Any]) -> dict[str, Any]:
    """The statistical rule as the simulation checks recorded it."""
    return next((c["rule"] for claim in results["claims"] for c in claim["checks"] if c.get("kind") == "simulation" and c.get("rule")), {})


def _commits(results: dict[str, Any]) -> str:
    """The commit whose code produced the numbers (recorded with them), and the renderer's when it differs."""
    from initcheck.environment import source_commit

    checked = results.get("environment", {}).get("source_commit", "not recorded")
    rendered = source_commit()
    return checked if rendered == checked else f"{checked} (checks); report rendered by {rendered}"


def metadata(results: dict[str, Any], *, build_seconds: float, out_dir: Path, check_seconds: float | None = None) -> dict[str, Any]:
    from initcheck.registry import CLAIMS

    counts: dict[str, int] = {}
    for claim in results["claims"]:
        counts[claim["verdict"]] = counts.get(claim["verdict"], 0) + 1
    seed, tier = results["seed"], results["tier"]
    rows = [
        ("initcheck version", results["initcheck_version"]),
        ("git commit", _commits(results)),
        ("date (UTC)", datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M")),
        (
            "master seed / tier",
            f"{seed} / {tier}"
            + (" (the main job's sizes; the full tier, --tier full, runs 4× the replicates and the reproductions at full size)" if tier == "default" else " (the publication run: 4× the default tier's replicates, the reproductions at full size)"),
        ),
        *_environment_rows(results),
        (
            "run time",
            (f"checks {check_seconds} s; " if check_seconds is not None else "checks from a recorded results file; ")
            + f"figures and HTML {build_seconds:.1f} s",
        ),
        ("claims", f"{len(results['claims'])} of {len(CLAIMS)} in the registry, claims catalogue {results.get('catalogue', 'not recorded')}"),
        ("consistent", "every check behaves as documented" if results["consistent"] else "NO: some check contradicts its documented verdict"),
    ]
    return {
        "version": results["initcheck_version"],
        "catalogue": results.get("catalogue", "not recorded"),
        "rows": rows,
        "counts": sorted(counts.items()),
        "citation": f"The initcheck developers. initcheck: executable checks of published claims about neural-network weight initialization, "
        f"version {results['initcheck_version']} (CITATION.cff).",
        "reproduce": f"initcheck report --seed {seed} --tier {tier} --out {out_dir}\n# or, in a checkout: tox -e report",
        "rule": _rule(results),
    }


def render_figures(
    results: dict[str, Any], progress: Callable[[str], None] | None, *, part: tuple[int, int] = (0, 1)
) -> list[dict[str, Any]]:
    """Every figure (or part k of n: every n-th from the k-th), drawn from the results' records only: nothing is sampled
    or computed."""
    from initcheck.reports.figures import all_figures, svg

    by_id = {c["id"]: c for c in results["claims"]}
    specs = all_figures()[part[0] :: part[1]]
    rendered = []
    for index, spec in enumerate(specs, start=1):
        absent = [record.label for record in spec.reads if record.read(by_id) is None]
        rendered.append({"id": spec.id, "claims": spec.claims, "caption": spec.caption, "svg": svg(spec.draw(by_id)), "absent": absent})
        if progress:
            progress(f"figure {index}/{len(specs)}: {spec.id}")
    return rendered


FIGURE_WORKERS = 2  # the figures and the formulas in two processes
FORMULA_TASKS = 6  # every sixth claim's formulas a task: ~12 CPU-s in all with an empty cache, the largest ~3 s


def _figure_job(results: dict[str, Any], index: int) -> list[dict[str, Any]]:
    """The index-th figure of all_figures() (one task each: the two workers take the next as they finish)."""
    return render_figures(results, None, part=(index, len(_all_figure_ids())))


def _all_figure_ids() -> list[str]:
    from initcheck.reports.figures import all_figures

    return [spec.id for spec in all_figures()]


def _extra_figures_job(name: str, document: dict[str, Any] | None) -> Any:
    """The figures of the calibration, conformance or audit record (`name`), one task each: the conformance and audit
    figures are ~1.7 s apiece, the largest tasks of the build, so they start first."""
    return {"calibration": calibration_svg, "conformance": conformance_svgs, "audit": audit_svgs}[name](document)


def _formula_job(results: dict[str, Any], part: int) -> dict[tuple[str, float], str]:
    """The formulas of every FORMULA_TASKS-th claim from `part`, typeset (or read from the disk cache) in a worker process:
    each check's HTML made once, and what latex_svg computed handed back for the parent (`math.handed`)."""
    from initcheck.reports import math, sections

    with math.recorded() as typeset:
        for claim in results["claims"][part::FORMULA_TASKS]:
            for check in claim["checks"]:
                sections.body(check)
    return typeset


def calibration_svg(record: dict[str, Any] | None) -> str | None:
    if record is None:
        return None
    from initcheck.reports.figures import svg
    from initcheck.reports.figures.calibration import calibration_figure

    return svg(calibration_figure(record))


def calibration_section(record: dict[str, Any] | None, drawn: str | None = None) -> dict[str, Any] | None:
    """The calibration record (initcheck calibrate) as the template shows it: numbered cases, pooled tests and its figure
    (`drawn`, or drawn now)."""
    if record is None:
        return None
    off = set(record.get("cases_off", []))
    cases = [{"number": k, "name": name, **values, "off": name in off} for k, (name, values) in enumerate(record["cases"].items(), start=1)]
    return {**record, "numbered": cases, "svg": drawn or calibration_svg(record)}


def render_html(
    results: dict[str, Any],
    figures: list[dict[str, Any]],
    meta: dict[str, Any],
    calibration: dict[str, Any] | None = None,
    conformance: dict[str, Any] | None = None,
    drawn: dict[str, Any] | None = None,
    audit: dict[str, Any] | None = None,
) -> str:
    """The report's HTML; `drawn` holds the calibration and conformance figures when they were drawn beforehand."""
    import jinja2

    from initcheck.reports import sections
    from initcheck.reports.template import STYLE, TEMPLATE

    order = [c["id"] for c in results["claims"]]
    placed = sorted(figures, key=lambda f: min((order.index(i) for i in f["claims"] if i in order), default=len(order)))
    for number, figure in enumerate(placed, start=1):  # numbered in reading order: placed with the first claim it shows
        figure["number"], figure["home"] = number, next((i for i in order if i in figure["claims"]), None)
    claims = []
    for claim in results["claims"]:
        own = [f for f in placed if f["home"] == claim["id"]]
        refs = [f for f in placed if claim["id"] in f["claims"] and f["home"] != claim["id"]]
        marks = {c["kind"]: sections.mark(c["passed"]) for c in claim["checks"]}
        marks["figure"] = sections.figure_mark(claim.get("links", {}).get("figure"), own + refs)
        present = [c for c in claim["checks"] if not sections.absent(c)]
        checks = [{**c, "mark": sections.mark(c["passed"]), "body": sections.body(c, f"{claim['id']}-{c['kind']}")} for c in present]
        missing = [c["kind"] for c in claim["checks"] if sections.absent(c)]
        claims.append(
            {
                **claim,
                "checks": checks,
                "absent": sections.absent_words(missing),
                "marks": marks,
                "figures": own,
                "figure_refs": refs,
                "verdict_words": sections.verdict_words(claim),
            }
        )
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    environment.filters["short"] = lambda value: f"{value:.6g}" if isinstance(value, float) else value  # a measured float to 6 digits
    return environment.from_string(TEMPLATE).render(
        style=STYLE,
        meta=meta,
        claims=claims,
        kinds=KINDS,
        calibration=calibration_section(calibration, (drawn or {}).get("calibration")),
        conformance=conformance_section(conformance, (drawn or {}).get("conformance")),
        audit=audit_section(audit, (drawn or {}).get("audit")),
    )


def render_report(
    results: dict[str, Any],
    *,
    formats: tuple[str, ...] = FORMATS,
    timings: dict[str, Any] | None = None,
    calibration: dict[str, Any] | None = None,
    conformance: dict[str, Any] | None = None,
    audit: dict[str, Any] | None = None,
    out_label: str = "reports/build",
    progress: Callable[[str], None] | None = None,
) -> dict[str, bytes]:
    """The report's files as bytes: results.json, timings.json when the checks ran now, and the requested formats.

    The timings stay out of results.json, so the same inputs give the same results bytes."""
    started = time.perf_counter()
    if progress:
        progress("figures and formulas")
    # The formulas (about half the CPU with an empty formula cache) and the figures, one task each, in FIGURE_WORKERS
    # processes: with an empty cache this took 16.4 s while this process typeset the formulas itself, 11 s of it alone.
    from initcheck.reports import math

    with side_by_side(FIGURE_WORKERS) as pool:
        with signals_held():  # the largest tasks first (the two workers take the next as they finish): no long tail
            extra = {name: pool.submit(_extra_figures_job, name, document) for name, document in (("conformance", conformance), ("audit", audit), ("calibration", calibration))}
            typesetting = [pool.submit(_formula_job, results, part) for part in range(FORMULA_TASKS)]
            drawing = [pool.submit(_figure_job, results, index) for index in range(len(_all_figure_ids()))]
        if "pdf" in formats:  # while the workers draw: the PDF's workers are forked from this process and inherit it (~1.3 s)
            preload_pdf()
        typeset = {key: markup for future in typesetting for key, markup in result(future).items()}
        figures = [figure for future in drawing for figure in result(future)]
        drawn = {name: result(future) for name, future in extra.items()}
    if progress:
        progress("HTML")
    check_seconds = timings.get("total") if timings else None
    meta = metadata(results, build_seconds=time.perf_counter() - started, out_dir=Path(out_label), check_seconds=check_seconds)
    with math.handed(typeset):
        html = render_html(results, figures, meta, calibration, conformance, drawn, audit)
    contents: dict[str, bytes] = {"results.json": (json.dumps(results, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode()}
    if timings:
        contents["timings.json"] = (json.dumps(timings, indent=2) + "\n").encode()
    if "html" in formats:
        contents["report.html"] = html.encode()
    if "pdf" in formats:
        if progress:
            progress("PDF")
        contents["report.pdf"] = render_pdf(html, Path.cwd())
    return contents
