"""The pages' records: audited downloads and board reports, the audit log, the report target.

Everything here writes to or reads the audit trail or a setting through
``compliance.access`` and ``compliance.actions``, with the signed-in user from
``pages._data``; a download's file is built, and recorded, only when its button is clicked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from compliance import access, actions, report_build
from compliance.errors import ExportError
from compliance.purpose import Purpose
from compliance.report_tables import BoardReport
from pages import _data


def audit_log(**filters: object) -> pd.DataFrame:
    """Audit entries, newest first (read fresh: every action adds one)."""
    return access.audit_log(_data.connection(), **filters)


def audit_frame(**filters: object) -> pd.DataFrame:
    """Audit entries ready to write out (UTC text times, as their hashes cover them)."""
    return access.audit_frame(_data.connection(), **filters)


def audit_check() -> str:
    return access.audit_check(_data.connection())


def audited(
    build: Callable[[], bytes],
    *,
    what: str,
    rows: int,
    purpose: Purpose | None,
    filters: str = "",
    columns: Sequence[str] = (),
) -> Callable[[], bytes]:
    """The file a download button builds on click, and records with the user and purpose.

    Who and which store are taken now, while the page runs: the click arrives later,
    outside any page run. A button without a complete purpose is disabled, so its
    ``None`` purpose is never built.
    """
    store, user = _data.connection(), _data.current_user()

    def export() -> bytes:
        if purpose is None:
            raise ExportError("an export of personal data needs a purpose", reason="no_purpose")
        return actions.audited_export(
            store, build, user=user, what=what, rows=rows, purpose=purpose, filters=filters,
            columns=columns,
        )

    return export


def report_target() -> int:
    """The board report's target in whole percent (read fresh: a setting is not data)."""
    return access.report_target(_data.connection())


def set_report_target(percent: int) -> None:
    actions.set_report_target(_data.connection(), percent, user=_data.current_user())


def report_file(report: BoardReport, fmt: str, purpose: Purpose | None) -> Callable[[], bytes]:
    """The board report a download button builds on click, stamped with that time and
    recorded (action ``report``); one naming people needs ``purpose``."""
    store, user = _data.connection(), _data.current_user()

    def build() -> bytes:
        if report.names is not None and purpose is None:
            raise ExportError("names in a report need a purpose", reason="no_purpose")
        stamped = report_build.stamped(report, access.utc_now())
        return actions.audited_report(
            store, lambda: report_build.document_bytes(stamped, fmt), user=user,
            what=report_build.describe(stamped, fmt), rows=report_build.rows_named(stamped),
            purpose=purpose and purpose.text, recipient=purpose and purpose.recipient,
        )

    return build
