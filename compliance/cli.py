"""The command line (DESIGN.md "Command line"): statuses, summaries and overdue lists.

``status``, ``summary`` and ``overdue`` read a roster, completion exports, a requirements
file and optionally exemptions, and write CSV or XLSX; ``check`` prints one file's load
report. Store commands live in :mod:`compliance.store_cli` and plug in through its
``register(subparsers)`` when that module is present: each store subparser sets
``handler`` (``args -> exit code``) with ``set_defaults``, as the commands here do.

Exit codes: 0 success, 1 unusable input (one line on stderr naming file, row and
column), 2 usage error. Typed errors become that one line in :func:`main` and nowhere
else, so no traceback ever reaches the user.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from compliance.engine import LEADING_COLUMNS, compute_status
from compliance.errors import UnusableInput, UsageError, UserError
from compliance.export import to_csv_bytes, write_table
from compliance.matching import match_completions
from compliance.rules import Rules, load_rules
from compliance.summary import overdue_list, summary_by_unit
from loaders import FIELDS, IGNORE, KINDS, LoadResult, load
from loaders.report import format_problem

PROG = "python -m compliance"
STORE_CLI = "compliance.store_cli"
OUTPUT_FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
OVERDUE_COLUMNS: tuple[str, ...] = (*LEADING_COLUMNS, "role", "email", "manager")
SHEET_NAMES = {"status": "Status", "summary": "Summary", "overdue": "Overdue"}
SHOWN_PROBLEMS = 3
SHOWN_UNMATCHED = 3


@dataclass
class Inputs:
    """Everything a status computation needs, read from files or from the store."""

    roster: pd.DataFrame
    completions: pd.DataFrame
    exemptions: pd.DataFrame | None
    rules: Rules


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code (tests call this in-process)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 2
    try:
        return args.handler(args)
    except UsageError as error:
        print(f"{PROG} {args.command}: error: {error}", file=sys.stderr)
        return 2
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"error: {where}cannot read or write the file ({error.strerror})", file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    """All subcommands; the store's are added when :mod:`compliance.store_cli` exists."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="Training compliance: statuses, summaries, overdue lists."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help_text in (
        ("status", "one row per in-scope (person, requirement) with its status"),
        ("summary", "status counts and compliance rate by unit"),
        ("overdue", "overdue rows with role, email and manager, most overdue first"),
    ):
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        _add_input_arguments(sub)
        if name == "summary":
            sub.add_argument(
                "--level", type=_positive_int, default=1, metavar="N",
                help="unit level to summarise at (1 = top level; default 1)",
            )
        sub.add_argument(
            "--out", required=True, metavar="OUT",
            help="output file ending in .csv or .xlsx, or - for CSV on standard output",
        )
        sub.set_defaults(handler=run_table_command)
    check = subparsers.add_parser(
        "check", help="print the load report of one file",
        description="Print the load report of one file; exit 0 if usable, 1 if not.",
    )
    check.add_argument("--kind", required=True, choices=KINDS)
    check.add_argument("file", metavar="FILE")
    check.add_argument(
        "--requirements", metavar="Q",
        help="requirements file, to name unknown courses and per-course files",
    )
    _add_reading_options(check)
    check.set_defaults(handler=run_check)
    if _store_cli_available():
        importlib.import_module(STORE_CLI).register(subparsers)
    return parser


def _add_input_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--roster", metavar="R", help="staff roster (xlsx, xls, ods, csv)")
    sub.add_argument(
        "--completions", nargs="+", metavar="C", help="one or more completion exports"
    )
    sub.add_argument("--requirements", metavar="Q", help="requirements YAML file")
    sub.add_argument("--exemptions", metavar="E", help="exemptions file")
    sub.add_argument(
        "--as-of", type=_iso_date, default=None, metavar="YYYY-MM-DD",
        help="date the statuses are for (default: today)",
    )
    sub.add_argument(
        "--db", metavar="URL",
        help="store to read when --roster and --completions are not given",
    )
    _add_reading_options(sub)


def _add_reading_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--month-first", action="store_true",
        help="read numeric text dates month first (default: day first)",
    )
    sub.add_argument(
        "--map", action="append", default=[], metavar="HEADER=FIELD",
        help="use the column HEADER as FIELD (repeatable), e.g. --map 'Staff Ref=person_id'",
    )
    sub.add_argument(
        "--course", metavar="TITLE",
        help="course of a per-course completions file that names none",
    )


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD") from None


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of 1 or more")
    return int(text)


def _store_cli_available() -> bool:
    return importlib.util.find_spec(STORE_CLI) is not None


def run_table_command(args: argparse.Namespace) -> int:
    """``status``, ``summary`` or ``overdue``: compute the statuses and write the table."""
    fmt = _output_format(args.out)
    mapping = parse_mapping(args.map)
    as_of = args.as_of or date.today()
    if _has_files(args):
        inputs = _inputs_from_files(args, mapping, as_of)
    else:
        inputs = _inputs_from_store(args)
    status = status_table(inputs, as_of)
    table = _command_table(args, status)
    if args.out == "-":
        write_stdout(to_csv_bytes(table).removeprefix(b"\xef\xbb\xbf"))
    else:
        write_table(table, Path(args.out), fmt, sheet_name=SHEET_NAMES[args.command])
        print(f"Wrote {len(table)} rows to {args.out}", file=sys.stderr)
    return 0


def write_stdout(data: bytes) -> None:
    """UTF-8 bytes to standard output (no BOM: a pipe feeds programs, not Excel)."""
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        binary.write(data)
    sys.stdout.flush()


def _output_format(out: str) -> str:
    if out == "-":
        return "csv"
    fmt = OUTPUT_FORMATS.get(Path(out).suffix.lower())
    if fmt is None:
        raise UsageError(f"--out {out!r}: the file name must end in .csv or .xlsx (or be -)")
    return fmt


def _has_files(args: argparse.Namespace) -> bool:
    given = (args.roster is not None, bool(args.completions))
    if given == (True, True):
        if args.requirements is None:
            raise UsageError("give --requirements with --roster and --completions")
        return True
    if any(given) or not _store_cli_available():
        raise UsageError("give --roster and --completions")
    return False


def parse_mapping(pairs: Sequence[str]) -> dict[str, str]:
    """``["Staff Ref=person_id"]`` -> ``{"Staff Ref": "person_id"}``, fields checked."""
    known = {IGNORE, *(field for kind in KINDS for field in FIELDS[kind])}
    mapping: dict[str, str] = {}
    for pair in pairs:
        header, sep, field = pair.rpartition("=")
        header, field = header.strip(), field.strip()
        if not sep or not header:
            raise UsageError(f"--map {pair!r}: write it as \"Source header=field\"")
        if field not in known:
            raise UsageError(f"--map {pair!r}: field must be one of {', '.join(sorted(known))}")
        mapping[header] = field
    return mapping


def mapping_for(kind: str, mapping: dict[str, str]) -> dict[str, str] | None:
    """The entries of ``mapping`` that name a field files of ``kind`` can have."""
    allowed = {IGNORE, *FIELDS[kind]}
    own = {header: field for header, field in mapping.items() if field in allowed}
    return own or None


def load_file(
    kind: str, path: str, mapping: dict[str, str], **options: Any
) -> LoadResult:
    """Read and load one file; raises :class:`UnusableInput` when it cannot be used."""
    data = Path(path).read_bytes()
    result = load(kind, data, Path(path).name, mapping=mapping_for(kind, mapping), **options)
    if not result.usable:
        raise UnusableInput(result.report.fatal_message())
    return result


def _inputs_from_files(args: argparse.Namespace, mapping: dict[str, str], as_of: date) -> Inputs:
    rules = load_rules(Path(args.requirements))
    month_first = True if args.month_first else None
    today = max(date.today(), as_of)
    roster = load_file("roster", args.roster, mapping, month_first=month_first)
    loaded = [(roster, args.roster)]
    completions = []
    for path in args.completions:
        result = load_file(
            "completions", path, mapping, month_first=month_first,
            match_course=rules.match_titles, course=args.course, today=today,
        )
        loaded.append((result, path))
        completions.append(result.frame)
    exemptions = None
    if args.exemptions:
        result = load_file("exemptions", args.exemptions, mapping, month_first=month_first)
        loaded.append((result, args.exemptions))
        exemptions = result.frame
    for result, path in loaded:
        _print_lines(problem_summary(result, path))
    frames = [frame for frame in completions if not frame.empty]
    combined = pd.concat(frames, ignore_index=True) if frames else completions[0]
    return Inputs(roster.frame, combined, exemptions, rules)


def _inputs_from_store(args: argparse.Namespace) -> Inputs:
    store_cli = importlib.import_module(STORE_CLI)
    roster, completions, exemptions, rules = store_cli.frames_from_store(args)
    if args.requirements is not None:
        rules = load_rules(Path(args.requirements))
    if rules is None:
        raise UnusableInput(
            f"the store has no requirements: import them ({PROG} import --kind requirements "
            "FILE) or give --requirements Q"
        )
    if roster.empty:
        raise UnusableInput(
            f"the store has no roster for that date: import one ({PROG} import --kind roster "
            "FILE) or give --roster and --completions"
        )
    return Inputs(roster, completions, exemptions, rules)


def status_table(inputs: Inputs, as_of: date) -> pd.DataFrame:
    """Match completions to people, report the unmatched, compute every status."""
    matched = match_completions(inputs.roster, inputs.completions)
    _print_lines(unmatched_summary(matched.notes, matched.unmatched))
    status = compute_status(
        inputs.roster, matched.completions, inputs.rules, as_of, inputs.exemptions
    )
    status["status"] = status["status"].astype(str)
    return status.sort_values(["person_id", "course"], kind="stable").reset_index(drop=True)


def _command_table(args: argparse.Namespace, status: pd.DataFrame) -> pd.DataFrame:
    if args.command == "summary":
        summary = summary_by_unit(status, level=args.level)
        return summary.assign(compliance_rate=summary["compliance_rate"].round(4))
    if args.command == "overdue":
        return overdue_list(status)[list(OVERDUE_COLUMNS)]
    return status


def problem_summary(result: LoadResult, path: str) -> list[str]:
    """Counts of a usable file's problems and the first few, for stderr."""
    report = result.report
    problems = report.problems[report.problems["severity"].isin(["error", "warning"])]
    if problems.empty:
        return []
    counts = problems["severity"].value_counts()
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in counts.index]
    lines = [
        f"{report.file}: loaded {report.rows_loaded} of {report.rows_read} rows; "
        + ", ".join(parts)
        + f" (full report: {PROG} check --kind {report.kind} {shlex.quote(path)})"
    ]
    lines += [f"  {format_problem(row)}" for _, row in problems.head(SHOWN_PROBLEMS).iterrows()]
    return lines


def unmatched_summary(notes: list[str], unmatched: pd.DataFrame) -> list[str]:
    """Matching notes and the first few completions that belong to nobody."""
    lines = list(notes)
    if unmatched.empty:
        return lines
    first = unmatched.head(SHOWN_UNMATCHED)
    for _, row in first.iterrows():
        who = row.get("person_id")
        if pd.isna(who):
            who = row.get("email")
        where = f"{row.get('source_file')}, row {row.get('source_row')}"
        lines.append(f"  {where}: {who!s} is not on the roster")
    return lines


def run_check(args: argparse.Namespace) -> int:
    """``check``: print the load report; 0 if the file is usable, 1 if not."""
    mapping = parse_mapping(args.map)
    options: dict[str, Any] = {"month_first": True if args.month_first else None}
    if args.kind == "completions":
        options["course"] = args.course
        if args.requirements:
            options["match_course"] = load_rules(Path(args.requirements)).match_titles
    data = Path(args.file).read_bytes()
    result = load(
        args.kind, data, Path(args.file).name, mapping=mapping_for(args.kind, mapping), **options
    )
    print("\n".join(result.report.lines()))
    return 0 if result.usable else 1


def _print_lines(lines: list[str]) -> None:
    if lines:
        print("\n".join(lines), file=sys.stderr)
