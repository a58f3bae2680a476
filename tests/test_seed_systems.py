"""The seeds' own code on the frameworks (initcheck.reproductions.seed_systems): each judge on fakes (no framework needed),
the not-installed record, and the registered checks on the real frameworks (skipped, saying why, when absent).

The Krohn fakes build the layer in NumPy (initcheck.sims.saturation.keras_weights, the re-implementation the simulation
uses): the listing's settings must pass and a wrong stddev must be rejected by the same judge. The ReLU fakes are the
records a framework with relu'(0) = 0 or = 1 would give.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pytest

from initcheck.registry import BY_ID
from initcheck.reproductions import saturation as repro_saturation
from initcheck.reproductions import seed_systems as seeds
from initcheck.reproductions.frameworks import NOT_INSTALLED
from initcheck.sims import saturation as sim_saturation
from initcheck.sims.activations import sigmoid
from initcheck.verify import claim_record, run_reproduction


def numpy_keras(stddev_scale=1.0):
    """A fake Keras backend: listing 9.2 in NumPy; `stddev_scale` multiplies every initializer's weights (1: correct)."""

    def run(backend, seed_lists, inputs):
        if backend != "numpy":
            return {NOT_INSTALLED: f"{backend} (fake)"}
        found = {}
        for label, row_seeds in seed_lists.items():
            init = {"foil": "normal"}.get(label, label)
            z = np.array([
                x @ (stddev_scale * (0.05 if label == "foil" else 1.0) * sim_saturation.keras_weights(np.random.default_rng(s), init, (784, 256)))
                for s, x in zip(row_seeds, inputs[label], strict=True)
            ])  # fmt: skip
            found[label] = {"z": z, "a": sigmoid(z)}
        return {"keras": "fake", "label": "keras fake (numpy backend)", "by_setting": found}

    return run


def test_the_listings_layer_built_correctly_agrees_with_theory_and_its_default_stddev_foil_is_rejected():
    record = seeds.krohn_keras(np.random.default_rng(3), "default", None, run=numpy_keras())
    assert record["verdict"] == "holds" and record["mismatches"] == [], record["mismatches"]
    assert record["foil"]["rejected"]
    rows = record["ours"]["by_backend"]["numpy"]
    assert rows["normal"]["rule"] == "z rule" and rows["glorot_uniform"]["rule"] == "Poisson tails"
    assert record["ours"]["not_installed"] == ["jax", "torch", "tensorflow", "tf-keras"]
    json.dumps(record, allow_nan=False)  # strict JSON for results.json: the foil's z (SE 0) is the string "-inf"


def test_a_layer_with_a_wrong_stddev_is_refuted_by_the_same_check():
    record = seeds.krohn_keras(np.random.default_rng(3), "default", None, run=numpy_keras(stddev_scale=0.8))
    assert record["verdict"] == "refuted"
    assert {m.split(":")[1].strip() for m in record["mismatches"]} == {"RandomNormal(stddev=1.0)", "glorot_normal", "glorot_uniform"}


def test_counts_far_below_a_clt_are_judged_by_their_poisson_tails():
    assert seeds.count_agrees(0, 5e-6) and seeds.count_agrees(1, 5e-6)  # P(K ≥ 1) = 5e-6 > 2.9e-7
    assert not seeds.count_agrees(2, 5e-6)  # P(K ≥ 2) ≈ 1.3e-11
    assert not seeds.count_agrees(0, 30.0)  # P(K = 0) = e^-30


def test_no_keras_backend_is_not_checked_and_never_a_failure():
    record = seeds.krohn_keras(np.random.default_rng(0), "default", None, run=lambda backend, *a: {NOT_INSTALLED: f"{backend} absent (fake)"})
    assert record["verdict"] == "not-checked" and "jax absent (fake)" in record["summary"] and "torch absent (fake)" in record["summary"]


@pytest.mark.parametrize(
    ("claim_id", "check_name", "framework", "other_kinds"),
    [
        ("VAR-KROHN-SATURATION", "VAR_KROHN_SATURATION", ("keras", "tf_keras"), ("symbolic", "simulation")),  # Keras 3 and Keras 2 both absent
        ("SYM-RELU-STALL", "SYM_RELU_STALL", ("torch",), ("symbolic", "simulation", "property")),
    ],
)
def test_without_its_framework_the_check_is_not_checked_and_the_claim_keeps_its_other_checks_verdict(monkeypatch, claim_id, check_name, framework, other_kinds):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name in framework else real(name, *a))
    claim = BY_ID[claim_id]
    check = run_reproduction(claim, getattr(seeds, check_name), seed=0).as_json()
    assert check["verdict"] == "not-checked" and check["passed"] is None and all(f"{name} is not installed" in check["summary"] for name in framework)
    others = [{"kind": k, "verdict": "holds", "passed": True, "summary": ""} for k in other_kinds]
    record = claim_record(claim, [*others, check])
    assert record["verdict"] == "holds" and record["consistent"]


def test_fig_9_1_on_keras_holds_for_the_listings_layer_and_rejects_a_normal_init_that_makes_a_bell():
    record = repro_saturation.krohn_histograms(np.random.default_rng(4), "default", None, keras_run=numpy_keras())
    assert record["verdict"] == "holds" and record["foil"]["rejected"], record["mismatches"]
    assert record["ours"]["keras"]["numpy"]["normal"]["mode_bin_centre"] in (0.025, 0.975)
    bell = repro_saturation.krohn_histograms(np.random.default_rng(4), "default", None, keras_run=numpy_keras(stddev_scale=0.05))
    assert bell["verdict"] == "refuted" and not bell["foil"]["rejected"]
    assert bell["mismatches"] == [f"keras (numpy): normal: histogram mode at {bell['ours']['keras']['numpy']['normal']['mode_bin_centre']:.3f}"]


def test_fig_9_1_records_each_keras_backends_own_histogram_for_the_figure_and_keeps_it_out_of_the_table():
    """fig-krohn-hist draws the Keras layer's activations beside NumPy's: the record holds each backend's histogram of its
    own outputs (all KERAS_MODELS × 256 of them). Foil: the fake with N(0,1) scaled by 0.05 makes a bell, and its
    histogram must show the bell where NumPy's N(0,1) piles at the edges (a copy of the NumPy histogram would not)."""
    record = repro_saturation.krohn_histograms(np.random.default_rng(4), "default", None, keras_run=numpy_keras(stddev_scale=0.05))
    figure = record["measurements"]["figures"]["fig-krohn-hist"]
    assert list(figure["keras"]) == ["numpy"] and figure["keras"]["numpy"]["label"] == "keras fake (numpy backend)"
    for init in repro_saturation.KROHN_INITS:
        counts = np.asarray(figure["keras"]["numpy"][init]["counts"])
        assert counts.sum() == repro_saturation.KERAS_MODELS * 256 and len(counts) == repro_saturation.FIGURE_BINS
        assert "activations" not in record["ours"]["keras"]["numpy"][init]  # the table keeps its summary numbers only
    keras_normal, numpy_normal = (np.asarray(h["counts"]) for h in (figure["keras"]["numpy"]["normal"], figure["by_init"]["normal"]["activations"]))
    middle = slice(repro_saturation.FIGURE_BINS // 4, 3 * repro_saturation.FIGURE_BINS // 4)
    assert keras_normal[middle].sum() / keras_normal.sum() > 0.6 and numpy_normal[middle].sum() / numpy_normal.sum() < 0.1


def test_fig_9_1_without_keras_is_decided_by_the_numpy_layer_alone():
    record = repro_saturation.krohn_histograms(np.random.default_rng(4), "default", None, keras_run=lambda backend, *a: {NOT_INSTALLED: f"{backend} absent (fake)"})
    assert record["verdict"] == "holds" and record["foil"]["rejected"] and "Keras not run here" in record["summary"]
    assert record["measurements"]["figures"]["fig-krohn-hist"]["keras"] == {}  # the figure draws the NumPy bars alone


STALL = {"largest_gradient": 0.0, "moved": 0.0, "loss_first": 1764.0, "loss_last": 1764.0}
LEARNS = {"largest_gradient": 168.0, "moved": 16.0, "loss_first": 1764.0, "loss_last": 0.0}


def test_stall_judge_holds_for_exact_stalls_with_learning_foils():
    judged = seeds.judge_stall({"002 sample, zero init": STALL, "foil: clamp": LEARNS})
    assert judged["mismatches"] == [] and judged["foil_rejected"]


def test_stall_judge_refutes_a_framework_whose_relu_takes_1_at_zero():
    judged = seeds.judge_stall({"002 sample, zero init": LEARNS, "foil: clamp": LEARNS})
    assert judged["mismatches"] and judged["foil_rejected"]
    assert not seeds.judge_stall({"002 sample, zero init": STALL, "foil: small random init": STALL})["foil_rejected"]


# ---------------------------------------------------------------- the real frameworks (skipped, saying why, when absent)

INSTALLED = {name: importlib.util.find_spec(name) is not None for name in ("torch", "jax", "keras", "tensorflow", "tf_keras")}


def installed(*names):
    missing = [n for n in names if not INSTALLED[n]]
    return pytest.mark.skipif(bool(missing), reason=f"{', '.join(missing)} not installed: pip install 'initcheck[frameworks]' or tox -e frameworks")


def run_claims(*claim_ids):
    """run_reproduction for each claim in a fresh interpreter (cwd outside the checkout); its records. The frameworks must
    run in the checks' own spawned processes, never in the one that ran the check."""
    script = (
        "import json\nfrom initcheck.registry import BY_ID, resolve\nfrom initcheck.verify import run_reproduction\n"
        f"out = {{c: run_reproduction(BY_ID[c], resolve(BY_ID[c].reproduction), seed=20101).as_json() for c in {claim_ids!r}}}\n"
        "import sys\nassert not {'torch', 'jax', 'keras'} & set(sys.modules), 'a framework was imported into the process that ran the check'\n"
        "print(json.dumps(out))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tempfile.gettempdir(), timeout=900, env=dict(os.environ))
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@installed("torch")
def test_torch_relu_perceptron_stalls_from_zero_and_its_clamp_and_random_foils_learn():
    record = run_claims("SYM-RELU-STALL")["SYM-RELU-STALL"]
    assert record["passed"] and record["verdict"] == "holds", record["summary"]
    runs = record["ours"]["runs"]
    assert all(r["largest_gradient"] == 0 and r["moved"] == 0 for label, r in runs.items() if not label.startswith("foil"))
    assert record["foil"]["rejected"] and all(record["ours"]["foils_learn"].values())


@installed("torch", "jax", "keras")
def test_keras_listing_on_every_backend_gives_the_derived_saturation_and_rejects_the_default_stddev():
    records = run_claims("VAR-KROHN-SATURATION", "SAT-KROHN-HIST")
    histograms = records["SAT-KROHN-HIST"]
    assert histograms["passed"] and histograms["foil"]["rejected"], histograms["mismatches"]
    assert all(not backend.get("not installed") for backend in histograms["ours"]["keras"].values())
    record = records["VAR-KROHN-SATURATION"]
    assert record["passed"] and record["verdict"] == "holds", record["mismatches"]
    rows = record["ours"]["by_backend"]
    tensorflow = INSTALLED["tensorflow"] and INSTALLED["tf_keras"]  # Keras 3's tensorflow backend and Keras 2, as the book ran it
    assert set(rows) == {"jax", "numpy", "torch"} | ({"tensorflow", "tf-keras"} if tensorflow else set())
    assert not tensorflow or record["frameworks"]["tf-keras"].startswith("tf-keras 2.")
    assert all(not r["foil"]["agrees"] and r["normal"]["agrees"] for r in rows.values())
    assert record["foil"]["rejected"]
