"""Argument types and the options several commands share: dates, counts, ``--map``.

Imports stay light (no rules, store or export modules): building the parser must not
cost the start-up of every command.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date

from compliance.errors import UsageError
from loaders import FIELDS, IGNORE, KINDS

PROG = "python -m compliance"


def iso_date(text: str) -> date:
    """``YYYY-MM-DD`` -> date, else the argparse error naming the format."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD") from None


def positive_int(text: str) -> int:
    """A whole number of 1 or more (``--level``)."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of 1 or more")
    return int(text)


def add_reading_options(sub: argparse.ArgumentParser) -> None:
    """``--month-first``, ``--map`` and ``--course``: how to read the files a command loads."""
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
