"""The command line: machine-readable output, verdicts, exit codes and one-line errors."""

import json

import pytest

from initcheck import __version__
from initcheck.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_claims_json_lists_all_54_with_their_check_kinds(capsys):
    code, out, _ = run(capsys, "claims", "--json")
    document = json.loads(out)
    assert code == 0 and document["initcheck_version"] == __version__ and document["catalogue"] == "v2"
    assert len(document["claims"]) == 54
    kinds = {c["id"]: c["checks"] for c in document["claims"]}
    assert kinds["GRAD-INTERVAL-MAX"] == ["symbolic", "simulation"] and kinds["SYM-ZERO-BIAS"] == ["symbolic", "reproduction"] and kinds["SAT-L2"] == ["symbolic", "reproduction"]


def test_verify_json_has_the_documented_shape(capsys):
    code, out, _ = run(capsys, "verify", "--json", "--quiet", "--only", "GRAD-W4", "SYM-PERCEPTRON-TABLE", "--seed", "7")
    document = json.loads(out)
    assert code == 0
    assert document["seed"] == 7 and document["initcheck_version"] == __version__ and document["catalogue"] == "v2"
    claims = {c["id"]: c for c in document["claims"]}
    assert list(claims) == ["GRAD-W4", "SYM-PERCEPTRON-TABLE"]
    assert claims["GRAD-W4"]["verdict"] == "holds"
    assert claims["SYM-PERCEPTRON-TABLE"]["verdict"] == "refuted"
    assert [c["verdict"] for c in claims["SYM-PERCEPTRON-TABLE"]["checks"][1:]] == ["not-checked"] * 3  # kinds it has no check of
    for claim in claims.values():
        assert [c["kind"] for c in claim["checks"]] == ["symbolic", "simulation", "property", "reproduction"]
    symbolic = claims["GRAD-W4"]["checks"][0]
    assert symbolic["passed"] is True and symbolic["foil"]["rejected"] is True


def test_verify_writes_the_json_file_whole(capsys, tmp_path):
    target = tmp_path / "results.json"
    code, _, _ = run(capsys, "verify", "--quiet", "--only", "GRAD-W4", "--output", str(target))
    assert code == 0 and json.loads(target.read_text())["claims"][0]["id"] == "GRAD-W4"
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]  # no temporary file left behind


def test_verify_table_and_progress(capsys):
    code, out, err = run(capsys, "verify", "--only", "HE-VAR")
    assert code == 0 and "HE-VAR" in out and "every check behaves as documented" in out
    assert "HE-VAR" in err and "check" in err  # the progress bar names the unit that finished


def test_verify_exits_1_when_a_check_contradicts_its_documented_verdict(capsys, monkeypatch):
    from dataclasses import replace

    from initcheck import registry

    doctored = replace(registry.BY_ID["GLOROT-VAR"], documented_verdict="refuted")
    monkeypatch.setitem(registry.BY_ID, "GLOROT-VAR", doctored)
    code, out, _ = run(capsys, "verify", "--quiet", "--only", "GLOROT-VAR")
    assert code == 1 and "NOT as documented: GLOROT-VAR" in out


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["verify", "--only", "GRAD-INTERVAL-MAXX"], "'GRAD-INTERVAL-MAXX'"),
        (["verify", "--seed", "abc"], "'abc'"),
        (["verify", "--seed", "-3"], "'-3'"),
        (["verify", "--frobnicate"], "--frobnicate"),
        (["launch"], "'launch'"),
        (["verify", "--output", "/nonexistent-folder/x.json"], "/nonexistent-folder"),
    ],
)
def test_bad_input_is_one_line_naming_the_value_and_exit_2(capsys, argv, named):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and named in err and "Traceback" not in err


def test_unknown_id_suggests_the_nearest(capsys):
    _, _, err = run(capsys, "verify", "--only", "GRAD-INTERVAL-MAXX")
    assert "did you mean GRAD-INTERVAL-MAX?" in err


def test_output_file_gets_ordinary_permissions(capsys, tmp_path):
    import os
    import stat

    target = tmp_path / "results.json"
    run(capsys, "verify", "--quiet", "--only", "GRAD-W4", "--output", str(target))
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
