"""PostgreSQL least privilege: the owner role grants the dashboard's role only what it needs.

The owner (``COMPLIANCE_DB_OWNER``) owns the schema and runs the migrations; the dashboard's
role (``COMPLIANCE_DB``) may read every table and add rows, change in place only the
tables whose rows are meant to change (an import's state, settings, accounts, sessions),
and may only read and append to ``audit_log``: no UPDATE, DELETE or TRUNCATE, and, not
owning it, no ALTER TABLE and no disabling of its triggers. The grants are reset and made
again after every migration, so a table added later gets them too.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from compliance.errors import StoreError
from compliance.store.tables import metadata

UPDATED_IN_PLACE: dict[str, tuple[str, ...]] = {
    "imports": ("state", "revision"),
    "settings": (),
    "accounts": (),
    "sessions": (),
}
"""Tables the dashboard may UPDATE: only the named columns, or every column when none."""
READ_ONLY: tuple[str, ...] = ("alembic_version",)
REASSIGN_HINT = (
    "as a superuser run REASSIGN OWNED BY {app} TO {owner}; in the store's database "
    "(see the README's \"Shared deployment on PostgreSQL\")"
)


def check_roles(connection: Connection, app_role: str) -> None:
    """StoreError unless ``app_role`` is a different, unprivileged role than the owner's.

    Run on the owner's connection: a superuser, a member of the owner role or the owner
    of a store table could change the audit log whatever is granted.
    """
    owner = connection.execute(text("SELECT current_user")).scalar_one()
    if app_role == owner:
        raise StoreError(
            f"COMPLIANCE_DB and COMPLIANCE_DB_OWNER both sign in as {app_role}",
            detail="give the dashboard a role of its own (see the README's "
            '"Shared deployment on PostgreSQL")',
            reason="roles",
        )
    superuser, member = connection.execute(
        text(
            "SELECT rolsuper, pg_has_role(rolname, current_user, 'MEMBER') "
            "FROM pg_roles WHERE rolname = :app"
        ),
        {"app": app_role},
    ).one()
    if superuser or member:
        what = "a superuser" if superuser else f"a member of the owner role {owner}"
        raise StoreError(
            f"The dashboard's role {app_role} is {what}, so it could change the audit log",
            detail="connect the dashboard (COMPLIANCE_DB) as a role with no other privileges",
            reason="roles",
        )
    owned = connection.execute(
        text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tableowner = :app ORDER BY tablename"
        ),
        {"app": app_role},
    ).scalars().all()
    if owned:
        raise StoreError(
            f"The dashboard's role {app_role} owns the store's tables ({', '.join(owned)})",
            detail=REASSIGN_HINT.format(app=app_role, owner=owner),
            reason="roles",
        )


def grant_app_role(connection: Connection, app_role: str) -> None:
    """Reset ``app_role``'s privileges in the current schema to exactly what it needs."""
    quote = connection.dialect.identifier_preparer.quote
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    role, space = quote(app_role), quote(schema)
    statements = [
        f"GRANT USAGE ON SCHEMA {space} TO {role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {space} FROM {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {space} FROM {role}",
    ]
    for table in metadata.sorted_tables:
        statements.append(
            f"GRANT {_privileges(table.name)} ON {space}.{quote(table.name)} TO {role}"
        )
    statements += [f"GRANT SELECT ON {space}.{quote(name)} TO {role}" for name in READ_ONLY]
    statements.append(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {space} TO {role}")
    for statement in statements:
        connection.execute(text(statement))


def _privileges(table: str) -> str:
    """``SELECT, INSERT`` plus the UPDATE the table's rows need, as GRANT spells it."""
    if table not in UPDATED_IN_PLACE:
        return "SELECT, INSERT"
    columns = UPDATED_IN_PLACE[table]
    return f"SELECT, INSERT, UPDATE ({', '.join(columns)})" if columns else "SELECT, INSERT, UPDATE"
