"""Store settings: a key-value table with audited, idempotent upserts, on both databases."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, select, text

from compliance.store import Store
from compliance.store import imports as records
from compliance.store import settings as stored_settings
from compliance.store.connection import make_engine
from compliance.store.migrate import MIGRATIONS
from compliance.store.settings import SETTING_ACTION
from compliance.store.tables import settings
from tests.conftest import completion_frame, loaded
from tests.test_store_migrate import head_revision

KEY = "mapping:roster:0123456789abcdef"


def _row(store: Store, key: str):
    with store.engine.connect() as connection:
        return connection.execute(select(settings).where(settings.c.key == key)).one()


def test_missing_key_is_none(store):
    assert store.get_setting(KEY) is None


def test_set_then_get(store):
    store.set_setting(KEY, '{"Ref": "person_id"}', user="ann")
    assert store.get_setting(KEY) == '{"Ref": "person_id"}'
    row = _row(store, KEY)
    assert row.updated_by == "ann" and row.updated_at is not None


def test_overwrite_keeps_one_row_with_the_latest_value_and_user(store):
    store.set_setting(KEY, "first", user="ann")
    store.set_setting(KEY, "second", user="bob")
    store.set_setting("other", "x", user="ann")
    assert store.get_setting(KEY) == "second"
    assert store.get_setting("other") == "x"
    assert _row(store, KEY).updated_by == "bob"


def test_each_change_is_audited(store):
    store.set_setting(KEY, "first", user="ann")
    store.set_setting(KEY, "second", user="bob")
    log = store.audit_log()
    assert log["action"].tolist() == [SETTING_ACTION, SETTING_ACTION]
    assert log["user"].tolist() == ["ann", "bob"]
    assert log["detail"].tolist() == [f"{KEY} first", f"{KEY} second"]


def test_unchanged_value_writes_nothing(store):
    store.set_setting(KEY, "same", user="ann")
    before = _row(store, KEY)
    store.set_setting(KEY, "same", user="bob")
    assert _row(store, KEY) == before
    assert len(store.audit_log()) == 1


def test_failed_audit_leaves_the_setting_unchanged(store, monkeypatch):
    store.set_setting(KEY, "kept", user="ann")

    def broken(*_args, **_kwargs):
        raise RuntimeError("audit failed")

    monkeypatch.setattr(stored_settings, "write_audit", broken)
    with pytest.raises(RuntimeError):
        store.set_setting(KEY, "lost", user="bob")
    assert store.get_setting(KEY) == "kept"


def test_settings_do_not_change_the_data_version(store):
    version = store.data_version()
    store.set_setting(KEY, "value", user="ann")
    assert store.data_version() == version


def _audit_as_0001_wrote_it(connection, *, user, action, detail, purpose=None, **_chain):
    """An audit entry in the columns of migration 0001 (before the hash chain)."""
    connection.execute(
        text(
            "INSERT INTO audit_log (at, username, action, detail, purpose) "
            "VALUES (CURRENT_TIMESTAMP, :user, :action, :detail, :purpose)"
        ),
        {"user": user, "action": action, "detail": detail, "purpose": purpose},
    )


def test_a_store_at_0001_upgrades_on_open_and_keeps_its_data(store_url, monkeypatch):
    monkeypatch.setattr(records, "write_audit", _audit_as_0001_wrote_it)
    monkeypatch.setattr(records.demo, "check_mixing", lambda *args: None)  # 0001 had no demo
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = make_engine(store_url)
    with engine.connect().execution_options(write=True) as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    assert "settings" not in inspect(engine).get_table_names()
    at_0001 = Store(engine)
    rows = completion_frame([("1", "Managing Information", "2024-01-10")])
    at_0001.import_frame("completions", loaded(rows, "lms.csv", "completions"), user="ann")
    engine.dispose()
    monkeypatch.undo()

    store = Store.open(store_url)
    with store.engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == head_revision()
    assert store.imports()["file"].tolist() == ["lms.csv"]
    assert store.completions()["person_id"].tolist() == ["1"]
    assert store.audit_log()["action"].tolist() == ["import"]
    store.set_setting(KEY, "value", user="ann")
    assert store.get_setting(KEY) == "value"
    assert (store.verify_audit().ok, store.verify_audit().entries) == (True, 2)
    store.engine.dispose()
