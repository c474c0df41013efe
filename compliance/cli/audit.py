"""The ``audit`` commands: ``verify`` the hash chain, ``export`` the log (an audited export).

``verify`` exits 0 when every entry is as written and follows the one before, 1 naming the
first broken entry (DESIGN "Sign-in, roles and the audit trail"). ``export`` writes the
log with ``at`` as the UTC text its hashes cover, so a copy can be checked again later.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
from typing import TYPE_CHECKING

from compliance.cli.output import output_format, write_output

if TYPE_CHECKING:
    from compliance.store import Store


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    audit = subparsers.add_parser("audit", help="check or export the audit log")
    commands = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = commands.add_parser("verify", help="check the hash chain (exit 1 if broken)")
    verify.set_defaults(handler=run_verify)
    export = commands.add_parser("export", help="write the audit log to a file (audited)")
    export.add_argument("--purpose", required=True, metavar="TEXT", help="why it is taken")
    export.add_argument("--out", required=True, metavar="FILE", help=".csv or .xlsx, or -")
    export.add_argument("--user", default=None, help="who (default: your login name)")
    export.set_defaults(handler=run_export)
    for command in (verify, export):
        command.add_argument("--db", metavar="URL", help="database URL (default COMPLIANCE_DB)")


def run_verify(args: argparse.Namespace) -> int:
    check = _open(args).verify_audit()
    print(check.message)
    return check.exit_code


def run_export(args: argparse.Namespace) -> int:
    from compliance.cli.tables import check_purpose

    output_format(args.out)
    check_purpose(args.purpose)
    store = _open(args)
    log = store.audit_frame()
    data = write_output(log, args.out, "Audit log")
    store.audit(
        user=args.user or getpass.getuser(), action="export",
        detail=f"audit log (command line) to {args.out}", purpose=args.purpose.strip(),
        sha256=hashlib.sha256(data).hexdigest(), rows=len(log),
    )
    return 0


def _open(args: argparse.Namespace) -> Store:
    from compliance.store import Store

    return Store.open(args.db)
