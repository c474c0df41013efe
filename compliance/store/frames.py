"""Reading back what the dashboard shows: the roster for a date and the current sets.

The roster for date D is the latest active snapshot effective on or before D, else the
earliest one. Completions and exemptions are the union of active imports with identical
events counted once; requirements are the latest active version.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, select

from compliance.errors import StoreError
from compliance.rules import Rules, load_rules
from compliance.sources import roster_in_force
from compliance.store import columnar
from compliance.store.tables import ACTIVE, frame_segments, imports
from loaders.schema import (
    COMPLETION_COLUMNS,
    DATE_COLUMNS,
    EXEMPTION_COLUMNS,
    ROSTER_COLUMNS,
    unit_level_columns,
)

IDENTITY: dict[str, tuple[str, ...]] = {
    "completions": ("person_id", "email", "course", "course_code", "completed_on"),
    "exemptions": ("person_id", "course", "from", "until", "reason"),
}
SNAPSHOT_COLUMNS: tuple[str, ...] = ("id", "effective_on", "file", "rows", "state")
FRAME_KINDS: tuple[str, ...] = ("roster", "completions", "exemptions")


def canonical_columns(kind: str, stored: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The frame's columns in contract order; roster unit levels follow ``unit``."""
    if kind == "roster":
        at = ROSTER_COLUMNS.index("unit") + 1
        levels = unit_level_columns(stored)
        return [*ROSTER_COLUMNS[:at], *levels, *ROSTER_COLUMNS[at:]]
    return list(COMPLETION_COLUMNS if kind == "completions" else EXEMPTION_COLUMNS)


def stored_columns(kind: str, frame_columns: object) -> list[str]:
    """What an import keeps of a frame: its canonical columns except ``source_file``."""
    return [c for c in canonical_columns(kind, list(frame_columns)) if c != "source_file"]


def roster_snapshots(engine: Engine) -> pd.DataFrame:
    """Every roster import with its effective date, oldest first."""
    query = (
        select(*(imports.c[name] for name in SNAPSHOT_COLUMNS))
        .where(imports.c.kind == "roster")
        .order_by(imports.c.effective_on, imports.c.id)
    )
    with engine.connect() as connection:
        frame = pd.DataFrame(connection.execute(query).all(), columns=list(SNAPSHOT_COLUMNS))
    frame["effective_on"] = pd.to_datetime(frame["effective_on"])
    return frame.astype({"id": "int64", "rows": "int64"})


def roster(engine: Engine, as_of: date | pd.Timestamp) -> pd.DataFrame:
    """The roster in force on ``as_of``."""
    return rosters(engine, [as_of])[0]


def rosters(engine: Engine, days: list[date | pd.Timestamp]) -> list[pd.DataFrame]:
    """The roster in force on each day. Days under the same snapshot get the same frame
    object, read once: a 24-month trend reads one roster per snapshot, not per month."""
    chosen = roster_in_force(roster_snapshots(engine), days)
    if chosen.empty:
        empty = empty_frame("roster")
        return [empty for _ in days]
    read: dict[int, pd.DataFrame] = {}
    with engine.connect() as connection:
        for import_id, file in dict(zip(chosen["id"], chosen["file"], strict=True)).items():
            read[int(import_id)] = _read(connection, "roster", [int(import_id)], [str(file)])
    return [read[int(import_id)] for import_id in chosen["id"]]


def snapshots_in_force(engine: Engine, days: list[date | pd.Timestamp]) -> pd.DataFrame:
    """The roster snapshot (``SNAPSHOT_COLUMNS``) in force on each day, one row per day;
    no rows when there is no active roster."""
    return roster_in_force(roster_snapshots(engine), days)


def import_rows(engine: Engine, import_id: int) -> pd.DataFrame:
    """The canonical rows of one roster, completions or exemptions import, whatever its
    state (evidence finds which of several same-named files holds a row)."""
    query = select(imports.c.kind, imports.c.file).where(imports.c.id == import_id)
    with engine.connect() as connection, connection.begin():
        found = connection.execute(query).first()
        if found is None or found.kind not in FRAME_KINDS:
            raise StoreError(f"There is no roster, completions or exemptions import {import_id}")
        return _read(connection, found.kind, [import_id], [found.file])


def current(engine: Engine, kind: str) -> pd.DataFrame:
    """Completions or exemptions: every active import, identical events once."""
    query = (
        select(imports.c.id, imports.c.file)
        .where(imports.c.kind == kind, imports.c.state == ACTIVE)
        .order_by(imports.c.id)
    )
    with engine.connect() as connection, connection.begin():
        rows = connection.execute(query).all()
        if not rows:
            return empty_frame(kind)
        ids, files = zip(*rows, strict=True)
        return _read(connection, kind, list(ids), list(files))


def rules(engine: Engine) -> Rules | None:
    """The latest active requirements version, or None before any is imported."""
    query = (
        select(imports.c.file, imports.c.content)
        .where(imports.c.kind == "requirements", imports.c.state == ACTIVE)
        .order_by(imports.c.id.desc())
        .limit(1)
    )
    with engine.connect() as connection:
        row = connection.execute(query).first()
    return None if row is None else load_rules(row.content, row.file)


def empty_frame(kind: str) -> pd.DataFrame:
    """A frame with the kind's columns and dtypes and no rows."""
    columns = canonical_columns(kind)
    frame = pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    for name in columns:
        if name in DATE_COLUMNS:
            frame[name] = frame[name].astype("datetime64[ns]")
    return frame.astype({"source_row": "int64"})


def _read(connection: Connection, kind: str, ids: list[int], files: list[str]) -> pd.DataFrame:
    query = (
        select(frame_segments.c.import_id, frame_segments.c.rows, frame_segments.c.data)
        .where(frame_segments.c.import_id.in_(ids))
        .order_by(frame_segments.c.import_id, frame_segments.c.seq)
    )
    segments = connection.execute(query).all()
    file_of = dict(zip(ids, files, strict=True))
    names = np.array([file_of[segment.import_id] for segment in segments], dtype=object)
    counts = np.array([segment.rows for segment in segments], dtype=np.int64)
    table = columnar.decode(bytes(segment.data) for segment in segments)
    return columnar.to_frame(
        table,
        identity=IDENTITY.get(kind, ()),
        extra={"source_file": np.repeat(names, counts)},
        order=canonical_columns(kind, table.column_names),
    )
