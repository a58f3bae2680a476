"""`initcheck conform TARGET --repro FILE`: a failing record as a standalone script a maintainer can run.

The script must draw the battery's own tensors (its statistics equal the record's to rounding), import nothing of
initcheck, exit 1 while the discrepancy is there and 0 once the target is fixed. The foil is a realistic bug (Kaiming
normal scaled by fan_out where the rule says fan_in, in a user's file); the fix is the same file with fan_in.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from initcheck.cli import main
from initcheck.conformance import conform
from initcheck.conformance.repro import ReproError, script

BUGGY = '''import numpy as np


def kaiming(rng, shape):
    fan = shape[-1] * int(np.prod(shape[:-2]))  # the bug: fan_out where He's rule takes fan_in
    return rng.normal(0.0, np.sqrt(2 / fan), shape).astype(np.float32)
'''
FIXED = BUGGY.replace("shape[-1] *", "shape[-2] *")
STANDARD_LIBRARY = {"math", "os", "sys", "importlib", "importlib.util"}


def run_script(path: Path) -> subprocess.CompletedProcess:
    """The script in a fresh interpreter, outside the checkout, with initcheck made unimportable (a stub that raises)."""
    blocker = Path(tempfile.mkdtemp()) / "initcheck"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('the script must not need initcheck')\n")
    environment = {**os.environ, "PYTHONPATH": str(blocker.parent)}
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=blocker.parent, env=environment, timeout=600)


def printed(output: str) -> dict[str, float]:
    """statistic on probe → measured value, from the script's lines."""
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^  (.+?): expected \S+, measured (\S+) ", output, re.MULTILINE)}


@pytest.fixture
def target(tmp_path):
    path = tmp_path / "user_init.py"
    path.write_text(BUGGY)
    return path


def test_a_failing_user_initializer_gets_a_script_that_fails_until_the_file_is_fixed(target, tmp_path, capsys):
    out = tmp_path / "scripts" / "repro_kaiming.py"
    code = main(["conform", f"{target}:kaiming", "--rule", "kaiming_normal", "--layout", "keras", "--tier", "quick", "--json", "--repro", str(out)])
    record = json.loads(capsys.readouterr().out)
    assert code == 1 and record["status"] == "fail" and out.exists() and os.access(out, os.X_OK)
    buggy = run_script(out)
    assert buggy.returncode == 1, buggy.stderr[-2000:]
    assert "the discrepancy is there" in buggy.stdout and "FAILS" in buggy.stdout
    # the same tensors: each statistic the script prints is the battery's measured value, at the printed 6 digits
    measured = {f"{t['statistic']} on {t['probe']}": t["measured"] for t in record["tests"] if not t["passed"]}
    shown = printed(buggy.stdout)
    assert shown and set(shown) <= set(measured)
    assert all(float(f"{measured[k]:.6g}") == v for k, v in shown.items()), (shown, measured)
    assert any(k.startswith("second moment") for k in shown)  # the scale error itself is reproduced, not only its shape
    target.write_text(FIXED)
    fixed = run_script(out)
    assert fixed.returncode == 0 and "fixed" in fixed.stdout, fixed.stdout + fixed.stderr[-2000:]


def test_the_script_imports_only_the_standard_library_numpy_scipy_and_the_target(target):
    record = conform(f"{target}:kaiming", "kaiming_normal", layout="keras", tier="quick")
    tree = ast.parse(script(record))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert {name.split(".")[0] for name in imported} <= STANDARD_LIBRARY | {"numpy", "scipy"}, imported  # scipy.special too
    assert "initcheck" not in {name.split(".")[0] for name in imported}


def test_a_passing_target_gets_no_script_and_says_so(target, tmp_path, capsys):
    target.write_text(FIXED)
    out = tmp_path / "repro.py"
    code = main(["conform", f"{target}:kaiming", "--rule", "kaiming_normal", "--layout", "keras", "--tier", "quick", "--repro", str(out)])
    assert code == 0 and not out.exists() and "no script written" in capsys.readouterr().err
    with pytest.raises(ReproError, match="status is 'pass'"):
        script(conform(f"{target}:kaiming", "kaiming_normal", layout="keras", tier="quick"))


def test_repro_with_the_matrix_or_into_a_folder_is_a_usage_error(target, tmp_path, capsys):
    assert main(["conform", "--framework", "torch", "--repro", str(tmp_path / "x.py")]) == 2
    assert "does not take --framework" in capsys.readouterr().err
    assert main(["conform", f"{target}:kaiming", "--rule", "kaiming_normal", "--layout", "keras", "--repro", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_a_record_whose_failures_the_script_cannot_recompute_gets_no_script():
    record = {"status": "fail", "framework": "torch", "target": "torch.nn.init.kaiming_normal_", "dtype": "float32", "rule": "he_normal", "layout": "torch", "tier": "quick",
              "tests": [{"statistic": "same seed → same values", "probe": "A", "passed": False}]}  # fmt: skip
    with pytest.raises(ReproError, match="same seed"):
        script(record)


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed: pip install 'initcheck[frameworks]' or tox -e frameworks")
def test_a_torch_script_draws_torchs_own_tensors_with_the_batterys_seeds(tmp_path):
    """torch.nn.init.trunc_normal_'s std is the parent normal's (as its docs say): against the rule whose std is the
    values' own sd it fails; the script, with torch alone, must print the battery's numbers (63-bit torch seeds)."""
    record = conform("torch.nn.init.trunc_normal_", "truncated_normal_sd:std=1", tier="quick")
    assert record["status"] == "fail"
    out = tmp_path / "repro_torch.py"
    out.write_text(script(record))
    done = run_script(out)
    assert done.returncode == 1 and done.stdout.startswith("torch 2."), done.stdout + done.stderr[-2000:]
    measured = {f"{t['statistic']} on {t['probe']}": t["measured"] for t in record["tests"] if not t["passed"]}
    shown = printed(done.stdout)
    assert shown and all(float(f"{measured[k]:.6g}") == v for k, v in shown.items()), (shown, measured)


def test_the_matrix_writes_a_script_for_each_failing_entry_it_can_draw_and_the_record_names_it(target, monkeypatch):
    """Failing records of drawable targets get repro-NN-<target>-<dtype>.py (the entry's own kwargs), recorded as
    "repro"; a passing record gets none, nor a failing one whose failures no script recomputes."""
    from initcheck.conformance import matrix
    from initcheck.conformance.repro import matrix_scripts

    entry = matrix.Entry("user", f"{target}:kaiming", "kaiming_normal", "keras", "a user's He init")
    monkeypatch.setitem(matrix.ENTRIES, "user", (entry,))
    failing = {**conform(f"{target}:kaiming", "kaiming_normal", layout="keras", tier="quick"), "framework": "user", "target": f"{target}:kaiming"}
    passing = {**failing, "status": "pass"}
    seeds_only = {**failing, "tests": [{**t, "passed": t["statistic"] != "same seed → same values"} for t in failing["tests"]]}
    records = [passing, failing, seeds_only]
    scripts = matrix_scripts(records, seed=0)
    (name,) = scripts
    assert name.startswith("repro-01-") and name.endswith("-float32.py") and failing["repro"] == name
    assert "repro" not in passing and "repro" not in seeds_only
    path = target.parent / name
    path.write_bytes(scripts[name])
    assert run_script(path).returncode == 1


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed: pip install 'initcheck[frameworks]' or tox -e frameworks")
def test_a_layer_default_gets_a_script_that_builds_the_layer_with_initchecks_own_code(tmp_path):
    """torch's MultiheadAttention W_q (a block of the packed in_proj_weight) against Glorot on an (E, E) projection: half
    the variance. The script carries adapters._torch_layer_weight (no retyped copy), takes the matrix entry's probe
    shapes (attention_probes), and prints the battery's numbers; the matrix names it in the record."""
    from initcheck.conformance.repro import matrix_scripts

    record = {**conform("torch-module:mha.q", "glorot_uniform", tier="quick"), "framework": "torch"}
    assert record["status"] == "fail" and record["design"]["probes"][0].startswith("A (64, 64)")  # the entry's shapes, not (128, 32)
    (name,) = matrix_scripts([record], seed=0)
    assert name == "repro-01-torch_module_mha.q-float32.py" and record["repro"] == name
    text = script(record)
    assert "def _torch_layer_weight(torch, kind, shape, dtype, seed):" in text and "Any" not in text  # annotations dropped
    out = tmp_path / name
    out.write_text(text)
    done = run_script(out)
    assert done.returncode == 1 and done.stdout.startswith("torch 2."), done.stdout + done.stderr[-2000:]
    measured = {f"{t['statistic']} on {t['probe']}": t["measured"] for t in record["tests"] if not t["passed"]}
    shown = printed(done.stdout)
    assert set(shown) == set(measured) and all(float(f"{measured[k]:.6g}") == v for k, v in shown.items()), (shown, measured)


@pytest.mark.parametrize(
    ("foil", "statistics"),
    [
        ("bias counted as an input (fan + 1)", {"second moment"}),
        ("uniform on small fans (fan_in < 8)", {"fourth moment (kurtosis)", "goodness of fit (KS, standardized)", "goodness of fit (Anderson–Darling A²)"}),
        ("shared per-unit offset", {"row-mean dispersion"}),
        ("normal where uniform is documented", {"bound"}),
    ],
)
def test_the_small_fans_the_row_mean_dispersion_and_the_bound_are_replayed_by_the_script(foil, statistics, tmp_path):
    """Probe D's tensors come from later spawns (after A, B and C's): the script spawns A, B and C's children without
    drawing them, then D's, and prints D's statistics to the battery's 6 digits; the row-mean dispersion and the count
    of values beyond the bound (the record's thresholds) likewise. A script that drew D from the first spawns (the foil
    of the replay) would print other numbers."""
    from initcheck.conformance.foils import FOILS

    (chosen,) = [f for f in FOILS if f.name == foil]
    record = conform(chosen.function, chosen.rule, layout="keras", tier="quick", seed=7)
    wanted = [t for t in record["tests"] if not t["passed"] and t["statistic"] in statistics]
    assert {t["statistic"] for t in wanted} == statistics, record["failures"]
    path = tmp_path / "foil.py"
    path.write_text("import numpy as np\nfrom initcheck.conformance.foils import FOILS\n\n\ndef f(rng, shape):\n"
                    f"    return np.asarray([x for x in FOILS if x.name == {foil!r}][0].function(rng, shape))\n")  # fmt: skip
    user = {**record, "target": f"{path}:f"}
    out = tmp_path / "repro.py"
    out.write_text(script(user, seed=7))
    done = subprocess.run([sys.executable, str(out)], capture_output=True, text=True, timeout=600)  # the foil needs initcheck
    shown = printed(done.stdout)
    assert done.returncode == 1, done.stdout + done.stderr[-2000:]
    for test in wanted:
        key = f"{test['statistic']} on {test['probe']}"
        assert float(f"{test['measured']:.6g}") == shown[key], (shown, test)
        assert re.search(rf"^  {re.escape(key)}: .*FAILS$", done.stdout, re.MULTILINE), done.stdout  # judged as the battery judges it


def _script_run(tmp_path: Path, source: str, name: str, rule: str) -> tuple[dict, subprocess.CompletedProcess, dict[str, float]]:
    """A user file's function `name` conformed to `rule` at the quick tier, and its record's script run: (the record, the
    run, the statistics it printed)."""
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    record = conform(f"{path}:{name}", rule, layout="keras", tier="quick")
    out = tmp_path / "repro.py"
    out.write_text(script(record))
    done = run_script(out)
    return record, done, printed(done.stdout)


def _pooled_fit(record: dict) -> list[dict]:
    return [t for t in record["tests"] if t["statistic"].startswith("goodness of fit") and t["probe"] == "A, B, C pooled"]


def _assert_shown(tests: list[dict], shown: dict[str, float]) -> None:
    """Each test's measured value, as the script printed it (6 significant digits)."""
    for test in tests:
        key = f"{test['statistic']} on {test['probe']}"
        assert float(f"{test['measured']:.6g}") == shown[key], (shown, test["measured"])


@pytest.mark.skipif(importlib.util.find_spec("ml_dtypes") is None, reason="bfloat16 arrays need ml_dtypes (installed with JAX or TensorFlow)")
def test_a_bfloat16_script_recomputes_the_fit_and_levels_tests_against_the_rounded_law_as_the_battery_does(tmp_path):
    """In 16-bit dtypes the battery's KS is against the discrete law of round-to-nearest; a script that used the
    continuous CDF (the foil, scipy's kstest) would print another distance (0.0102 where the battery has 0.0086 for JAX)."""
    grid = (
        "import ml_dtypes\nimport numpy as np\n\n\ndef grid(rng, shape):\n"
        "    a = np.sqrt(6 / (shape[-2] * int(np.prod(shape[:-2])) + shape[-1] * int(np.prod(shape[:-2]))))\n"
        "    return (2 * a * (rng.integers(0, 128, shape) / 128) - a).astype(ml_dtypes.bfloat16)\n"
    )
    record, done, shown = _script_run(tmp_path, grid, "grid", "glorot_uniform")
    ks = _pooled_fit(record)
    assert record["status"] == "fail" and not ks[0]["passed"]
    assert done.returncode == 1 and len(ks) == 2  # KS, then A²: both recomputed from the same jittered transform
    (levels,) = [t for t in record["tests"] if t["statistic"] == "levels occupied"]  # 128 levels a probe: far too few
    assert not levels["passed"] and shown[f"levels occupied on {levels['probe']}"] == levels["measured"], (shown, levels)
    assert re.search(r"^  levels occupied on .*: FAILS$", done.stdout, re.MULTILINE), done.stdout
    _assert_shown(ks, shown)


def test_a_float16_script_reproduces_the_fit_of_a_sampler_whose_values_reach_far_into_the_tails(tmp_path):
    """Values 1.6× too wide reach levels where the rounded law's CDF is 1e-16 or less, and there SciPy's normal CDF and
    initcheck's derived one differ in their last bits (or one is 0 where the other is not). The 16-bit jitter splits
    each level's values between cells by binomials of the levels' exact widths, so a script with SciPy's CDF drew
    another jitter and printed another A² (found by an independent review, on 900,000 such values: A² 73232.93 where the
    battery had 73232.94). The script evaluates the derived CDF itself (mutant repro-16-bit-fit-on-scipys-cdf)."""
    wide = (
        "import numpy as np\n\n\ndef wide(rng, shape):\n"
        "    fan_in = shape[-2] * int(np.prod(shape[:-2]))\n"
        "    return (rng.standard_normal(shape) * 1.6 * np.sqrt(2 / fan_in)).astype(np.float16)\n"
    )
    record, done, shown = _script_run(tmp_path, wide, "wide", "he_normal")
    fit = _pooled_fit(record)
    assert record["status"] == "fail" and len(fit) == 2 and not any(t["passed"] for t in fit)
    assert done.returncode == 1, done.stdout + done.stderr[-2000:]
    _assert_shown(fit, shown)


def test_a_law_with_the_normals_moments_gets_a_script_that_shows_anderson_darlings_a2(tmp_path):
    """The moments-matched mixture (foils.mixture_components): no moment fails, the fit tests do; the script recomputes A²
    over probes A, B and C to the battery's 6 digits and exits 1. A script that pooled probe A alone (the foil of the
    pooling) would print another A²."""
    from initcheck.conformance.foils import mixture_components

    path = tmp_path / "mixture.py"
    path.write_text(
        f"import numpy as np\n\nCOMPONENTS = np.array({[list(c) for c in mixture_components()]!r})\n\n\ndef mixture(rng, shape):\n"
        "    pick = rng.integers(0, 4, size=shape)\n"
        "    values = COMPONENTS[pick, 0] + COMPONENTS[pick, 1] * rng.standard_normal(shape)\n"
        "    return (values * np.sqrt(2 / (shape[-2] * int(np.prod(shape[:-2]))))).astype(np.float32)\n"
    )
    record = conform(f"{path}:mixture", "kaiming_normal", layout="keras", tier="quick")
    (a2,) = [t for t in record["tests"] if t["statistic"] == "goodness of fit (Anderson–Darling A²)" and t["probe"] == "A, B, C pooled"]
    assert not a2["passed"] and not [t for t in record["tests"] if not t["passed"] and t["n_unit"] == "tensors"], record["failures"]
    out = tmp_path / "repro.py"
    out.write_text(script(record))
    done = run_script(out)
    shown = printed(done.stdout)
    assert done.returncode == 1 and float(f"{a2['measured']:.6g}") == shown[f"{a2['statistic']} on {a2['probe']}"], (shown, a2["measured"])
