"""Render report.html and report.pdf from a recorded verification run.

`render_report` returns the files' bytes; the command (initcheck.cli, with initcheck.output) writes them,
all or nothing. Nothing here writes a file, runs a check or decides whether a results file may be reused.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import platform
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMATS = ("html", "pdf")
KINDS = ("symbolic", "simulation", "property", "reproduction", "figure")


def _git_commit() -> str:
    """The commit of the checkout this package was loaded from (never the working directory's repository), or "not a checkout"."""
    source = Path(__file__).resolve().parent.parent  # reports/ sits at the checkout's top level; installed, it sits in initcheck/
    if not (source / "pyproject.toml").is_file() or not (source / "initcheck" / "cli.py").is_file():
        return "not a checkout"
    git = ["git", "-C", str(source)]
    try:
        top = subprocess.run([*git, "rev-parse", "--show-toplevel"], capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        if Path(top).resolve() != source:
            return "not a checkout"
        commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "not a checkout"
    return commit + (" (with uncommitted changes)" if dirty else "")


def _versions() -> str:
    import hypothesis
    import numpy
    import scipy
    import sympy

    return f"Python {platform.python_version()}, NumPy {numpy.__version__}, SciPy {scipy.__version__}, SymPy {sympy.__version__}, Hypothesis {hypothesis.__version__}"


def metadata(results: dict[str, Any], *, build_seconds: float, out_dir: Path, check_seconds: float | None = None) -> dict[str, Any]:
    from initcheck.registry import CLAIMS
    from initcheck.sims import stats

    counts: dict[str, int] = {}
    for claim in results["claims"]:
        counts[claim["verdict"]] = counts.get(claim["verdict"], 0) + 1
    seed, tier = results["seed"], results["tier"]
    rows = [
        ("initcheck version", results["initcheck_version"]),
        ("git commit", _git_commit()),
        ("date (UTC)", datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M")),
        ("master seed / tier", f"{seed} / {tier}"),
        ("software", _versions()),
        ("machine", f"{platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs"),
        (
            "run time",
            (f"checks {check_seconds} s; " if check_seconds is not None else "checks from a recorded results file; ")
            + f"figures and HTML {build_seconds:.1f} s",
        ),
        ("claims", f"{len(results['claims'])} of {len(CLAIMS)} in the registry"),
        ("consistent", "every check behaves as documented" if results["consistent"] else "NO: some check contradicts its documented verdict"),
    ]
    return {
        "version": results["initcheck_version"],
        "rows": rows,
        "counts": sorted(counts.items()),
        "citation": f"The initcheck developers. initcheck: executable checks of published claims about neural-network weight initialization, "
        f"version {results['initcheck_version']} (CITATION.cff).",
        "reproduce": f"initcheck report --seed {seed} --tier {tier} --out {out_dir}\n# or, in a checkout: tox -e report",
        "z": stats.Z_CRITICAL,
        "rate": f"{stats.FALSE_FAILURE_RATE:.2g}",
        "power": stats.POWER,
    }


def _draw(index: int, seed: int, by_id: dict[str, Any]) -> str:
    """Figure `index` as SVG; each figure draws from its own stream (seed, "figure", id), so any process gives the same bytes."""
    from initcheck.reports.figures import all_figures, svg
    from initcheck.sims.stats import stream

    spec = all_figures()[index]
    return svg(spec.draw(stream(seed, "figure", spec.id), by_id))


def render_figures(results: dict[str, Any], seed: int, progress: Callable[[str], None] | None, workers: int | None = None) -> list[dict[str, Any]]:
    """Every figure, drawn in parallel worker processes (one per CPU, at most 4)."""
    from concurrent.futures import ProcessPoolExecutor

    from initcheck.reports.figures import all_figures

    by_id = {c["id"]: c for c in results["claims"]}
    specs = all_figures()
    with ProcessPoolExecutor(max_workers=workers or min(4, os.cpu_count() or 1)) as pool:
        futures = [pool.submit(_draw, index, seed, by_id) for index in range(len(specs))]
        rendered = []
        for index, (spec, future) in enumerate(zip(specs, futures, strict=True), start=1):
            rendered.append({"id": spec.id, "claims": spec.claims, "caption": spec.caption, "svg": future.result()})
            if progress:
                progress(f"figure {index}/{len(specs)}: {spec.id}")
    return rendered


def render_html(results: dict[str, Any], figures: list[dict[str, Any]], meta: dict[str, Any]) -> str:
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
        marks["figure"] = sections.mark(True if own or refs else None)
        checks = [{**c, "mark": sections.mark(c["passed"]), "body": sections.body(c)} for c in claim["checks"]]
        claims.append({**claim, "checks": checks, "marks": marks, "figures": own, "figure_refs": refs, "verdict_words": sections.verdict_words(claim)})
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return environment.from_string(TEMPLATE).render(style=STYLE, meta=meta, claims=claims, kinds=KINDS)


def render_pdf(html: str, base: Path) -> bytes:
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # font-subsetting notices are not the user's concern
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint.HTML(string=html, base_url=str(base), url_fetcher=offline_fetcher()).write_pdf()


def offline_fetcher() -> Any:
    """WeasyPrint's fetcher limited to file: and data: URLs: a report can never reach the network."""
    import weasyprint

    return weasyprint.URLFetcher(allowed_protocols=("file", "data"))


def render_report(
    results: dict[str, Any],
    *,
    formats: tuple[str, ...] = FORMATS,
    timings: dict[str, Any] | None = None,
    out_label: str = "reports/build",
    progress: Callable[[str], None] | None = None,
) -> dict[str, bytes]:
    """The report's files as bytes: results.json, timings.json when the checks ran now, and the requested formats.

    The timings stay out of results.json, so the same inputs give the same results bytes."""
    started = time.perf_counter()
    figures = render_figures(results, results["seed"], progress)
    if progress:
        progress("HTML")
    check_seconds = timings.get("total") if timings else None
    meta = metadata(results, build_seconds=time.perf_counter() - started, out_dir=Path(out_label), check_seconds=check_seconds)
    html = render_html(results, figures, meta)
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
