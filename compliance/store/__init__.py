"""The store: every import, its rows and the hash-chained audit log, in SQLite or PostgreSQL.

Public API: ``Store.open(url, environ=...)``, ``ImportOutcome``, ``AuditCheck`` (what
``Store.verify_audit()`` returns), ``database_url(environ, explicit)``.
"""

from compliance.store.api import Store
from compliance.store.chain import AuditCheck
from compliance.store.imports import ImportOutcome
from compliance.store.tables import KINDS
from compliance.store.url import database_url

__all__ = ["KINDS", "AuditCheck", "ImportOutcome", "Store", "database_url"]
