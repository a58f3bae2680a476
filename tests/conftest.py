"""Hypothesis profiles, chosen by HYPOTHESIS_PROFILE: "ci" (derandomized; tox and CI) or "dev" (more examples); shared fixtures."""

import pytest
from hypothesis import settings

from initcheck.properties import profile_name  # registers the "ci" and "dev" profiles (one definition for tests and verify)

settings.load_profile(profile_name())


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
