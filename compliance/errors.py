"""Typed errors of the compliance layer, all :class:`UserError` (see ``loaders.errors``).

Raised below; translated into ``st.error`` or an exit code in exactly one place each
(``pages._frame.user_errors`` and ``compliance.cli.main``), never shown as a traceback.
"""

from __future__ import annotations

from loaders.errors import LoaderError, UserError

__all__ = [
    "ExportError",
    "LoaderError",
    "RulesError",
    "StoreError",
    "UnusableInput",
    "UsageError",
    "UserError",
]


class RulesError(UserError):
    """A requirements file (or edited rules) cannot be used.

    ``str(error)`` is one line naming the file, the requirement (by course, else by
    position) and the key, then what is wrong and how to fix it.
    """

    reason = "bad_rules"

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        requirement: str | None = None,
        key: str | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message, reason=reason)
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


class StoreError(UserError):
    """The store refused an operation (unusable import, unknown import id, locked database)."""

    reason = "store"

    def __init__(self, message: str, *, detail: str = "", reason: str | None = None) -> None:
        super().__init__(message, reason=reason)
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.message}: {self.detail}" if self.detail else self.message


class ExportError(UserError):
    """An export cannot be built as asked (no purpose, unknown format)."""

    reason = "export"


class UnusableInput(UserError):
    """An input of a command cannot be used (exit 1); one line naming file, row and column."""

    reason = "unusable_input"


class UsageError(UserError):
    """The command line itself is wrong (exit 2), found after argparse accepted it."""

    reason = "usage"
