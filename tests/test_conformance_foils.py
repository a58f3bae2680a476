"""The foil catalogue: every deliberately wrong initializer fails the battery, each on the statistic its bug class moves."""

import pytest

from initcheck.conformance import conform
from initcheck.conformance.foils import FOILS

# The statistic (prefix) each bug class must trip: the catch is the designed one, not a lucky side effect.
EXPECTED = {
    "fan_in/fan_out swap": "fan axis", "missing gain": "second moment", "gain 2 instead of √2": "second moment",
    "std used as variance": "second moment", "leaky-ReLU gain 2/(1+a)": "second moment", "fan_in where fan_avg is documented": "second moment",
    "uniform bound off by √3": "second moment", "nn.Linear a=√5 default as Kaiming": "second moment",
    "truncation without variance correction": "second moment", "normal where truncated is documented": "bound",
    "uniform where normal is documented": "fourth moment", "normal where uniform is documented": "bound", "mean shift 0.03 sd": "mean",
    "repeated rows": "identical rows", "shared per-unit offset": "row-mean dispersion", "global RNG, seed ignored": "same seed",
    "fixed seed": "other seed", "quantized through float16": "duplicate values", "outliers at rate 1e-4": "tail exceedances",
    "pre-fix trunc_normal_ (rare out-of-range values)": "bound", "non-finite values": "non-finite", "orthogonal that is not orthogonal": "orthogonality",
    "orthogonal normalized on the wrong side": "orthogonality", "orthogonal without the QR sign fix": "Haar: diagonal sum", "orthogonal with a canonical overall sign": "Haar: sign of Q₀₀",
    "receptive field left out of the fans": "second moment",
    "torch layout read on a Keras tensor": "second moment", "bias counted as an input (fan + 1)": "second moment",
    "moments matched, another law": "goodness of fit (Anderson–Darling", "uniform from 128 levels (float16)": "levels occupied",
    "uniform on small fans (fan_in < 8)": "fourth moment", "moments matched on small fans (fan_in < 8)": "goodness of fit (Anderson–Darling",
}  # fmt: skip
# Foils whose designed catch is on one probe: the small fans (probe D), where fan + 1 is a factor 2, not 1.5% (A), and
# where the two small-fan code paths draw another law (A, B and C never see it: their fans are ≥ 32).
ON_PROBE = {
    "bias counted as an input (fan + 1)": "D fans 1–4", "uniform on small fans (fan_in < 8)": "D fans 1–4",
    "moments matched on small fans (fan_in < 8)": "D fans 1–4",
}
# The small-fan mixture matches five moments: no moment test may catch it (the fit test on D is the only one that can).
NO_MOMENT_FAILS = ("moments matched on small fans (fan_in < 8)",)


def test_the_catalogue_covers_at_least_20_bug_classes_each_with_its_statistic():
    assert len(FOILS) >= 20 and {f.name for f in FOILS} == set(EXPECTED)


@pytest.mark.parametrize("foil", FOILS, ids=lambda f: f.name)
def test_each_foil_fails_on_the_statistic_of_its_bug_class(foil):
    record = conform(foil.function, foil.rule, layout="keras", tier="quick", seed=7)
    failed = [t["statistic"] for t in record["tests"] if not t["passed"]]
    assert record["status"] == "fail"
    assert any(name.startswith(EXPECTED[foil.name]) for name in failed), failed
    if foil.name in ON_PROBE:
        assert any(t["statistic"].startswith(EXPECTED[foil.name]) and t["probe"].startswith(ON_PROBE[foil.name]) for t in record["tests"] if not t["passed"])
    if foil.name in NO_MOMENT_FAILS:
        assert not [t for t in record["tests"] if not t["passed"] and t["n_unit"] == "tensors"], failed


def test_the_catch_does_not_hang_on_one_seed():
    """Three more seeds for the subtlest foils (smallest effects against their MDE): each is caught every time."""
    subtle = [f for f in FOILS if f.name in ("mean shift 0.03 sd", "shared per-unit offset", "outliers at rate 1e-4")]
    for foil in subtle:
        for seed in (1, 2, 3):
            record = conform(foil.function, foil.rule, layout="keras", tier="quick", seed=seed)
            assert record["status"] == "fail", (foil.name, seed)
