"""The ``evidence`` command: the incident check for some people on a date, as an xlsx or PDF.

DESIGN.md "Evidence and reports" fixes its arguments. It reads the store, so it is an
export of personal data: ``--purpose`` is required and the document's bytes are audited
with their sha256 (as ``status --purpose`` is). Exit 1 with a message for an unknown
person, an unknown course or a store with no data; 2 for a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from compliance.cli.arguments import iso_date
from compliance.cli.tables import check_purpose, record_export
from compliance.errors import UnusableInput, UsageError

FORMATS = {".xlsx": "xlsx", ".pdf": "pdf"}
HELP = "were these people trained on a date? an evidence document (xlsx or PDF)"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Add ``evidence`` to the ``python -m compliance`` parser."""
    sub = subparsers.add_parser("evidence", help=HELP, description=HELP)
    sub.add_argument("--as-of", type=iso_date, required=True, metavar="YYYY-MM-DD",
                     help="the date to check (of the incident)")
    sub.add_argument("--time", type=clock_time, metavar="HH:MM",
                     help="time of day of the incident, if known (printed in the document)")
    sub.add_argument("--person", action="append", required=True, metavar="ID",
                     help="staff ID as the roster or the learning system writes it "
                     "(repeatable; 009917 and 9917 are the same person)")
    sub.add_argument("--course", action="append", default=[], metavar="TITLE",
                     help="a requirement that matters (repeatable; default: all)")
    sub.add_argument("--purpose", required=True, metavar="TEXT",
                     help="why the evidence is taken (recorded in the audit log)")
    sub.add_argument("--reference", default="", metavar="TEXT",
                     help="case reference printed on the cover")
    sub.add_argument("--requester", default="", metavar="NAME",
                     help="who asked for the evidence, printed on the cover")
    sub.add_argument("--out", required=True, metavar="OUT",
                     help="output file ending in .xlsx or .pdf")
    sub.add_argument("--db", metavar="URL", help="store to read (default: COMPLIANCE_DB)")
    sub.add_argument("--user", default=None, help="who (default: your login name)")
    sub.set_defaults(handler=run_evidence)


def clock_time(text: str) -> dt.time:
    """``HH:MM`` -> time, else the argparse error naming the format."""
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time: use HH:MM") from None


def run_evidence(args: argparse.Namespace) -> int:
    """Check the people on the date, write the document, audit it; print a line per answer."""
    import getpass

    import pandas as pd

    from compliance import access, evidence_pdf, evidence_xlsx, sources
    from compliance.evidence_layout import Cover
    from compliance.evidence_model import Request
    from compliance.marking import handling_marking
    from compliance.scope import Scope

    fmt = FORMATS.get(Path(args.out).suffix.lower())
    if fmt is None:
        raise UsageError(f"--out {args.out!r}: the file name must end in .xlsx or .pdf")
    check_purpose(args.purpose)
    store = access.open_store(args.db or access.store_url())
    missing = sources.missing_kinds(store.imports())
    if missing:
        raise UnusableInput(f"the store holds no {' and no '.join(missing)}: nothing to check "
                            "(import them with python -m compliance import)")
    rules = store.rules()
    courses = tuple(_course(title, rules.courses) for title in args.course)
    when = pd.Timestamp(args.as_of)
    request = Request(when, tuple(args.person), courses, args.time)
    found = access.incident_check(store, access.fresh_snapshot(store, when), request, Scope())
    if found.unknown:
        raise UnusableInput(
            f"unknown person: no one with the ID {', '.join(map(repr, found.unknown))} is on "
            "any roster snapshot in the store"
        )
    args.user = args.user or getpass.getuser()
    cover = Cover(args.user, pd.Timestamp(access.utc_now()), handling_marking(),
                  store.demo_active(), args.reference.strip(), args.purpose.strip(),
                  args.requester.strip())
    build = evidence_pdf.evidence_pdf if fmt == "pdf" else evidence_xlsx.evidence_xlsx
    data = build(found, cover)
    Path(args.out).write_bytes(data)
    who = ", ".join(person.label for person in found.people)
    record_export(args, data, rows=len(found.people),
                  what=f"incident check evidence ({fmt}) of {who} on {request.moment}")
    for warning in found.all_warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for person in found.people:
        for course, answer in zip(person.answers["course"], person.answers["answer"],
                                  strict=True):
            print(f"{person.label}\t{course}\t{answer}")
    print(f"Wrote the evidence for {len(found.people)} people to {args.out}", file=sys.stderr)
    return 0


def _course(title: str, courses: tuple[str, ...]) -> str:
    """The requirement named ``title`` (case and spacing ignored), else exit 1 listing them."""
    wanted = " ".join(title.split()).casefold()
    match = [course for course in courses if " ".join(course.split()).casefold() == wanted]
    if not match:
        raise UnusableInput(f"--course {title!r} is no requirement: use one of "
                            f"{', '.join(courses)}")
    return match[0]
