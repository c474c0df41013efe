"""Which database the store uses: ``--db``, else ``COMPLIANCE_DB``, else SQLite in ``data/``.

On a shared PostgreSQL deployment ``COMPLIANCE_DB_OWNER`` names the role that owns the
schema and runs the migrations; the dashboard's own URL then connects as a role with
only the privileges it needs. The environment is a parameter, so tests pass a plain dict.

>>> database_url({}, "sqlite:///x.sqlite")
'sqlite:///x.sqlite'
>>> database_url({"COMPLIANCE_DB": "postgresql+psycopg://db/prod"})
'postgresql+psycopg://db/prod'
>>> owner_url({"COMPLIANCE_DB_OWNER": "postgresql+psycopg://owner@db/prod"})
'postgresql+psycopg://owner@db/prod'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

ENV_VARIABLE = "COMPLIANCE_DB"
OWNER_ENV_VARIABLE = "COMPLIANCE_DB_OWNER"
DEFAULT_SQLITE_PATH = Path(__file__).resolve().parents[2] / "data" / "compliance.sqlite"


def database_url(environ: Mapping[str, str], explicit: str | None = None) -> str:
    """The SQLAlchemy URL to open: explicit beats the environment beats the default file."""
    if explicit:
        return explicit
    configured = environ.get(ENV_VARIABLE, "").strip()
    if configured:
        return configured
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def owner_url(environ: Mapping[str, str]) -> str | None:
    """The URL migrations run through when the schema has a separate owner role, else None."""
    return environ.get(OWNER_ENV_VARIABLE, "").strip() or None
