"""Mutation testing: realistic bugs injected one at a time into theory/, sims/ and the joins; the tests must fail.

    python tests/mutation.py [--only ID ...] [--list]       (tox -e mutation)

Each mutant in tests/mutants.py replaces one exact snippet of one source file (it must occur exactly once,
so a stale mutant is an error, not a silent pass) with a plausible wrong version: a dropped factor, fan_in
for fan_out, `any` for `all`, a constant retyped wrongly, a standard error across units that share a draw.
The runner copies the package into a temporary folder in its installed layout (initcheck/, and theory/,
sims/, reports/ as initcheck.theory, .sims, .reports), applies the mutant there, and runs the mutant's
tests against that copy (PYTHONPATH puts it first). A mutant is killed when its tests fail or time out.
Mutants marked `equivalent` (no observable behaviour changes; the reason is given) are listed, not counted.
It prints the kill rate and every survivor; the exit status is 1 when the kill rate is below TARGET.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from mutants import MUTANTS, Mutant

REPO = Path(__file__).resolve().parents[1]
LAYOUT = {"initcheck": "initcheck", "theory": "initcheck/theory", "sims": "initcheck/sims", "reports": "initcheck/reports"}
TARGET = 0.90
TIMEOUT_SECONDS = 600


def stage(folder: Path) -> None:
    """The package as installed: initcheck/ with theory/, sims/ and reports/ inside it, and the tests beside."""
    for source, target in LAYOUT.items():
        shutil.copytree(REPO / source, folder / target, ignore=shutil.ignore_patterns("__pycache__", "build"), dirs_exist_ok=True)
    shutil.copytree(REPO / "tests", folder / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", folder / "pyproject.toml")
    shutil.copy(REPO / "README.md", folder / "README.md")


def staged_path(mutant: Mutant) -> str:
    top, _, rest = mutant.file.partition("/")
    return f"{LAYOUT[top]}/{rest}" if top in LAYOUT and top != "initcheck" else mutant.file


def apply(folder: Path, mutant: Mutant) -> None:
    path = folder / staged_path(mutant)
    text = path.read_text(encoding="utf-8")
    if text.count(mutant.before) != 1:
        raise SystemExit(f"mutant {mutant.id}: its snippet occurs {text.count(mutant.before)} times in {mutant.file} (must be once): update tests/mutants.py")
    path.write_text(text.replace(mutant.before, mutant.after), encoding="utf-8")


def run(mutant: Mutant | None, tests: tuple[str, ...], select: str = "") -> tuple[str, float]:
    """'killed', 'survived' or 'timeout' (counted as killed), and the seconds it took; mutant None runs the copy unmutated."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="initcheck-mutant-") as name:
        folder = Path(name)
        stage(folder)
        if mutant is not None:
            apply(folder, mutant)
        environment = {**os.environ, "PYTHONPATH": str(folder), "HYPOTHESIS_PROFILE": "ci", "PYTHONDONTWRITEBYTECODE": "1"}
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-m", "not slow", *tests]
        if select:
            command += ["-k", select]
        try:
            done = subprocess.run(command, cwd=folder, env=environment, capture_output=True, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            return "timeout", time.perf_counter() - started
    if done.returncode == 5:  # pytest ran no test: the mutant's selection is stale, and "killed" would be a lie
        raise SystemExit(f"{'baseline' if mutant is None else mutant.id}: its tests {tests} -k {select!r} select no test")
    return ("survived" if done.returncode == 0 else "killed"), time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="ID", help="run only these mutants")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTANTS if not args.only or m.id in args.only]
    if args.list:
        for m in chosen:
            print(f"{m.id:<34} {m.file:<40} {m.description}")
        return 0
    for mutant in chosen:  # every snippet must occur exactly once in the source before any test runs
        count = (REPO / mutant.file).read_text(encoding="utf-8").count(mutant.before)
        if count != 1:
            raise SystemExit(f"mutant {mutant.id}: its snippet occurs {count} times in {mutant.file} (must be once): update tests/mutants.py")
    counted = [m for m in chosen if not m.equivalent]
    every_test = tuple(sorted({t for m in counted for t in m.tests}))
    selects = {m.select for m in counted}
    select = "" if "" in selects else " or ".join(f"({k})" for k in sorted(selects))
    outcome, seconds = run(None, every_test, select)  # the unmutated copy must pass, or "killed" would mean nothing
    print(f"baseline: the unmutated copy {'passes' if outcome == 'survived' else 'FAILS'} {len(every_test)} test files ({seconds:.0f} s)", flush=True)
    if outcome != "survived":
        return 2
    killed, survivors = 0, []
    for index, mutant in enumerate(counted, start=1):
        outcome, seconds = run(mutant, mutant.tests, mutant.select)
        killed += outcome != "survived"
        if outcome == "survived":
            survivors.append(mutant)
        print(f"[{index}/{len(counted)}] {outcome:<8} {seconds:6.1f} s  {mutant.id}: {mutant.description}", flush=True)
    rate = killed / len(counted) if counted else 1.0
    print(f"\nkill rate {killed}/{len(counted)} = {rate:.0%} (target {TARGET:.0%})")
    for mutant in survivors:
        print(f"  SURVIVED {mutant.id} ({mutant.file}): {mutant.description}")
    for mutant in (m for m in chosen if m.equivalent):
        print(f"  equivalent, not counted: {mutant.id}: {mutant.equivalent}")
    return 0 if rate >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
