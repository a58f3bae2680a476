"""The `initcheck` command: list claims, verify them, build the report.

Exit codes: 0 every check behaves as documented; 1 some check contradicts its
documented verdict; 2 bad usage (one line on stderr naming the bad value).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from initcheck import __version__
from initcheck.outcome import CHECK_KINDS
from initcheck.registry import BY_ID, CLAIMS, check_kinds

DEFAULT_SEED = 20101
MAX_SEED = 2**63 - 1


class UsageError(Exception):
    """Bad input from the user: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _seed(text: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid seed {text!r}: must be a whole number from 0 to 2**63-1") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"invalid seed {text!r}: must be a whole number from 0 to 2**63-1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="initcheck", description="Executable checks of published claims about weight initialization.")
    parser.add_argument("--version", action="version", version=f"initcheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    claims = commands.add_parser("claims", help="list every claim with its source and which checks exist")
    output = claims.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="machine-readable list")
    output.add_argument("--markdown", action="store_true", help="the README's claim table")
    verify = commands.add_parser("verify", help="run the checks and print each claim's verdict")
    verify.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    verify.add_argument("--only", nargs="+", metavar="ID", help="check only these claim IDs")
    verify.add_argument("--seed", type=_seed, default=DEFAULT_SEED, help=f"master seed for simulations (default {DEFAULT_SEED})")
    verify.add_argument("--tier", choices=("default", "full"), default="default", help="simulation sizes: default, or full (4x replicates)")
    verify.add_argument("--output", metavar="FILE", help="also write the JSON document to FILE (written whole, or not at all)")
    verify.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    verify.add_argument("--mnist", metavar="PATH", help="full MNIST for the reproductions: an .npz (x_train, y_train) or an IDX images file")
    report = commands.add_parser("report", help="build report.html and report.pdf (and results.json) from the checks")
    report.add_argument("--out", metavar="DIR", default="reports/build", help="output folder (default reports/build)")
    report.add_argument("--format", type=_formats, default=("html", "pdf"), help="comma-separated: html, pdf (default html,pdf)")
    report.add_argument("--seed", type=_seed, default=DEFAULT_SEED, help=f"master seed (default {DEFAULT_SEED})")
    report.add_argument("--tier", choices=("default", "full"), default="full", help="simulation and reproduction sizes (default: full, 4x replicates)")
    report.add_argument("--results", metavar="FILE", help="reuse this results JSON (same version); default: DIR/results.json if it matches")
    report.add_argument("--rerun", action="store_true", help="run the checks even if a matching results JSON exists")
    report.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    report.add_argument("--mnist", metavar="PATH", help="full MNIST for the reproductions (see verify --mnist)")
    return parser


def _use_mnist(path: str | None) -> None:
    """Check a user-supplied MNIST set before any check runs, then hand it to the reproductions (INITCHECK_MNIST)."""
    if path is None:
        return
    from initcheck.sims.mnist import MnistDataError, load

    try:
        load(path)
    except MnistDataError as error:
        raise UsageError(str(error)) from None
    os.environ["INITCHECK_MNIST"] = str(Path(path).resolve())


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    bad = [f for f in chosen if f not in ("html", "pdf")]
    if bad or not chosen:
        raise argparse.ArgumentTypeError(f"invalid format {(bad or [text])[0]!r}: use html, pdf or html,pdf")
    return chosen


def _selected(ids: Sequence[str] | None) -> list:
    if not ids:
        return list(CLAIMS)
    unknown = [i for i in ids if i not in BY_ID]
    if unknown:
        hint = difflib.get_close_matches(unknown[0], BY_ID, n=1)
        raise UsageError(
            f"unknown claim ID {unknown[0]!r}" + (f" (did you mean {hint[0]}?)" if hint else "") + "; 'initcheck claims' lists them"
        )
    return [BY_ID[i] for i in dict.fromkeys(ids)]


def _writable(path_text: str) -> Path:
    """The output path, checked before any check runs: its folder must exist and be writable."""
    path = Path(path_text)
    if path.is_dir():
        raise UsageError(f"output {path_text!r} is a directory, not a file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"output folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"output folder {str(folder)!r} is not writable")
    return path


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a file."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False) as handle:
        handle.write(text)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(handle.name, 0o666 & ~umask)  # a temporary file is private (0600); the result is an ordinary file
    os.replace(handle.name, path)


def claims_markdown() -> str:
    """The claim table the README embeds (a test keeps them equal)."""
    rows = ["| ID | claim | source | checks | documented verdict |", "|---|---|---|---|---|"]
    for claim in CLAIMS:
        kinds = ", ".join(check_kinds(claim)) or "none yet"
        statement = claim.statement.replace("|", r"\|")
        rows.append(f"| {claim.id} | {statement} | {claim.source} | {kinds} | {claim.documented_verdict} |")
    return "\n".join(rows) + "\n"


def _print_claims(as_json: bool, as_markdown: bool) -> None:
    if as_markdown:
        sys.stdout.write(claims_markdown())
        return
    records = [
        {
            "id": c.id,
            "family": c.family,
            "statement": c.statement,
            "source": c.source,
            "hypotheses": list(c.hypotheses),
            "documented_verdict": c.documented_verdict,
            "checks": check_kinds(c),
            "links": c.links(),
        }
        for c in CLAIMS
    ]
    if as_json:
        json.dump({"initcheck_version": __version__, "claims": records}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    for r in records:
        print(f"{r['id']:<22} {r['family']:<5} {', '.join(r['checks']) or 'no checks yet':<12} {r['statement']}")


def _print_table(document: dict) -> None:
    marks = {True: "ok", False: "FAIL", None: "-"}
    header = f"{'claim':<22} {'verdict':<23} " + " ".join(f"{k[:4]:<5}" for k in CHECK_KINDS) + " as documented"
    print(header)
    print("-" * len(header))
    for claim in document["claims"]:
        cells = " ".join(f"{marks[c['passed']]:<5}" for c in claim["checks"])
        print(
            f"{claim['id']:<22} {claim['verdict']:<23} {cells} {'yes' if claim['consistent'] else 'NO (documented: ' + claim['documented_verdict'] + ')'}"
        )
    counts: dict[str, int] = {}
    for claim in document["claims"]:
        counts[claim["verdict"]] = counts.get(claim["verdict"], 0) + 1
    print("\n" + ", ".join(f"{n} {v}" for v, n in sorted(counts.items())) + f"; {document['seconds']} s, seed {document['seed']}")
    failures = [c["id"] for c in document["claims"] if not c["consistent"]]
    print("every check behaves as documented" if not failures else "NOT as documented: " + ", ".join(failures))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "claims":
            _print_claims(args.json, args.markdown)
            return 0
        _use_mnist(args.mnist)
        if args.command == "report":
            return _report(args)  # raises UsageError for bad paths and results files
        selected = _selected(args.only)
        output = _writable(args.output) if args.output else None
    except UsageError as error:
        print(f"initcheck: error: {error}", file=sys.stderr)
        return 2
    from initcheck.verify import verify  # imports SymPy: only when checks run

    def progress(index: int, total: int, claim_id: str) -> None:
        print(f"[{index}/{total}] {claim_id}", file=sys.stderr, flush=True)

    document = verify(selected, seed=args.seed, tier=args.tier, progress=None if args.quiet else progress)
    if output is not None:
        _write_atomically(output, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    if args.json:
        json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _print_table(document)
    return 0 if document["consistent"] else 1


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _report(args: argparse.Namespace) -> int:
    from initcheck.reports.build import ReportError, build, prepare_output, reusable

    out = Path(args.out)
    try:
        prepare_output(out)  # fail before minutes of checks, not after
    except ReportError as error:
        raise UsageError(str(error)) from None
    results = None
    if args.results:
        source = Path(args.results)
        if not source.is_file():
            raise UsageError(f"results file {args.results!r} does not exist")
        try:
            results = json.loads(source.read_text(encoding="utf-8"))
        except ValueError as error:
            raise UsageError(f"results file {args.results!r} is not JSON: {error}") from None
        if results.get("initcheck_version") != __version__ or "claims" not in results:
            raise UsageError(f"results file {args.results!r} is from initcheck {results.get('initcheck_version')!r}, not {__version__}")
    elif not args.rerun:
        results = reusable(out / "results.json", version=__version__, seed=args.seed, tier=args.tier)
        if results is not None and not args.quiet:
            _progress(f"reusing {out / 'results.json'} (same version, seed and tier; --rerun to run the checks again)")
    if results is None:
        from initcheck.verify import verify

        def progress(index: int, total: int, claim_id: str) -> None:
            _progress(f"[{index}/{total}] {claim_id}")

        results = verify(CLAIMS, seed=args.seed, tier=args.tier, progress=None if args.quiet else progress)
    try:
        written = build(results, out, formats=args.format, progress=None if args.quiet else _progress)
    except ReportError as error:
        raise UsageError(str(error)) from None
    for path in written.values():
        print(path)
    return 0 if results["consistent"] else 1


if __name__ == "__main__":
    sys.exit(main())
