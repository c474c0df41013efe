"""The import history as a frame, and each import's load report, read from the store."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select

from compliance.errors import StoreError
from compliance.store.tables import imports
from loaders.report import LoadReport

IMPORT_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "file",
    "rows",
    "sha256",
    "by",
    "at",
    "state",
    "effective_on",
    "report",
    "demo",
)


def import_history(engine: Engine) -> pd.DataFrame:
    """Every import, oldest first; ``report`` is a one-line summary of its load report."""
    query = select(imports).order_by(imports.c.id)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame(
        {
            "id": [r.id for r in rows],
            "kind": [r.kind for r in rows],
            "file": [r.file for r in rows],
            "rows": [r.rows for r in rows],
            "sha256": [r.sha256 for r in rows],
            "by": [r.imported_by for r in rows],
            "at": pd.to_datetime([r.imported_at for r in rows]),
            "state": [r.state for r in rows],
            "effective_on": pd.to_datetime([r.effective_on for r in rows]),
            "report": [_summary(json.loads(r.report)) for r in rows],
        },
        columns=list(IMPORT_COLUMNS),
    )
    return frame.astype({"id": "int64", "rows": "int64"})


def import_report(engine: Engine, import_id: int) -> LoadReport:
    """The load report kept with one import; StoreError for an unknown id."""
    with engine.connect() as connection:
        text = connection.execute(
            select(imports.c.report).where(imports.c.id == import_id)
        ).scalar()
    if text is None:
        raise StoreError(f"There is no import {import_id}: list the imports to find its id")
    return LoadReport.from_dict(json.loads(text))


def _summary(report: dict[str, Any]) -> str:
    """``loaded 1,985 of 2,000 rows; 15 errors, 2 warnings``."""
    counts = pd.Series([p.get("severity") for p in report.get("problems", [])]).value_counts()
    parts = [
        f"{counts[severity]:,} {severity}{'s' if counts[severity] != 1 else ''}"
        for severity in ("fatal", "error", "warning")
        if severity in counts
    ]
    loaded = f"loaded {report.get('rows_loaded', 0):,} of {report.get('rows_read', 0):,} rows"
    return "; ".join([loaded, ", ".join(parts)]) if parts else loaded
