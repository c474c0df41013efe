"""Compliance month by month and over the next 90 days: the same rules at many dates.

Title matching and person matching are done once for all dates, and each distinct roster
gets one prepared :class:`compliance.engine.StatusModel`; each date then costs one
evaluation of every (person, requirement) pair and one ``bincount``. Where one roster is
in force on every date, the model its snapshots share (``compliance.snapshot.Matched``) is
used, so the trend and the projection match nothing again. Counts are kept by
unit, course and staff type so that a sidebar filter re-aggregates them
(:func:`rates_by_date`) instead of recomputing history.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import numpy as np
import pandas as pd

from compliance import engine, matching, summary
from compliance.engine import STATUSES
from compliance.rules import Rules
from compliance.scope import Filters, apply_filters
from compliance.snapshot import Matched, Snapshot
from compliance.summary import COUNT_COLUMNS

GROUPS: tuple[str, ...] = ("unit", "course", "staff_type")
PROJECTION_DAYS = 90
PROJECTION_STEP_DAYS = 15


def month_ends(
    start: date | pd.Timestamp | str, end: date | pd.Timestamp | str
) -> list[pd.Timestamp]:
    """Every calendar month end from ``start`` to ``end`` inclusive."""
    return list(pd.date_range(pd.Timestamp(start).normalize(), pd.Timestamp(end), freq="ME"))


def trend_counts(
    rosters: dict[pd.Timestamp, pd.DataFrame],
    completions: pd.DataFrame,
    rules: Rules | None,
    exemptions: pd.DataFrame | None,
) -> pd.DataFrame:
    """Status counts on each day of ``rosters`` (day -> the roster in force that day).

    Days that share one roster frame (the same object) share its model, so a two-year
    trend under one roster snapshot prepares the engine once.
    """
    if rules is None or not rosters:
        return empty_counts()
    distinct = {id(roster): roster for roster in rosters.values()}
    everyone = pd.concat(list(distinct.values()), ignore_index=True)
    everyone = everyone.drop_duplicates("person_id", keep="last")
    matched = _matched(everyone, completions)
    index = engine.index_completions(matched, rules)
    models: dict[int, GroupedModel] = {}
    tallies = []
    for day, roster in rosters.items():
        if id(roster) not in models:
            models[id(roster)] = GroupedModel(engine.StatusModel(roster, index, exemptions))
        tallies.append(models[id(roster)].tally(day))
    return _with_rate(counts_frame(tallies))


def shared_counts(matched: Matched, days: list[pd.Timestamp]) -> pd.DataFrame | None:
    """The counts of :func:`trend_counts` on ``days`` when the roster of ``matched`` is in
    force on every one of them, from the model it shares; None when it has no model (no
    rules, nobody on the roster), which :func:`trend_counts` handles."""
    model = matched.model
    if model is None:
        return None
    grouped = GroupedModel(model)
    return _with_rate(counts_frame([grouped.tally(day) for day in days]))


def projection_counts(snapshot: Snapshot) -> pd.DataFrame:
    """Status counts over the 90 days after the snapshot's date if nobody completes
    anything: only known expiries (and new starters' grace periods ending) move them."""
    days = [
        snapshot.as_of + pd.Timedelta(days=offset)
        for offset in range(0, PROJECTION_DAYS + 1, PROJECTION_STEP_DAYS)
    ]
    return _snapshot_counts(snapshot, days)


def day_counts(snapshot: Snapshot) -> pd.DataFrame:
    """Status counts on the snapshot's own date: what its status table would tally, for
    figures that need only counts (the Overview's change since 30 days before) without
    building a national status table of 2,000,000 rows."""
    return _snapshot_counts(snapshot, [snapshot.as_of])


def _snapshot_counts(snapshot: Snapshot, days: list[pd.Timestamp]) -> pd.DataFrame:
    """Counts on ``days`` from the snapshot's roster: from the model its match shares, or
    one built for it (a scoped snapshot has its own people)."""
    if snapshot.rules is None or snapshot.roster.empty:
        return empty_counts()
    model = None if snapshot.shared is None else snapshot.shared.model
    if model is None:
        index = engine.index_completions(snapshot.match or snapshot.completions, snapshot.rules)
        model = engine.StatusModel(snapshot.roster, index, snapshot.exemptions)
    grouped = GroupedModel(model)
    return _with_rate(counts_frame([grouped.tally(day) for day in days]))


class Tally(NamedTuple):
    """Status counts on one day: one row per (unit, course, staff type) with anyone in scope."""

    day: pd.Timestamp
    unit: np.ndarray
    course: np.ndarray
    staff_type: np.ndarray
    table: np.ndarray
    """Counts, one column per status (``STATUSES`` order)."""


class GroupedModel:
    """An engine model whose evaluations are counted by unit, staff type, course and status.

    Counting the engine's status codes directly (one ``bincount`` per date) keeps a
    24-month trend of a large force to seconds. Each pair key's group (its person's unit
    and staff type, and its course) is worked out once, here.
    """

    def __init__(self, model: engine.StatusModel) -> None:
        self.model = model
        roster = model.roster
        unit, units = pd.factorize(_text_column(roster, "unit"))
        staff, staff_types = pd.factorize(_text_column(roster, "staff_type"))
        width = max(len(staff_types), 1)
        self.codes, groups = pd.factorize(unit.astype(np.int64) * width + staff)
        self.units = np.asarray(units, dtype=object)[groups // width]
        self.staff_types = np.asarray(staff_types, dtype=object)[groups % width]
        n_req = model.n_req
        self._group_of_pair = (self.codes[:, None] * n_req + np.arange(n_req)).ravel()

    def counts(self, day: pd.Timestamp) -> pd.DataFrame:
        """One row per (unit, course, staff type) with anyone in scope on ``day``."""
        return counts_frame([self.tally(day)])

    def tally(self, day: pd.Timestamp) -> Tally:
        """The counts of :meth:`counts` as arrays, to be framed with other days' at once."""
        pairs, status = self.model.statuses(day)
        n_req, n_status = self.model.n_req, len(STATUSES)
        size = len(self.units) * n_req
        key = self._group_of_pair[pairs] * n_status + status
        table = np.bincount(key, minlength=size * n_status).reshape(size, n_status)
        kept = np.flatnonzero(table.sum(axis=1) > 0)
        group, course = np.divmod(kept, max(n_req, 1))
        return Tally(
            day, self.units[group], self.model.courses[course], self.staff_types[group],
            table[kept],
        )  # fmt: skip


def counts_frame(tallies: list[Tally]) -> pd.DataFrame:
    """The counts frame of several days' tallies, in their order, built once."""
    if not tallies:
        return empty_counts().drop(columns="compliance_rate")
    sizes = [len(t.table) for t in tallies]
    table = np.concatenate([t.table for t in tallies])
    staff_type = np.concatenate([t.staff_type for t in tallies])
    staff_type[staff_type == ""] = None
    frame = pd.DataFrame(
        {
            "date": pd.concat(
                [pd.Series(t.day, index=range(n)) for t, n in zip(tallies, sizes, strict=True)],
                ignore_index=True,
            ),
            "unit": np.concatenate([t.unit for t in tallies]),
            "course": np.concatenate([t.course for t in tallies]),
            "staff_type": staff_type,
            "in_scope": table.sum(axis=1),
            **{name: table[:, position] for position, name in enumerate(STATUSES)},
        }
    )
    return frame


def rates_by_date(counts: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """One compliance rate per date after the filters: the trend and projection lines."""
    chosen = apply_filters(counts, filters)
    if chosen.empty:
        return pd.DataFrame(
            {"date": pd.Series(dtype="datetime64[ns]"), "compliance_rate": pd.Series(dtype=float)}
        )
    totals = chosen.groupby("date", as_index=False)[list(COUNT_COLUMNS)].sum()
    return _with_rate(totals)


def empty_counts() -> pd.DataFrame:
    """The counts frame with no dates (no rules or nobody on the roster)."""
    columns: dict[str, pd.Series] = {"date": pd.Series(dtype="datetime64[ns]")}
    columns.update({k: pd.Series(dtype="object") for k in GROUPS})
    columns.update({c: pd.Series(dtype=int) for c in COUNT_COLUMNS})
    columns["compliance_rate"] = pd.Series(dtype=float)
    return pd.DataFrame(columns)


def _matched(
    roster: pd.DataFrame, completions: pd.DataFrame
) -> pd.DataFrame | matching.MatchResult:
    """The match itself (its roster positions spare hashing IDs again); none for nobody."""
    if roster.empty:
        return completions.iloc[0:0]
    return matching.match_completions(roster, completions)


def _with_rate(counts: pd.DataFrame) -> pd.DataFrame:
    """Add ``compliance_rate`` (DESIGN's rule, from ``compliance.summary``)."""
    return counts.assign(compliance_rate=summary.compliance_rate(counts).astype(float))


def _text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series("", index=frame.index, dtype="string")
    return frame[column].astype("string").fillna("")
