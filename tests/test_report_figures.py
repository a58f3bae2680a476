"""The report renders what results.json records and nothing else: it builds with theory/ and sims/ unimportable,
a changed recorded number changes its figure, a missing record is named, and the layers import only downward."""

from __future__ import annotations

import ast
import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from initcheck.registry import CLAIMS
from initcheck.reports import build
from initcheck.reports.figures import all_figures, svg

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"theory": "initcheck.theory", "sims": "initcheck.sims", "reports": "initcheck.reports"}  # folder -> installed name
RUN = ("VAR-BACKWARD", "GRAD-W4", "GRAD-INTERVAL-MAX", "SYM-PERCEPTRON-TABLE")  # fast checks whose records feed three figures


@pytest.fixture(scope="module")
def results(partial_results) -> dict:
    return partial_results(RUN)


def _figure(spec_id: str):
    return next(spec for spec in all_figures() if spec.id == spec_id)


def _by_id(results: dict) -> dict:
    return {c["id"]: c for c in results["claims"]}


# --- the report builds with theory/, sims/, SymPy and SciPy unimportable ---------------------------------------------

BLOCKED = ("initcheck.theory", "initcheck.sims", "sympy", "scipy")
BUILD_BLOCKED = f"""
import sys

BLOCKED = {BLOCKED!r}


def blocked(name):
    return any(name == prefix or name.startswith(prefix + ".") for prefix in BLOCKED)


class Blocker:
    def find_spec(self, name, path=None, target=None):
        if blocked(name):
            raise ImportError(f"{{name}} is blocked: the report must render from the results alone")
        return None


sys.meta_path.insert(0, Blocker())
from initcheck.cli import main

status = main(["report", "--results", sys.argv[1], "--out", sys.argv[2], "--quiet"])
leaked = sorted(name for name in sys.modules if blocked(name))
assert not leaked, f"imported while building: {{leaked}}"
raise SystemExit(status)
"""


def test_report_builds_from_a_results_file_with_theory_and_sims_unimportable(results, tmp_path):
    source = tmp_path / "results.json"
    source.write_text(json.dumps(results), encoding="utf-8")
    out = tmp_path / "report"
    # cwd: not the checkout, whose initcheck/ folder (without theory/, sims/, reports/ inside) would shadow the installed package
    done = subprocess.run([sys.executable, "-c", BUILD_BLOCKED, str(source), str(out)], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 1, done.stderr[-2000:]  # 1: the results are not consistent (most claims not run), not a crash
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert {p.name for p in out.iterdir()} == {"report.html", "report.pdf", "results.json"}
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Figure" in html and "fig-backward" in html


# --- figures draw the recorded numbers ---------------------------------------------------------------------------------


def test_a_changed_recorded_number_changes_the_figure(results):
    spec = _figure("fig-backward")
    original = svg(spec.draw(_by_id(results)))
    assert svg(spec.draw(_by_id(results))) == original  # nothing drawn at random: the same record, the same bytes
    altered = copy.deepcopy(results)
    check = next(c for c in _by_id(altered)["VAR-BACKWARD"]["checks"] if c["kind"] == "simulation")
    check["measurements"]["figures"]["fig-backward"]["profiles"][0]["measured"][10] *= 100
    assert svg(spec.draw(_by_id(altered))) != original


def test_fig_9_1_draws_each_keras_backends_histogram_as_a_line_beside_the_numpy_bars():
    """From a SAT-KROHN-HIST record with two Keras backends: per panel one filled NumPy histogram and one line per backend,
    every one a density (area 1), and the legend names the backends. Foil: the same record without its Keras part draws
    the bars alone (no line invented)."""
    from matplotlib.patches import StepPatch

    edges = [i / 50 for i in range(51)]
    bell = [max(0, 25 - abs(i - 25)) for i in range(50)]
    edge = [100 if i in (0, 49) else 1 for i in range(50)]
    by_init = {init: {"activations": {"counts": edge if init == "normal" else bell, "edges": edges}, "saturated_fraction": 0.5} for init in ("normal", "glorot_normal", "glorot_uniform")}
    keras = {backend: {"label": backend, **{init: {"counts": bell, "edges": edges} for init in by_init}} for backend in ("jax", "tf-keras")}
    figure = {"layers": 2, "units_per_layer": 256, "by_init": by_init, "keras": keras, "keras_models": 8}
    results = {
        "SAT-KROHN-HIST": {"checks": [{"kind": "reproduction", "passed": True, "measurements": {"figures": {"fig-krohn-hist": figure}}}]},
        "VAR-KROHN-SATURATION": {"checks": [{"kind": "symbolic", "passed": True, "details": {"saturated_fraction": dict.fromkeys(by_init, 0.5)}}]},
    }
    spec = _figure("fig-krohn-hist")
    fig = spec.draw(results)
    for ax in fig.axes:
        patches = [p for p in ax.patches if isinstance(p, StepPatch)]
        assert [p.get_fill() for p in patches] == [True, False, False]
        for patch in patches:
            values, patch_edges, _ = patch.get_data()
            assert abs(sum(v * (b - a) for v, a, b in zip(values, patch_edges[:-1], patch_edges[1:], strict=True)) - 1.0) < 1e-9
    legend = " ".join(t.get_text() for t in fig.legends[0].get_texts())
    assert "Keras on jax, 8 models × 256" in legend and "tf-keras (Keras 2), 8 models × 256" in legend
    figure["keras"] = {}
    assert all(len([p for p in ax.patches if isinstance(p, StepPatch)]) == 1 for ax in spec.draw(results).axes)


def test_a_figure_names_the_record_it_lacks_instead_of_recomputing_it(results):
    stripped = copy.deepcopy(results)
    check = next(c for c in _by_id(stripped)["VAR-BACKWARD"]["checks"] if c["kind"] == "simulation")
    del check["measurements"]
    drawn = svg(_figure("fig-backward").draw(_by_id(stripped)))
    assert "VAR-BACKWARD simulation check: measurements.figures.fig-backward" in drawn


def test_the_checks_that_ran_record_every_figure_record_of_their_claims(results):
    by_id = _by_id(results)
    for spec in all_figures():
        for record in spec.reads:
            if record.claim_id in RUN:
                assert record.read(by_id) is not None, f"{spec.id}: {record.label} not recorded by the check"


def test_the_registry_links_each_figure_to_the_claims_it_shows():
    for claim in CLAIMS:
        shown_in = {spec.id for spec in all_figures() if claim.id in spec.claims}
        linked = {part.strip() for part in (claim.figure or "").split(",") if part.strip()}
        assert linked == shown_in, f"{claim.id}: registry figure {claim.figure!r}, figures {sorted(shown_in)}"


def test_the_summary_figure_mark_agrees_with_the_registry(results):
    from initcheck.reports import sections

    figures = build.render_figures(results, None)
    for claim in results["claims"]:
        shown = [f for f in figures if claim["id"] in f["claims"]]
        mark = sections.figure_mark(claim["links"]["figure"], shown)
        assert "mark-fail" not in mark, claim["id"]
        assert ("mark-pass" in mark) == bool(shown and not any(f["absent"] for f in shown)), claim["id"]


# --- layers: reports/ renders, theory/ and sims/ import no project code and share none --------------------------------


def _imports(folder: str) -> dict[str, set[str]]:
    """Every module each .py file under `folder` imports (relative imports resolved against the installed name)."""
    found = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        package = ".".join([PACKAGES[folder], *path.relative_to(ROOT / folder).parent.parts])
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    base = f"{parent}.{base}" if base else parent
                names.add(base)
                names.update(f"{base}.{alias.name}" for alias in node.names)
        found[str(path.relative_to(ROOT))] = names
    return found


def _offending(folder: str, rule) -> list[str]:
    return [f"{path}: {name}" for path, names in _imports(folder).items() for name in sorted(names) if rule(name)]


def _under(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_reports_import_neither_theory_nor_sims_nor_sympy_nor_scipy():
    assert not _offending("reports", lambda n: _under(n, "initcheck.theory", "initcheck.sims", "theory", "sims", "sympy", "scipy"))


def test_reports_draw_no_random_number():
    calls = []
    for path in sorted((ROOT / "reports").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("random", "default_rng", "RandomState", "Generator"):
                calls.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.attr}")
            if isinstance(node, (ast.Import, ast.ImportFrom)) and any(_under(a.name, "random") for a in node.names):
                calls.append(f"{path.relative_to(ROOT)}:{node.lineno}: import random")
    assert not calls
