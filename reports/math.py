"""SymPy's LaTeX rendered to inline SVG offline with ziamath (pure Python, its own STIX-like font): no network, no TeX install.

ziamath takes about 0.12 s per formula (11 s for the full report's 91 on one core), and the formulas change rarely between builds, so
each typeset formula is kept in a cache on disk: CACHE_ENV names its folder (default: $XDG_CACHE_HOME/initcheck, else
~/.cache/initcheck; "off" for none). An entry is named by the hash of everything that shapes it (the LaTeX, the size, the
ziamath and ziafont versions, the SVG flavour), written atomically, and used only if it is a whole <svg> element; a cache
that cannot be read or written is skipped, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from html import escape
from importlib.metadata import version
from pathlib import Path

SIZED_BRACKET = re.compile(r"\\(left|right)(?=[()\[\].|]|\\[{}|])")
CACHE_ENV = "INITCHECK_CACHE"
Markups = dict[tuple[str, float], str]  # (LaTeX, size) -> what latex_svg returns for it
_given: Markups = {}  # typeset for this build by the report's worker processes (`handed`): used before the disk cache
_recording: Markups | None = None  # while `recorded` runs: what latex_svg computes (not its in-memory hits)


@contextlib.contextmanager
def handed(markups: Markups) -> Iterator[None]:
    """Inside the block latex_svg returns the formulas another process typeset for this build, as they are."""
    _given.update(markups)
    try:
        yield
    finally:
        _given.clear()


@contextlib.contextmanager
def recorded() -> Iterator[Markups]:
    """What latex_svg computes inside the block (typeset or read from disk; its in-memory hits were recorded when first
    computed): a worker process hands this back to the parent."""
    global _recording
    _recording = {}
    try:
        yield _recording
    finally:
        _recording = None


def cache_folder() -> Path | None:
    """Where typeset formulas are kept, or None when CACHE_ENV is "off"."""
    chosen = os.environ.get(CACHE_ENV, "")
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen) / "formulas"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "initcheck" / "formulas"


def _key(latex: str, size: float) -> str:
    shaped_by = f"ziamath {version('ziamath')}|ziafont {version('ziafont')}|svg1.1|{size!r}|{latex}"
    return hashlib.sha256(shaped_by.encode()).hexdigest()


def _cached(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return text if text.startswith("<svg") and text.rstrip().endswith("</svg>") else None  # a torn or foreign file is typeset anew


def _keep(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)  # atomic: a reader sees the old entry, none, or the whole new one
    except OSError:
        pass  # a read-only or full disk only costs the next build the typesetting


@lru_cache(maxsize=1024)
def latex_svg(latex: str, size: float = 13.0) -> str:
    """The formula as an inline <svg>; if ziamath cannot parse it, the LaTeX source in a <code> element, marked for the reader."""
    if (handed := _given.get((latex, size))) is not None:
        return handed
    folder = cache_folder()
    path = folder / f"{_key(latex, size)}.svg" if folder else None
    if path and (hit := _cached(path)):
        markup = hit
    else:
        markup = _typeset(latex, size)
        if path and markup.startswith("<svg"):
            _keep(path, markup)
    if _recording is not None:
        _recording[(latex, size)] = markup
    return markup


def _typeset(latex: str, size: float) -> str:
    import ziamath

    # SVG 1.1 output: every glyph an inline <path> rather than a <symbol> drawn through <use>. The HTML grows (1.0 -> 1.7 MB
    # for the full report's 102 formulas) but WeasyPrint draws the formulas into the PDF in 57% of the time (7.2 s
    # against 12.7 s, measured on the full report's formulas on this 2-core machine under load).
    ziamath.config.svg2 = False
    if latex.count(r"\left") > 2:  # ziamath sizes nested \left( … \right) in exponential time; plain brackets read the same
        latex = SIZED_BRACKET.sub("", latex)
    try:
        markup = ziamath.Latex(latex, size=size).svg()
    except Exception as error:  # a formula ziamath cannot typeset is shown as source, never dropped
        return f'<code class="latex" title="not typeset: {escape(type(error).__name__)}">{escape(latex)}</code>'
    return re.sub(r"^<\?xml[^>]*>\s*", "", markup)
