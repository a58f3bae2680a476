"""The `initcheck` command: list claims, verify them, build the report.

One parser per command, built from one parent parser for the options they share (seed, tier, MNIST data,
quietness), and one function per command. Exit codes: 0 every check behaves as documented; 1 some check
contradicts its documented verdict; 2 bad usage or bad input (one line on stderr naming the bad value);
130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from initcheck import __version__
from initcheck.outcome import CHECK_KINDS
from initcheck.registry import BY_ID, CATALOGUE_VERSION, CLAIMS, check_kinds
from initcheck.signals import own_handlers, stop_status

DEFAULT_SEED = 20101
MAX_SEED = 2**63 - 1
SEED_PATTERN = re.compile(r"[0-9]+")  # ASCII digits only: int() would also take '1_000' and other scripts' digits


class UsageError(Exception):
    """Bad input from the user: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _workers(text: str) -> int:
    if not SEED_PATTERN.fullmatch(text) or not 1 <= int(text) <= 1024:
        raise argparse.ArgumentTypeError(f"invalid worker count {text!r}: a whole number from 1 to 1024")
    return int(text)


def _count(text: str) -> int:
    if not SEED_PATTERN.fullmatch(text) or not 2 <= int(text) <= 100_000:
        raise argparse.ArgumentTypeError(f"invalid number of seeds {text!r}: a whole number from 2 to 100000")
    return int(text)


def _instances(text: str) -> int:
    if not SEED_PATTERN.fullmatch(text) or not 1 <= int(text) <= 1000:
        raise argparse.ArgumentTypeError(f"invalid number of seeds {text!r}: a whole number from 1 to 1000")
    return int(text)


def _framework_seed(text: str) -> int:
    """A seed the frameworks' own generators take (Keras's set_random_seed refuses 2**32 and above)."""
    if not SEED_PATTERN.fullmatch(text) or int(text) >= 2**32 - 1000:
        raise argparse.ArgumentTypeError(f"invalid seed {text!r}: a whole number from 0 to 2**32-1001 (the frameworks' seeds are 32-bit)")
    return int(text)


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0.01 <= value <= 1:  # also false for NaN
        raise argparse.ArgumentTypeError(f"invalid fraction {text!r}: a number from 0.01 to 1")
    return value


def _seed(text: str) -> int:
    if not SEED_PATTERN.fullmatch(text):
        raise argparse.ArgumentTypeError(f"invalid seed {text!r}: must be a whole number from 0 to 2**63-1")
    value = int(text)
    if value > MAX_SEED:
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
    claims.set_defaults(run=claims_command)

    def checks_parent(default_tier: str) -> _Parser:
        """The options every command that runs checks shares."""
        parent = _Parser(add_help=False)
        parent.add_argument("--seed", type=_seed, help=f"master seed (default {DEFAULT_SEED})")
        parent.add_argument("--tier", choices=("default", "full"), help=f"sizes: default, or full (4x replicates; default {default_tier})")
        parent.add_argument("--mnist", metavar="PATH", help="full MNIST for the reproductions: an .npz (x_train, y_train) or an IDX images file")
        parent.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
        place = parent.add_mutually_exclusive_group()
        place.add_argument("--workers", type=_workers, help="local worker processes (default: every core); the numbers never depend on it")
        place.add_argument("--scheduler", metavar="ADDRESS", help="run the checks on this Dask scheduler (e.g. tcp://host:8786) instead")
        return parent

    verify = commands.add_parser("verify", parents=[checks_parent("default")], help="run the checks and print each claim's verdict")
    verify.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    verify.add_argument("--only", nargs="+", action="extend", metavar="ID", help="check only these claim IDs (may be repeated)")
    verify.add_argument("--output", metavar="FILE", help="also write the JSON document to FILE (written whole, or not at all)")
    verify.set_defaults(run=verify_command)

    calibrate = commands.add_parser(
        "calibrate", parents=[checks_parent("default")], help="every statistical case over many master seeds: is z standard normal, case by case?"
    )
    calibrate.add_argument("--seeds", type=_count, default=40, help="how many master seeds, from --seed on (default 40)")
    calibrate.add_argument("--fraction", type=_fraction, default=1.0, help="sample sizes as a fraction of the tier's (default 1; the slow test uses 0.1)")
    calibrate.add_argument("--json", action="store_true", help="print the calibration record on stdout")
    calibrate.add_argument("--only", nargs="+", action="extend", metavar="ID", help="calibrate only these claims' statistical cases (may be repeated)")
    calibrate.add_argument("--out", metavar="DIR", default="reports/build", help="write DIR/calibration.json, which the report shows (default reports/build)")
    calibrate.set_defaults(run=calibrate_command)

    report = commands.add_parser("report", parents=[checks_parent("default")], help="build report.html and report.pdf (and results.json) from the checks")
    report.add_argument("--out", metavar="DIR", default="reports/build", help="output folder (default reports/build)")
    report.add_argument("--format", type=_formats, default=("html", "pdf"), help="comma-separated: html, pdf (default html,pdf)")
    report.add_argument("--results", metavar="FILE", help="reuse this results JSON (same version); default: DIR/results.json if it matches")
    report.add_argument("--rerun", action="store_true", help="run the checks even if a matching results JSON exists")
    report.set_defaults(run=report_command)

    conform = commands.add_parser("conform", help="run the conformance battery on an initializer (or a framework's whole matrix)")
    conform.add_argument(
        "target", nargs="?",
        help="torch.nn.init.xavier_uniform_, keras.initializers.GlorotNormal, tf_keras.initializers.HeNormal, haiku.initializers.Orthogonal, pkg.module:f or path/file.py:f",
    )
    conform.add_argument("--rule", help="the rule it should follow, e.g. glorot_uniform, kaiming_normal:a=0.2,mode=fan_out, normal:std=0.05")
    conform.add_argument("--layout", help="torch, torch_transposed, keras or keras_transposed (default: the framework's; keras for a user callable)")
    conform.add_argument(
        "--dtype", choices=("float32", "float64", "bfloat16", "float16"),
        help="the dtype to draw and judge (default: float32 for a framework's initializer; a file's function is judged in the dtype it returns)",
    )  # fmt: skip
    conform.add_argument("--framework", choices=("torch", "tensorflow", "jax", "keras", "flax", "haiku", "equinox", "all"), help="run the whole matrix of a framework instead of one TARGET")
    conform.add_argument("--tier", choices=("quick", "default"), default="default", help="quick: 3%% variance errors; default: 1%%, 0.5%% in 16-bit dtypes (power 0.999)")
    conform.add_argument(
        "--dtypes", choices=("listed", "all"), default="all",
        help="with --framework: all, every float dtype of every entry (default); listed, each entry's own (the main job's)",
    )  # fmt: skip
    conform.add_argument("--seed", type=_seed, default=0, help="seed of the battery's generator (default 0)")
    conform.add_argument("--json", action="store_true", help="print the record(s) as one JSON document")
    conform.add_argument("--out", metavar="DIR", help="also write DIR/conformance.json (all or nothing), which `initcheck report --out DIR` shows")
    conform.add_argument("--quiet", action="store_true", help="no progress bar on stderr for the matrix")
    conform.add_argument(
        "--repro", metavar="FILE",
        help="if TARGET fails, write FILE: a standalone script (the framework, NumPy and SciPy only) that draws the same tensors, "
        "prints each failing statistic with its expected value, SE and z, and exits 1 while the discrepancy is there, 0 once fixed",
    )  # fmt: skip
    conform.set_defaults(run=conform_command)

    audit = commands.add_parser("audit", help="which initialization a model has, parameter by parameter, and its signal through depth at init")
    audit.add_argument("model", nargs="?", help="transformers:BertModel, keras.applications:ResNet50, path/file.py:make_model or pkg.module:make_model")
    audit.add_argument("--suite", action="store_true", help="audit the report's real models (BERT, GPT-2, ResNet, ViT in transformers; Keras ResNet50) instead of MODEL")
    audit.add_argument("--config", default="", help="key=value,… for the model's config (transformers) or constructor, e.g. hidden_size=128,num_hidden_layers=2")
    audit.add_argument("--expect", help="what the model should have: SELECTOR=RULE;… e.g. 'Linear.weight=normal:std=0.02; Linear.bias=zeros; *.c_proj.weight=normal:std=0.01'")
    audit.add_argument("--seeds", type=_instances, default=1, help="re-instantiations pooled per parameter, 1 to 1000 (default 1)")
    audit.add_argument("--seed", type=_framework_seed, default=0, help="the first seed (frameworks' own generators, seeded explicitly; default 0)")
    audit.add_argument("--input-shape", help="a torch model's probe input shape, e.g. 8,256 (transformers models get theirs from the config)")
    audit.add_argument("--json", action="store_true", help="print the record(s) as one JSON document")
    audit.add_argument("--out", metavar="DIR", help="also write DIR/audit.json (all or nothing), which `initcheck report --out DIR` shows")
    audit.set_defaults(run=audit_command)

    findings = commands.add_parser("findings", help="the README's list of conformance findings, from a recorded matrix (conformance.json)")
    findings.add_argument("file", nargs="?", default="reports/build/conformance.json", help="the matrix file (default reports/build/conformance.json)")
    findings.set_defaults(run=findings_command)
    return parser


def _print_conformance(record: dict[str, Any]) -> None:
    from initcheck.conformance import shown  # loaded already: conform_command imported the adapters

    target = record["target"] + (f" ({record['backend']} backend)" if record.get("backend") else "")
    if record["status"] in ("not installed", "error", "refused"):
        dtype = f" [{record['dtype']}]" if record.get("dtype") else ""
        print(f"{record['status']:13} {target}{dtype}  {record.get('reason', '')}")
        return
    line = f"{record['status']:13} {target}  {record['rule']} [{record['layout']}, {record['dtype']}]  {record['seconds']:.1f} s"
    line += f" (drawing {record['draw_seconds']:.1f} s)" if "draw_seconds" in record else ""
    print(line)
    for test in record["tests"]:
        if not test["passed"]:
            z = f" z = {test['z']:.3g} (critical {test['critical']:.3g})" if test["z"] is not None else ""
            print(f"    {test['statistic']} on {test['probe']}: expected {shown(test['expected'], 10)}, measured {shown(test['measured'], 10)}{z}, n = {test['n']} {test['n_unit']}")


def conform_command(args: argparse.Namespace) -> int:
    """One target against one rule, or a framework's matrix; exit 0 all pass, 1 any fails, 2 bad usage or a broken callable."""
    from initcheck import conformance  # imported here: the other commands never load the framework adapters

    if (args.framework is None) == (args.target is None):
        raise UsageError("conform needs either TARGET (with --rule) or --framework, not both")
    if args.repro is not None and args.framework:
        raise UsageError("--repro writes the script of one TARGET's failing record; it does not take --framework")
    out = Path(args.out) if args.out is not None else None
    if out is not None:
        _creatable_folder(out)  # before any drawing
    if args.repro is not None:
        if Path(args.repro).is_dir():
            raise UsageError(f"--repro {args.repro!r} is a folder: name the script's file")
        _creatable_folder(Path(args.repro).resolve().parent)
    try:
        if args.framework:
            bar = None if args.quiet or args.json else _ProgressBar(unit="initializer")
            try:
                records = conformance.run_matrix(args.framework, seed=args.seed, tier=args.tier, progress=bar, dtypes=args.dtypes)
            finally:
                if bar is not None:
                    bar.close()
            document: dict[str, Any] = {"initcheck_version": __version__, "seed": args.seed, "tier": args.tier, "dtypes": args.dtypes, "records": records}
        else:
            if not args.rule:
                raise UsageError("conform TARGET needs --rule (e.g. --rule glorot_uniform)")
            records = [conformance.conform(args.target, args.rule, layout=args.layout, dtype=args.dtype, seed=args.seed, tier=args.tier)]
            document = {"initcheck_version": __version__, **records[0]}
    except conformance.NotInstalled as error:
        raise UsageError(str(error)) from None
    except conformance.ConformanceError as error:
        raise UsageError(str(error)) from None
    if out is not None:  # the file always holds the matrix form, one record or many; each failure's script beside it
        from initcheck.conformance.repro import matrix_scripts

        scripts = matrix_scripts(records, seed=args.seed) if args.framework else {}
        matrix = {"initcheck_version": __version__, "seed": args.seed, "tier": args.tier, "dtypes": args.dtypes if args.framework else None, "records": records}
        _write_into(out, {"conformance.json": (json.dumps(conformance.jsonable(matrix), indent=1, allow_nan=False) + "\n").encode(), **scripts})
    if args.json:
        print(json.dumps(conformance.jsonable(document), indent=1, allow_nan=False))
    else:
        for record in records:
            _print_conformance(record)
    if args.repro is not None:
        _write_repro(records[0], Path(args.repro), seed=args.seed)
    return 1 if any(r["status"] == "fail" for r in records) else 0


def _config_value(text: str) -> Any:
    """A --config value: JSON where it parses (numbers, true/false, lists), else the text."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _config(text: str) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for item in filter(None, (part.strip() for part in re.split(r",(?![^\[]*\])", text))):
        key, equals, value = item.partition("=")
        if not equals or not key.strip().isidentifier():
            raise UsageError(f"--config takes key=value,…; got {item!r}")
        config[key.strip()] = _config_value(value.strip())
    return config


def _input_shape(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    try:
        shape = tuple(int(part) for part in text.split(","))
    except ValueError:
        shape = ()
    if not shape or min(shape) < 1:
        raise UsageError(f"--input-shape takes positive integers separated by commas, e.g. 8,256; got {text!r}")
    return shape


def _print_audit(record: dict[str, Any]) -> None:
    if record["status"] in ("not installed", "error"):
        print(f"{record['status']:13} {record['model']}  {record['reason']}")
        return
    print(f"{record['status']:13} {record['model']}  ({record['framework_version']}; seeds {record['seeds']}; per-test α {record['per_test_alpha']:.2g})")
    for entry in record["parameters"]:
        verdict = entry["expected_verdict"]
        mark = "" if verdict is None else {True: "  ✓ ", False: "  ✗ ", None: "  ? "}[verdict["consistent"]] + entry["expected"]
        mark += f" ({verdict['reason']})" if verdict is not None and verdict["consistent"] is None else ""
        found = ", ".join(entry["consistent_with"]) or "no candidate rule"
        print(f"    {entry['name']} {tuple(entry['shape'])}: {found}{mark}")
    propagation = record["propagation"]
    if propagation["status"] != "measured":
        print(f"    propagation not measured: {propagation['reason']}")
    else:
        print(f"    propagation ({propagation['probe']}): measured / predicted second moment, forward and backward")
        for layer in propagation["layers"]:
            parts = [
                f"{d} not measured" if "ratio" not in layer[d] else f"{d} {layer[d]['ratio']:.3f} " + (f"(z {layer[d]['z']:+.1f})" if layer[d]["judged"] else "(not judged)")
                for d in ("forward", "backward")
            ]
            print(f"      {layer['index']:3d} {layer['name']}: {', '.join(parts)}")
    for finding in record["findings"]:
        print(f"    FINDING {finding['parameter']} ({finding['kind']}): expected {finding['expected']}; {finding['reason']}")


def audit_command(args: argparse.Namespace) -> int:
    """Audit one model or the suite; exit 0 no finding, 1 a finding, 2 bad usage (a model that cannot be built, a bad expectation)."""
    from initcheck import audit
    from initcheck.conformance import jsonable

    if args.suite == (args.model is not None):
        raise UsageError("audit needs either MODEL or --suite, not both")
    out = Path(args.out) if args.out is not None else None
    if out is not None:
        _creatable_folder(out)
    try:
        if args.suite:
            if args.config or args.expect or args.input_shape:
                raise UsageError("--suite audits each model with its own config and documented init; it takes no --config, --expect or --input-shape")
            bar = None if args.json else _ProgressBar(unit="model")
            try:
                records = audit.run_suite(seed=args.seed, seeds=args.seeds, progress=bar)
            finally:
                if bar is not None:
                    bar.close()
        else:
            records = [audit.audit(args.model, config=_config(args.config), seeds=args.seeds, expect=args.expect, seed=args.seed,
                                   input_shape=_input_shape(args.input_shape))]  # fmt: skip
    except (audit.ModelError, audit.ExpectationError) as error:
        raise UsageError(str(error)) from None
    document = {"initcheck_version": __version__, "seed": args.seed, "seeds": args.seeds, "suite": args.suite, "records": records}
    if out is not None:
        _write_into(out, {"audit.json": (json.dumps(jsonable(document), indent=1, allow_nan=False) + "\n").encode()})
    if args.json:
        print(json.dumps(jsonable(document), indent=1, allow_nan=False))
    else:
        for record in records:
            _print_audit(record)
    return 1 if any(r["status"] == "fail" for r in records) else 0


def _write_repro(record: dict[str, Any], path: Path, *, seed: int) -> None:
    """--repro: the failing record's script at `path` (atomically), or a line on stderr saying why none was written."""
    from initcheck.conformance import repro

    try:
        text = repro.script(record, seed=seed)
    except repro.ReproError as error:
        print(f"initcheck: no script written to {path}: {error}", file=sys.stderr)
        return
    repro.write(path, text)
    print(f"initcheck: wrote {path}: run it with python to see the discrepancy (exit 1 while it is there, 0 once fixed)", file=sys.stderr)


def _mnist_path(path: str | None) -> str | None:
    """A user-supplied MNIST set, loaded and validated before any check runs; its absolute path for the reproductions."""
    if path is None:
        return None
    from initcheck.sims.mnist import MIN_IMAGES, MnistDataError, load

    try:
        load(path, min_images=MIN_IMAGES)
    except MnistDataError as error:
        raise UsageError(str(error)) from None
    return str(Path(path).resolve())


def _checked_environment_variables() -> None:
    """An unknown HYPOTHESIS_PROFILE or a bad INITCHECK_THREADS is the user's mistake (exit 2), not a failed check."""
    from initcheck.properties import profile_name
    from initcheck.sims.parallel import threads

    try:
        profile_name()
        threads()
    except ValueError as error:
        raise UsageError(str(error)) from None


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
    """The output path, checked before any check runs: a regular file (or none yet) in a writable folder."""
    if not path_text.strip():
        raise UsageError("output file name is empty")
    path = Path(path_text)
    if path_text.endswith(("/", os.sep)) or path.is_dir():
        raise UsageError(f"output {path_text!r} is a directory, not a file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"output folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"output folder {str(folder)!r} is not writable")
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise UsageError(f"output {path_text!r} is not a regular file (a link, device or pipe is never replaced)")
    return path


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
        json.dump({"initcheck_version": __version__, "catalogue": CATALOGUE_VERSION, "claims": records}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    for r in records:
        print(f"{r['id']:<22} {r['family']:<5} {', '.join(r['checks']) or 'no checks yet':<12} {r['statement']}")


def _print_table(document: dict, timings: dict[str, Any]) -> None:
    marks = {True: "ok", False: "FAIL", None: "-"}
    header = f"{'claim':<22} {'verdict':<23} " + " ".join(f"{k[:4]:<5}" for k in CHECK_KINDS) + " as documented"
    print(header)
    print("-" * len(header))
    for claim in document["claims"]:
        cells = " ".join(f"{marks[c['passed']]:<5}" for c in claim["checks"])
        if not claim["consistent"]:
            as_documented = "NO (documented: " + claim["documented_verdict"] + ")"
        elif claim["verdict"] != claim["documented_verdict"]:  # its checks could not run here (a framework not installed)
            as_documented = "not run here (documented: " + claim["documented_verdict"] + ")"
        else:
            as_documented = "yes"
        print(f"{claim['id']:<22} {claim['verdict']:<23} {cells} {as_documented}")
    counts: dict[str, int] = {}
    for claim in document["claims"]:
        counts[claim["verdict"]] = counts.get(claim["verdict"], 0) + 1
    print("\n" + ", ".join(f"{n} {v}" for v, n in sorted(counts.items())) + f"; {timings['total']} s, seed {document['seed']}")
    failures = [c["id"] for c in document["claims"] if not c["consistent"]]
    not_run = [c["id"] for c in document["claims"] if c["consistent"] and c["verdict"] != c["documented_verdict"]]
    aside = f" ({len(not_run)} not run here: their frameworks are not installed)" if not_run else ""
    print("every check behaves as documented" + aside if not failures else "NOT as documented: " + ", ".join(failures))


def _seed_or_default(seed: int | None) -> int:
    return DEFAULT_SEED if seed is None else seed


def findings_command(args: argparse.Namespace) -> int:
    """Markdown: each initializer that fails, per dtype, with its statistics' z and n (initcheck.conformance.findings)."""
    from initcheck.conformance.findings import findings_markdown
    from initcheck.results import ResultsError, load_conformance

    try:
        document = load_conformance(Path(args.file))
    except ResultsError as error:
        raise UsageError(str(error)) from None
    sys.stdout.write(findings_markdown(document))
    return 0


def claims_command(args: argparse.Namespace) -> int:
    _print_claims(args.json, args.markdown)
    return 0


class _ProgressBar:
    """A tqdm bar on stderr (elapsed time, rate, time left), opened at the first finished unit, labelled with it."""

    def __init__(self, unit: str = "check") -> None:
        self.bar: Any = None
        self.unit = unit

    def __call__(self, label: str, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=self.unit, file=sys.stderr, dynamic_ncols=True, mininterval=0.5)
        self.bar.set_postfix_str(label, refresh=False)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@contextlib.contextmanager
def _execution(quiet: bool) -> Iterator[_ProgressBar | None]:
    """A progress bar (unless --quiet) for work on workers or a cluster; execution faults become one-line errors (exit 2)."""
    from initcheck.execution import ExecutionError

    bar = None if quiet else _ProgressBar()
    try:
        yield bar
    except ExecutionError as error:
        raise UsageError(str(error)) from None
    finally:
        if bar is not None:
            bar.close()


def _run_checks(args: argparse.Namespace, claims: list, *, seed: int, tier: str, mnist: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """verify() on the workers or scheduler asked for."""
    from initcheck.execution import default_workers
    from initcheck.sims.mnist import MnistDataError
    from initcheck.verify import verify  # imports SymPy: only when checks run

    with _execution(args.quiet) as bar:
        workers = args.workers or default_workers()
        try:
            return verify(claims, seed=seed, tier=tier, mnist=mnist, workers=workers, scheduler=args.scheduler, progress=bar)
        except MnistDataError as error:  # the data a reproduction needs is missing: the environment's fault, not a claim's
            raise UsageError(str(error)) from None


def _write_into(out: Path, contents: dict[str, bytes]) -> dict[str, Path]:
    """The files into `out` (created if missing), all or nothing; on failure no folder we created is left behind."""
    from initcheck.output import OutputError, write_all

    created = _missing_folders(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        return write_all(out, contents)
    except (OSError, OutputError) as error:
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise UsageError(str(error)) from None


def verify_command(args: argparse.Namespace) -> int:
    selected = _selected(args.only)
    output = _writable(args.output) if args.output is not None else None
    mnist = _mnist_path(args.mnist)
    _checked_environment_variables()
    seed, tier = _seed_or_default(args.seed), args.tier or "default"
    document, timings = _run_checks(args, selected, seed=seed, tier=tier, mnist=mnist)
    text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if output is not None:
        from initcheck.output import OutputError, write_file

        try:
            write_file(output, text.encode())
        except OutputError as error:
            raise UsageError(str(error)) from None
    if args.json:
        sys.stdout.write(text)
    else:
        _print_table(document, timings)
    return 0 if document["consistent"] else 1


def calibrate_command(args: argparse.Namespace) -> int:
    """Every statistical case over --seeds master seeds; calibration.json in --out; exit 1 if a case is off (module calibration)."""
    from initcheck.calibration import calibrate, statistical_cases, verdict
    from initcheck.execution import default_workers
    from initcheck.verify import TIERS

    out = Path(args.out)
    _creatable_folder(out)
    if args.mnist is not None:
        raise UsageError("--mnist has no effect on calibrate: the statistical cases use no MNIST data")
    first = _seed_or_default(args.seed) if args.seed is not None else 0
    tier = args.tier or "default"
    only = [claim.id for claim in _selected(args.only)] if args.only else None
    if only is not None and not statistical_cases(only):
        raise UsageError(f"no statistical case to calibrate: {', '.join(only)} ha{'s' if len(only) == 1 else 've'} none (exact or no simulation cases)")
    with _execution(args.quiet) as bar:
        workers = args.workers or default_workers()
        record = calibrate(
            range(first, first + args.seeds), scale=TIERS[tier] * args.fraction, workers=workers, scheduler=args.scheduler, progress=bar, only=only
        )
    record = {"initcheck_version": __version__, "tier": tier, "fraction": args.fraction, **({"only": only} if only else {}), **record, **verdict(record)}
    text = json.dumps(record, indent=2, allow_nan=False) + "\n"
    _write_into(out, {"calibration.json": text.encode()})
    if args.json:
        sys.stdout.write(text)
    else:
        print(f"{record['z_scores']} z-scores ({len(record['cases'])} cases x {record['seeds']} seeds, {tier} tier x {args.fraction})")
        print(f"pooled: mean {record['mean_z']:.3f}, sd {record['sd_z']:.3f}, KS p = {record['ks_pvalue']:.3g}")
        print(f"|z| > {record['z_critical']}: {record['failures']} (designed rate {record['designed_false_failure_rate']:.2g}, p = {record['failure_pvalue']:.3g})")
        for failed in record["failed"]:
            print(f"  {failed['case']}, master seed {failed['seed']}: z = {failed['z']:.2f}")
        print(f"coverage of |z| <= 1.96: {record['coverage_95']:.4f} (nominal 0.95, p = {record['coverage_pvalue']:.3g})")
        for name, case in record["cases"].items():
            flag = "  OFF" if name in record["cases_off"] else ""
            print(f"  {name[:70]:<70} mean z {case['mean_z']:+.3f} (p {case['mean_pvalue']:.2g})  sd {case['sd_z']:.3f} (p {case['sd_pvalue']:.2g}){flag}")
        print("calibrated: every case within its family-wise threshold" if record["calibrated"] else "NOT calibrated: " + ", ".join(record["cases_off"]))
        print(out / "calibration.json")
    return 0 if record["calibrated"] else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; bad usage is one line on stderr and exit 2, Ctrl-C one line and exit 130, never a traceback."""
    if sys.stdout.encoding and sys.stdout.encoding.lower().replace("-", "") not in ("utf8", "utf16", "utf32"):
        sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]  # a non-UTF-8 terminal gets escapes, not a crash
    try:
        with own_handlers():
            args = build_parser().parse_args(argv)
            code: int = args.run(args)
            sys.stdout.flush()
            return code
    except UsageError as error:
        print(f"initcheck: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as stop:  # Ctrl-C or SIGTERM
        return stop_status(stop)
    except BrokenPipeError:  # `initcheck claims --json | head -1`: the reader left; say nothing more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report_command(args: argparse.Namespace) -> int:
    """Checks (or a recorded results file whose fingerprint matches), then the report's files, written all or nothing."""
    from initcheck.results import ResultsError, load, load_audit, load_calibration, load_conformance

    out = Path(args.out)
    _creatable_folder(out)  # fail before minutes of checks, not after; nothing is created yet
    try:  # `initcheck calibrate --out DIR` and `initcheck conform --out DIR` leave their records beside the results; the report shows them
        calibration = load_calibration(out / "calibration.json") if (out / "calibration.json").exists() else None
        conformance = load_conformance(out / "conformance.json") if (out / "conformance.json").exists() else None
        audit = load_audit(out / "audit.json") if (out / "audit.json").exists() else None
    except ResultsError as error:
        raise UsageError(str(error)) from None
    if args.results is not None:
        given = [flag for flag, value in (("--seed", args.seed), ("--tier", args.tier), ("--mnist", args.mnist)) if value is not None]
        if args.rerun:
            given.append("--rerun")
        if given:
            raise UsageError(f"--results {args.results!r} fixes the seed, tier and data the report shows; drop {given[0]}")
        try:
            results = load(Path(args.results), claim_ids=[c.id for c in CLAIMS])
        except ResultsError as error:
            raise UsageError(str(error)) from None
        if results["initcheck_version"] != __version__:
            raise UsageError(f"results file {args.results!r} is from initcheck {results['initcheck_version']!r}, not {__version__}")
        timings: dict[str, Any] = {}
    else:
        seed, tier = _seed_or_default(args.seed), args.tier or "default"
        mnist = _mnist_path(args.mnist)
        _checked_environment_variables()
        results, timings = _reusable_or_run(args, out / "results.json", seed=seed, tier=tier, mnist=mnist)
    from initcheck.reports.build import render_report

    progress = None if args.quiet else _progress
    contents = render_report(results, formats=args.format, timings=timings or None, calibration=calibration, conformance=conformance, audit=audit, out_label=args.out, progress=progress)
    written = _write_into(out, contents)
    for path in written.values():
        print(path)
    return 0 if results["consistent"] else 1


def _reusable_or_run(args: argparse.Namespace, path: Path, *, seed: int, tier: str, mnist: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The recorded results at `path` when their fingerprint is this run's, else a new run (timings empty when reused)."""
    from initcheck.results import ResultsError, load
    from initcheck.sims.mnist import MnistDataError
    from initcheck.verify import run_inputs

    rerun, quiet = args.rerun, args.quiet
    if not rerun and path.exists():
        try:
            recorded = load(path, claim_ids=[c.id for c in CLAIMS])
        except ResultsError as error:
            recorded = None
            if not quiet:
                _progress(f"not reusing: {error}")
        if recorded is not None:
            from initcheck.results import fingerprint

            try:
                expected = fingerprint(run_inputs(list(CLAIMS), seed=seed, tier=tier, mnist=mnist))
            except MnistDataError as error:
                raise UsageError(str(error)) from None
            if recorded["fingerprint"] == expected:
                if not quiet:
                    _progress(f"reusing {path} (same inputs: version, seed, tier, data, profile; --rerun to run the checks again)")
                return recorded, {}
            if not quiet:
                _progress(f"not reusing {path}: it was made from other inputs (version, seed, tier, data or profile)")
    return _run_checks(args, list(CLAIMS), seed=seed, tier=tier, mnist=mnist)


def _missing_folders(folder: Path) -> list[Path]:
    """The folders from the first missing ancestor of `folder` down to it (what mkdir(parents=True) would create).

    A link, even a dangling one, is never missing: it is the ancestor that exists (and is judged as such)."""
    missing = []
    while not folder.exists() and not folder.is_symlink() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    return list(reversed(missing))


def _creatable_folder(folder: Path) -> None:
    """The output folder exists and is writable, or could be created in a writable folder; nothing is created now."""
    missing = _missing_folders(folder)
    existing = missing[0].parent if missing else folder
    if not existing.is_dir():
        raise UsageError(f"output {str(existing)!r} is not a folder" + (f" (needed for {str(folder)!r})" if existing != folder else ""))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"output folder {str(existing)!r} is not writable")


if __name__ == "__main__":
    sys.exit(main())
