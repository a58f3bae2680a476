"""The typeset-formula cache of initcheck.reports.math: a hit gives the same SVG without typesetting, a torn or foreign entry
is typeset anew, an unusable folder costs time and nothing else, "off" writes nothing."""

from __future__ import annotations

import pytest

from initcheck.reports import math as report_math

LATEX = r"\frac{2}{n_{in} + n_{out}}"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(report_math.CACHE_ENV, str(tmp_path))
    report_math.latex_svg.cache_clear()
    yield tmp_path / "formulas"
    report_math.latex_svg.cache_clear()


def _forbid_typesetting(monkeypatch):
    def typeset(latex, size):
        raise AssertionError("typeset although the cache holds it")

    monkeypatch.setattr(report_math, "_typeset", typeset)


def test_a_cached_formula_is_read_back_without_typesetting(cache, monkeypatch):
    first = report_math.latex_svg(LATEX)
    assert first.startswith("<svg") and len(list(cache.glob("*.svg"))) == 1
    report_math.latex_svg.cache_clear()
    _forbid_typesetting(monkeypatch)
    assert report_math.latex_svg(LATEX) == first


def test_the_key_holds_the_size_and_the_latex(cache, monkeypatch):
    """Foil: a key of the LaTeX alone would serve the 13 pt formula for the 10 pt one."""
    report_math.latex_svg(LATEX)
    other_size = report_math.latex_svg(LATEX, 10.0)
    other_latex = report_math.latex_svg(LATEX.replace("2", "1"))
    assert len({report_math.latex_svg(LATEX), other_size, other_latex}) == 3
    assert len(list(cache.glob("*.svg"))) == 3


@pytest.mark.parametrize("content", ["<svg width='1'", "", "not svg at all"])
def test_a_torn_or_foreign_entry_is_typeset_anew(cache, content):
    whole = report_math.latex_svg(LATEX)
    (entry,) = cache.glob("*.svg")
    entry.write_text(content)
    report_math.latex_svg.cache_clear()
    assert report_math.latex_svg(LATEX) == whole
    assert entry.read_text() == whole


def test_an_unusable_cache_folder_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(report_math.CACHE_ENV, str(blocker))
    report_math.latex_svg.cache_clear()
    assert report_math.latex_svg(LATEX).startswith("<svg")
    report_math.latex_svg.cache_clear()


def test_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(report_math.CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    report_math.latex_svg.cache_clear()
    assert report_math.cache_folder() is None
    assert report_math.latex_svg(LATEX).startswith("<svg")
    assert not any(tmp_path.rglob("*.svg"))
    report_math.latex_svg.cache_clear()


def test_a_formula_ziamath_cannot_parse_is_shown_as_source_and_not_cached(cache):
    shown = report_math.latex_svg(r"\frac{1}{")
    assert shown.startswith('<code class="latex"') and not list(cache.glob("*.svg"))


def test_the_workers_typeset_the_formulas_and_the_parent_uses_theirs(partial_results, monkeypatch):
    """With no disk cache, a formula the build's worker processes typeset reaches the HTML without the parent typesetting
    it again (the parent's 11 s of ziamath, now shared by the workers). Foil: a parent that ignores what they handed
    back typesets, and the guard below fails."""
    import os

    from initcheck.reports.build import render_report

    parent, real = os.getpid(), report_math._typeset

    def only_in_a_worker(latex, size):
        assert os.getpid() != parent, f"the parent typeset {latex!r}"
        return real(latex, size)

    monkeypatch.setattr(report_math, "_typeset", only_in_a_worker)  # the forked workers inherit it, with their own pid
    monkeypatch.setenv(report_math.CACHE_ENV, "off")
    report_math.latex_svg.cache_clear()
    try:
        html = render_report(partial_results(("GLOROT-VAR", "HE-VAR")), formats=("html",))["report.html"].decode()
    finally:
        report_math.latex_svg.cache_clear()
    assert html.count("<svg") > 2 and not report_math._given  # formulas typeset, and the handed ones dropped after the build
