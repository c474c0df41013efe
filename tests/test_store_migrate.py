import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from compliance.store import Store
from compliance.store.migrate import MIGRATIONS, upgrade
from compliance.store.tables import ROW_TABLES, metadata
from tests.conftest import completion_frame, loaded


def head_revision() -> str:
    """The newest migration, as its scripts declare it."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def test_the_newest_migration_is_0005():
    assert head_revision() == "0005"


def test_migrations_create_every_table_and_are_idempotent(store_url):
    store = Store.open(store_url)
    upgrade(store.engine)
    Store.open(store_url).engine.dispose()
    tables = set(inspect(store.engine).get_table_names())
    assert set(metadata.tables) | {"alembic_version"} <= tables
    with store.engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert [row[0] for row in versions] == [head_revision()]
    store.engine.dispose()


def test_migrated_columns_match_the_table_definitions(store):
    inspector = inspect(store.engine)
    for name, table in metadata.tables.items():
        assert {c["name"] for c in inspector.get_columns(name)} == set(table.columns.keys())


def test_imports_can_never_be_deleted(store):
    store.import_frame(
        "completions",
        loaded(completion_frame([("1", "Managing Information", "2024-01-10")]), "l.csv",
               "completions"),
        user="ann",
    )
    with (
        pytest.raises(DBAPIError, match="imports are never deleted"),
        store.engine.begin() as connection,
    ):
        connection.execute(text("DELETE FROM imports"))
    assert len(store.imports()) == 1


def test_row_tables_carry_no_per_row_key_on_postgresql(store):
    """PostgreSQL would check every COPYed row against ``imports`` (migration 0003)."""
    inspector = inspect(store.engine)
    keys = {t.name: inspector.get_foreign_keys(t.name) for t in ROW_TABLES.values()}
    if store.engine.dialect.name == "postgresql":
        assert keys == dict.fromkeys(keys, [])
    assert inspector.get_foreign_keys("frame_segments")[0]["referred_table"] == "imports"
