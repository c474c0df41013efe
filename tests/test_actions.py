"""The user's writes: audited exports record after building, with a complete purpose."""

from __future__ import annotations

import hashlib

import pytest

from compliance import actions
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
