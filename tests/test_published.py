"""Comparing with a printed number at its printed precision."""

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from initcheck.symbolic.published import compare_printed, parse_printed


def test_decimal_comma_and_precision_are_read_from_the_print():
    assert parse_printed("4,005") == (sp.Rational(4005, 1000), 3)
    assert parse_printed("-0,00053") == (sp.Rational(-53, 100000), 5)
    assert parse_printed("42") == (42, 0)


def test_exact_tie_agrees_and_is_flagged():
    comparison = compare_printed(sp.Rational(-525, 1000000), "-0,00053")
    assert comparison.agrees and comparison.tie


def test_one_unit_past_half_disagrees():
    assert not compare_printed(sp.Rational(40005, 10000), "4,005").agrees


@pytest.mark.parametrize("bad", ["", "1.2.3", "abc", "1,2,3"])
def test_unreadable_print_is_an_error_naming_it(bad):
    with pytest.raises((ValueError, TypeError, sp.SympifyError)):
        parse_printed(bad)


@given(st.fractions(min_value=-1000, max_value=1000), st.integers(min_value=0, max_value=8))
def test_any_value_agrees_with_its_own_rounding(value, decimals):
    exact = sp.Rational(value.numerator, value.denominator)
    rounded = sp.Float(exact, 30).round(decimals)
    printed = f"{float(rounded):.{decimals}f}"
    assert compare_printed(exact, printed).agrees
