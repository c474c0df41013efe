"""The audit trail's hash chain: an entry's canonical form, its hash, and checking a log.

Each entry's ``hash`` is the SHA-256 (lowercase hex) of the ASCII bytes of the previous
entry's ``hash`` (``GENESIS`` for the first entry) followed directly by the entry's
canonical form: JSON of its fields ``id``, ``at``, ``user``, ``action``, ``detail``,
``purpose``, ``recipient``, ``sha256`` and ``rows`` with sorted keys, no spaces
(``separators=(",", ":")``), non-ASCII escaped (``ensure_ascii=True``), ``at`` in UTC as
``YYYY-MM-DDTHH:MM:SS.ffffff``, and the fields that are null left out (so a field added
later, null on old entries, leaves their hashes as they were). Changing, replacing or
removing an entry then breaks the chain at that entry. This form is frozen: stored hashes
depend on it.

>>> first = AuditEntry(1, datetime(2026, 1, 31, 9, 30), "ann", "export", "overdue list")
>>> canonical(first)
'{"action":"export","at":"2026-01-31T09:30:00.000000","detail":"overdue list","id":1,"user":"ann"}'
>>> entry_hash(GENESIS, first)
'3660a1c78837891c21f33e9959f84c2d2ad5d56eea2b25d6aa49761eb27ef7a9'
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime

GENESIS = "0" * 64
"""The "previous hash" of the first entry."""


@dataclass(frozen=True)
class AuditEntry:
    """The fields of one entry that its hash covers."""

    id: int
    at: datetime
    user: str
    action: str
    detail: str
    purpose: str | None = None
    recipient: str | None = None
    sha256: str | None = None
    rows: int | None = None


@dataclass(frozen=True)
class AuditCheck:
    """The result of checking a log; ``broken_id`` and ``reason`` name the first break."""

    ok: bool
    entries: int
    head: str
    broken_id: int | None = None
    reason: str | None = None

    @property
    def exit_code(self) -> int:
        """What ``audit verify`` exits with: 0 intact, 1 broken."""
        return 0 if self.ok else 1

    @property
    def message(self) -> str:
        """One line for the user."""
        noun = "entry" if self.entries == 1 else "entries"
        if self.ok:
            return f"The audit trail is intact: {self.entries:,} {noun}, last hash {self.head}"
        return f"The audit trail is broken: {self.reason} ({self.entries:,} {noun} checked)"


_FIELDS = tuple(field.name for field in fields(AuditEntry))


def canonical(entry: AuditEntry) -> str:
    """The text an entry's hash covers (see the module docstring)."""
    values = {name: getattr(entry, name) for name in _FIELDS}
    values["at"] = _utc_text(entry.at)
    present = {key: value for key, value in values.items() if value is not None}
    return json.dumps(present, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    """The hash stored with ``entry`` when ``prev_hash`` is its predecessor's."""
    return hashlib.sha256((prev_hash + canonical(entry)).encode("ascii")).hexdigest()


def check_chain(stored: Iterable[tuple[AuditEntry, str, str]]) -> AuditCheck:
    """Check ``(entry, prev_hash, hash)`` triples in id order; the first break is named."""
    entries, head, previous_id, broken = 0, GENESIS, None, None
    for entry, prev_hash, stored_hash in stored:
        entries += 1
        if broken is None:
            broken = _break(entry, prev_hash, stored_hash, head, previous_id)
        head, previous_id = stored_hash, entry.id
    if broken is None:
        return AuditCheck(True, entries, head)
    return AuditCheck(False, entries, head, *broken)


def _break(
    entry: AuditEntry, prev_hash: str, stored_hash: str, expected_prev: str, previous_id
) -> tuple[int, str] | None:
    """``(id, reason)`` when ``entry`` breaks the chain, else None.

    An id gap is no break by itself (PostgreSQL's sequence skipped ids before the chain
    existed): only a gap whose entries the next one no longer follows is reported missing.
    """
    if entry_hash(prev_hash, entry) != stored_hash:
        return entry.id, f"entry {entry.id} was changed after it was written"
    if prev_hash == expected_prev:
        return None
    first_missing = 1 if previous_id is None else previous_id + 1
    if entry.id > first_missing:
        what = _missing(first_missing, entry.id - 1)
        if previous_id is None:
            return first_missing, f"{what} (the log starts at entry {entry.id})"
        return first_missing, f"{what} (ids jump from {previous_id} to {entry.id})"
    if previous_id is None:
        return entry.id, f"entry {entry.id} does not start the chain"
    return entry.id, f"entry {entry.id} does not follow entry {previous_id}"


def _missing(first: int, last: int) -> str:
    if first == last:
        return f"entry {first} is missing"
    return f"entries {first} to {last} are missing"


def _utc_text(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")
