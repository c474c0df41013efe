"""Which database the store uses: ``--db``, else ``COMPLIANCE_DB``, else SQLite in ``data/``.

The environment is a parameter, so tests pass a plain dict.

>>> database_url({}, "sqlite:///x.sqlite")
'sqlite:///x.sqlite'
>>> database_url({"COMPLIANCE_DB": "postgresql+psycopg://db/prod"})
'postgresql+psycopg://db/prod'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

ENV_VARIABLE = "COMPLIANCE_DB"
DEFAULT_SQLITE_PATH = Path(__file__).resolve().parents[2] / "data" / "compliance.sqlite"


def database_url(environ: Mapping[str, str], explicit: str | None = None) -> str:
    """The SQLAlchemy URL to open: explicit beats the environment beats the default file."""
    if explicit:
        return explicit
    configured = environ.get(ENV_VARIABLE, "").strip()
    if configured:
        return configured
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"
