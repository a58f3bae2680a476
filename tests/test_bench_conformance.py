"""The conformance benchmark's yardstick: the floor it divides by holds the work the battery's statistics cannot skip,
on the values the record drew (its probe shapes, its dtype), and its arguments are checked."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from initcheck import bench_conformance
from initcheck.conformance.battery import TIERS, probes
from initcheck.conformance.rules import law


def test_the_probe_shapes_are_read_back_from_the_records_labels():
    shapes = ((4 * 128, 128), (128, 32), (3, 3, 16, 48))  # a layer's own probes (an LSTM's weight_hh, a conv kernel)
    labels = [p.label for p in probes("torch", "default", shapes)]
    assert bench_conformance._shapes({"design": {"probes": labels}}) == shapes
    standard = probes("keras", "default")
    assert bench_conformance._shapes({"design": {"probes": [p.label for p in standard]}}) == tuple(p.shape for p in standard)


def test_the_floor_draws_as_many_values_as_the_record_in_its_probe_shapes():
    shapes = ((96, 8), (8, 96), (2, 2, 4, 6))
    _, count = bench_conformance.floor_seconds(np.random.default_rng(0), "quick", 3, shapes=shapes)
    assert count == 3 * (96 * 8 + 8 * 96 + 2 * 2 * 4 * 6)


def _counted_floor(monkeypatch, rule: str, dtype: str) -> tuple[list[tuple[int, np.dtype]], int]:
    """The floor's calls of the rule's CDF (values and their dtype per call), and the values it drew."""
    calls: list[tuple[int, np.dtype]] = []
    real = law(rule)

    def counting(values):
        calls.append((values.size, values.dtype))
        return real.cdf(values)

    monkeypatch.setattr(bench_conformance, "law", lambda spec: SimpleNamespace(family=real.family, cdf=counting))
    _, count = bench_conformance.floor_seconds(np.random.default_rng(0), "quick", 2, rule=rule, dtype=dtype)
    return calls, count


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_floor_puts_every_value_through_the_rules_cdf_in_float64(monkeypatch, dtype):
    calls, count = _counted_floor(monkeypatch, "glorot_uniform", dtype)
    assert count == 2 * sum(p.size for p in (np.empty(q.shape) for q in probes("keras", "quick")))
    assert calls and all(call == (count, np.dtype(np.float64)) for call in calls)  # one call per timed run, every value


@pytest.mark.parametrize(("rule", "dtype"), [("orthogonal", "float32"), ("glorot_uniform", "bfloat16")])
def test_no_cdf_in_the_floor_where_the_battery_reads_none(monkeypatch, rule, dtype):
    # orthogonal: no fit test; 16 bits: the fit reads the rounded law's CDF by level, not per value
    calls, _ = _counted_floor(monkeypatch, rule, dtype)
    assert calls == []


def test_a_float64_floor_sorts_float64_values(monkeypatch):
    sorted_dtypes = []
    real_sort = np.sort

    def spying(values, *args, **kwargs):
        sorted_dtypes.append(values.dtype)
        return real_sort(values, *args, **kwargs)

    monkeypatch.setattr(bench_conformance.np, "sort", spying)
    for dtype in ("float64", "float32", "bfloat16"):
        sorted_dtypes.clear()
        bench_conformance.floor_seconds(np.random.default_rng(0), "quick", 2, dtype=dtype)
        assert set(sorted_dtypes) == {np.dtype(np.float64 if dtype == "float64" else np.float32)}, dtype
    assert TIERS["quick"]["min_replicates"] > 2  # the tests above drew fewer tensors than a battery would


def test_repeats_that_are_not_positive_are_exit_2_naming_the_value(capsys):
    with pytest.raises(SystemExit) as exit_:
        bench_conformance.main(["--repeats", "0"])
    assert exit_.value.code == 2 and "'0'" in capsys.readouterr().err


@pytest.mark.parametrize(("rule", "dtype", "sorted_whole", "counted"), [
    ("glorot_uniform", "float32", True, False),  # the duplicate count's and the fit's sort
    ("glorot_uniform", "bfloat16", False, True),  # the rounded law's fit: levels counted, U made ascending by a running sum
    ("orthogonal", "float16", False, False),  # no fit and no duplicate count in 16 bits
    ("orthogonal", "float32", True, False),  # the duplicate count's sort
])
def test_the_floor_sorts_only_where_the_battery_must(monkeypatch, rule, dtype, sorted_whole, counted):
    sorts, counts, sums = [], [], []
    real_sort, real_bincount, real_cumsum = np.sort, np.bincount, np.cumsum
    monkeypatch.setattr(bench_conformance.np, "sort", lambda values, *a, **k: sorts.append(values.size) or real_sort(values, *a, **k))
    monkeypatch.setattr(bench_conformance.np, "bincount", lambda values, *a, **k: counts.append(values.size) or real_bincount(values, *a, **k))
    monkeypatch.setattr(bench_conformance.np, "cumsum", lambda values, *a, **k: sums.append(values.size) or real_cumsum(values, *a, **k))
    _, count = bench_conformance.floor_seconds(np.random.default_rng(0), "quick", 2, rule=rule, dtype=dtype)
    fitted = rule != "orthogonal"
    # the timed work runs 5 times (the set-up sorts each probe's run of A²'s uniforms, untimed: shorter arrays)
    assert sorts.count(count) == 5 * sorted_whole
    assert sum(counts) == 5 * count * counted
    assert sums == [count] * 5 * counted  # 16 bits: n ascending uniforms from n exponentials' running sum, the pooled U's order
    if fitted:  # one ascending run of U per probe, as many values as the probe drew: three runs that interleave
        probe_sizes = sorted(2 * int(np.prod(p.shape)) for p in probes("keras", "quick"))
        assert sorted(size for size in sorts if size != count) == probe_sizes


def test_the_sums_run_on_float32_or_float64_values_never_float16(monkeypatch):
    # the battery's copies are float64; float16 arithmetic in NumPy is ~3x slower than either, a floor too generous
    kinds = set()
    real = np.einsum
    monkeypatch.setattr(bench_conformance.np, "einsum", lambda spec, *ops, **k: kinds.update(o.dtype for o in ops) or real(spec, *ops, **k))
    for dtype in ("bfloat16", "float16", "float32", "float64"):
        bench_conformance.floor_seconds(np.random.default_rng(0), "quick", 2, rule="glorot_uniform", dtype=dtype)
    assert kinds == {np.dtype(np.float32), np.dtype(np.float64)}


def _timed(target: str, seconds: float | None, dtype: str = "float32") -> dict:
    record = {"target": target, "dtype": dtype, "rule": "glorot_uniform"}
    return {**record, "seconds": seconds, "draw_seconds": 0.01} if seconds is not None else {**record, "status": "error"}


def test_each_entry_keeps_its_fastest_timed_run_even_when_a_run_lost_records():
    first = [_timed("a", 2.0), _timed("b", 1.0), _timed("b", 5.0), _timed("c", 3.0)]  # "b" listed twice, as an entry may be
    second = [_timed("a", None), _timed("c", 1.5)]  # a failed process: "a" an error record, both "b" missing
    third = [_timed("a", 1.0), _timed("b", 4.0), _timed("b", 0.5), _timed("c", 9.0)]
    fastest = bench_conformance._fastest([first, second, third])
    assert [(r["target"], r["seconds"]) for r in fastest] == [("a", 1.0), ("b", 1.0), ("b", 0.5), ("c", 1.5)]
    only_errors = bench_conformance._fastest([[_timed("a", None)], [_timed("a", None)]])
    assert only_errors == [_timed("a", None)]  # an entry no run timed stays, untimed
    assert bench_conformance._fastest([[_timed("a", None)], [_timed("a", 3.0)]])[0]["seconds"] == 3.0  # timed beats error
