"""Typed errors for the compliance layer, carrying what the user needs to fix the input.

Raised below; translated into ``st.error`` or an exit code in exactly one place (pages and
the CLI), never shown as a traceback.
"""

from __future__ import annotations


class RulesError(Exception):
    """A requirements file (or edited rules) cannot be used.

    ``str(error)`` is one line naming the file, the requirement (by course, else by
    position) and the key, then what is wrong and how to fix it.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        requirement: str | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.requirement = requirement
        self.key = key

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.requirement:
            where.append(self.requirement)
        if self.key:
            where.append(f"key {self.key!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class StoreError(Exception):
    """The store refused an operation (unusable import, unknown import id, locked database)."""

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.message}: {self.detail}" if self.detail else self.message
