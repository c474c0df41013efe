"""The demo force never mixes with a real one: refuse mixing, and remove it in one action.

While any demo import is active, a file that is not part of the demo is refused; the demo
goes only into a store that holds no real force. Removing the demo withdraws every demo
import (nothing is deleted) and disables every demo account, in one audited transaction.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, exists, func, select

from compliance.errors import StoreError
from compliance.store.audit import utc_now, write_audit
from compliance.store.tables import ACTIVE, WITHDRAWN, accounts, imports, sessions

REMOVE_COMMAND = "python -m compliance demo --remove"
LOADED_MESSAGE = (
    "the demo force is loaded, and a real force's files never mix with it: remove it first "
    f"('Remove the demo force' on the Upload page, or {REMOVE_COMMAND})"
)


def demo_active(connection: Connection) -> bool:
    """Whether any demo import is active."""
    query = select(exists().where(imports.c.demo.is_(True), imports.c.state == ACTIVE))
    return bool(connection.execute(query).scalar())


def check_mixing(connection: Connection, demo: bool, file: str) -> None:
    """StoreError when importing ``file`` would put demo and real data side by side."""
    if not demo and demo_active(connection):
        raise StoreError(f"{file}: {LOADED_MESSAGE}", reason="demo_loaded")
    if demo:
        real = select(exists().where(imports.c.demo.is_(False), imports.c.state == ACTIVE))
        if connection.execute(real).scalar():
            raise StoreError(
                f"{file}: this store holds a real force's data, so the demo force cannot be "
                "loaded into it; use an empty store (--db URL) for the demo",
                reason="real_data",
            )


def remove_demo(engine: Engine, *, user: str) -> tuple[int, int]:
    """Withdraw every active demo import and disable every demo account; the two counts."""
    with engine.connect().execution_options(write=True) as connection, connection.begin():
        ids = [
            row.id for row in connection.execute(
                select(imports.c.id).where(imports.c.demo.is_(True), imports.c.state == ACTIVE)
            )
        ]
        if ids:
            connection.execute(
                imports.update()
                .where(imports.c.id.in_(ids))
                .values(state=WITHDRAWN, revision=imports.c.revision + 1)
            )
        demo_ids = [
            row.id for row in connection.execute(
                select(accounts.c.id).where(accounts.c.demo.is_(True),
                                            accounts.c.disabled.is_(False))
            )
        ]
        if demo_ids:
            connection.execute(
                accounts.update().where(accounts.c.id.in_(demo_ids))
                .values(disabled=True, demo_password=None, updated_at=utc_now())
            )
            connection.execute(
                sessions.update()
                .where(sessions.c.account_id.in_(demo_ids), sessions.c.ended_at.is_(None))
                .values(ended_at=utc_now())
            )
        if ids or demo_ids:
            write_audit(
                connection, user=user, action="demo removed",
                detail=f"withdrew demo imports {', '.join(map(str, ids)) or 'none'}; "
                f"disabled {len(demo_ids)} demo accounts",
            )
    return len(ids), len(demo_ids)


def demo_import_count(engine: Engine) -> int:
    """Active demo imports (0 when no demo is loaded)."""
    query = select(func.count()).where(imports.c.demo.is_(True), imports.c.state == ACTIVE)
    with engine.connect() as connection:
        return int(connection.execute(query).scalar())
