"""An import's canonical rows into its row table in bulk, inside the caller's transaction.

PostgreSQL gets ``COPY ... FROM STDIN`` fed with CSV that pyarrow writes (every value
quoted, so an unquoted empty field is NULL and ``""`` stays an empty string); SQLite gets
``executemany``. Both go in chunks so the caller can show progress.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy import Connection

from compliance.store.connection import is_postgres
from compliance.store.tables import ROW_TABLES
from loaders.schema import unit_level_columns

CHUNK_ROWS = 100_000
LEVEL_SEPARATOR = "\x1f"
_RENAMED = {"from": "valid_from", "until": "valid_until"}
_CSV = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")


def row_table(kind: str, import_id: int, canonical: pa.Table) -> pa.Table:
    """The canonical Arrow table laid out as the kind's row table (plain text, no dicts)."""
    n = canonical.num_rows
    columns: dict[str, pa.Array | pa.ChunkedArray] = {
        "import_id": pa.array(np.full(n, import_id, dtype=np.int64)),
        "pos": pa.array(np.arange(n, dtype=np.int64)),
    }
    for column in ROW_TABLES[kind].columns:
        name = column.name
        if name in columns:
            continue
        if name == "unit_levels":
            columns[name] = _joined_levels(canonical)
            continue
        values = canonical[_canonical_name(name)]
        columns[name] = values.cast(pa.string()) if pa.types.is_dictionary(values.type) else values
    return pa.table(columns)


def insert_rows(
    connection: Connection, kind: str, rows: pa.Table, progress: Callable[[float], None]
) -> None:
    """Append ``rows`` (from :func:`row_table`) to the kind's table."""
    name = ROW_TABLES[kind].name
    names = ", ".join(rows.column_names)
    raw = connection.connection.driver_connection
    if is_postgres(connection):
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {name} ({names}) FROM STDIN (FORMAT csv)") as copy,
        ):
            for done, chunk in _chunks(rows, progress):
                buffer = io.BytesIO()
                pacsv.write_csv(chunk, buffer, _CSV)
                copy.write(buffer.getvalue())
                progress(done)
        return
    marks = ", ".join("?" * rows.num_columns)
    for done, chunk in _chunks(rows, progress):
        values = [_sqlite_values(column) for column in chunk.columns]
        raw.executemany(f"INSERT INTO {name} ({names}) VALUES ({marks})", zip(*values, strict=True))
        progress(done)


def _chunks(rows: pa.Table, progress: Callable[[float], None]):
    total = max(rows.num_rows, 1)
    for start in range(0, rows.num_rows, CHUNK_ROWS):
        chunk = rows.slice(start, CHUNK_ROWS)
        yield (start + chunk.num_rows) / total, chunk


def _sqlite_values(column: pa.ChunkedArray) -> list:
    if pa.types.is_date32(column.type):
        column = column.cast(pa.string())
    return column.to_pylist()


def _canonical_name(row_column: str) -> str:
    return {value: key for key, value in _RENAMED.items()}.get(row_column, row_column)


def _joined_levels(canonical: pa.Table) -> pa.Array | pa.ChunkedArray:
    """``unit_1`` .. ``unit_n`` as one text (empty level = empty text); NULL when none."""
    levels = unit_level_columns(canonical.column_names)
    if not levels:
        return pa.nulls(canonical.num_rows, pa.string())
    texts = [pc.fill_null(canonical[name].cast(pa.string()), "") for name in levels]
    return pc.binary_join_element_wise(*texts, LEVEL_SEPARATOR)
