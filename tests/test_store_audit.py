import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from compliance.store import audit
from tests.conftest import completion_frame, loaded


def test_audit_entries_for_import_withdraw_restore_and_exports(store):
    frame = completion_frame([("1", "Managing Information", "2024-01-10")])
    store.import_frame("completions", loaded(frame, "lms.csv", "completions"), user="ann")
    store.withdraw(1, user="bob")
    store.restore(1, user="cat")
    store.audit(user="dan", action="export", detail="overdue list, 12 rows", purpose="chase")
    log = store.audit_log()
    assert log.columns.tolist() == list(audit.AUDIT_COLUMNS)
    assert log["action"].tolist() == ["import", "withdraw", "restore", "export"]
    assert log["user"].tolist() == ["ann", "bob", "cat", "dan"]
    assert log["detail"].tolist()[:2] == [
        "import 1: completions lms.csv, 1 rows",
        "import 1: completions lms.csv",
    ]
    assert log["purpose"].tolist()[-1] == "chase"
    assert log["at"].is_monotonic_increasing


def test_api_has_no_way_to_change_the_log():
    public = {name for name in dir(audit) if not name.startswith("_")}
    assert not {n for n in public if "update" in n or "delete" in n or "remove" in n}


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET detail = 'changed'", "DELETE FROM audit_log"]
)
def test_database_rejects_update_and_delete(store, statement):
    store.audit(user="ann", action="export", detail="status table", purpose="review")
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
        connection.execute(text(statement))
    assert store.audit_log()["detail"].tolist() == ["status table"]


def test_postgres_rejects_truncate(store):
    if store.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
        connection.execute(text("TRUNCATE audit_log"))
