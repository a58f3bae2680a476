"""Compare an exact or certified value with a number as a source printed it.

A printed number like "22,4" or "0.45" carries its own precision: the exact
value agrees with it when |exact − printed| ≤ ½·10^(−decimals), the interval
that rounding to that many decimals leaves. The boundary is included: an exact
tie (…5 followed by zeros) may round either way, and `tie` says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class PrintedComparison:
    printed: str
    exact: sp.Rational | sp.Float
    decimals: int
    difference: sp.Rational | sp.Float
    agrees: bool
    tie: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "printed": self.printed,
            "ours": _plain(self.exact, self.decimals + 6),
            "decimals": self.decimals,
            "difference": _plain(self.difference, self.decimals + 6),
            "agrees": self.agrees,
            "tie": self.tie,
        }


def parse_printed(printed: str) -> tuple[sp.Rational, int]:
    """The exact rational a printed decimal denotes, and its number of decimals.

    Accepts a decimal comma (Russian and Chinese editions) and a Unicode minus.
    """
    text = printed.strip().replace(",", ".").replace("\u2212", "-").replace("\u2010", "-")
    if not text or text.count(".") > 1:
        raise ValueError(f"not a printed decimal number: {printed!r}")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return sp.Rational(text), decimals


def compare_printed(exact: sp.Expr, printed: str, *, decimals: int | None = None) -> PrintedComparison:
    """Does `exact` round to `printed`? At the printed decimals, or at `decimals` if given."""
    value, shown = parse_printed(printed)
    places = shown if decimals is None else decimals
    half_unit = sp.Rational(1, 2) / sp.Integer(10) ** places
    difference = sp.sympify(exact) - value
    gap = abs(difference)
    return PrintedComparison(
        printed=printed,
        exact=exact,
        decimals=places,
        difference=difference,
        agrees=bool(gap <= half_unit),
        tie=bool(sp.Eq(gap, half_unit)) if isinstance(gap, sp.Rational) else False,
    )


def _plain(value: sp.Expr, digits: int) -> str:
    """A decimal string with enough significant digits to show the comparison."""
    return str(sp.N(value, max(digits, 15)))
