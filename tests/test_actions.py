"""The user's writes: audited exports record after building, and only with a purpose."""

from __future__ import annotations

import pytest

from compliance import actions
from compliance.errors import ExportError
from tests.force import FakeStore


def test_audited_export_writes_the_entry_after_building() -> None:
    store = FakeStore()
    data = actions.audited_export(store, lambda: b"x", user="jo", what="overdue list as csv",
                                 rows=7, purpose="reminders")
    assert data == b"x"
    assert store.audits == [{"user": "jo", "action": "export",
                             "detail": "overdue list as csv (7 rows)", "purpose": "reminders"}]

def test_audited_export_refuses_without_purpose_and_records_nothing_on_failure() -> None:
    store = FakeStore()
    with pytest.raises(ExportError, match="purpose"):
        actions.audited_export(store, lambda: b"x", user="jo", what="w", rows=1, purpose=" ")

    def broken() -> bytes:
        raise OSError("disk full")

    with pytest.raises(OSError):
        actions.audited_export(store, broken, user="jo", what="w", rows=1, purpose="p")
    assert store.audits == []
