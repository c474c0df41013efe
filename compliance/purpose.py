"""Why personal data leaves the dashboard: a reason from a set list, a reference, a recipient.

Every export of personal data states one (DESIGN "Exports of personal data"). The reasons a
force accepts are configurable (``COMPLIANCE_EXPORT_PURPOSES``, separated by ``;``); the
reference must hold a few real characters (a case number, a meeting, a ticket), so "." or
"x" is no purpose.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from compliance.errors import ExportError

DEFAULT_REASONS: tuple[str, ...] = (
    "Reminders to line managers",
    "Management report",
    "Complaint or misconduct investigation",
    "Subject access or information request",
    "Audit or inspection",
)
MIN_REFERENCE_CHARACTERS = 4
"""Letters or digits a reference needs, besides punctuation and spaces."""
ENV_VARIABLE = "COMPLIANCE_EXPORT_PURPOSES"
_REAL = re.compile(r"[^\W_]", re.UNICODE)


@dataclass(frozen=True)
class Purpose:
    """A stated purpose: checked on creation, so an invalid one cannot exist."""

    reason: str
    reference: str
    recipient: str

    def __post_init__(self) -> None:
        missing = problem(self.reason, self.reference, self.recipient)
        if missing is not None:
            raise ExportError(missing, reason="no_purpose")

    @property
    def text(self) -> str:
        """The purpose as the audit log keeps it."""
        return f"{self.reason.strip()}: {self.reference.strip()}"


def problem(reason: str | None, reference: str, recipient: str) -> str | None:
    """What is missing from a stated purpose, in words; None when it will do."""
    if not (reason or "").strip():
        return "choose the reason for this download"
    if len(_REAL.findall(reference)) < MIN_REFERENCE_CHARACTERS:
        return (
            f"give a reference of at least {MIN_REFERENCE_CHARACTERS} letters or digits "
            "(a case number, a meeting, a ticket)"
        )
    if len(_REAL.findall(recipient)) < 2:
        return "say who the file is for (a person, team or body)"
    return None


def reasons(environ: Mapping[str, str] = os.environ) -> tuple[str, ...]:
    """The reasons offered: ``COMPLIANCE_EXPORT_PURPOSES`` (``;``-separated), else defaults."""
    configured = [r.strip() for r in environ.get(ENV_VARIABLE, "").split(";") if r.strip()]
    return tuple(configured) or DEFAULT_REASONS
