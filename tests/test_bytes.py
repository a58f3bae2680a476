"""Same inputs, same bytes: results do not depend on the hash seed, the working directory or the worker count.

SymPy orders some printed products by hash-dependent keys; each run of a check is its own process here so
that PYTHONHASHSEED really differs. The whole run (every claim) is compared in the slow tier; the fast tier
compares the derivation that once differed (GRAD-CHAIN's).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CHAIN_STEP = "from initcheck.symbolic.gradients import chain_derivation_step; print(chain_derivation_step())"


def _run(arguments: list[str], hash_seed: str, folder) -> bytes:
    environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, *arguments], capture_output=True, cwd=folder, env=environment, timeout=1800)
    assert done.returncode in (0, 1), done.stderr.decode()[-2000:]
    return done.stdout


def test_grad_chain_derivation_is_the_same_bytes_for_any_hash_seed(tmp_path):
    steps = {_run(["-c", CHAIN_STEP], seed, tmp_path) for seed in ("0", "1", "2", "3")}
    assert len(steps) == 1  # the step check_chain records (its whole record: the slow test below)


@pytest.mark.slow
def test_verify_json_is_the_same_bytes_across_hash_seeds_directories_and_worker_counts(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _run(["-m", "initcheck", "verify", "--json", "--quiet", "--workers", "1"], "0", tmp_path / "a")
    second = _run(["-m", "initcheck", "verify", "--json", "--quiet", "--workers", "2"], "1", tmp_path / "b")
    assert first == second
