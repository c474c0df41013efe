"""The ``status``, ``summary`` and ``overdue`` commands: read the inputs, compute, write one table.

DESIGN.md "Command line" fixes their arguments and columns. The engine and the rules
are imported when one of them runs, so other commands start without them.
"""

from __future__ import annotations

import argparse
from datetime import date

from compliance.cli.arguments import add_reading_options, iso_date, parse_mapping, positive_int
from compliance.cli.inputs import has_files, read_inputs
from compliance.cli.output import output_format, print_lines, write_output
from compliance.columns import headed
from compliance.errors import UsageError
from compliance.heading import Heading, exported_by

TABLE_COMMANDS: dict[str, str] = {
    "status": "one row per in-scope (person, requirement) with its status",
    "summary": "status counts and compliance rate by unit",
    "overdue": "overdue rows with role, email and manager, most overdue first",
}
SHEET_NAMES = {"status": "Status", "summary": "Summary", "overdue": "Overdue"}
PERSONAL = ("status", "overdue")
"""The commands whose tables name people: from the store they need a purpose, audited."""
MIN_PURPOSE_CHARACTERS = 4


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    """Add ``status``, ``summary`` and ``overdue`` to the ``python -m compliance`` parser."""
    for name, help_text in TABLE_COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        _add_input_arguments(sub)
        if name == "summary":
            sub.add_argument(
                "--level", type=positive_int, default=1, metavar="N",
                help="unit level to summarise at (1 = top level; default 1)",
            )
        sub.add_argument(
            "--out", required=True, metavar="OUT",
            help="output file ending in .csv or .xlsx, or - for CSV on standard output",
        )
        if name in PERSONAL:
            sub.add_argument(
                "--purpose", metavar="TEXT",
                help="why this list of people is taken (required when reading the store; "
                "recorded with --user in the audit log)",
            )
            sub.add_argument("--user", default=None, help="who (default: your login name)")
        sub.set_defaults(handler=run_table_command, level=1)


def _add_input_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--roster", metavar="R", help="staff roster (xlsx, xls, ods, csv)")
    sub.add_argument(
        "--completions", nargs="+", metavar="C", help="one or more completion exports"
    )
    sub.add_argument("--requirements", metavar="Q", help="requirements YAML file")
    sub.add_argument("--exemptions", metavar="E", help="exemptions file")
    sub.add_argument(
        "--as-of", type=iso_date, default=None, metavar="YYYY-MM-DD",
        help="date the statuses are for (default: today)",
    )
    sub.add_argument(
        "--db", metavar="URL",
        help="store to read when --roster and --completions are not given",
    )
    add_reading_options(sub)


def run_table_command(args: argparse.Namespace) -> int:
    """Compute the statuses once and write the command's table; usage is checked first.

    A list of people read from the store (``status``, ``overdue`` without ``--roster``) is
    an export of personal data: it needs ``--purpose`` and is audited with the bytes' sha256.
    """
    output_format(args.out)
    mapping = parse_mapping(args.map)
    as_of = args.as_of or date.today()
    audited = args.command in PERSONAL and not has_files(args)
    if audited:
        check_purpose(args.purpose)
    inputs = read_inputs(args, mapping, as_of)
    from compliance.cli.status_tables import command_table, take_snapshot, unmatched_summary

    snapshot = take_snapshot(inputs, as_of)
    print_lines(unmatched_summary(snapshot.notes, snapshot.unmatched))
    table = command_table(args.command, snapshot.status, args.level)
    if audited and output_format(args.out) == "xlsx":
        data = write_output(
            headed(table), args.out, SHEET_NAMES[args.command], export_heading(args, as_of)
        )
    else:
        data = write_output(table, args.out, SHEET_NAMES[args.command])
    if audited:
        record_export(args, data, rows=len(table), what=f"{args.command} table as of {as_of}")
    return 0


def export_heading(args: argparse.Namespace, as_of: date) -> Heading:
    """The header block of a list of people from the store: the command, its date, the
    stated purpose and who ran it."""
    title = {"status": "Status table", "overdue": "Overdue list"}[args.command]
    return Heading(
        title=title, as_of=as_of, filters="all units (command line)",
        purpose=args.purpose.strip(), exported_by=exported_by(_user(args), "command line"),
    )


def check_purpose(purpose: str | None) -> None:
    """A purpose with a few real characters, else a usage error (exit 2) saying so."""
    real = sum(character.isalnum() for character in purpose or "")
    if real < MIN_PURPOSE_CHARACTERS:
        raise UsageError(
            "a list of people from the store is personal data: give --purpose TEXT "
            f"(at least {MIN_PURPOSE_CHARACTERS} letters or digits, e.g. a case reference)"
        )


def record_export(args: argparse.Namespace, data: bytes, *, rows: int, what: str) -> None:
    """The audit entry of one command-line export: who, what, where to, why, the sha256."""
    import hashlib

    from compliance.store import Store

    Store.open(args.db).audit(
        user=_user(args), action="export", detail=f"{what} (command line) to {args.out}",
        purpose=args.purpose.strip(), sha256=hashlib.sha256(data).hexdigest(), rows=rows,
    )


def _user(args: argparse.Namespace) -> str:
    """Who ran the command: ``--user``, else the login name."""
    import getpass

    return args.user or getpass.getuser()
