"""Recording imports: one transaction each, idempotent on (kind, sha256), undo/restore.

An import either lands completely (the import row, its canonical rows, its Arrow
segments and an audit entry) or not at all. Nothing is ever deleted: undo marks the
import withdrawn and restore marks it active again, each bumping ``revision`` so
:func:`data_version` changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
import pyarrow as pa
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import IntegrityError

from compliance.errors import StoreError
from compliance.store import bulk, columnar, demo
from compliance.store.audit import utc_now, write_audit
from compliance.store.tables import ACTIVE, WITHDRAWN, frame_segments, imports
from loaders.report import LoadReport

Progress = Callable[[float, str], None]
_NOUNS = {
    "roster": ("person", "people"),
    "completions": ("completion", "completions"),
    "exemptions": ("exemption", "exemptions"),
    "requirements": ("requirement", "requirements"),
}


@dataclass
class ImportOutcome:
    """What an import did, in words for the user and as data for the page."""

    import_id: int | None
    created: bool
    message: str
    report: LoadReport
    rows: int


@dataclass
class NewImport:
    """Everything one import stores; ``canonical`` is None for requirements."""

    kind: str
    file: str
    sha256: str
    report: LoadReport
    user: str
    rows: int
    canonical: pa.Table | None = None
    effective_on: date | None = None
    content: str | None = None
    demo: bool = False
    """Part of the built-in demo force (``python -m compliance demo``)."""


def existing_outcome(engine: Engine, kind: str, sha256: str) -> ImportOutcome | None:
    """The "already imported" outcome when these bytes were imported as this kind."""
    with engine.connect() as connection:
        return _existing(connection, kind, sha256)


def record(engine: Engine, new: NewImport, progress: Progress) -> ImportOutcome:
    """Store ``new`` in one transaction; the same bytes twice change nothing."""
    try:
        with engine.connect().execution_options(write=True) as connection, connection.begin():
            already = _existing(connection, new.kind, new.sha256)
            if already is not None:
                return already
            demo.check_mixing(connection, new.demo, new.file)
            import_id = _insert_import(connection, new)
            if new.canonical is not None:
                _insert_canonical(connection, new, import_id, progress)
            write_audit(
                connection,
                user=new.user,
                action="import",
                detail=f"import {import_id}: {new.kind} {new.file}, {new.rows} rows",
            )
    except IntegrityError:
        already = existing_outcome(engine, new.kind, new.sha256)
        if already is None:
            raise
        return already
    progress(1.0, "Saved")
    noun = _NOUNS[new.kind][new.rows != 1]
    message = f"Imported {new.file} as import {import_id}: {new.rows:,} {noun}"
    return ImportOutcome(import_id, True, message, new.report, new.rows)


def set_state(engine: Engine, import_id: int, state: str, *, user: str) -> None:
    """Withdraw (``state="withdrawn"``) or restore (``"active"``) one import."""
    action = "withdraw" if state == WITHDRAWN else "restore"
    with engine.connect().execution_options(write=True) as connection, connection.begin():
        row = connection.execute(
            select(imports.c.kind, imports.c.file, imports.c.state, imports.c.demo).where(
                imports.c.id == import_id
            )
        ).first()
        if row is None:
            raise StoreError(f"There is no import {import_id}: list the imports to find its id")
        if row.state == state:
            raise StoreError(f"Import {import_id} ({row.file}) is already {state}: nothing to do")
        if state == ACTIVE:
            demo.check_mixing(connection, row.demo, row.file)
        connection.execute(
            imports.update()
            .where(imports.c.id == import_id)
            .values(state=state, revision=imports.c.revision + 1)
        )
        write_audit(
            connection,
            user=user,
            action=action,
            detail=f"import {import_id}: {row.kind} {row.file}",
        )


def data_version(engine: Engine) -> str:
    """Changes whenever an import lands, is withdrawn or restored (a cache key)."""
    query = select(
        func.count(),
        func.coalesce(func.max(imports.c.id), 0),
        func.coalesce(func.sum(imports.c.revision), 0),
    )
    with engine.connect() as connection:
        count, last, revisions = connection.execute(query).one()
    return f"{count}.{last}.{revisions}"


def _existing(connection: Connection, kind: str, sha256: str) -> ImportOutcome | None:
    row = connection.execute(
        select(
            imports.c.id, imports.c.imported_at, imports.c.state, imports.c.report, imports.c.rows
        ).where(imports.c.kind == kind, imports.c.sha256 == sha256)
    ).first()
    if row is None:
        return None
    when = f"{row.imported_at:%Y-%m-%d}"
    note = ""
    if row.state == WITHDRAWN:
        note = f" (withdrawn: restore import {row.id} to use it again)"
    message = f"Already imported as import {row.id} on {when}{note}: nothing changed"
    report = LoadReport.from_dict(json.loads(row.report))
    return ImportOutcome(row.id, False, message, report, row.rows)


def _insert_import(connection: Connection, new: NewImport) -> int:
    statement = (
        imports.insert()
        .values(
            kind=new.kind,
            file=new.file,
            sha256=new.sha256,
            mapping=json.dumps(new.report.mapping),
            report=json.dumps(new.report.to_dict(), default=str),
            imported_by=new.user,
            imported_at=utc_now(),
            rows=new.rows,
            state=ACTIVE,
            revision=0,
            effective_on=new.effective_on,
            content=new.content,
            **({"demo": True} if new.demo else {}),
        )
        .returning(imports.c.id)
    )
    return int(connection.execute(statement).scalar_one())


def _insert_canonical(
    connection: Connection, new: NewImport, import_id: int, progress: Progress
) -> None:
    rows = bulk.row_table(new.kind, import_id, new.canonical)
    bulk.insert_rows(
        connection, new.kind, rows, lambda done: progress(0.4 + 0.5 * done, "Saving rows")
    )
    progress(0.95, "Saving columnar copy")
    segments = [
        {"import_id": import_id, "seq": seq, "rows": rows, "data": data}
        for seq, (rows, data) in enumerate(columnar.encode(new.canonical))
    ]
    connection.execute(frame_segments.insert(), segments)


def frame_sha256(frame: pd.DataFrame) -> str:
    """A content hash for a frame imported without its file's bytes."""
    digest = hashlib.sha256(",".join(map(str, frame.columns)).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()
