"""Hypothesis profiles, chosen by HYPOTHESIS_PROFILE: "ci" (derandomized; tox and CI) or "dev" (more examples)."""

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Deadlines off: SymPy and mpmath timings vary by an order of magnitude between machines.
settings.register_profile("ci", derandomize=True, deadline=None, max_examples=100, print_blob=True)
settings.register_profile("dev", deadline=None, max_examples=2000, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared/ folder beside the checkout (CI has it); tests that read the sources need it."""
    if not (SHARED / "CLAIMS.md").is_file():
        pytest.skip(f"source texts not available: {SHARED} has no CLAIMS.md (a checkout without shared/ beside it)")
    return SHARED
