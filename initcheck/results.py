"""Results documents: their fingerprint, their schema, and when a recorded one may stand in for a new run.

A results document records the inputs that change its numbers (`inputs`: version, seed, tier, the claims
run, the Hypothesis profile, the MNIST data's digest) and a SHA-256 `fingerprint` of them. A recorded file
is reused only when its fingerprint equals the one this run would have. A file is read only if it is a
regular file of at most MAX_BYTES, parses as JSON, and passes SCHEMA with every registry claim present
once, in order (a fake or missing claim is refused, never rendered).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema

from initcheck.outcome import CHECK_KINDS, VERDICTS

MAX_BYTES = 64 << 20  # the full tier's results are about 2 MB


class ResultsError(Exception):
    """A results file that cannot be used (the message names the file and what is wrong)."""


def fingerprint(inputs: dict[str, Any]) -> str:
    """SHA-256 of the inputs as canonical JSON (sorted keys, no spaces): equal inputs, equal fingerprint."""
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def inputs_for(
    *,
    version: str,
    seed: int,
    tier: str,
    claim_ids: list[str],
    hypothesis_profile: str,
    mnist: dict[str, Any] | None,
    frameworks: dict[str, str] | None = None,
    code: str | None = None,
) -> dict[str, Any]:
    """Everything that changes a run's numbers (timings and paths do not); `frameworks`: the installed versions the FW checks
    measure; `code`: the digest of the source that computes them (initcheck.verify.code_digest)."""
    inputs = {
        "initcheck_version": version,
        **({"code": code} if code is not None else {}),
        "seed": seed,
        "tier": tier,
        "claims": claim_ids,
        "hypothesis_profile": hypothesis_profile,
        "mnist": mnist,
    }
    return inputs if frameworks is None else {**inputs, "frameworks": frameworks}


_CHECK = {
    "type": "object",
    "required": ["kind", "passed", "verdict", "summary"],
    "properties": {
        "kind": {"enum": list(CHECK_KINDS)},
        "passed": {"type": ["boolean", "null"]},
        "verdict": {"enum": list(VERDICTS)},
        "summary": {"type": "string"},
        "mismatches": {"type": "array", "items": {"type": "string"}},
        "conditions": {"type": "array", "items": {"type": "string"}},
    },
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["initcheck_version", "seed", "tier", "inputs", "fingerprint", "consistent", "claims"],
    "properties": {
        "initcheck_version": {"type": "string"},
        "catalogue": {"type": "string"},
        "seed": {"type": "integer", "minimum": 0},
        "tier": {"enum": ["default", "full"]},
        "inputs": {"type": "object"},
        "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "consistent": {"type": "boolean"},
        "claims": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "family", "statement", "source", "documented_verdict", "verdict", "consistent", "checks"],
                "properties": {
                    "id": {"type": "string"},
                    "verdict": {"enum": list(VERDICTS)},
                    "documented_verdict": {"enum": list(VERDICTS)},
                    "consistent": {"type": "boolean"},
                    "checks": {"type": "array", "items": _CHECK},
                },
            },
        },
    },
}


_CONFORMANCE_TEST = {
    "type": "object",
    "required": ["statistic", "probe", "expected", "measured", "z", "critical", "n", "n_unit", "passed"],
    "properties": {"z": {"type": ["number", "null"]}, "critical": {"type": ["number", "null"]}, "passed": {"type": "boolean"}},
}


def _records_schema(top: list[str], record: dict[str, Any]) -> dict[str, Any]:
    """A document with the `top` keys and a non-empty list of records, each following `record`."""
    return {"type": "object", "required": [*top, "records"], "properties": {"records": {"type": "array", "minItems": 1, "items": record}}}


CONFORMANCE_SCHEMA = _records_schema(
    ["initcheck_version", "seed", "tier"],
    {
        "type": "object",
        "required": ["target", "framework", "status"],
        "properties": {"status": {"enum": ["pass", "fail", "not installed", "error", "refused"]}, "tests": {"type": "array", "items": _CONFORMANCE_TEST}},
    },
)


# one direction of one layer: measured against its prediction (judged or not), or not measured with the reason
_AUDIT_DIRECTION: dict[str, Any] = {
    "type": "object",
    "oneOf": [
        {"required": ["measured", "expected", "ratio", "z", "n", "judged", "passed", "second_moment", "predicted_second_moment"]},
        {"required": ["status", "reason"], "properties": {"status": {"const": "not measured"}}},
    ],
}
AUDIT_SCHEMA = _records_schema(
    ["initcheck_version", "seed", "seeds"],
    {
        "type": "object",
        "required": ["model", "status"],
        "properties": {
            "status": {"enum": ["pass", "fail", "not installed", "error"]},
            "parameters": {"type": "array", "items": {"type": "object", "required": ["name", "shape", "consistent_with", "expected", "expected_verdict", "judged"]}},
            "propagation": {
                "type": "object",
                "required": ["status", "layers"],
                "properties": {
                    "layers": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["index", "name", "type", "variance_from", "forward", "backward"],
                            "properties": {"forward": _AUDIT_DIRECTION, "backward": _AUDIT_DIRECTION},
                        },
                    },
                },
            },
            "findings": {"type": "array", "items": {"type": "object", "required": ["parameter", "kind", "expected", "reason"]}},
        },
        "if": {"properties": {"status": {"enum": ["pass", "fail"]}}},
        "then": {"required": ["parameters", "propagation", "findings", "framework_version", "per_test_alpha"]},
        "else": {"required": ["reason"]},
    },
)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON (a non-finite number)")


CALIBRATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["seeds", "first_seed", "tier", "fraction", "z_scores", "mean_z", "sd_z", "ks_pvalue", "failures", "failure_pvalue",
                 "coverage_95", "coverage_pvalue", "histogram", "cases", "per_case_threshold", "cases_off", "calibrated"],
    "properties": {
        "histogram": {"type": "object", "required": ["edges", "counts"]},
        "cases": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {"type": "object", "required": ["mean_z", "mean_pvalue", "sd_z", "sd_pvalue"]},
        },
    },
}


def _read_json(path: Path, what: str) -> Any:
    """A regular file of at most MAX_BYTES, parsed as JSON without NaN; ResultsError names the file and the fault."""
    label = repr(str(path))
    if not path.exists():
        raise ResultsError(f"{what} {label} does not exist")
    if not path.is_file():
        raise ResultsError(f"{what} {label} is not a regular file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ResultsError(f"{what} {label} has {size} bytes, more than any {what} ({MAX_BYTES} at most)")
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ResultsError(f"{what} {label} is not JSON: {error}") from None


def _validated(document: Any, schema: dict[str, Any], path: Path, what: str) -> None:
    try:
        jsonschema.validate(document, schema)
    except jsonschema.ValidationError as error:
        where = "/".join(str(p) for p in error.absolute_path) or "the document"
        raise ResultsError(f"{what} {str(path)!r} is not an initcheck {what}: at {where}: {error.message}") from None


def load_calibration(path: Path) -> dict[str, Any]:
    """A calibration record (initcheck calibrate) from `path`, validated like a results file."""
    document = _read_json(path, "calibration file")
    _validated(document, CALIBRATION_SCHEMA, path, "calibration file")
    return dict(document)


def load_conformance(path: Path) -> dict[str, Any]:
    """A conformance matrix (initcheck conform --out DIR) from `path`, validated like a results file."""
    document = _read_json(path, "conformance file")
    _validated(document, CONFORMANCE_SCHEMA, path, "conformance file")
    return dict(document)


def load_audit(path: Path) -> dict[str, Any]:
    """An audit document (initcheck audit --out DIR) from `path`, validated like a results file."""
    document = _read_json(path, "audit file")
    _validated(document, AUDIT_SCHEMA, path, "audit file")
    return dict(document)


def load(path: Path, *, claim_ids: list[str]) -> dict[str, Any]:
    """A results document from `path`, validated (module docstring); ResultsError names the file and the fault."""
    label = repr(str(path))
    document = _read_json(path, "results file")
    _validated(document, SCHEMA, path, "results file")
    found = [c["id"] for c in document["claims"]]
    if found != claim_ids:
        unknown = [i for i in found if i not in claim_ids]
        detail = f"unknown claim {unknown[0]!r}" if unknown else f"{len(found)} claims, expected all {len(claim_ids)} of the registry in order"
        raise ResultsError(f"results file {label} does not match the registry: {detail}")
    if document["fingerprint"] != fingerprint(document["inputs"]):
        raise ResultsError(f"results file {label} has been edited: its fingerprint does not match its inputs")
    return document
