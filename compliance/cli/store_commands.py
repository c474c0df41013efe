"""The store commands: ``import``, ``imports``, ``undo``, ``restore`` and ``demo``.

Each handler opens the store itself, so SQLAlchemy and Alembic are imported only when a
store command (or a table command reading the store) runs. ``StoreError`` (unusable
file, unknown import) becomes exit 1 in :func:`compliance.cli.main`.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import TYPE_CHECKING

from compliance.cli.arguments import add_reading_options, iso_date, parse_mapping
from compliance.cli.output import write_csv_stdout
from loaders import KINDS

if TYPE_CHECKING:
    from compliance.store import Store

IMPORT_KINDS: tuple[str, ...] = (*KINDS, "requirements")
"""What ``import --kind`` accepts: the store's kinds, known here without importing the store."""
IMPORTS_CSV_COLUMNS: tuple[str, ...] = ("id", "kind", "file", "rows", "sha256", "by", "at", "state")
ISO_SECONDS = "%Y-%m-%dT%H:%M:%S"


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    """Add the store commands to the ``python -m compliance`` parser."""
    load = subparsers.add_parser("import", help="import files into the store")
    load.add_argument("--kind", required=True, choices=IMPORT_KINDS)
    load.add_argument("files", nargs="+", metavar="FILE")
    load.add_argument(
        "--as-at", type=iso_date, metavar="YYYY-MM-DD",
        help="date a roster is in force from (default: today)",
    )
    add_reading_options(load)
    load.set_defaults(handler=run_import)
    listing = subparsers.add_parser("imports", help="list imports as CSV")
    listing.set_defaults(handler=run_imports)
    changes = []
    for name, handler, text in (
        ("undo", run_undo, "withdraw an import (its rows are kept)"),
        ("restore", run_restore, "make a withdrawn import active again"),
    ):
        command = subparsers.add_parser(name, help=text)
        command.add_argument("import_id", type=int, metavar="IMPORT_ID")
        command.set_defaults(handler=handler)
        changes.append(command)
    demo = subparsers.add_parser("demo", help="load (or --remove) the built-in demo force")
    demo.add_argument("--if-empty", action="store_true", help="only into an empty store")
    demo.add_argument(
        "--remove", action="store_true",
        help="withdraw every demo import and disable the demo accounts",
    )
    demo.set_defaults(handler=run_demo)
    for command in (load, listing, *changes, demo):
        command.add_argument("--db", metavar="URL", help="database URL (default COMPLIANCE_DB)")
        command.add_argument("--user", default=None, help="who (default: your login name)")


def run_import(args: argparse.Namespace) -> int:
    """Import each file in turn; the first unusable one stops the command (exit 1)."""
    mapping = parse_mapping(args.map) or None
    store = _open(args)
    for name in args.files:
        path = Path(name)
        outcome = store.import_file(
            args.kind,
            path.read_bytes(),
            path.name,
            user=_user(args),
            mapping=mapping,
            course=args.course,
            month_first=True if args.month_first else None,
            as_at=args.as_at,
        )
        print(outcome.message)
    return 0


def run_imports(args: argparse.Namespace) -> int:
    """Every import as CSV on stdout; file names are text from users, so formula-safe."""
    frame = _open(args).imports()[list(IMPORTS_CSV_COLUMNS)]
    write_csv_stdout(frame.assign(at=frame["at"].dt.strftime(ISO_SECONDS)))
    return 0


def run_undo(args: argparse.Namespace) -> int:
    _open(args).withdraw(args.import_id, user=_user(args))
    print(f"Withdrew import {args.import_id}: its rows are kept but no longer count")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    _open(args).restore(args.import_id, user=_user(args))
    print(f"Restored import {args.import_id}")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    """Load the demo force and print its accounts (``--if-empty``: only into an empty
    store), or ``--remove`` it."""
    from compliance import demo

    store = _open(args)
    if args.remove:
        print(demo.remove(store, user=_user(args)))
        return 0
    if args.if_empty and not store.imports().empty:
        print("The store already has imports: demo data not loaded")
        return 0
    messages, accounts = demo.load(store, user=_user(args))
    print("\n".join(messages))
    for account in accounts:
        print("\n".join(account.lines()))
    return 0


def _open(args: argparse.Namespace) -> Store:
    from compliance.store import Store

    return Store.open(args.db)


def _user(args: argparse.Namespace) -> str:
    return args.user or getpass.getuser()
