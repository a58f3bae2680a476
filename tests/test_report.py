"""The report as a reader would check it: the PDF opens and shows every claim and figure, the HTML is self-contained, bad folders fail cleanly."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from initcheck.cli import main
from initcheck.output import OutputError, write_all
from initcheck.registry import CLAIMS
from initcheck.reports import build, pdf
from initcheck.reports.figures import all_figures

RUN = ("VAR-SUM", "GRAD-W4", "SYM-PERCEPTRON-TABLE")  # one of each: simulation, property, refuted; the rest shown as not run


@pytest.fixture(scope="module")
def results(partial_results) -> dict:
    return partial_results(RUN)


@pytest.fixture(scope="module")
def built(results, tmp_path_factory) -> dict[str, Path]:
    return write_all(tmp_path_factory.mktemp("report"), build.render_report(results))


def _normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", ""))


def test_pdf_opens_names_every_claim_and_figure(built):
    from pypdf import PdfReader

    reader = PdfReader(built["report.pdf"])
    assert 15 <= len(reader.pages) <= 150  # 35 claims, 10 figures; about 45 pages with every check run
    text = _normalized(" ".join(page.extract_text() for page in reader.pages))
    missing = [c.id for c in CLAIMS if c.id not in text]
    assert not missing, f"claim IDs missing from the PDF text: {missing}"
    for spec in all_figures():
        assert f"({spec.id})" in text, f"figure {spec.id} has no caption in the PDF"
        assert _normalized(spec.caption)[:40] in text, f"caption of {spec.id} not found"


def test_no_pdf_page_is_blank(built, tmp_path):
    from pypdf import PdfReader

    if shutil.which("pdftoppm"):  # render every page and look for ink
        from PIL import Image

        subprocess.run(["pdftoppm", "-r", "20", "-png", str(built["report.pdf"]), str(tmp_path / "page")], check=True)
        pages = sorted(tmp_path.glob("page*.png"))
        assert pages
        blank = [p.name for p in pages if Image.open(p).convert("L").getextrema()[0] > 200]
        assert not blank, f"blank pages: {blank}"
    else:  # no renderer: every page must at least draw something
        assert all(len(page.get_contents().get_data()) > 200 for page in PdfReader(built["report.pdf"]).pages)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.fetched: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("src", "href", "xlink:href", "data") and value and not value.startswith(("#", "data:")):
                self.fetched.append(f"<{tag} {name}={value[:60]}>")


def test_html_is_self_contained_with_an_anchor_per_claim(built):
    collector = _Collector()
    collector.feed(built["report.html"].read_text(encoding="utf-8"))
    assert {c.id for c in CLAIMS} <= collector.ids
    assert {spec.id for spec in all_figures()} <= collector.ids
    assert not collector.fetched, f"resources fetched at view time: {collector.fetched[:5]}"
    assert "link" not in collector.tags and "img" not in collector.tags and "script" not in collector.tags
    assert collector.tags.count("svg") >= len(all_figures())


def test_pdf_fetcher_refuses_the_network():
    with pytest.raises(ValueError, match="disallowed protocol"):
        pdf.offline_fetcher().fetch("https://example.com/style.css")


def test_a_failed_write_leaves_the_previous_report_and_nothing_new(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    write_all(out, {"results.json": b"old results", "report.html": b"old html"})
    (out / "report.pdf").mkdir()  # a folder in the way of the last file
    with pytest.raises(OutputError, match=r"report\.pdf"):
        write_all(out, {"results.json": b"new", "report.html": b"new", "report.pdf": b"new"})
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.pdf", "results.json"]
    assert (out / "results.json").read_bytes() == b"old results" and (out / "report.html").read_bytes() == b"old html"


def test_a_failed_rename_midway_restores_every_previous_file(tmp_path, monkeypatch):
    import os

    out = tmp_path / "out"
    out.mkdir()
    write_all(out, {"a.json": b"old a", "b.html": b"old b"})
    real_replace = os.replace

    def failing(source, target):  # the disk fills up as the second new file goes in
        if str(target).endswith("b.html") and "previous" not in str(source):
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OutputError, match="No space left"):
        write_all(out, {"a.json": b"new a", "b.html": b"new b"})
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.html"]
    assert (out / "a.json").read_bytes() == b"old a" and (out / "b.html").read_bytes() == b"old b"


@pytest.mark.parametrize("where", ["file", "below-a-file"])
def test_bad_output_folder_is_one_line_exit_2(tmp_path, capsys, where):
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder")
    out = blocker if where == "file" else blocker / "sub"
    assert main(["report", "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(blocker) in err and "Traceback" not in err
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("args", [["--format", "html,docx"], ["--format", ""], ["--results", "/nonexistent/results.json"]])
def test_bad_report_arguments_are_named(tmp_path, capsys, args):
    assert main(["report", "--out", str(tmp_path), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("initcheck: error:") and err.count("\n") == 1


def test_results_are_reused_only_when_their_fingerprint_matches(results, tmp_path, monkeypatch):
    import argparse
    import json

    from initcheck import cli

    out = tmp_path / "out"
    out.mkdir()
    (out / "results.json").write_text(json.dumps(results))
    ran = []
    monkeypatch.setattr(cli, "_run_checks", lambda args, claims, **k: ran.append(k) or (results, {"total": 0.0, "claims": {}}))

    def reuse(seed: int, tier: str, rerun: bool = False):
        args = argparse.Namespace(rerun=rerun, quiet=True, workers=1, scheduler=None)
        return cli._reusable_or_run(args, out / "results.json", seed=seed, tier=tier, mnist=None)

    reused, timings = reuse(7, "default")
    assert reused == results and timings == {} and not ran
    reuse(8, "default")
    reuse(7, "full")
    reuse(7, "default", rerun=True)
    assert [(k["seed"], k["tier"]) for k in ran] == [(8, "default"), (7, "full"), (7, "default")]
    from initcheck import verify  # other code of the same version: a changed estimator must not reuse the old numbers

    assert results["inputs"]["code"] == verify.code_digest()
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: real(self) + (b"# changed" if self.name == "stats.py" else b""))
    verify.code_digest.cache_clear()
    try:
        assert verify.code_digest() != results["inputs"]["code"]
        reuse(7, "default")
        assert [(k["seed"], k["tier"]) for k in ran][-1] == (7, "default") and len(ran) == 4
    finally:
        monkeypatch.undo()
        verify.code_digest.cache_clear()


def _claim_section(html: str, claim_id: str) -> str:
    start = html.index('<section class="claim')
    start = html.index(f'id="{claim_id}"', start)
    return html[start : html.index("</section>", start)]


def test_a_claim_shows_the_checks_it_has_and_names_the_absent_kinds_once(built):
    html = built["report.html"].read_text(encoding="utf-8")
    assert "no check of this kind yet</p>" not in html
    table = _claim_section(html, "SYM-PERCEPTRON-TABLE")  # a symbolic check only
    assert "Symbolic check" in table
    assert not any(f"{kind} check <span" in table for kind in ("Simulation", "Property", "Reproduction"))
    assert table.count("No simulation, property or reproduction check of this claim yet.") == 1
    assert _claim_section(html, "GRAD-W4").count("No reproduction check of this claim yet.") == 1  # symbolic, simulation, property


def test_the_title_page_and_the_summary_name_the_catalogue_version_the_results_record(built, results):
    html = built["report.html"].read_text(encoding="utf-8")
    assert results["catalogue"] == "v2"
    assert "claims catalogue v2" in html and "Claims catalogue v2:" in html


def test_the_verdict_badge_can_wrap_in_the_summary_column(built):
    html = built["report.html"].read_text(encoding="utf-8")
    summary = html[html.index('<table class="grid summary">') : html.index("</table>", html.index('<table class="grid summary">'))]
    assert "not-<wbr>checked" in summary and "not-checked</span>" not in summary  # holds-under-conditions breaks the same way
    assert "table.summary .verdict { white-space: normal;" in html


def test_the_title_page_records_the_blas_library_and_kernel_of_the_run(built, results):
    html = built["report.html"].read_text(encoding="utf-8")
    title = html[: html.index('<h2 id="summary">')]
    for library in results["environment"]["blas"]:
        assert library["internal_api"] in title and str(library["version"]) in title
        assert str(library.get("architecture") or "not reported") in title
        assert f"{library['num_threads']} thread(s)" in title


def test_the_report_points_at_no_file_outside_the_repository(built):
    html = built["report.html"].read_text(encoding="utf-8")
    assert "../" not in re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    assert "shared/" not in html and "CLAIMS.md" not in html


def _calibration_record(sd_of_one_case: float) -> dict:
    """A calibration record from synthetic z-scores: two cases over 40 seeds, one with the given sd(z)."""
    import numpy as np

    from initcheck.calibration import summarise, verdict

    rng = np.random.default_rng(3)
    by_case = {"A: a correct case": list(rng.standard_normal(40)), "B: a case under test": list(sd_of_one_case * rng.standard_normal(40))}
    record = summarise(by_case, seeds=range(40), scale=0.1)
    return {"initcheck_version": "0", "tier": "default", "fraction": 0.1, **record, **verdict(record)}


def test_the_report_shows_the_calibration_record_and_names_an_uncalibrated_case(results):
    calibrated = build.render_html(results, [], build.metadata(results, build_seconds=0.0, out_dir=Path("x")), _calibration_record(1.0))
    assert "Every case is calibrated." in calibrated and "fig-calibration" in calibrated and "B: a case under test" in calibrated
    off = build.render_html(results, [], build.metadata(results, build_seconds=0.0, out_dir=Path("x")), _calibration_record(2.2))
    assert "Not calibrated:</b> B: a case under test" in off and 'class="off"' in off
    absent = build.render_html(results, [], build.metadata(results, build_seconds=0.0, out_dir=Path("x")))
    assert "No calibration record beside these results" in absent


def test_a_broken_calibration_record_beside_the_results_is_one_line_exit_2(results, tmp_path, capsys):
    import json

    out = tmp_path / "out"
    out.mkdir()
    (out / "results.json").write_text(json.dumps(results))
    (out / "calibration.json").write_text(json.dumps({"seeds": 3}))
    assert main(["report", "--quiet", "--out", str(out), "--results", str(out / "results.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "calibration.json" in err and "required property" in err


def test_sigterm_while_figures_render_ends_the_drawing_process_and_writes_nothing(results, tmp_path):
    import json
    import signal
    import sys
    import time

    source = tmp_path / "results.json"
    source.write_text(json.dumps(results))
    out = tmp_path / "out"
    process = subprocess.Popen(  # cwd: not the checkout, whose initcheck/ folder would shadow the installed package
        [sys.executable, "-m", "initcheck", "report", "--quiet", "--results", str(source), "--out", str(out)], stderr=subprocess.PIPE, cwd=tmp_path
    )
    try:
        children: list[int] = []
        deadline = time.monotonic() + 120
        while not children and time.monotonic() < deadline and process.poll() is None:  # the drawing process forks once the results load
            time.sleep(0.2)
            listing = Path(f"/proc/{process.pid}/task/{process.pid}/children")
            children = [int(pid) for pid in listing.read_text().split()] if listing.exists() else []
        assert children, "the drawing process never started"
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 143 and err.decode() == "initcheck: terminated\n", err.decode()[-2000:]
    time.sleep(0.5)
    alive = [pid for pid in children if Path(f"/proc/{pid}").exists() and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"]
    assert not alive and not out.exists()


USER_INIT = Path(__file__).parent / "data" / "conform_user_init.py"


@pytest.fixture(scope="module")
def conformance_document() -> dict:
    from initcheck import conformance

    records = [
        conformance.conform(f"{USER_INIT}:{name}", rule, layout="keras", tier="quick")
        for name, rule in (("kaiming_normal_fan_out", "kaiming_normal"), ("glorot_uniform", "glorot_uniform"))
    ]
    records.append({"target": "haiku", "framework": "haiku", "status": "not installed", "reason": "haiku is not importable here"})
    return {"initcheck_version": "0", "seed": 0, "tier": "quick", "records": conformance.jsonable(records)}


def test_the_report_shows_the_conformance_matrix_each_failure_with_its_evidence_and_what_is_not_installed(results, conformance_document):
    assert [r["status"] for r in conformance_document["records"]] == ["fail", "pass", "not installed"]  # the bug is caught, the rule met
    html = build.render_report(results, formats=("html",), conformance=conformance_document)["report.html"].decode()
    section = html[html.index('<section class="claim" id="conformance">') :]
    assert 'id="fig-conformance"' in section and section.count("<svg") == 1
    assert "kaiming_normal_fan_out: fails kaiming_normal [keras, float32]" in section
    failed = [t for t in conformance_document["records"][0]["tests"] if not t["passed"]]
    assert {t["statistic"] for t in failed} >= {"second moment", "fan axis: log Var(A)/Var(B)"}
    for test in failed:  # every failing statistic with its z and sample size
        assert f"{test['z']:.3g}" in section and f"{test['n']} {test['n_unit']}" in section
    assert "not installed: haiku is not importable here" in section and "fail 1, not installed 1, pass 1" in section
    assert "script</a>" not in section  # no script recorded, no link
    records = [{**conformance_document["records"][0], "repro": "repro-01-x.py"}, *conformance_document["records"][1:]]
    linked = build.render_report(results, formats=("html",), conformance={**conformance_document, "records": records})["report.html"].decode()
    assert '<a href="repro-01-x.py">script</a>' in linked  # each failure links to the script `conform --out` wrote beside it


def test_the_list_of_failures_has_one_line_per_initializer_and_rule_with_each_failing_dtype(results, conformance_document):
    """The PDF's list groups an initializer's failing dtypes on one line (each with its statistics, script and #N); the
    per-failure tables (report.html) keep one anchor per record, and #N points at the right one."""
    first = conformance_document["records"][0]
    again = {**first, "dtype": "float16", "repro": "repro-02-x.py"}
    records = [first, again, *conformance_document["records"][1:]]
    html = build.render_report(results, formats=("html",), conformance={**conformance_document, "records": records})["report.html"].decode()
    section = html[html.index('<section class="claim" id="conformance">') :]
    lines = re.findall(r"<li><b>[^<]*kaiming_normal_fan_out</b>.*?</li>", section)
    assert len(lines) == 1 and "<i>float32</i>: second moment" in lines[0] and "<i>float16</i>: second moment" in lines[0], lines
    assert '(<a href="repro-02-x.py">script</a>) <a href="#conformance-failure-2">#2</a>' in lines[0]
    assert 'id="conformance-failure-2">' in section and section.index('id="conformance-failure-2">') < section.index("float16]</h4>")


def test_without_a_conformance_record_the_report_says_how_to_make_one(built):
    html = built["report.html"].read_text(encoding="utf-8")
    assert "initcheck conform --framework all --out DIR" in html and 'id="fig-conformance"' not in html


def test_conform_out_writes_the_matrix_the_report_reads_and_a_broken_one_is_exit_2_before_any_check(tmp_path, capsys):
    from initcheck.results import load_conformance

    code = main(["conform", f"{USER_INIT}:glorot_uniform", "--rule", "glorot_uniform", "--layout", "keras", "--tier", "quick", "--out", str(tmp_path)])
    capsys.readouterr()
    assert code == 0 and load_conformance(tmp_path / "conformance.json")["records"][0]["status"] == "pass"
    (tmp_path / "conformance.json").write_text('{"records": []}')
    assert main(["report", "--out", str(tmp_path), "--quiet"]) == 2  # before minutes of checks: nothing else is written
    err = capsys.readouterr().err
    assert "conformance file" in err and err.count("\n") == 1 and not (tmp_path / "results.json").exists()


def test_the_conformance_figure_puts_a_statistic_right_of_the_critical_line_exactly_when_it_failed(conformance_document):
    from initcheck.reports.figures.conformance import FLOOR, _ratio

    ratios = [(_ratio(t), t) for r in conformance_document["records"] for t in r.get("tests", [])]
    assert any(t.get("judged_by") == "count" for _, t in ratios)  # the Poisson counts are drawn as count / critical count
    for ratio, test in ratios:
        if ratio is not None and ratio > FLOOR:
            assert (ratio >= 1) == (not test["passed"]), test


def test_a_large_matrix_still_fits_one_page_and_labels_each_row_by_rule_layout_and_dtype(conformance_document):
    from initcheck.reports.figures.conformance import MAX_HEIGHT, conformance_figure

    many = {**conformance_document, "records": conformance_document["records"][:2] * 30}  # 60 rows
    fig = conformance_figure(many)
    assert fig.get_size_inches()[1] <= MAX_HEIGHT
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0] == "conform_user_init.py:kaiming_normal_fan_out · kaiming_normal [keras, float32]" and len(labels) == 60


def test_a_failing_initializer_s_name_is_red_and_a_dense_figure_puts_no_label_on_another_row(conformance_document):
    """With many rows (~6 pt apart) a label under a failing row would sit on the next row's name: the name itself is red
    instead. With few rows the label stays under its own row."""
    from initcheck.reports.figures.conformance import FAILED, conformance_figure

    records = conformance_document["records"]
    assert {r["status"] for r in records if r.get("tests")} >= {"pass", "fail"}
    for many in (False, True):
        document = {**conformance_document, "records": records * (30 if many else 1)}
        fig = conformance_figure(document)
        ax = fig.axes[0]
        rows = [r for r in document["records"] if r.get("tests")]
        colours = [t.get_color() for t in ax.get_yticklabels()]
        assert [c == FAILED for c in colours] == [r["status"] == "fail" for r in rows]
        labels = [t for t in ax.texts if t.get_text().startswith("fails:")]
        assert (labels == []) if many else (len(labels) == sum(r["status"] == "fail" for r in rows))


def test_the_calibration_names_each_z_beyond_the_rule_with_its_case_and_master_seed(results):
    from initcheck.calibration import summarise

    by_case = {"A: steady": [0.1, -0.3, 0.2], "B: one outlier": [0.5, 7.25, -0.4]}
    record = summarise(by_case, seeds=range(10, 13), scale=0.1)
    assert record["failures"] == 1 and record["failed"] == [{"case": "B: one outlier", "seed": 11, "z": 7.25}]
    shown = {"initcheck_version": "0", "tier": "default", "fraction": 0.1, **record, "per_case_threshold": 1e-3, "cases_off": [], "calibrated": True}
    html = build.render_html(results, [], build.metadata(results, build_seconds=0.0, out_dir=Path("x")), shown)
    assert "B: one outlier, master seed 11: z = 7.25" in html


def _outline(reader) -> list[tuple[int, str]]:
    flat: list[tuple[int, str]] = []

    def walk(items, depth):
        for item in items:
            walk(item, depth + 1) if isinstance(item, list) else flat.append((depth, item.title))

    walk(reader.outline, 0)
    return flat


def test_the_pdf_rendered_in_parts_reads_as_one_document():
    """render_pdf cuts the document into parts rendered side by side; joined, it must keep what one render has: the outline's
    nesting, links into another part, and "page k of n" on every page. Foil: a cut that sent links to the other part's
    anchors nowhere, or numbered each part from 1, fails here."""
    import io

    from pypdf import PdfReader

    from initcheck.reports.template import STYLE

    claims = "".join(
        f'<section class="claim" id="C{k}"><h3>C{k}</h3>'
        + "<p>text</p>" * 60
        + f'<p><a href="#C{(k + 2) % 4}">to C{(k + 2) % 4}</a></p></section>'
        for k in range(4)
    )
    html = f'<html><head><style>{STYLE}</style></head><body><section class="title"><h1>T</h1></section><h2 id="summary">S</h2>{claims}</body></html>'
    parts = pdf._parts(html, 2)
    assert len(parts) == 2 and pdf.ELSEWHERE + "C2" in parts[0] and pdf.ELSEWHERE + "C0" in parts[1]
    whole, joined = (PdfReader(io.BytesIO(pdf.render_pdf(html, Path.cwd(), parts=n))) for n in (1, 2))
    assert _outline(joined) == _outline(whole)
    assert [depth for depth, title in _outline(joined) if title.startswith("C")] == [2, 2, 2, 2]  # under T > S, as in one render
    names = joined.named_destinations
    targets = []
    for page in joined.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            assert "/A" not in link, f"a link left external: {link}"
            targets.append(str(link["/Dest"]))
    assert sorted(targets) == ["C0", "C1", "C2", "C3"] and set(targets) <= set(names)
    count = len(joined.pages)
    assert count >= len(whole.pages) >= 5
    for number, page in enumerate(joined.pages, start=1):
        assert _normalized(page.extract_text()).count("initcheck report · page") == 1
        assert f"page {number} of {count}" in _normalized(page.extract_text())


def test_recorded_groups_read_as_tables_and_nothing_is_dropped_silently():
    """Records with fields in common become one table (a row each when flat, a column each when nested); numbers keep 6
    significant digits, inside lists too; a value too long for the page is counted and left to results.json, never lost
    without a word. Foil: one row per flattened leaf (the old layout) has no f'(0) column."""
    from initcheck.reports import sections

    details = {
        "derivatives": {"relu": {"f(0)": 0, "f'(0)": 0}, "clamp": {"f(0)": 0, "f'(0)": 1}},  # flat records: a row each
        "by_framework": {"torch": {"momentum": 0.1, "running": {"mean": [0.123456789, 2.0]}}, "keras": {"momentum": 0.01, "running": {"mean": [1.0, 2.0]}}},
        "tolerance": 1e-05,
        "long": "x" * 200,
    }
    html = sections._details_tables(details, "ours", longest=120)
    assert "<th>derivatives</th><th>f(0)</th><th>f&#x27;(0)</th>" in html and "<td>clamp</td><td>0</td><td>1</td>" in html
    assert "<th>by_framework</th><th>torch</th><th>keras</th>" in html and "<td>running.mean</td><td>[0.123457, 2]</td><td>[1, 2]</td>" in html
    assert "<td>tolerance</td><td>1e-05</td>" in html and "x" * 200 not in html
    assert "1 longer value(s) of 'ours' are in results.json only" in html
    one = sections._details_tables({"only": {"a": 1}}, "ours")  # one record is no group: a quantity/value row
    assert "<td>only.a</td><td>1</td>" in one


def test_a_long_cases_table_is_in_the_html_only_and_the_pdf_gets_a_summary_and_a_link():
    from initcheck.reports import pdf, sections

    def case(k: int) -> dict:
        return {"case": f"case {k}", "type": "statistical", "method": "m", "estimate": 1.0, "standard_error": 0.1, "n": 10, "theory": 1.0, "z": 0.1 * k,
                "foil": {"label": "f", "value": 2.0, "z": 10.0 - k, "rejected": True}, "minimum_detectable_effect": 0.5, "relative_mde": 0.5,
                "agrees": True, "behaves": True}  # fmt: skip

    rule = {"z_critical": 5.0, "false_failure_rate_per_case": 5.7e-7}
    check = {"kind": "simulation", "passed": True, "summary": "s", "rule": rule, "cases": [case(k) for k in range(pdf.SHORT_ROWS + 1)]}
    html = sections.body(check, "X-simulation")
    hidden = html.split("<div class='html-only' id='X-simulation-1'>", 1)
    last = pdf.SHORT_ROWS  # the last of SHORT_ROWS + 1 cases: largest z, smallest foil z
    assert len(hidden) == 2 and f"case {last}" in hidden[1].split("<div class='pdf-only'>", 1)[0]  # every row, on screen
    assert f"largest |z| {0.1 * last:.2f}: case {last}" in html and f"smallest foil |z| {10 - last:g}: case {last}" in html  # the PDF's summary
    assert "href='#X-simulation-1'" in html
    short = sections.body({**check, "cases": check["cases"][:2]}, "X-simulation")
    assert "html-only" not in short and "case 1" in short  # a short table is printed as it is
    assert "html-only" not in sections.body(check)  # no anchor given (the formula workers): nothing is hidden


def test_what_the_pdf_does_not_print_is_taken_out_before_weasyprint_with_everything_it_holds():
    """printed() drops each html-only <div> or <span> to its own closing tag, nested <div>s counted. Foil: cutting at the
    first </div> (a regex) would leave the outer element's tail, here "tail of the table", in the PDF."""
    html = (
        "<p>before</p><div class='html-only' id='X-1'><div><table><tr><td>row</td></tr></table></div>tail of the table</div>"
        '<p>between <span class="small html-only">screen words</span>print words</p><div class="pdf-only">summary</div><p>after</p>'
    )
    assert pdf.printed(html) == '<p>before</p><p>between print words</p><div class="pdf-only">summary</div><p>after</p>'
    assert pdf.printed("<p>plain</p>") == "<p>plain</p>"
    with pytest.raises(ValueError, match="never closed"):
        pdf.printed("<div class='html-only'><div>open")


def test_the_stylesheet_hides_the_html_only_tables_in_print_and_the_pointers_on_screen():
    from initcheck.reports.template import STYLE

    assert "@media print { .html-only { display: none; } }" in STYLE and "@media screen { .pdf-only { display: none; } }" in STYLE


def test_a_matrix_larger_than_a_page_is_drawn_as_several_figures_each_row_once_in_order(conformance_document):
    """At a legible row height a page holds ROWS_PER_PAGE initializers, a part ROWS_PER_FIGURE (half a page); 170 rows
    (the main job's matrix) must not be squeezed into one page (foil: one figure of 170 rows) nor lose or repeat a row,
    and the parts are of one size at one row spacing (foil: full parts and a short last one, which left pages half empty)."""
    from initcheck.reports.figures.conformance import MAX_HEIGHT, ROWS_PER_FIGURE, ROWS_PER_PAGE, conformance_figures

    ran = [r for r in conformance_document["records"] if r.get("tests")]
    many = {**conformance_document, "records": (ran * 170)[:170]}
    figures = conformance_figures(many)
    assert len(figures) == math.ceil(170 / ROWS_PER_FIGURE) and all(f.get_size_inches()[1] <= MAX_HEIGHT for f in figures)
    heights = [f.get_size_inches()[1] for f in figures]
    assert max(heights) - min(heights) <= (MAX_HEIGHT - 1.0) / ROWS_PER_PAGE + 1e-9  # one row at most
    assert 2 * max(heights) <= 10.0  # two parts and their captions fit an A4 page (10.5 in inside the margins)
    labels = [t.get_text() for f in figures for t in f.axes[0].get_yticklabels()]
    assert len(labels) == 170 and labels[: len(ran)] == [t.get_text() for t in conformance_figures({**conformance_document, "records": ran})[0].axes[0].get_yticklabels()]


def test_a_long_table_with_a_heading_is_one_line_in_the_pdf_and_headed_in_the_html():
    """The heading of a table kept to report.html goes with it; the PDF's pointer starts with it (one line, not three)."""
    table = "<table><tr><td>1</td></tr></table>"
    long = pdf.fitted(table, 9, "Measured, not asserted: blas", pdf.Anchors("X-simulation"), heading=True)
    hidden, pointer = long.split("<div class='pdf-only'>")
    assert hidden.startswith("<div class='html-only' id='X-simulation-1'><p class='small'><b>Measured, not asserted: blas</b></p><table>")
    assert pointer.count("<p") == 1 and "<b>Measured, not asserted: blas</b>: the whole table (9 rows)" in pointer and "#X-simulation-1" in pointer
    short = pdf.fitted(table, 2, "blas", pdf.Anchors("X-simulation"), heading=True)
    assert short == "<p class='small'><b>blas</b></p>" + table  # shown in both, under its heading
    assert pdf.fitted(table, 9, "every case", pdf.Anchors("X"), summary="<table>s</table>").count("<b>every case</b>") == 1
