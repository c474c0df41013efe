"""Argument types and ``--map`` parsing shared by the commands."""

from __future__ import annotations

import argparse
import datetime as dt

import pytest

from compliance.cli import arguments
from compliance.errors import UsageError


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], {}),
        (["Staff Ref=person_id"], {"Staff Ref": "person_id"}),
        ([" Staff Ref = person_id ", "Notes=ignore"],
         {"Staff Ref": "person_id", "Notes": "ignore"}),
        (["A=B=course"], {"A=B": "course"}),
        (["Ref=name", "Ref=person_id"], {"Ref": "person_id"}),
    ],
)
def test_parse_mapping(pairs: list[str], expected: dict[str, str]) -> None:
    assert arguments.parse_mapping(pairs) == expected


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("Ref", "--map 'Ref': write it as \"Source header=field\""),
        ("=person_id", "--map '=person_id': write it as \"Source header=field\""),
        ("Ref=collar", "--map 'Ref=collar': field must be one of completed_on, course, "
         "course_code, email, first_name, from, ignore, leave_date, manager, name, person_id, "
         "reason, role, staff_type, start_date, status, surname, unit, until"),
    ],
)
def test_parse_mapping_refuses(pair: str, message: str) -> None:
    with pytest.raises(UsageError) as raised:
        arguments.parse_mapping([pair])
    assert str(raised.value) == message


MAPPING = {"Ref": "person_id", "Title": "course", "Why": "reason", "Notes": "ignore"}


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("roster", {"Ref": "person_id", "Notes": "ignore"}),
        ("completions", {"Ref": "person_id", "Title": "course", "Notes": "ignore"}),
        ("exemptions", {"Ref": "person_id", "Title": "course", "Why": "reason", "Notes": "ignore"}),
    ],
)
def test_mapping_for_keeps_the_fields_of_the_kind(kind: str, expected: dict[str, str]) -> None:
    assert arguments.mapping_for(kind, MAPPING) == expected


def test_mapping_for_gives_none_when_nothing_applies() -> None:
    assert arguments.mapping_for("roster", {"Why": "reason"}) is None


def test_iso_date() -> None:
    assert arguments.iso_date("2026-06-30") == dt.date(2026, 6, 30)
    with pytest.raises(argparse.ArgumentTypeError) as raised:
        arguments.iso_date("30/06/2026")
    assert str(raised.value) == "'30/06/2026' is not a date: use YYYY-MM-DD"


@pytest.mark.parametrize(("text", "expected"), [("1", 1), ("12", 12)])
def test_positive_int(text: str, expected: int) -> None:
    assert arguments.positive_int(text) == expected


@pytest.mark.parametrize("text", ["0", "-1", "1.5", "two", ""])
def test_positive_int_refuses(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError) as raised:
        arguments.positive_int(text)
    assert str(raised.value) == f"{text!r}: give a whole number of 1 or more"


def test_reading_options_defaults() -> None:
    parser = argparse.ArgumentParser()
    arguments.add_reading_options(parser)
    args = parser.parse_args(["--map", "A=name", "--map", "B=email"])
    assert (args.month_first, args.map, args.course) == (False, ["A=name", "B=email"], None)
