"""Everything a dashboard user changes in the store: imports, withdrawals, rules, exports.

The writes pages make, each as the user who made it; the store audits every one. An export
of personal data is built first and recorded after, so a failed build leaves no false entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from compliance import mappings
from compliance.errors import ExportError
from compliance.purpose import Purpose
from compliance.rules import Rules
from loaders import LoadResult

if TYPE_CHECKING:
    from compliance.store import ImportOutcome, Store

Progress = Callable[[float, str], None]
REPORT_ACTION = "report"


def import_file(
    store: Store, kind: str, data: bytes, name: str, *, user: str,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Load a file's bytes with the kind's loader and import them (requirements: the next
    rules version)."""
    return store.import_file(kind, data, name, user=user, progress=progress)


def import_loaded(
    store: Store,
    kind: str,
    result: LoadResult,
    data: bytes,
    name: str,
    *,
    as_at: date | None,
    user: str,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Import a file as already loaded (and checked) on the Upload page."""
    return store.import_frame(
        kind, result, data=data, filename=name, user=user, as_at=as_at, progress=progress
    )


def save_rules(store: Store, rules: Rules, file_name: str, *, user: str) -> ImportOutcome:
    """Store edited rules as the next requirements version."""
    return store.save_rules(rules, file_name, user=user)


def set_import_state(store: Store, import_id: int, *, active: bool, user: str) -> None:
    """Restore (``active``) or withdraw an import; nothing is deleted."""
    change = store.restore if active else store.withdraw
    change(import_id, user=user)


def remembered_mapping(store: Store, kind: str, headers: Iterable[str]) -> dict[str, str]:
    """Corrections the user made before to a file with these headers."""
    return mappings.recall(store, kind, headers)


def remember_mapping(
    store: Store, kind: str, headers: Iterable[str], fixes: dict[str, str], *, user: str
) -> None:
    """Keep this file's corrections for the next file with the same headers (audited)."""
    mappings.remember(store, kind, headers, fixes, user=user)


def audited_export(
    store: Store,
    build: Callable[[], bytes],
    *,
    user: str,
    what: str,
    rows: int,
    purpose: Purpose,
    filters: str = "",
    columns: Sequence[str] = (),
) -> bytes:
    """Build an export of personal data and record who took it, what (filters and columns),
    how many rows, why, for whom, and the sha256 of the exact bytes handed over.

    The entry is written only once the bytes exist, so a failed build leaves no false record.
    """
    data = build()
    parts = [what]
    if filters:
        parts.append(f"filters: {filters}")
    if columns:
        parts.append(f"columns: {', '.join(map(str, columns))}")
    store.audit(
        user=user, action="export", detail="; ".join(parts), purpose=purpose.text,
        recipient=purpose.recipient.strip(), sha256=hashlib.sha256(data).hexdigest(), rows=rows,
    )
    return data


def audited_report(
    store: Store,
    build: Callable[[], bytes],
    *,
    user: str,
    what: str,
    rows: int | None,
    purpose: str | None = None,
    recipient: str | None = None,
) -> bytes:
    """Build a board report and record it (action ``report``): who, what, the purpose and
    recipient when it names people (``rows``), and the sha256 of the exact bytes."""
    data = build()
    store.audit(
        user=user, action=REPORT_ACTION, detail=what, purpose=purpose,
        recipient=(recipient or "").strip() or None, sha256=hashlib.sha256(data).hexdigest(),
        rows=rows,
    )
    return data


def set_report_target(store: Store, percent: int, *, user: str) -> None:
    """Keep the board report's target (whole percent, in range); audited by the store."""
    from compliance import report_figures

    low, high = report_figures.TARGET_RANGE
    if not low <= int(percent) <= high:
        raise ExportError(f"the target must be from {low} to {high} percent", reason="target")
    store.set_setting(report_figures.TARGET_SETTING, str(int(percent)), user=user)
