import dataclasses
import doctest
import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pandas as pd
import pytest

from compliance.store import chain
from compliance.store.chain import GENESIS, AuditEntry, canonical, check_chain, entry_hash

START = datetime(2026, 3, 1, 8, 0, 0, 250)


def chained(count: int = 5) -> list[tuple[AuditEntry, str, str]]:
    """``count`` correctly chained entries, ids 1..count."""
    stored, previous = [], GENESIS
    for number in range(1, count + 1):
        entry = AuditEntry(number, START + timedelta(minutes=number), "ann", "export", f"d{number}")
        own = entry_hash(previous, entry)
        stored.append((entry, previous, own))
        previous = own
    return stored


def changed(stored, position: int, *, rehash: bool = False, **fields):
    """``stored`` with one entry's fields changed (and, if ``rehash``, its own hash redone)."""
    entry, prev_hash, own = stored[position]
    entry = dataclasses.replace(entry, **fields)
    if rehash:
        own = entry_hash(prev_hash, entry)
    return [*stored[:position], (entry, prev_hash, own), *stored[position + 1 :]]


def rechained(stored, first_prev: str):
    """The same entries chained from ``first_prev`` instead of the genesis hash."""
    result, previous = [], first_prev
    for entry, _prev, _own in stored:
        own = entry_hash(previous, entry)
        result.append((entry, previous, own))
        previous = own
    return result


def gap_chained():
    """Entries 1, 2, 4, 5 chained as written (an id the database skipped, never written)."""
    return rechained([s for s in chained() if s[0].id != 3], GENESIS)


LOG = chained()


@pytest.mark.parametrize(
    ("stored", "broken_id", "reason"),
    [
        (LOG, None, None),
        (gap_chained(), None, None),
        (changed(LOG, 2, detail="other"), 3, "entry 3 was changed after it was written"),
        (changed(LOG, 0, purpose="x"), 1, "entry 1 was changed after it was written"),
        (changed(LOG, 4, rows=0), 5, "entry 5 was changed after it was written"),
        (changed(LOG, 1, at=START), 2, "entry 2 was changed after it was written"),
        (changed(LOG, 2, detail="other", rehash=True), 4, "entry 4 does not follow entry 3"),
        (LOG[:2] + LOG[3:], 3, "entry 3 is missing (ids jump from 2 to 4)"),
        (LOG[:1] + LOG[3:], 2, "entries 2 to 3 are missing (ids jump from 1 to 4)"),
        (LOG[1:], 1, "entry 1 is missing (the log starts at entry 2)"),
        (LOG[2:], 1, "entries 1 to 2 are missing (the log starts at entry 3)"),
        (rechained(LOG, "1" * 64), 1, "entry 1 does not start the chain"),
        (LOG[:2] + rechained(LOG[2:], "f" * 64), 3, "entry 3 does not follow entry 2"),
        (changed(LOG[:2] + LOG[3:], 3, detail="x"), 3, "entry 3 is missing (ids jump from 2 to 4)"),
    ],
)
def test_the_first_break_is_named(stored, broken_id, reason):
    check = check_chain(stored)
    assert (check.ok, check.broken_id, check.reason) == (broken_id is None, broken_id, reason)
    assert check.entries == len(stored)
    assert check.head == stored[-1][2]
    assert check.exit_code == (0 if broken_id is None else 1)


def test_empty_log_is_intact_at_the_genesis_hash():
    check = check_chain([])
    assert (check.ok, check.entries, check.head) == (True, 0, GENESIS)
    assert check.message == f"The audit trail is intact: 0 entries, last hash {GENESIS}"


def test_messages_are_one_line():
    assert check_chain(LOG).message == (
        f"The audit trail is intact: 5 entries, last hash {LOG[-1][2]}"
    )
    broken = check_chain(LOG[:2] + LOG[3:])
    assert broken.message == (
        "The audit trail is broken: entry 3 is missing (ids jump from 2 to 4) (4 entries checked)"
    )


def test_canonical_form_is_exact():
    entry = AuditEntry(
        7, datetime(2026, 1, 2, 3, 4, 5), "zoë", "export", 'overdue "North"\n', "chase",
        "HR", "ab" * 32, 12,
    )
    assert canonical(entry) == (
        '{"action":"export","at":"2026-01-02T03:04:05.000000","detail":"overdue \\"North\\"\\n",'
        '"id":7,"purpose":"chase","recipient":"HR","rows":12,"sha256":"' + "ab" * 32 + '",'
        '"user":"zo\\u00eb"}'
    )
    expected = hashlib.sha256((GENESIS + canonical(entry)).encode("ascii")).hexdigest()
    assert entry_hash(GENESIS, entry) == expected


def test_null_fields_are_left_out_but_empty_text_is_not():
    bare = AuditEntry(1, datetime(2026, 1, 2), "ann", "sign in", "")
    assert canonical(bare) == (
        '{"action":"sign in","at":"2026-01-02T00:00:00.000000","detail":"","id":1,"user":"ann"}'
    )
    assert entry_hash(GENESIS, bare) != entry_hash(GENESIS, dataclasses.replace(bare, purpose=""))


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 1, 2, 3, 4, 5, 6),
        datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        datetime(2026, 1, 2, 4, 4, 5, 6, tzinfo=timezone(timedelta(hours=1))),
        pd.Timestamp("2026-01-02 03:04:05.000006"),
    ],
)
def test_times_are_hashed_as_utc_text(moment):
    entry = AuditEntry(1, moment, "ann", "export", "x")
    assert '"at":"2026-01-02T03:04:05.000006"' in canonical(entry)


def test_docstring_examples_hold():
    result = doctest.testmod(chain)
    assert (result.failed, result.attempted) == (0, 3)
