"""Hypothesis profiles, chosen by HYPOTHESIS_PROFILE: "ci" (derandomized; tox and CI) or "dev" (more examples); shared fixtures."""

import functools
import signal

import pytest
from hypothesis import settings

from initcheck.properties import profile_name  # registers the "ci" and "dev" profiles (one definition for tests and verify)

settings.load_profile(profile_name())

SIMULATION_SEED = 20101  # the documented default seed


@pytest.fixture(scope="session", autouse=True)
def _ctrl_c_reaches_the_children():
    """Tests send Ctrl-C to `initcheck` processes as a terminal would. A test runner started in the background by a
    shell script has Ctrl-C ignored, and children inherit an ignored signal (initcheck then keeps ignoring it, as it
    should): here the runner takes Python's handler, so its children start with the default again."""
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        yield
        return
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.fixture(scope="session")
def partial_results():
    """Build a results document in which only the named claims ran (the rest recorded as not run): what report tests render."""
    import dataclasses

    from initcheck.registry import BY_ID, CLAIMS
    from initcheck.verify import results_document, run_inputs, verify_claim

    def make(run: tuple[str, ...], seed: int = 7) -> dict:
        def not_run(claim) -> dict:
            bare = dataclasses.replace(claim, symbolic=None, simulation=None, property=None, reproduction=None)
            return {**verify_claim(bare), "consistent": False}

        claims = [verify_claim(BY_ID[c.id], seed=seed) if c.id in run else not_run(c) for c in CLAIMS]
        inputs = run_inputs(list(CLAIMS), seed=seed, tier="default", mnist=None)
        return results_document(claims, seed=seed, tier="default", inputs=inputs)

    return make


@pytest.fixture(scope="session", autouse=True)
def formula_cache(tmp_path_factory):
    """Typeset formulas cached in this run's temporary folder (shared by the xdist workers), never in the user's ~/.cache."""
    import os

    from initcheck.reports.math import CACHE_ENV

    folder = tmp_path_factory.getbasetemp().parent / "formula-cache"
    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = previous


@functools.cache
def _simulation_record(claim_id: str, scale: float) -> dict:
    from initcheck.registry import BY_ID, resolve
    from initcheck.verify import run_simulation

    claim = BY_ID[claim_id]
    return run_simulation(claim, resolve(claim.simulation), seed=SIMULATION_SEED, scale=scale).as_json()


@pytest.fixture(scope="session")
def simulation_record():
    """A claim's simulation record at seed 20101 (the documented default) and a replicate scale, made once per worker
    process and shared by every test that asks for the same claim and scale (see SHARED_WITH_A_CLAIM below)."""

    def record(claim_id: str, scale: float = 1.0) -> dict:
        return _simulation_record(claim_id, scale)

    return record


# Under pytest-xdist, tests that share an expensive module fixture or cache run on one worker, so it is made once rather
# than once per worker (xdist's own `xdist_group` marks are ignored under pytest ≥ 9: it renames `Node._nodeid`, which
# pytest 9 no longer reads). A unit is a module, or one claim's derivation and simulation tests (they share the
# theory's caches); every other test is a unit of its own, as under `--dist load`.
ONE_WORKER_MODULES = ("tests/test_report.py", "tests/test_report_figures.py", "tests/test_execution.py")
BY_CLAIM_MODULES = ("tests/test_simulations.py", "tests/test_symbolic.py")
SHARED_WITH_A_CLAIM = {  # tests that reuse a claim's simulation record (simulation_record) or cached theory values
    "tests/test_meanfield.py::test_paths_are_certified": "VAR-DEPTH",  # the mean-field paths at depth 50
    "tests/test_hidden_saturation.py::test_simulations_agree_with_theory_and_reject_their_foils[SAT-NIELSEN-FRACTION-check0]": "SAT-NIELSEN-FRACTION",
    "tests/test_hidden_saturation.py::test_simulations_agree_with_theory_and_reject_their_foils[SAT-LATER-LAYERS-check1]": "SAT-LATER-LAYERS",
    "tests/test_glorot_standard.py::test_simulation_agrees_with_mean_field_and_rejects_the_foils": "VAR-GLOROT-STANDARD",
    "tests/test_glorot_standard.py::test_symbolic_check_is_conditional_and_rejects_the_exact_level_foil": "VAR-GLOROT-STANDARD",
    "tests/test_theory_values.py::test_glorot_saturated_fractions_are_pinned_by_the_central_limit_estimate": "VAR-KROHN-SATURATION",
    "tests/test_batchnorm.py::test_symbolic_check_holds_and_rejects_the_frozen_statistics_foil": "REG-BN-GRAD",  # SymPy's cache
    "tests/test_meanfield.py::test_stationary_law_is_a_fixed_point": "GRAD-BOUND",  # the sigmoid chain's statistics
    "tests/test_transverse.py::test_linearization_predicts_the_float64_growth_rate_and_rejects_the_own_block_foil": "SYM-CONST",
    "tests/test_transverse.py::test_xor_width_two_leaves_the_symmetric_set_and_learns_xor": "SYM-CONST",
}


CLAIMS_SHARING_THEORY = {"GRAD-ACTIVATION": "GRAD-BOUND"}  # theory.chain's cached statistics of the deep chain (~12 s to derive)


def work_unit(nodeid: str) -> str:
    """The xdist work unit of a test: its module, its claim, or the test itself."""
    from initcheck.registry import BY_ID

    path, _, name = nodeid.partition("::")
    if path in ONE_WORKER_MODULES:
        return path
    if nodeid in SHARED_WITH_A_CLAIM:
        return f"claim {SHARED_WITH_A_CLAIM[nodeid]}"
    param = name[name.index("[") + 1 : -1] if name.endswith("]") and "[" in name else ""
    if path in BY_CLAIM_MODULES and param in BY_ID:
        return f"claim {CLAIMS_SHARING_THEORY.get(param, param)}"
    return nodeid


def pytest_xdist_make_scheduler(config, log):
    """`-n N` (xdist's default `--dist load`): load scheduling over the work units above; other `--dist` modes as asked."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return SharedFixtureScheduling(config, log)
