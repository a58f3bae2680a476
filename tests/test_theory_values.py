"""Specific derived values, each compared with an independent computation or with the published number.

Reference values here are computed two ways (SymPy exact vs mpmath quadrature or
a closed form), never copied from the module under test.
"""

import mpmath
import sympy as sp

from initcheck.symbolic.perceptron import SYM_PERCEPTRON_TABLE
from initcheck.symbolic.published import compare_printed
from initcheck.theory import interval, perceptron, saturation, variance, xor


def test_nielsen_variances_are_501_and_three_halves():
    assert variance.nielsen_variance(sp.Integer(1)) == 501
    assert variance.nielsen_variance(sp.Rational(1, 1000)) == sp.Rational(3, 2)


def _bisect(function, lo, hi, iterations=260):
    """Plain bisection on a sign change: slow, obviously correct, and independent of SymPy's solve."""
    assert function(lo) > 0 > function(hi)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if function(mid) > 0 else (lo, mid)
    return (lo + hi) / 2


def test_interval_width_matches_eq_123_pointwise_at_60_digits():
    # Independent route: bisect σ'(x) = 1/|w| for the upper endpoint x₊ (x₋ = −x₊ by symmetry), width = 2x₊/|w|.
    with mpmath.workdps(70):
        for w in (mpmath.mpf(5), mpmath.mpf("6.9"), mpmath.mpf(40)):
            upper = _bisect(lambda x, w=w: mpmath.exp(-x) / (1 + mpmath.exp(-x)) ** 2 - 1 / w, mpmath.mpf(0), mpmath.mpf(60))
            published = 2 / w * mpmath.log(w * (1 + mpmath.sqrt(1 - 4 / w)) / 2 - 1)
            assert abs(2 * upper / w - published) < mpmath.mpf(10) ** -60


def test_interval_maximum_is_certified_and_rounds_to_the_published_values():
    argmax, peak = interval.width_maximum(40)
    with mpmath.workdps(50):
        width = lambda w: 2 / w * mpmath.log(w * (1 + mpmath.sqrt(1 - 4 / w)) / 2 - 1)  # noqa: E731
        step = mpmath.mpf(10) ** -8
        assert width(argmax) > width(argmax - step) and width(argmax) > width(argmax + step)
    argmax_30, peak_30 = (sp.Float(mpmath.nstr(v, 30), 30) for v in (argmax, peak))
    assert compare_printed(argmax_30, "6.9").agrees and compare_printed(peak_30, "0.45").agrees
    assert not compare_printed(argmax_30, "6.8").agrees and not compare_printed(peak_30, "0.449").agrees


def test_perceptron_table_has_exactly_one_misprinted_cell():
    check = SYM_PERCEPTRON_TABLE
    outcome = check.run(check.stated)
    assert [m.split(":")[0] for m in outcome.mismatches] == ["step 4 w[1]"]
    cells = outcome.details["cells"]
    assert len(cells) == 45 and sum(c["agrees"] for c in cells) == 44


def test_perceptron_contraction_factor_and_limit():
    rho, k, w = perceptron.closed_form()
    assert rho == sp.Rational(-1, 20)
    assert w[3:] == (4, 16, 8)
    replayed = perceptron.replay(8)
    assert [r["w"] for r in replayed][1:] == [tuple(e.subs(k, step) for e in w[:3]) for step in range(2, 9)]


def test_saturated_fraction_for_normal_weights_matches_direct_quadrature():
    # Independent route: given x, z ~ N(0, S) with S = Σx², and S concentrates at 784/3 (sd 2%), so the
    # fraction is close to 2Φ(−ln 99/√(784/3)); 1e-3 covers the O(Var S) curvature correction.
    fraction = float(saturation.saturated_fraction("normal")[0])
    with mpmath.workdps(30):
        leading = 2 * mpmath.ncdf(-mpmath.log(99) / mpmath.sqrt(mpmath.mpf(784) / 3))
    assert abs(fraction - float(leading)) < 1e-3
    assert fraction > 0.5


def test_glorot_saturated_fractions_are_pinned_by_the_central_limit_estimate():
    # Pins the tiny numbers, not only "almost none": given x, z ≈ N(0, S·Var(w)) with S ≈ 784/3 and Var(w) = 2/(784+256),
    # so the fraction is near 2Φ(−ln 99/√(S·Var w)) ≈ 9.1e-11. At 6.5 sd the non-normal tails of a sum of 784 bounded
    # products and the spread of S move it by O(10%) (measured: 2% uniform, 12% truncated normal); a factor 1.25 allows that
    # and still rejects a fraction off by the orders of magnitude a wrong variance or threshold gives (2e-13, 1e-8).
    with mpmath.workdps(30):
        leading = 2 * mpmath.ncdf(-mpmath.log(99) / mpmath.sqrt(mpmath.mpf(784) / 3 * 2 / (784 + 256)))
    for init in ("glorot_uniform", "glorot_normal"):
        fraction, digits = saturation.saturated_fraction(init)
        assert digits >= 10 and 1 / 1.25 < float(fraction) / float(leading) < 1.25, (init, fraction, leading)


def test_glorot_normal_characteristic_series_matches_quadrature():
    with mpmath.workdps(30):
        for v in (mpmath.mpf("0.3"), mpmath.mpf("1.7")):
            series = saturation._truncated_sinc_mean(v)
            quad = mpmath.quad(lambda t, v=v: mpmath.sin(v * t) / (v * t) * mpmath.npdf(t), [-2, 0, 2]) / (2 * mpmath.ncdf(2) - 1)
            assert abs(series - quad) < mpmath.mpf(10) ** -25


def test_keras_truncation_constant_is_the_truncated_normal_sd():
    with mpmath.workdps(30):
        assert abs(saturation.truncated_normal_sd() - mpmath.mpf(saturation.KERAS_TRUNCATION_SD)) < 1e-16


def test_two_relu_units_compute_xor_and_one_non_monotone_unit_too():
    assert {p: xor.two_relu_network(*p) for p in xor.POINTS} == xor.XOR
    units = xor.non_monotone_units()
    assert all(xor.separates_xor(outputs) for outputs in units.values())
