"""Hypothesis profiles, chosen by HYPOTHESIS_PROFILE: "ci" (derandomized; tox and CI) or "dev" (more examples)."""


from hypothesis import settings

from initcheck.properties import profile_name  # registers the "ci" and "dev" profiles (one definition for tests and verify)

settings.load_profile(profile_name())
