"""Opening a store: connect, migrate (as the owner role when one is set), errors in words.

With ``COMPLIANCE_DB_OWNER`` set the schema is migrated through the owner's URL, which
then grants the dashboard's role (the user of the store's URL) its privileges
(``compliance.store.roles``); the engine returned connects as the dashboard's role and
never migrates anything itself. Without it one role does both, as on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from compliance.errors import StoreError
from compliance.store import roles
from compliance.store.connection import make_engine
from compliance.store.migrate import upgrade
from compliance.store.url import OWNER_ENV_VARIABLE, database_url, owner_url

INSUFFICIENT_PRIVILEGE = "42501"
MIGRATE_AS_OWNER = (
    f"if the schema needs a migration, run any store command once with {OWNER_ENV_VARIABLE} "
    "set to the owner role's URL (see the README's \"Shared deployment on PostgreSQL\")"
)


def open_engine(url: str | None, environ: Mapping[str, str]) -> Engine:
    """An engine on the migrated store at ``url`` (else the environment's, else SQLite)."""
    resolved = database_url(environ, url)
    owner = owner_url(environ)
    with _opening(resolved):
        engine = make_engine(resolved)
    try:
        if owner is None:
            with _opening(resolved):
                upgrade(engine)
            return engine
        _check_same_database(engine.url, make_url(owner))
        with _opening(resolved), engine.connect() as connection:
            app_role = connection.execute(text("SELECT current_user")).scalar_one()
        _migrate_as_owner(owner, app_role)
        with _opening(resolved), engine.connect() as connection:
            connection.execute(text("SELECT 1 FROM alembic_version"))
    except StoreError:
        engine.dispose()
        raise
    return engine


def _migrate_as_owner(owner: str, app_role: str) -> None:
    """Migrate through the owner's URL and grant ``app_role`` what the dashboard needs."""
    with _opening(owner):
        engine = make_engine(owner)
        try:
            with engine.connect() as connection:
                roles.check_roles(connection, app_role)
            upgrade(engine, then=lambda connection: roles.grant_app_role(connection, app_role))
        finally:
            engine.dispose()


def _check_same_database(app: URL, owner: URL) -> None:
    """StoreError unless both URLs name the same PostgreSQL server and database."""
    if app.get_backend_name() != "postgresql" or owner.get_backend_name() != "postgresql":
        raise StoreError(
            f"{OWNER_ENV_VARIABLE} is set, but separate roles need PostgreSQL",
            detail=f"unset {OWNER_ENV_VARIABLE}, or point both URLs at the PostgreSQL store",
            reason="owner_url",
        )
    where = (app.host, app.port, app.database, app.query)
    if (owner.host, owner.port, owner.database, owner.query) != where:
        raise StoreError(
            f"{OWNER_ENV_VARIABLE} names another database than the store "
            f"({_shown(owner)} is not {_shown(app)})",
            detail="both URLs must differ only in their user name and password",
            reason="owner_url",
        )


@contextmanager
def _opening(url: str) -> Iterator[None]:
    """Database errors while opening ``url`` as one StoreError naming it (no password)."""
    try:
        yield
    except SQLAlchemyError as error:
        cause = getattr(error, "orig", None)
        reason = str(cause or error).strip().splitlines()[0]
        if getattr(cause, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
            reason += f"; {MIGRATE_AS_OWNER}"
        raise StoreError(f"Cannot open the store at {_shown(url)}", detail=reason) from error


def _shown(url: str | URL) -> str:
    return make_url(url).render_as_string(hide_password=True)
