"""The store: every import, its rows and the audit log, in SQLite or PostgreSQL.

Public API: ``Store.open(url)``, ``ImportOutcome``, ``database_url(environ, explicit)``.
"""

from compliance.store.api import Store
from compliance.store.imports import ImportOutcome
from compliance.store.tables import KINDS
from compliance.store.url import database_url

__all__ = ["KINDS", "ImportOutcome", "Store", "database_url"]
