"""How many bytes a cached value holds, so the dashboard's caches are bounded by memory, not count.

A count bound (``max_entries``) lets eight national snapshots of a gigabyte each pile up as
easily as eight tiny demo ones; a byte bound keeps the server's memory predictable. Frames
count their own buffers and every string they point to (``memory_usage(deep=True)``, a C
loop); a :class:`~compliance.snapshot.Snapshot` whose statuses are not computed yet is
charged for them in advance, because they appear later inside the same cached object, and
a shared match (:class:`~compliance.snapshot.Matched`) for its engine model's arrays.

Text columns repeat one string object on many rows (the store and the loaders hand them
over so, and a status table points at its roster's strings), so each distinct string is
charged once, as memory holds it: ``memory_usage(deep=True)`` charges it on every row and
put a national snapshot at 4.6 GB where the process grew by 1.0 GB, so a budget sized for
the machine kept nothing national. (A mostly distinct column is summed per row, which
charges at most twice what it holds and skips grouping.)
Cached frames are never modified, and the same frames (the store's completions, a roster)
are reached from several cached values, so each frame's count is kept while it lives.

>>> frame = pd.DataFrame({"person_id": ["000123"] * 1_000})
>>> 50_000 < nbytes(frame) < 100_000
True
"""

from __future__ import annotations

import dataclasses
import os
import sys
import weakref
from collections.abc import Mapping

import numpy as np
import pandas as pd
from pandas._libs import lib
from pandas.api.extensions import ExtensionArray
from pandas.arrays import NumpyExtensionArray

from compliance.engine import StatusModel
from compliance.errors import UsageError
from compliance.matching import distinct_objects
from compliance.snapshot import Matched, Snapshot

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
    if isinstance(value, (pd.DataFrame, pd.Series, pd.Index, np.ndarray, ExtensionArray)):
        if id(value) in seen:
            return 0
        seen.add(id(value))
        if isinstance(value, np.ndarray):
            return sys.getsizeof(value) + (value.nbytes if value.base is not None else 0)
        if isinstance(value, ExtensionArray):
            return int(value.nbytes)
        return _counted(value)
    if isinstance(value, (Snapshot, Matched)):
        return _snapshot_bytes(value, seen)
    if isinstance(value, StatusModel):
        return _model_bytes(value, seen)
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


_COUNTED: dict[int, tuple[weakref.ref, int]] = {}
"""Bytes of each frame counted so far, by ``id``, while the frame lives."""


def _counted(value: pd.DataFrame | pd.Series | pd.Index) -> int:
    """:func:`_frame_bytes` of ``value``, counted once while it lives (cached frames are
    never modified)."""
    key = id(value)
    known = _COUNTED.get(key)
    if known is not None and known[0]() is value:
        return known[1]
    counted = _frame_bytes(value)

    def forget(ref: weakref.ref, key: int = key) -> None:
        if _COUNTED.get(key, (None, 0))[0] is ref:
            del _COUNTED[key]

    _COUNTED[key] = (weakref.ref(value, forget), counted)
    return counted


def _frame_bytes(value: pd.DataFrame | pd.Series | pd.Index) -> int:
    """Buffers and index; numpy text columns with their strings (:func:`_object_bytes`)."""
    if isinstance(value, pd.Index):
        return int(value.memory_usage(deep=True))
    frame = isinstance(value, pd.DataFrame)
    columns = [column for _, column in value.items()] if frame else [value]
    total = int(value.index.memory_usage(deep=True))
    for column in columns:
        if column.dtype == object and isinstance(column.array, NumpyExtensionArray):
            values = np.asarray(column.array, dtype=object)
            total += values.nbytes + _object_bytes(values)
        else:
            total += int(column.memory_usage(index=False, deep=True))
    return total


def _object_bytes(values: np.ndarray) -> int:
    """The ``sys.getsizeof`` of each distinct object the elements point to (grouped by the
    object's address), or of every element when most are distinct."""
    _, distinct = distinct_objects(values)
    if 2 * len(distinct) > len(values):  # mostly distinct: grouping them saves nothing
        return int(lib.memory_usage_of_objects(np.ascontiguousarray(values, dtype=object)))
    return int(sum(map(sys.getsizeof, distinct)))


def _model_bytes(model: StatusModel, seen: set[int]) -> int:
    """What the engine's model holds (roster copy, pair tables, completion entries), with
    its table of the latest completion per pair charged before its first evaluation, and
    the strings it evaluates with where its roster copy holds them only as Arrow text."""
    held = sys.getsizeof(model) + sum(_bytes(part, seen) for part in vars(model).values())
    held += sum(
        _object_bytes(values)
        for name, values in model._text.items()
        if name in model.roster and model.roster[name].dtype != object
    )
    if model._best is None:
        held += len(model.roster) * model.n_req * np.dtype(np.int64).itemsize
    return held


def _snapshot_bytes(snapshot: Snapshot | Matched, seen: set[int]) -> int:
    """A snapshot or a shared match: the matched completions are rows of all of them, so
    their strings are charged there (see :func:`_pointer_bytes`)."""
    parts = [snapshot.roster, snapshot.all_completions, snapshot.exemptions, snapshot.match]
    if isinstance(snapshot, Matched):
        parts.append(snapshot.model)
    else:
        parts += [snapshot.unmatched, snapshot.shared]
    held = _pointer_bytes(snapshot.completions, seen)
    held += sum(_bytes(part, seen) for part in parts if part is not None)
    if isinstance(snapshot, Matched):
        return held
    if "status" in snapshot.__dict__:
        return held + _pointer_bytes(snapshot.status, seen)
    return held + _expected_status_bytes(snapshot)


def _pointer_bytes(frame: pd.DataFrame, seen: set[int]) -> int:
    """A frame of a snapshot without its strings, when each is one that other parts of
    the snapshot hold and are charged for: its statuses (roster, rules, completions,
    exemptions, the engine's model) and its matched completions (all completions, the
    roster). Grouping the strings of a national table's millions of rows column by
    column costs a second on every page that caches one."""
    if id(frame) in seen:
        return 0
    seen.add(id(frame))
    return int(frame.memory_usage(index=True, deep=False).sum())


def _expected_status_bytes(snapshot: Snapshot) -> int:
    """At most one status row per (person, requirement), each a roster row's cells (text
    cells point at the roster's strings) and some more."""
    people = len(snapshot.roster)
    requirements = len(snapshot.rules.requirements) if snapshot.rules is not None else 0
    if people == 0 or requirements == 0:
        return 0
    per_person = snapshot.roster.memory_usage(index=False, deep=False).sum() / people
    return int(people * requirements * (per_person + STATUS_EXTRA_BYTES))
