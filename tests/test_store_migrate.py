from sqlalchemy import inspect, text

from compliance.store import Store
from compliance.store.migrate import upgrade
from compliance.store.tables import metadata


def test_migrations_create_every_table_and_are_idempotent(store_url):
    store = Store.open(store_url)
    upgrade(store.engine)
    Store.open(store_url).engine.dispose()
    tables = set(inspect(store.engine).get_table_names())
    assert set(metadata.tables) | {"alembic_version"} <= tables
    with store.engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert [row[0] for row in versions] == ["0002"]
    store.engine.dispose()


def test_migrated_columns_match_the_table_definitions(store):
    inspector = inspect(store.engine)
    for name, table in metadata.tables.items():
        assert {c["name"] for c in inspector.get_columns(name)} == set(table.columns.keys())
