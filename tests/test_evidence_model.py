"""The incident check's data: the request's moment, roster words, the rules version in force."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from compliance.evidence_model import Request, history_row, roster_words, rules_row
from tests.evidence_store import checked

IMPORTS = pd.DataFrame({
    "id": [1, 2, 3, 4],
    "kind": ["requirements", "roster", "requirements", "requirements"],
    "file": ["r1.yaml", "staff.csv", "r2.yaml", "r3.yaml"],
    "state": ["active", "active", "active", "withdrawn"],
    "effective_on": pd.to_datetime([None, "2022-04-01", None, None]),
})  # fmt: skip


@pytest.mark.parametrize(
    ("time", "moment"), [(None, "15 Jun 2022"), (dt.time(9, 5), "15 Jun 2022 at 09:05")]
)
def test_moment(time: dt.time | None, moment: str) -> None:
    assert Request(pd.Timestamp("2022-06-15"), ("1",), time=time).moment == moment


def test_roster_words_and_history_rows() -> None:
    assert roster_words(history_row(IMPORTS, 2)) == "staff.csv (import 2), as at 01 Apr 2022"
    assert roster_words(None) == "no roster"
    assert history_row(IMPORTS, None) is None and history_row(IMPORTS, 9) is None


def test_rules_in_force_are_the_latest_active_version() -> None:
    assert rules_row(IMPORTS)["file"] == "r2.yaml"
    assert rules_row(IMPORTS[IMPORTS["kind"] == "roster"]) is None


def test_all_warnings_are_the_documents_then_each_persons() -> None:
    found = checked()
    assert found.all_warnings == [*found.warnings, *found.people[2].warnings]
    assert [person.label for person in found.people] == [
        "Ann Lee (009917)", "Bilal Khan (004321)", "Dee Brown (002222)"
    ]
