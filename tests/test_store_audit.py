import hashlib
import threading
from datetime import date, datetime

import pandas as pd
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from compliance.store import Store, audit
from compliance.store.chain import GENESIS, AuditEntry, check_chain, entry_hash
from compliance.store.connection import make_engine
from compliance.store.migrate import MIGRATIONS, upgrade
from compliance.store.tables import audit_log
from tests.conftest import completion_frame, loaded

ON_SQLITE = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
ON_POSTGRES = pytest.mark.parametrize(
    "store_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


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


@ON_POSTGRES
def test_postgres_rejects_truncate(store):
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
        connection.execute(text("TRUNCATE audit_log"))


def is_postgres(store) -> bool:
    return store.engine.dialect.name == "postgresql"


def write_entries(store, count: int = 5) -> list[int]:
    return [
        store.audit(user="ann", action="export", detail=f"list {n}", purpose="chase", rows=n)
        for n in range(1, count + 1)
    ]


def test_entries_keep_recipient_sha256_and_rows(store):
    digest = hashlib.sha256(b"the exported bytes").hexdigest()
    first = store.audit(
        user="ann", action="export", detail="overdue list", purpose="chase",
        recipient="North CID inspector", sha256=digest, rows=12,
    )
    second = store.audit(user="bob", action="sign in", detail="local account")
    log = store.audit_log()
    assert (first, second) == (1, 2)
    assert log.loc[0, ["recipient", "sha256", "rows"]].tolist() == [
        "North CID inspector", digest, 12,
    ]
    assert log.loc[1, ["recipient", "sha256"]].isna().all() and log.loc[1, "rows"] is pd.NA
    assert log["prev_hash"].tolist() == [GENESIS, log.loc[0, "hash"]]
    assert log.loc[1, "hash"] == entry_hash(
        log.loc[0, "hash"], AuditEntry(2, log.loc[1, "at"], "bob", "sign in", "local account")
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("sha256", "ABC"), ("sha256", "0" * 63), ("sha256", "A" * 64), ("rows", -1)],
)
def test_malformed_export_details_are_refused(store, field, value):
    with pytest.raises(ValueError, match=field):
        store.audit(user="ann", action="export", detail="x", **{field: value})
    assert store.audit_log().empty


def test_verify_passes_on_a_fresh_store(store):
    check = store.verify_audit()
    assert (check.ok, check.entries, check.head, check.broken_id) == (True, 0, GENESIS, None)
    assert check.exit_code == 0


def test_verify_passes_after_every_kind_of_entry(store):
    frame = completion_frame([("1", "Managing Information", "2024-01-10")])
    store.import_frame("completions", loaded(frame, "lms.csv", "completions"), user="ann")
    store.withdraw(1, user="bob")
    store.restore(1, user="cat")
    store.set_setting("mapping.roster.abc", "{}", user="dan")
    store.audit(user="eve", action="export", detail="status", sha256="e" * 64, rows=3)
    check, log = store.verify_audit(), store.audit_log()
    assert (check.ok, check.entries, check.head) == (True, 5, log["hash"].iloc[-1])
    assert check.message == f"The audit trail is intact: 5 entries, last hash {check.head}"


def test_verify_passes_on_a_busy_store_written_from_two_threads(store):
    per_thread = 150
    together = threading.Barrier(2)

    def writer(user: str) -> None:
        for n in range(per_thread):
            if n % 10 == 0:  # meet every ten entries: on a busy machine one thread could
                together.wait(timeout=60)  # otherwise finish before the other starts
            store.audit(user=user, action="export", detail=f"{user} {n}", rows=n)

    threads = [threading.Thread(target=writer, args=(user,)) for user in ("ann", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log = store.audit_log()
    check = store.verify_audit()
    assert (check.ok, check.entries, check.head) == (True, 2 * per_thread, log["hash"].iloc[-1])
    assert log["id"].tolist() == list(range(1, 2 * per_thread + 1))
    assert log["prev_hash"].tolist()[1:] == log["hash"].tolist()[:-1]
    assert log.groupby("user").size().to_dict() == {"ann": per_thread, "bob": per_thread}
    assert log["user"].ne(log["user"].shift()).sum() > 2, "the two writers never interleaved"


def test_a_second_writer_waits_for_the_first_to_commit(store):
    """A writer holds the end of the chain until it commits, so the other follows it."""
    store.audit(user="ann", action="export", detail="first")
    finished = threading.Event()

    def second_writer() -> None:
        store.audit(user="bob", action="export", detail="third")
        finished.set()

    with store.engine.connect().execution_options(write=True) as connection:
        with connection.begin():
            audit.write_audit(connection, user="cat", action="export", detail="second")
            thread = threading.Thread(target=second_writer)
            thread.start()
            assert not finished.wait(0.5), "the second writer did not wait"
        thread.join()
    assert store.audit_log()["detail"].tolist() == ["first", "second", "third"]
    assert store.verify_audit().ok


def test_the_database_refuses_a_fork(store):
    """No two entries may follow the same one, whoever writes them."""
    write_entries(store, 2)
    first = store.audit_log().iloc[0]
    values = {
        "id": 3, "at": first["at"].to_pydatetime(), "username": "mallory", "action": "export",
        "detail": "fork", "prev_hash": first["prev_hash"], "hash": "f" * 64,
    }
    with pytest.raises(DBAPIError), store.engine.begin() as connection:
        connection.execute(audit_log.insert().values(**values))
    assert store.verify_audit().entries == 2


def _sqlite_tampering():
    copy = (
        "INSERT OR REPLACE INTO audit_log SELECT id, at, username, action, 'nothing happened', "
        "purpose, recipient, sha256, rows, prev_hash, hash FROM audit_log WHERE id = 3"
    )
    return [
        pytest.param(
            ["DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET detail = 'x' WHERE id = 3"],
            3, "entry 3 was changed after it was written", 5, id="update",
        ),
        pytest.param(
            ["DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET username = 'bob'"],
            1, "entry 1 was changed after it was written", 5, id="update-all",
        ),
        pytest.param(
            ["DROP TRIGGER audit_log_no_replace", copy],
            3, "entry 3 was changed after it was written", 5, id="insert-or-replace",
        ),
        pytest.param(
            ["DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE id = 3"],
            3, "entry 3 is missing (ids jump from 2 to 4)", 4, id="delete",
        ),
        pytest.param(
            ["DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE id = 1"],
            1, "entry 1 is missing (the log starts at entry 2)", 4, id="delete-first",
        ),
    ]


def _postgres_tampering():
    disable = "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"
    return [
        pytest.param(
            [disable, "UPDATE audit_log SET purpose = 'routine' WHERE id = 3"],
            3, "entry 3 was changed after it was written", 5, id="update",
        ),
        pytest.param(
            [disable, "DELETE FROM audit_log WHERE id IN (3, 4)"],
            3, "entries 3 to 4 are missing (ids jump from 2 to 5)", 3, id="delete",
        ),
        pytest.param(
            ["ALTER TABLE audit_log DISABLE TRIGGER ALL",
             "UPDATE audit_log SET rows = 0 WHERE id = 5"],
            5, "entry 5 was changed after it was written", 5, id="disable-all-update",
        ),
    ]


@ON_SQLITE
@pytest.mark.parametrize(("statements", "broken_id", "reason", "entries"), _sqlite_tampering())
def test_verify_names_the_entry_changed_around_the_sqlite_triggers(
    store, statements, broken_id, reason, entries
):
    _tamper_and_check(store, statements, broken_id, reason, entries)


@ON_POSTGRES
@pytest.mark.parametrize(("statements", "broken_id", "reason", "entries"), _postgres_tampering())
def test_verify_names_the_entry_the_owner_changed_on_postgresql(
    store, statements, broken_id, reason, entries
):
    _tamper_and_check(store, statements, broken_id, reason, entries)


def _tamper_and_check(store, statements, broken_id, reason, entries):
    write_entries(store)
    assert store.verify_audit().ok
    with store.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    check = store.verify_audit()
    assert (check.ok, check.broken_id, check.reason, check.entries) == (
        False, broken_id, reason, entries,
    )
    assert check.exit_code == 1
    assert check.message.startswith(f"The audit trail is broken: {reason}")


def test_a_rewritten_entry_with_its_own_hash_redone_breaks_the_next_link(store):
    write_entries(store)
    forged = store.audit_log().iloc[2]
    entry = AuditEntry(3, forged["at"], "ann", "export", "list 3", "routine", rows=3)
    drop = (
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"
        if is_postgres(store) else "DROP TRIGGER audit_log_no_update"
    )
    with store.engine.begin() as connection:
        connection.execute(text(drop))
        connection.execute(
            text("UPDATE audit_log SET purpose = 'routine', hash = :own WHERE id = 3"),
            {"own": entry_hash(forged["prev_hash"], entry)},
        )
    check = store.verify_audit()
    assert (check.broken_id, check.reason) == (4, "entry 4 does not follow entry 3")


@ON_SQLITE
def test_sqlite_refuses_insert_or_replace_of_an_entry(store):
    write_entries(store, 3)
    replace = (
        "INSERT OR REPLACE INTO audit_log SELECT id, at, username, action, 'other', purpose, "
        "recipient, sha256, rows, prev_hash, hash FROM audit_log WHERE id = 2"
    )
    with pytest.raises(DBAPIError, match="cannot be replaced"), store.engine.begin() as c:
        c.execute(text(replace))
    assert store.audit_log()["detail"].tolist() == ["list 1", "list 2", "list 3"]


@ON_POSTGRES
def test_postgres_refuses_an_upsert_of_an_entry(store):
    write_entries(store, 2)
    upsert = (
        "INSERT INTO audit_log SELECT * FROM audit_log WHERE id = 2 "
        "ON CONFLICT (id) DO UPDATE SET detail = 'other'"
    )
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
        connection.execute(text(upsert))
    assert store.verify_audit().ok


@pytest.mark.parametrize(
    ("filters", "details"),
    [
        ({}, ["a1", "b1", "a2"]),
        ({"user": "ann"}, ["a1", "a2"]),
        ({"action": "sign in"}, ["b1"]),
        ({"user": "ann", "action": "sign in"}, []),
        ({"since": date(2000, 1, 1), "until": date(2999, 1, 1)}, ["a1", "b1", "a2"]),
        ({"since": date(2999, 1, 1)}, []),
        ({"until": date(2000, 1, 1)}, []),
    ],
)
def test_audit_log_filters(store, filters, details):
    store.audit(user="ann", action="export", detail="a1")
    store.audit(user="bob", action="sign in", detail="b1")
    store.audit(user="ann", action="export", detail="a2")
    log = store.audit_log(**filters)
    assert log.columns.tolist() == list(audit.AUDIT_COLUMNS)
    assert log["detail"].tolist() == details


def test_audit_frame_holds_the_text_the_hashes_cover(store):
    write_entries(store, 2)
    frame, log = store.audit_frame(), store.audit_log()
    assert frame.columns.tolist() == list(audit.AUDIT_COLUMNS)
    assert frame["at"].tolist() == [f"{at:%Y-%m-%dT%H:%M:%S.%f}" for at in log["at"]]
    entries = [
        AuditEntry(r.id, datetime.fromisoformat(r.at), r.user, r.action, r.detail, r.purpose,
                   rows=int(r.rows))
        for r in frame.itertuples()
    ]
    assert check_chain(zip(entries, frame["prev_hash"], frame["hash"], strict=True)).ok


OLD_ENTRIES = [
    (1, datetime(2025, 6, 1, 9, 0, 0, 123456), "root", "import", "import 1: roster hr.xlsx", None),
    (2, datetime(2025, 6, 1, 9, 5), "root", "export", "overdue list (3 rows)", "chase Zoë"),
    (4, datetime(2025, 6, 2, 10, 0), "root", "withdraw", "import 1: roster hr.xlsx", None),
]
"""Entries written before the chain; id 3 was never written (a rolled-back sequence value)."""


def _store_at_0004_with_entries(store_url: str):
    engine = make_engine(store_url)
    upgrade(engine, revision="0004")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_log (id, at, username, action, detail, purpose) "
                "VALUES (:id, :at, :user, :action, :detail, :purpose)"
            ),
            [dict(zip(("id", "at", "user", "action", "detail", "purpose"), e, strict=True))
             for e in OLD_ENTRIES],
        )
    return engine


def test_the_chain_is_backfilled_over_entries_written_before_it(store_url):
    _store_at_0004_with_entries(store_url).dispose()
    store = Store.open(store_url)
    log = store.audit_log()
    previous, expected = GENESIS, []
    for entry_id, at, user, action, detail, purpose in OLD_ENTRIES:
        own = entry_hash(previous, AuditEntry(entry_id, at, user, action, detail, purpose))
        expected.append((entry_id, previous, own))
        previous = own
    assert list(log[["id", "prev_hash", "hash"]].itertuples(index=False, name=None)) == expected
    assert log["at"].tolist() == [pd.Timestamp(e[1]) for e in OLD_ENTRIES]
    assert store.audit(user="ann", action="export", detail="after") == 5
    check = store.verify_audit()
    assert (check.ok, check.entries, check.head) == (True, 4, store.audit_log()["hash"].iloc[-1])
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET detail = 'x' WHERE id = 1"))
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE id = 1"))
    store.engine.dispose()


def test_downgrading_the_chain_keeps_the_entries_and_the_triggers(store_url):
    engine = _store_at_0004_with_entries(store_url)
    upgrade(engine)
    hashes = Store(engine).audit_log()["hash"].tolist()
    _downgrade(engine, "0004")
    columns = {c["name"] for c in inspect(engine).get_columns("audit_log")}
    assert columns == {"id", "at", "username", "action", "detail", "purpose"}
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET detail = 'x'"))
    upgrade(engine)
    assert Store(engine).audit_log()["hash"].tolist() == hashes
    engine.dispose()


def _downgrade(engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect().execution_options(write=True) as connection, connection.begin():
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
