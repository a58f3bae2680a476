"""The README's claim table and set-up commands stay true to the code."""

import re
from pathlib import Path

from initcheck.cli import claims_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_readme_claim_table_is_the_registry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- claims:start -->\n(.*?)<!-- claims:end -->", readme, flags=re.DOTALL)
    assert table, "README lost its claims markers"
    assert table.group(1) == claims_markdown(), "run `initcheck claims --markdown` and paste it into the README"


def test_readme_gives_exactly_two_set_up_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", section, flags=re.DOTALL)
    assert commands == ["python3.11 -m pip install tox tox-uv && tox -e report", "python3.11 -m pip install tox tox-uv && tox"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3.11 -m pip install --quiet tox tox-uv" in ci and ci.rstrip().endswith("tox")


def test_citation_version_is_the_package_version():
    from initcheck import __version__

    assert f"version: {__version__}" in (ROOT / "CITATION.cff").read_text(encoding="utf-8")


def test_readme_findings_are_the_recorded_matrix_as_initcheck_findings_writes_them():
    """The list of conformance findings in the README is `initcheck findings reports/recorded/conformance.json`: a
    finding typed by hand, or a matrix re-run without the README updated, fails here."""
    from initcheck.conformance.findings import findings_markdown
    from initcheck.results import load_conformance

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- findings:start -->\n(.*?)<!-- findings:end -->", readme, flags=re.DOTALL)
    assert block, "README lost its findings markers"
    recorded = load_conformance(ROOT / "reports" / "recorded" / "conformance.json")
    assert block.group(1) == findings_markdown(recorded), "run `initcheck findings reports/recorded/conformance.json` and paste it into the README"
