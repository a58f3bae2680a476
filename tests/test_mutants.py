"""The mutation catalogue stays applicable: each mutant's snippet occurs exactly once in its file and the mutation differs
from it. Without this, a refactor silently retires a mutant until someone runs `tox -e mutation` (one did: the consistency
rule of initcheck/verify.py changed and its mutant matched nothing)."""

from pathlib import Path

import pytest
from mutants import MUTANTS

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.id)
def test_each_mutant_still_applies_once(mutant):
    text = (ROOT / mutant.file).read_text(encoding="utf-8")
    assert text.count(mutant.before) == 1, f"{mutant.id}: snippet found {text.count(mutant.before)} times in {mutant.file}"
    assert mutant.after != mutant.before
    assert all((ROOT / test).is_file() for test in mutant.tests), mutant.tests
