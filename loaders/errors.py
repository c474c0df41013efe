"""The project's one family of errors a user can act on, and the loaders' own.

:class:`UserError` is the base of every error that carries a message a user can act on
and a machine-readable ``reason``; the loaders', rules', store's and command line's errors
derive from it (``compliance.errors`` re-exports it, since data flows from ``loaders`` to
``compliance`` and never back). Raised below; translated into ``st.error`` or an exit
code in exactly one place each (``pages._frame`` and ``compliance.cli.main``), never shown
as a traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """An error whose message tells the user what is wrong and how to fix it.

    ``reason`` is a short code (``too_large``, ``encrypted``, ``no_purpose`` ...) for tests,
    logs and reports that count refusals by kind.
    """

    reason: str = "unusable"

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if reason is not None:
            self.reason = reason

    def __str__(self) -> str:
        return self.message


class LoaderError(UserError):
    """An uploaded file cannot be used at all (wrong type, encrypted, hostile, no header)."""

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        row: int | None = None,
        column: str | None = None,
        reason: str = "unusable",
    ) -> None:
        super().__init__(message, reason=reason)
        self.file = file
        self.row = row
        self.column = column

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message
