"""report.pdf from the report's HTML with WeasyPrint: rendered in parts side by side, joined with pypdf.

Nothing here writes a file: `render_pdf` returns the PDF's bytes.
"""

from __future__ import annotations

import base64
import itertools
import logging
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from initcheck.reports.processes import side_by_side
from initcheck.reports.template import NO_FOOTER, PAGE
from initcheck.signals import result, signals_held

# The PDF is for reading, the HTML holds everything (issue 25): a table of more than SHORT_ROWS rows is shown in
# report.html only, and the PDF prints where it is instead (CSS: .html-only is not printed, .pdf-only not on screen).
SHORT_ROWS = 4


@dataclass
class Anchors:
    """Names the HTML-only tables of one check: "<claim ID>-<kind>-1", "-2", ... (the PDF's pointers link to them)."""

    prefix: str
    count: int = 0

    def next(self) -> str:
        self.count += 1
        return f"{self.prefix}-{self.count}"


def fitted(table: str, rows: int, title: str, anchors: Anchors | None, summary: str = "", *, always: bool = False, heading: bool = False) -> str:
    """`table` as it is when it has at most SHORT_ROWS rows (or no anchors are given); else (or `always`: what is measured
    but not asserted) in report.html only, and in the PDF `summary` (a short table, optional) with a one-line pointer to
    it. `heading`: the title is also the table's heading, above it where it is shown, and the pointer's bold start in
    the PDF (one line where a heading and a pointer took three)."""
    head = f"<p class='small'><b>{escape(title)}</b></p>" if heading else ""
    if anchors is None or (rows <= SHORT_ROWS and not always):
        return head + table
    anchor = anchors.next()
    pointer = (f"<p class='small pdf-only'><b>{escape(title)}</b>: the whole table ({rows} rows) is in report.html at <a href='#{anchor}'>#{anchor}</a>, "
               "every number in results.json.</p>")  # fmt: skip
    return f"<div class='html-only' id='{anchor}'>{head}{table}</div><div class='pdf-only'>{summary}</div>{pointer}"


PDF_PARTS = 2  # fixed, not the machine's core count: the same document is cut the same way everywhere
SECTION = re.compile(r"<section\b")
ELSEWHERE = "initcheck-anchor:"  # a link to another part's anchor, while the parts are apart


def preload_pdf() -> None:
    """Import WeasyPrint and pypdf here (~1.3 s), before the parts' workers are forked: they inherit them instead of each
    importing them, and the join has them (render_report calls this while its figure workers draw)."""
    import pypdf  # noqa: F401
    import weasyprint.document  # noqa: F401


def render_pdf(html: str, base: Path, *, parts: int = PDF_PARTS) -> bytes:
    """report.pdf from the report's HTML: cut before top-level sections into `parts` documents of about equal text,
    rendered side by side (WeasyPrint lays out one document on one core), joined, then numbered "page k of n".

    Links between parts are kept: while apart they are external links to ELSEWHERE + anchor, which the join turns back
    into links to the named destination WeasyPrint wrote for the anchor. What the PDF does not print (.html-only) is
    taken out first (`printed`): WeasyPrint would parse and style it only to hide it."""
    documents = _parts(printed(html), parts)
    if len(documents) == 1:
        return _part_pdf(documents[0], base)[0]
    with side_by_side(len(documents)) as pool:
        with signals_held():
            futures = [pool.submit(_part_pdf, document, base) for document in documents]
        rendered = [result(future) for future in futures]
    return _join(rendered, base)


HTML_ONLY = re.compile(r"""<(div|span)\b[^>]*\bclass=(["'])(?:[^"']*\s)?html-only(?:\s[^"']*)?\2[^>]*>""")


def printed(html: str) -> str:
    """The report's HTML less every element of class html-only (a <div> or <span>, with all it holds): what @media print
    hides anyway. The report writes these elements itself, balanced; a <div> inside one is counted to find its end.
    The same pages come out (the text of the PDF is unchanged), about 12% faster."""
    kept, position = [], 0
    while (start := HTML_ONLY.search(html, position)) is not None:
        tag = start.group(1)
        tokens = re.compile(rf"<{tag}\b|</{tag}>")
        depth, end = 1, start.end()
        while depth:
            token = tokens.search(html, end)
            if token is None:
                raise ValueError(f"an html-only <{tag}> at character {start.start()} is never closed")
            depth += -1 if token.group(0).startswith("</") else 1
            end = token.end()
        kept.append(html[position : start.start()])
        position = end
    kept.append(html[position:])
    return "".join(kept)


def _weight(fragment: str) -> int:
    """A part's weight for the cut: its text and tables. The drawings are not counted: their bytes do not follow their
    cost (the formulas are large and cheap), though their elements cost WeasyPrint time too (measured on the 50-page
    report: its two parts 11.3 s and 12.1 s with the drawings, 5.8 s and 4.7 s without; weighting by drawing cost is
    left for later)."""
    return len(SVG_ELEMENT.sub("", fragment))


def _parts(html: str, parts: int) -> list[str]:
    """The document cut before top-level <section>s into at most `parts` documents of about equal weight, each with the
    whole <head> and no footer; links to an anchor of another part point to ELSEWHERE + anchor."""
    starts = [m.start() for m in SECTION.finditer(html)]
    end = html.rindex("</body>")
    if parts < 2 or len(starts) < 2:
        return [html]
    weights = [_weight(html[a:b]) for a, b in zip(starts, [*starts[1:], end], strict=True)]
    total, running, cuts = sum(weights), 0, list[int]()
    for index, weight in enumerate(weights[:-1]):
        running += weight
        if running >= total * (len(cuts) + 1) / parts and len(cuts) < parts - 1:
            cuts.append(index + 1)
    bounds = [0, *cuts, len(starts)]
    head = html[: starts[0]].replace("</head>", f"<style>{NO_FOOTER}</style></head>", 1)
    documents = []
    for first, last in itertools.pairwise(bounds):
        body = html[starts[first] : starts[last] if last < len(starts) else end]
        documents.append(head + _links_across(body) + html[end:])
    return documents


def _links_across(body: str) -> str:
    """A part's links to anchors it does not have, as ELSEWHERE + anchor (WeasyPrint drops an internal link it cannot resolve)."""
    own = set(re.findall(r'\bid="([^"]+)"', body))
    return re.sub(r'href="#([^"]+)"', lambda m: m.group(0) if m.group(1) in own else f'href="{ELSEWHERE}{m.group(1)}"', body)


Bookmarks = list[tuple[float, list[Any]]]  # per page: its height and WeasyPrint's (level, label, (x, y), state) bookmarks


def _part_pdf(html: str, base: Path) -> tuple[bytes, Bookmarks]:
    """One part's PDF, and its pages' bookmarks: the join rebuilds the outline from them as WeasyPrint nests it."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # font-subsetting notices are not the user's concern
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=_svgs_as_images(html), base_url=str(base), url_fetcher=offline_fetcher()).render()
    return document.write_pdf(), [(page.height, page.bookmarks) for page in document.pages]


def _join(parts: list[tuple[bytes, Bookmarks]], base: Path) -> bytes:
    """The parts as one PDF: pages and named destinations appended in order; links between parts made internal again;
    the outline rebuilt over all pages by WeasyPrint's own nesting (a part alone would put its <h3>s at the top level);
    every page numbered by PAGE's footer (a document of blank pages in the report's page box, drawn over each)."""
    import io
    from types import SimpleNamespace

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit, NameObject, TextStringObject
    from weasyprint.document import Document

    writer = PdfWriter()
    for pdf, _ in parts:
        writer.append(PdfReader(io.BytesIO(pdf)), import_outline=False)
    for page in writer.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            uri = str(link.get("/A", {}).get("/URI", ""))
            if uri.startswith(ELSEWHERE):
                del link["/A"]
                link[NameObject("/Dest")] = TextStringObject(uri[len(ELSEWHERE) :])
    pages = [SimpleNamespace(height=height, bookmarks=marks) for _, bookmarks in parts for height, marks in bookmarks]
    tree = Document.make_bookmark_tree(SimpleNamespace(pages=pages), 0.75, transform_pages=True)  # PDF points, as write_pdf does

    def outline(items: list[Any], parent: Any) -> None:
        for title, (number, x, y), children, state in items:
            outline(
                children,
                writer.add_outline_item(
                    title=title, page_number=number, parent=parent, fit=Fit.xyz(left=x, top=y), is_open=state != "closed"
                ),
            )

    outline(tree, None)
    count = len(writer.pages)
    blank = '<div style="break-after: page"></div>' * (count - 1) + "<div></div>"
    footers = PdfReader(io.BytesIO(_part_pdf(f"<html><head><style>{PAGE}</style></head><body>{blank}</body></html>", base)[0]))
    if len(footers.pages) != count:  # the blank document is laid out in the same page box: one page per page
        raise RuntimeError(f"{len(footers.pages)} footer pages for {count} pages")
    for page, footer in zip(writer.pages, footers.pages, strict=True):
        page.merge_page(footer)
        page.compress_content_streams()
    writer.add_metadata(PdfReader(io.BytesIO(parts[0][0])).metadata or {})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


SVG_ELEMENT = re.compile(r"<svg\b.*?</svg>", re.S)  # figures and formulas: never nested


def _svgs_as_images(html: str) -> str:
    """For WeasyPrint only: every inline <svg> as an <img> with a data: URL. The same vector drawing, text kept as text,
    but its thousands of elements leave the document's style cascade: the PDF renders about 30% faster. report.html
    keeps the inline SVG."""

    def image(match: re.Match[str]) -> str:
        element = match.group(0)
        if "xmlns=" not in element[: element.index(">")]:
            element = element.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
        return f'<img class="svg" alt="" src="data:image/svg+xml;base64,{base64.b64encode(element.encode()).decode()}">'

    return SVG_ELEMENT.sub(image, html)


def offline_fetcher() -> Any:
    """WeasyPrint's fetcher limited to file: and data: URLs: a report can never reach the network."""
    import weasyprint

    return weasyprint.URLFetcher(allowed_protocols=("file", "data"))
