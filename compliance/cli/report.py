"""The ``report`` command: the monthly board report from the store, for a scheduled run.

``python -m compliance report --as-of YYYY-MM-DD --out OUT.xlsx|OUT.pdf [--names --purpose
TEXT] [--db URL]`` writes the report for that date (whole force, the store's target) and
records it in the audit log (action ``report``, the sha256 of the bytes). Counts only
unless ``--names``, which needs ``--purpose``. Exit 1 for a store with no data to report
on, 2 for a usage error; the store and the writers are imported only when it runs.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from compliance.cli.arguments import PROG, iso_date
from compliance.cli.tables import check_purpose
from compliance.errors import UnusableInput, UsageError

if TYPE_CHECKING:
    import pandas as pd

    from compliance import access

SUFFIXES = {".pdf": "pdf", ".xlsx": "xlsx"}


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Add ``report`` to the ``python -m compliance`` parser."""
    text = "the monthly compliance report for the board (xlsx or PDF, counts only)"
    report = subparsers.add_parser("report", help=text, description=text)
    report.add_argument("--as-of", required=True, type=iso_date, metavar="YYYY-MM-DD",
                        help="date the report is for (e.g. the last month end)")
    report.add_argument("--out", required=True, metavar="OUT",
                        help="file to write, ending in .xlsx or .pdf")
    report.add_argument("--names", action="store_true",
                        help="add an appendix naming the overdue people (needs --purpose)")
    report.add_argument("--purpose", metavar="TEXT",
                        help="why names are in the report (recorded in the audit log)")
    report.add_argument("--db", metavar="URL", help="database URL (default COMPLIANCE_DB)")
    report.add_argument("--user", default=None, help="who (default: your login name)")
    report.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace) -> int:
    """Check the arguments, read the store, write the document, audit it."""
    fmt = SUFFIXES.get(Path(args.out).suffix.lower())
    if fmt is None:
        raise UsageError(f"--out {args.out!r}: the file name must end in .xlsx or .pdf")
    if args.names:
        check_purpose(args.purpose)
    import pandas as pd

    from compliance import access, actions, report_build, report_figures
    from compliance.marking import handling_marking
    from compliance.report_tables import Cover
    from compliance.scope import Scope

    store = access.open_store(args.db or access.store_url())
    tables = access.current(store)
    imports = access.import_history(store)
    _check_data(imports, tables)
    as_of = pd.Timestamp(args.as_of)
    user = args.user or getpass.getuser()
    cover = Cover(
        as_of=as_of, scope=report_build.scope_text(Scope()), generated_by=user,
        generated_at=access.utc_now(), marking=handling_marking(),
        demo=access.demo_active(store), purpose=(args.purpose or "").strip() or None,
    )
    counts = access.trend_frame(store, tables, report_figures.trend_start(as_of), as_of, Scope())
    report = report_build.board_report(
        lambda day: access.take_snapshot(store, tables, day), counts, imports, cover,
        target=access.report_target(store) / 100, names=args.names,
        today=pd.Timestamp(access.utc_now().date()),
    )
    actions.audited_report(
        store, lambda: _written(report_build.document_bytes(report, fmt), args.out), user=user,
        what=f"{report_build.describe(report, fmt)} (command line) to {args.out}",
        rows=report_build.rows_named(report), purpose=cover.purpose,
    )
    for warning in report.sources.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"Wrote the board report for {as_of:%d %B %Y} to {args.out}", file=sys.stderr)
    return 0


def _written(data: bytes, out: str) -> bytes:
    """Write the file before the audit entry, so a failed write records nothing."""
    Path(out).write_bytes(data)
    return data


def _check_data(imports: pd.DataFrame, tables: access.Current) -> None:
    """Exit 1 (naming what to import) when the store holds nothing to report on."""
    from compliance import sources

    missing = sources.missing_kinds(imports)
    if missing or tables.rules is None:
        raise UnusableInput(
            f"the store has no {' and no '.join(missing or ['requirements'])}: nothing to "
            f"report on; import them first ({PROG} import --kind KIND FILE)"
        )
