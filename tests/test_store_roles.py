"""Least privilege on PostgreSQL, with real roles: an owner that migrates, an app that may not.

Each test creates its own owner role, app role and schema (owned by the owner) on the CI
server and drops them afterwards. No server: skip on a laptop, fail with ``CI=true``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from compliance.errors import StoreError
from compliance.store import Store
from compliance.store.migrate import MIGRATIONS
from compliance.store.roles import READ_ONLY
from compliance.store.tables import metadata
from tests.conftest import POSTGRES_URL, completion_frame, loaded, roster_frame
from tests.environment import unavailable

PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
INSUFFICIENT_PRIVILEGE = "42501"


@dataclass
class Deployment:
    """Two roles and a schema; ``url(role)`` connects as one of them to the schema."""

    app: str
    owner: str
    schema: str
    admin: Engine

    def url(self, role: str | None) -> str:
        parsed = make_url(POSTGRES_URL).set(query={"options": f"-csearch_path={self.schema}"})
        if role is not None:
            parsed = parsed.set(username=role)
        return parsed.render_as_string(hide_password=False)

    @property
    def environ(self) -> dict[str, str]:
        return {"COMPLIANCE_DB_OWNER": self.url(self.owner)}

    def open(self) -> Store:
        return Store.open(self.url(self.app), environ=self.environ)

    def as_admin(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(statement))


@pytest.fixture
def deployment() -> Iterator[Deployment]:
    suffix = uuid.uuid4().hex[:10]
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    found = Deployment(f"app_{suffix}", f"own_{suffix}", f"s_{suffix}", admin)
    try:
        found.as_admin(f"CREATE ROLE {found.owner} LOGIN")
    except OperationalError as error:
        admin.dispose()
        unavailable(f"PostgreSQL not reachable at {POSTGRES_URL}: {error.orig}")
    try:
        found.as_admin(f"CREATE ROLE {found.app} LOGIN")
        found.as_admin(f"CREATE SCHEMA {found.schema} AUTHORIZATION {found.owner}")
        yield found
    finally:
        found.as_admin(f"DROP SCHEMA IF EXISTS {found.schema} CASCADE")
        for role in (found.app, found.owner):
            found.as_admin(f"DROP OWNED BY {role}")
            found.as_admin(f"DROP ROLE {role}")
        admin.dispose()


@pytest.fixture
def opened(deployment: Deployment) -> Iterator[Store]:
    store = deployment.open()
    store.audit(user="ann", action="export", detail="overdue list", purpose="chase", rows=2)
    yield store
    store.engine.dispose()


def _granted(store: Store, role: str, schema: str) -> dict[str, set[str]]:
    query = text("SELECT has_table_privilege(:role, :table, :privilege)")
    with store.engine.connect() as connection:
        return {
            table: {
                privilege
                for privilege in PRIVILEGES
                if connection.execute(
                    query, {"role": role, "table": f"{schema}.{table}", "privilege": privilege}
                ).scalar()
            }
            for table in [*metadata.tables, *READ_ONLY]
        }


@pytest.mark.postgres
def test_the_app_role_gets_exactly_what_the_dashboard_needs(deployment, opened):
    read_append = {"SELECT", "INSERT"}
    expected = dict.fromkeys(metadata.tables, read_append) | {
        "settings": read_append | {"UPDATE"},
        "accounts": read_append | {"UPDATE"},
        "sessions": read_append | {"UPDATE"},
        "alembic_version": {"SELECT"},
    }
    assert _granted(opened, deployment.app, deployment.schema) == expected
    column = text("SELECT has_column_privilege(:role, :table, :column, 'UPDATE')")
    with opened.engine.connect() as connection:
        updatable = {
            imports_column.name
            for imports_column in metadata.tables["imports"].columns
            if connection.execute(
                column,
                {
                    "role": deployment.app,
                    "table": f"{deployment.schema}.imports",
                    "column": imports_column.name,
                },
            ).scalar()
        }
        owners = connection.execute(
            text("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = :schema"),
            {"schema": deployment.schema},
        ).scalars().all()
        user = connection.execute(text("SELECT current_user")).scalar()
    assert updatable == {"state", "revision"}
    assert (owners, user) == ([deployment.owner], deployment.app)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET detail = 'nothing happened'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "ALTER TABLE audit_log ADD COLUMN note text",
        "ALTER TABLE audit_log DISABLE TRIGGER ALL",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
        "DROP TRIGGER audit_log_no_change ON audit_log",
        "DROP TABLE audit_log",
        "INSERT INTO audit_log SELECT * FROM audit_log ON CONFLICT (id) DO UPDATE SET detail = 'x'",
        "UPDATE imports SET file = 'other.csv'",
        "DELETE FROM settings",
        "CREATE TABLE audit_copy (id int)",
    ],
)
def test_the_app_role_cannot_rewrite_the_audit_log(opened, statement):
    with pytest.raises(DBAPIError) as raised, opened.engine.begin() as connection:
        connection.execute(text(statement))
    assert raised.value.orig.sqlstate == INSUFFICIENT_PRIVILEGE
    check = opened.verify_audit()
    assert (check.ok, check.entries) == (True, 1)
    assert opened.audit_log()["detail"].tolist() == ["overdue list"]


@pytest.mark.postgres
def test_the_app_role_runs_the_dashboard(deployment, opened):
    roster = roster_frame(["1", "2"])
    completions = completion_frame([("1", "Managing Information", "2024-01-10")])
    opened.import_frame("roster", loaded(roster, "hr.csv", "roster"), user="ann")
    opened.import_frame("completions", loaded(completions, "lms.csv", "completions"), user="ann")
    opened.withdraw(2, user="bob")
    opened.restore(2, user="bob")
    opened.set_setting("mapping.roster.abc", "{}", user="cat")
    opened.set_setting("mapping.roster.abc", '{"Name": "name"}', user="cat")
    with opened.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO accounts (name, role, units, must_change_password, disabled, demo, "
                "failed_signins, created_at, updated_at) VALUES ('dan', 'viewer', '[]', false, "
                "false, false, 0, now(), now())"
            )
        )
        connection.execute(text("UPDATE accounts SET failed_signins = 1 WHERE name = 'dan'"))
        connection.execute(
            text(
                "INSERT INTO sessions SELECT repeat('a', 64), id, now(), now() FROM accounts"
            )
        )
        connection.execute(text("UPDATE sessions SET ended_at = now()"))
    assert opened.imports()["state"].tolist() == ["active", "active"]
    assert opened.completions()["person_id"].tolist() == ["1"]
    assert opened.get_setting("mapping.roster.abc") == '{"Name": "name"}'
    assert opened.audit_log()["action"].tolist() == [
        "export", "import", "import", "withdraw", "restore", "change setting", "change setting",
    ]
    assert opened.verify_audit().ok
    again = deployment.open()
    assert (again.verify_audit().ok, again.verify_audit().entries) == (True, 7)
    again.engine.dispose()


@pytest.mark.postgres
def test_once_migrated_the_app_role_opens_the_store_without_the_owner(deployment, opened):
    store = Store.open(deployment.url(deployment.app), environ={})
    store.audit(user="bob", action="sign in", detail="local account")
    assert (store.verify_audit().ok, store.verify_audit().entries) == (True, 2)
    store.engine.dispose()


@pytest.mark.postgres
def test_a_migration_the_app_role_may_not_run_says_to_run_it_as_the_owner(deployment, opened):
    owner = create_engine(deployment.url(deployment.owner))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with owner.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    owner.dispose()
    with pytest.raises(StoreError) as raised:
        Store.open(deployment.url(deployment.app), environ={})
    assert raised.value.detail.startswith("must be owner of table audit_log; if the schema")
    assert "COMPLIANCE_DB_OWNER" in raised.value.detail
    deployment.open().engine.dispose()


@pytest.mark.postgres
def test_a_superuser_as_the_app_role_is_refused(deployment):
    with pytest.raises(StoreError, match="The dashboard's role postgres is a superuser"):
        Store.open(deployment.url(None), environ=deployment.environ)


@pytest.mark.postgres
def test_an_app_role_that_is_a_member_of_the_owner_role_is_refused(deployment):
    deployment.as_admin(f"GRANT {deployment.owner} TO {deployment.app}")
    expected = f"role {deployment.app} is a member of the owner role {deployment.owner},"
    with pytest.raises(StoreError, match=expected):
        deployment.open()


@pytest.mark.postgres
def test_one_role_as_both_is_refused(deployment):
    with pytest.raises(StoreError) as raised:
        Store.open(deployment.url(deployment.owner), environ=deployment.environ)
    assert raised.value.message == (
        f"COMPLIANCE_DB and COMPLIANCE_DB_OWNER both sign in as {deployment.owner}"
    )
    assert (raised.value.reason, "Shared deployment on PostgreSQL" in raised.value.detail) == (
        "roles", True,
    )


@pytest.mark.postgres
def test_tables_the_app_role_created_must_be_handed_to_the_owner(deployment):
    deployment.as_admin(f"GRANT USAGE, CREATE ON SCHEMA {deployment.schema} TO {deployment.app}")
    Store.open(deployment.url(deployment.app), environ={}).engine.dispose()
    tables = ", ".join(sorted([*metadata.tables, *READ_ONLY]))
    with pytest.raises(StoreError) as raised:
        deployment.open()
    assert raised.value.message == (
        f"The dashboard's role {deployment.app} owns the store's tables ({tables})"
    )
    assert f"REASSIGN OWNED BY {deployment.app} TO {deployment.owner};" in raised.value.detail


@pytest.mark.parametrize(
    ("app", "owner", "message"),
    [
        ("sqlite:///store.sqlite", "postgresql+psycopg://own@h/db", "separate roles need"),
        ("postgresql+psycopg://app@h/db", "sqlite:///store.sqlite", "separate roles need"),
        ("postgresql+psycopg://app@h/db", "postgresql+psycopg://own@h/other", "another database"),
        ("postgresql+psycopg://app@h/db", "postgresql+psycopg://own@g/db", "another database"),
        ("postgresql+psycopg://app@h/db?options=-csearch_path%3Da",
         "postgresql+psycopg://own:secret@h/db", "another database"),
    ],
)
def test_the_owner_url_must_name_the_same_postgresql_database(tmp_path, app, owner, message):
    app = app.replace("store.sqlite", str(tmp_path / "store.sqlite"))
    with pytest.raises(StoreError, match=message) as raised:
        Store.open(app, environ={"COMPLIANCE_DB_OWNER": owner})
    assert (raised.value.reason, "secret" in str(raised.value)) == ("owner_url", False)
