"""The command line (DESIGN.md "Command line"): run one command, turn its errors into exit codes.

``python -m compliance`` and the tests call :func:`main`. Each command module adds its
subparsers with a ``handler`` (``args -> exit code``): :mod:`~compliance.cli.tables`
(``status``, ``summary``, ``overdue``), :mod:`~compliance.cli.check`,
:mod:`~compliance.cli.store_commands` (``import``, ``imports``, ``undo``, ``restore``,
``demo``), :mod:`~compliance.cli.users`, :mod:`~compliance.cli.audit`,
:mod:`~compliance.cli.evidence` (the incident check), :mod:`~compliance.cli.report` (the
board report) and :mod:`~compliance.cli.serve` (several dashboard servers behind HAProxy).
Handlers import the heavy modules they need (rules, engine, export, store) themselves, so
a command starts without the others' libraries.

Exit codes: 0 success, 1 unusable input (one line on stderr naming file, row and
column), 2 usage error. Typed errors become that one line here and nowhere else, so no
traceback ever reaches the user.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from compliance.cli import audit, check, evidence, report, serve, store_commands, tables, users
from compliance.cli.arguments import PROG
from compliance.errors import UsageError, UserError

__all__ = ["PROG", "build_parser", "main"]


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
    """Every command's arguments; building it imports no rules, engine, export or store."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="Training compliance: statuses, summaries, overdue lists."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    tables.add_parsers(subparsers)
    check.add_parser(subparsers)
    store_commands.add_parsers(subparsers)
    users.add_parser(subparsers)
    audit.add_parser(subparsers)
    evidence.add_parser(subparsers)
    report.add_parser(subparsers)
    serve.add_parser(subparsers)
    return parser
