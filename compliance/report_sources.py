"""The data behind the board report: which imports its figures use, and why to doubt them.

Pure functions of the store's import list (``access.import_history``) and the snapshot of
the report's date. The roster snapshots are the ones in force on the report's date, the
comparison dates and every month of the trend (:func:`compliance.sources.roster_in_force`,
the store's own rule); completions and exemptions are every active import (the store
counts their union); the requirements are the version in force now, applied to every date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from compliance import sources
from compliance.snapshot import Snapshot

ROSTER_STALE_DAYS = 45
"""A roster in force on the report's date older than this misses starters and leavers."""
COMPLETIONS_STALE_DAYS = 14
"""As the sidebar: completions imported longer than this before the date miss recent ones."""
USED_COLUMNS: tuple[str, ...] = ("kind", "id", "file", "effective_on", "rows", "at", "by", "sha256")


@dataclass(frozen=True)
class Sources:
    """The imports behind the figures, the warnings the report must carry, and what
    matching decided (the notes the ``status`` command prints)."""

    used: pd.DataFrame
    """One row per import used: kind, import id, file, roster "as at", rows, when, by whom,
    sha256 of the file."""
    warnings: tuple[str, ...]
    notes: tuple[str, ...] = ()


def report_sources(
    imports: pd.DataFrame, now: Snapshot, days: Sequence[pd.Timestamp], today: pd.Timestamp
) -> Sources:
    """Which imports the report for ``now.as_of`` uses (``days``: the other dates it
    computes) and the warnings: stale roster or completions, dates before any roster."""
    as_of = now.as_of
    days = sorted({pd.Timestamp(day) for day in days} - {as_of})
    in_force = sources.roster_in_force(imports, [as_of, *days])
    rosters = imports[imports["id"].isin(in_force["id"])]
    active = imports["state"].astype("string").eq("active").fillna(False).to_numpy()
    others = imports[active & imports["kind"].isin(["completions", "exemptions", "requirements"])]
    others = others[(others["kind"] != "requirements") | (others["id"] == _rules_id(others))]
    used = pd.concat([rosters, others], ignore_index=True)
    order = {"roster": 0, "requirements": 1, "completions": 2, "exemptions": 3}
    used = used.sort_values(["kind", "id"], key=lambda c: c.map(order) if c.name == "kind" else c)
    warnings = [
        *_roster_warnings(in_force, as_of, days),
        *_completion_warnings(imports, as_of),
    ]
    if as_of > today:
        warnings.append(
            f"{as_of:%d %B %Y} is after the day this report was made ({today:%d %B %Y}): "
            "completions after today are not known yet."
        )
    return Sources(used.reindex(columns=list(USED_COLUMNS)).reset_index(drop=True),
                   tuple(warnings), now.notes)


def _rules_id(requirements: pd.DataFrame) -> int | None:
    """The requirements version in force: the latest active one."""
    versions = requirements.loc[requirements["kind"] == "requirements", "id"]
    return None if versions.empty else int(versions.max())


def _roster_warnings(
    in_force: pd.DataFrame, as_of: pd.Timestamp, days: Sequence[pd.Timestamp]
) -> list[str]:
    if in_force.empty:
        return ["No roster is imported: the report has nobody to count."]
    found = []
    effective = pd.to_datetime(in_force["effective_on"])
    first = in_force.iloc[0]
    if effective.iloc[0] > as_of:
        found.append(
            f"No roster was in force on {as_of:%d %B %Y}: the earliest snapshot "
            f"({first['file']}, as at {effective.iloc[0]:%d %B %Y}) is used instead."
        )
    elif (as_of - effective.iloc[0]).days > ROSTER_STALE_DAYS:
        found.append(
            f"The roster in force on {as_of:%d %B %Y} ({first['file']}) is as at "
            f"{effective.iloc[0]:%d %B %Y}, {(as_of - effective.iloc[0]).days} days before: "
            "starters, leavers and moves since then are not reflected."
        )
    before = [day for day, on in zip(days, effective.iloc[1:], strict=True) if on > day]
    if before:
        found.append(
            f"{len(before)} earlier date(s) of the comparison and trend (from "
            f"{min(before):%d %B %Y}) come before the earliest roster snapshot: they use it, "
            "so people who left before it was taken are missing from them."
        )
    return found


def _completion_warnings(imports: pd.DataFrame, as_of: pd.Timestamp) -> list[str]:
    latest = sources.latest_imports(imports)
    if not latest["kind"].eq("completions").any():
        return ["No completions are imported: everyone counts as not trained."]
    stale = sources.stale_completions(latest, as_of, COMPLETIONS_STALE_DAYS)
    if stale is None:
        return []
    return [
        f"The latest completions import is {stale} days older than {as_of:%d %B %Y}: "
        "courses completed since then are missing, so the rate may be too low."
    ]

