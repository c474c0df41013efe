"""The user's writes: audited exports and reports record after building (with a complete
purpose for personal data); the board report's target stays in range."""

from __future__ import annotations

import hashlib

import pytest

from compliance import access, actions
from compliance.errors import ExportError
from compliance.purpose import Purpose
from tests.force import FakeStore

PURPOSE = Purpose("Reminders to line managers", "March reminders", "Insp. Hall")


def test_audited_export_writes_one_entry_with_the_files_sha256() -> None:
    store = FakeStore()
    data = actions.audited_export(
        store, lambda: b"x,y\r\n", user="jo", what="overdue list as csv", rows=7,
        purpose=PURPOSE, filters="unit North", columns=["person_id", "course"],
    )
    assert data == b"x,y\r\n"
    assert store.audits == [{
        "user": "jo", "action": "export",
        "detail": "overdue list as csv; filters: unit North; columns: person_id, course",
        "purpose": "Reminders to line managers: March reminders", "recipient": "Insp. Hall",
        "sha256": hashlib.sha256(b"x,y\r\n").hexdigest(), "rows": 7,
    }]


def test_a_failed_build_records_nothing() -> None:
    store = FakeStore()

    def broken() -> bytes:
        raise OSError("disk full")

    with pytest.raises(OSError):
        actions.audited_export(store, broken, user="jo", what="w", rows=1, purpose=PURPOSE)
    assert store.audits == []


@pytest.mark.parametrize(
    ("purpose", "recipient", "rows"),
    [(None, None, None), ("Board meeting: BRD-11", " Police and crime panel ", 60)],
)
def test_audited_report_is_action_report_with_the_bytes_sha256(purpose, recipient, rows) -> None:
    store = FakeStore()
    data = actions.audited_report(store, lambda: b"%PDF-1.7", user="cron", what="board report",
                                  rows=rows, purpose=purpose, recipient=recipient)
    assert data == b"%PDF-1.7"
    assert store.audits == [{
        "user": "cron", "action": "report", "detail": "board report", "purpose": purpose,
        "recipient": recipient and recipient.strip(), "sha256": hashlib.sha256(data).hexdigest(),
        "rows": rows,
    }]


@pytest.mark.parametrize(("percent", "stored"), [(50, "50"), (100, "100"), (49, None), (101, None)])
def test_the_report_target_is_kept_in_range(store, percent: int, stored: str | None) -> None:
    if stored is None:
        with pytest.raises(ExportError, match="from 50 to 100 percent"):
            actions.set_report_target(store, percent, user="manager")
    else:
        actions.set_report_target(store, percent, user="manager")
    assert store.get_setting("report_target_percent") == stored
    assert access.report_target(store) == (percent if stored else 90)
