"""How many bytes a cached value holds, so the dashboard's caches are bounded by memory, not count.

A count bound (``max_entries``) lets eight national snapshots of a gigabyte each pile up as
easily as eight tiny demo ones; a byte bound keeps the server's memory predictable. Frames
count their own buffers and every string they point to (``memory_usage(deep=True)``, a C
loop); a :class:`~compliance.snapshot.Snapshot` whose statuses are not computed yet is
charged for them in advance, because they appear later inside the same cached object.

>>> frame = pd.DataFrame({"person_id": ["000123"] * 1_000})
>>> 50_000 < nbytes(frame) < 100_000
True
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Mapping

import numpy as np
import pandas as pd

from compliance.errors import UsageError
from compliance.snapshot import Snapshot

STATUS_EXTRA_BYTES = 160
"""What a status row adds to its person's roster columns (course, status, dates, evidence)."""
BUDGET_VARIABLE = "COMPLIANCE_CACHE_MB"
DEFAULT_BUDGET_MB = 512
MB = 1024 * 1024


def budget_bytes(environ: Mapping[str, str] = os.environ) -> int:
    """The memory the dashboard's shared caches may hold (``COMPLIANCE_CACHE_MB``)."""
    configured = environ.get(BUDGET_VARIABLE, "").strip()
    if not configured:
        return DEFAULT_BUDGET_MB * MB
    if not configured.isdigit() or int(configured) < 1:
        raise UsageError(
            f"{BUDGET_VARIABLE} must be a whole number of megabytes (at least 1), "
            f"not {configured!r}"
        )
    return int(configured) * MB


def nbytes(value: object) -> int:
    """The memory ``value`` keeps alive, counted through frames, dataclasses and containers;
    a frame or array reached twice (a snapshot and its match share rows) counts once."""
    return _bytes(value, set())


def _bytes(value: object, seen: set[int]) -> int:
    if isinstance(value, (pd.DataFrame, pd.Series, pd.Index, np.ndarray)):
        if id(value) in seen:
            return 0
        seen.add(id(value))
        if isinstance(value, np.ndarray):
            return sys.getsizeof(value) + (value.nbytes if value.base is not None else 0)
        usage = value.memory_usage(deep=True)
        return int(usage.sum() if isinstance(value, pd.DataFrame) else usage)
    if isinstance(value, Snapshot):
        return _snapshot_bytes(value, seen)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sys.getsizeof(value) + sum(
            _bytes(getattr(value, item.name), seen) for item in dataclasses.fields(value)
        )
    if isinstance(value, (tuple, list, set, frozenset)):
        return sys.getsizeof(value) + sum(_bytes(item, seen) for item in value)
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(
            _bytes(k, seen) + _bytes(v, seen) for k, v in value.items()
        )
    return sys.getsizeof(value)


def _snapshot_bytes(snapshot: Snapshot, seen: set[int]) -> int:
    parts = (snapshot.roster, snapshot.completions, snapshot.all_completions,
             snapshot.exemptions, snapshot.unmatched, snapshot.match)
    held = sum(_bytes(part, seen) for part in parts if part is not None)
    if "status" in snapshot.__dict__:
        return held + _bytes(snapshot.status, seen)
    return held + _expected_status_bytes(snapshot)


def _expected_status_bytes(snapshot: Snapshot) -> int:
    """At most one status row per (person, requirement), each a roster row and some more."""
    people = len(snapshot.roster)
    requirements = len(snapshot.rules.requirements) if snapshot.rules is not None else 0
    if people == 0 or requirements == 0:
        return 0
    per_person = _bytes(snapshot.roster, set()) / people
    return int(people * requirements * (per_person + STATUS_EXTRA_BYTES))
