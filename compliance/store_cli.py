"""Store commands: ``import``, ``imports``, ``undo``, ``restore``, ``demo``.

Plugged into :mod:`compliance.cli` through :func:`register`; each command is a handler
``args -> exit code``. ``StoreError`` (unusable file, unknown import) becomes exit 1 with
one line in ``compliance.cli.main``, usage errors exit 2.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from compliance.cli import parse_mapping
from compliance.store import KINDS, Store

DATA = Path(__file__).resolve().parents[1] / "data"
DEMO_FILES: tuple[tuple[str, str], ...] = (
    ("requirements", "requirements.yaml"),
    ("roster", "demo/hr_roster.xlsx"),
    ("completions", "demo/lms_completions.csv"),
    ("completions", "demo/learning_platform.xlsx"),
    ("completions", "demo/course_matrix.xlsx"),
    ("completions", "demo/completion-managing_information (1).csv"),
    ("exemptions", "demo/exemptions.csv"),
)
IMPORTS_CSV_COLUMNS: tuple[str, ...] = ("id", "kind", "file", "rows", "sha256", "by", "at", "state")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the store commands to the ``python -m compliance`` parser."""
    load = subparsers.add_parser("import", help="import files into the store")
    load.add_argument("--kind", required=True, choices=KINDS)
    load.add_argument("files", nargs="+", metavar="FILE")
    load.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD")
    load.add_argument("--course", metavar="TITLE", help="course of a per-course export")
    load.add_argument("--as-at", type=date.fromisoformat, metavar="YYYY-MM-DD")
    load.add_argument("--month-first", action="store_true")
    load.set_defaults(handler=run_import)
    listing = subparsers.add_parser("imports", help="list imports as CSV")
    listing.set_defaults(handler=run_imports)
    for name, handler, text in (
        ("undo", run_undo, "withdraw an import (its rows are kept)"),
        ("restore", run_restore, "make a withdrawn import active again"),
    ):
        command = subparsers.add_parser(name, help=text)
        command.add_argument("import_id", type=int, metavar="IMPORT_ID")
        command.set_defaults(handler=handler)
    demo = subparsers.add_parser("demo", help="load the built-in demo force")
    demo.add_argument("--if-empty", action="store_true", help="only into an empty store")
    demo.set_defaults(handler=run_demo)
    for command in (load, listing, subparsers.choices["undo"], subparsers.choices["restore"], demo):
        command.add_argument("--db", metavar="URL", help="database URL (default COMPLIANCE_DB)")
        command.add_argument("--user", default=None, help="who (default: your login name)")


def frames_from_store(
    args: argparse.Namespace,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, object]:
    """Roster on ``args.as_of`` (default today), completions, exemptions, rules (or None)."""
    store = Store.open(args.db)
    as_of = args.as_of or date.today()
    return store.roster(as_of), store.completions(), store.exemptions(), store.rules()


def run_import(args: argparse.Namespace) -> int:
    store = Store.open(args.db)
    mapping = parse_mapping(args.map) or None
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
    frame = Store.open(args.db).imports()[list(IMPORTS_CSV_COLUMNS)]
    frame.to_csv(sys.stdout, index=False, date_format="%Y-%m-%dT%H:%M:%S")
    return 0


def run_undo(args: argparse.Namespace) -> int:
    Store.open(args.db).withdraw(args.import_id, user=_user(args))
    print(f"Withdrew import {args.import_id}: its rows are kept but no longer count")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    Store.open(args.db).restore(args.import_id, user=_user(args))
    print(f"Restored import {args.import_id}")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    store = Store.open(args.db)
    if args.if_empty and not store.imports().empty:
        print("The store already has imports: demo data not loaded")
        return 0
    for kind, name in DEMO_FILES:
        path = DATA / name
        outcome = store.import_file(kind, path.read_bytes(), path.name, user=_user(args))
        print(outcome.message)
    return 0


def _user(args: argparse.Namespace) -> str:
    return args.user or getpass.getuser()
