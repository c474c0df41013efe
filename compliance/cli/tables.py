"""The ``status``, ``summary`` and ``overdue`` commands: read the inputs, compute, write one table.

DESIGN.md "Command line" fixes their arguments and columns. The engine and the rules
are imported when one of them runs, so other commands start without them.
"""

from __future__ import annotations

import argparse
from datetime import date

from compliance.cli.arguments import add_reading_options, iso_date, parse_mapping, positive_int
from compliance.cli.inputs import read_inputs
from compliance.cli.output import output_format, print_lines, write_output

TABLE_COMMANDS: dict[str, str] = {
    "status": "one row per in-scope (person, requirement) with its status",
    "summary": "status counts and compliance rate by unit",
    "overdue": "overdue rows with role, email and manager, most overdue first",
}
SHEET_NAMES = {"status": "Status", "summary": "Summary", "overdue": "Overdue"}


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
    """Compute the statuses once and write the command's table; usage is checked first."""
    output_format(args.out)
    mapping = parse_mapping(args.map)
    as_of = args.as_of or date.today()
    inputs = read_inputs(args, mapping, as_of)
    from compliance.cli.status_tables import command_table, take_snapshot, unmatched_summary

    snapshot = take_snapshot(inputs, as_of)
    print_lines(unmatched_summary(snapshot.notes, snapshot.unmatched))
    table = command_table(args.command, snapshot.status, args.level)
    write_output(table, args.out, SHEET_NAMES[args.command])
    return 0
