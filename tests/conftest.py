"""Shared pytest fixtures: a fresh store on SQLite and on PostgreSQL, canonical frames.

Every store test runs twice: on a SQLite file in ``tmp_path`` and in a schema of its own
(``t_<random>``, dropped afterwards) on the PostgreSQL server, so runs can repeat and go
in parallel. No server: skip on a laptop, fail with ``CI=true``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from compliance.store import Store
from loaders import LoadResult
from loaders.report import LoadReport
from tests.environment import unavailable

POSTGRES_URL = os.environ.get(
    "COMPLIANCE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A URL to an empty database of either kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    with postgres_schema() as url:
        yield url


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL to a schema of its own (``t_<random>``) on the PostgreSQL server, dropped after;
    skipped (failed with ``CI=true``) when the server is not reachable."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except OperationalError as error:
        admin.dispose()
        unavailable(f"PostgreSQL not reachable at {POSTGRES_URL}: {error.orig}")
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store.open(store_url)
    yield opened
    opened.engine.dispose()


def loaded(frame: pd.DataFrame, file: str, kind: str) -> LoadResult:
    """A usable load result for ``frame`` as if a loader had read ``file``."""
    report = LoadReport(file=file, kind=kind, rows_read=len(frame), rows_loaded=len(frame))
    return LoadResult(frame.assign(source_file=file), report)


def roster_frame(ids: list[str], *, unit: str = "North / Response", start="2020-01-01"):
    """A canonical roster: everyone an officer in ``unit`` (levels split on `` / ``)."""
    levels = unit.split(" / ")
    n = len(ids)
    frame = pd.DataFrame(
        {
            "person_id": pd.Series(ids, dtype=object),
            "name": [f"Person {i}" for i in ids],
            "email": [f"p{i}@force.example" for i in ids],
            "unit": unit,
        }
    )
    for level, value in enumerate(levels, start=1):
        frame[f"unit_{level}"] = value
    frame["role"] = "Constable"
    frame["staff_type"] = "officer"
    frame["start_date"] = pd.to_datetime([start] * n)
    frame["leave_date"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    frame["manager"] = None
    frame["source_file"] = "roster.csv"
    frame["source_row"] = np.arange(2, n + 2, dtype=np.int64)
    return frame


def completion_frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Canonical completions from (person_id, course, completed_on) triples."""
    ids, courses, dates = zip(*rows, strict=True) if rows else ((), (), ())
    return pd.DataFrame(
        {
            "person_id": pd.Series(ids, dtype=object),
            "email": pd.Series([f"p{i}@force.example" for i in ids], dtype=object),
            "course": pd.Series(courses, dtype=object),
            "course_code": pd.Series([None] * len(ids), dtype=object),
            "completed_on": pd.to_datetime(list(dates)),
            "source_file": "lms.csv",
            "source_row": np.arange(2, len(ids) + 2, dtype=np.int64),
        }
    )


def exemption_frame(rows: list[tuple[str, str, str | None, str | None, str]]) -> pd.DataFrame:
    """Canonical exemptions from (person_id, course, from, until, reason)."""
    ids, courses, starts, ends, reasons = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "person_id": pd.Series(ids, dtype=object),
            "course": pd.Series(courses, dtype=object),
            "from": pd.to_datetime(list(starts)),
            "until": pd.to_datetime(list(ends)),
            "reason": pd.Series(reasons, dtype=object),
            "source_file": "exemptions.csv",
            "source_row": np.arange(2, len(ids) + 2, dtype=np.int64),
        }
    )


REQUIREMENTS_YAML = b"""\
due_soon_days: 30
requirements:
  - course: Managing Information
    aliases: [Management of Information]
    renewal_months: 36
    new_starter_days: 90
  - course: Information Security Awareness
    renewal_months: 12
"""
