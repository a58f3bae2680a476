"""Hypothesis profiles, chosen by HYPOTHESIS_PROFILE: "ci" (derandomized; tox and CI) or "dev" (more examples)."""

from pathlib import Path

import pytest
from hypothesis import settings

from initcheck.properties import profile_name  # registers the "ci" and "dev" profiles (one definition for tests and verify)

settings.load_profile(profile_name())

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared/ folder beside the checkout (CI has it); tests that read the sources need it."""
    if not (SHARED / "CLAIMS.md").is_file():
        pytest.skip(f"source texts not available: {SHARED} has no CLAIMS.md (a checkout without shared/ beside it)")
    return SHARED
