"""Typed errors that carry what the user needs to fix the input.

Raised below; translated into ``st.error`` or an exit code in exactly one place
(pages and the CLI), never shown as a traceback.
"""

from __future__ import annotations


class LoaderError(Exception):
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
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.reason = reason

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message
