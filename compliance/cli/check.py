"""The ``check`` command: print one file's load report; exit 0 if it is usable, 1 if not.

Loads the file exactly as ``status`` would; the rules are read (and YAML imported) only
when ``--requirements`` is given, to name unknown courses and per-course files.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from compliance.cli.arguments import add_reading_options, mapping_for, parse_mapping
from loaders import KINDS, load


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Add ``check`` to the ``python -m compliance`` parser."""
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
    add_reading_options(check)
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Print the load report; 0 if the file is usable, 1 if not."""
    mapping = parse_mapping(args.map)
    options: dict[str, Any] = {"month_first": True if args.month_first else None}
    if args.kind == "completions":
        options["course"] = args.course
        if args.requirements:
            from compliance.rules import load_rules

            options["match_course"] = load_rules(Path(args.requirements)).match_titles
    data = Path(args.file).read_bytes()
    result = load(
        args.kind, data, Path(args.file).name, mapping=mapping_for(args.kind, mapping), **options
    )
    print("\n".join(result.report.lines()))
    return 0 if result.usable else 1
