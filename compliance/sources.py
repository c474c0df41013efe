"""Where the figures come from: the newest import of each kind, staleness, what is missing.

Pure functions of the store's import list, for the sidebar, the pages' empty states, the
board report's "data behind it", and the store itself (which roster is in force on a day).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

REQUIRED_KINDS: tuple[str, ...] = ("roster", "completions", "requirements")


def roster_in_force(snapshots: pd.DataFrame, days: Sequence[date | pd.Timestamp]) -> pd.DataFrame:
    """The roster snapshot in force on each day (one row per day, in order): the latest
    active one effective on or before the day, else the earliest (DESIGN "The store").

    ``snapshots`` has ``id``, ``effective_on`` and ``state`` (the store's roster snapshots,
    or the import list, whose other kinds are left out); no rows when none is active.
    """
    active = snapshots["state"].astype("string").eq("active").fillna(False).to_numpy()
    if "kind" in snapshots:
        active &= snapshots["kind"].astype("string").eq("roster").fillna(False).to_numpy()
    chosen = snapshots[active].sort_values(["effective_on", "id"], kind="stable")
    if chosen.empty:
        return chosen
    effective = pd.to_datetime(chosen["effective_on"]).to_numpy(dtype="datetime64[ns]")
    wanted = pd.to_datetime(pd.Series(list(days), dtype=object)).dt.normalize()
    position = np.searchsorted(effective, wanted.to_numpy(dtype="datetime64[ns]"), side="right")
    return chosen.iloc[np.maximum(position - 1, 0)].reset_index(drop=True)


def latest_imports(imports: pd.DataFrame) -> pd.DataFrame:
    """The newest active import of each kind: where the figures on screen come from."""
    active = imports[imports["state"].astype("string").eq("active").fillna(False).to_numpy()]
    newest = active.sort_values("at").groupby("kind", sort=True).tail(1)
    return newest[["kind", "file", "at", "rows"]].sort_values("kind").reset_index(drop=True)

def stale_completions(latest: pd.DataFrame, now: pd.Timestamp, days: int) -> int | None:
    """Age in days of the latest completion import when older than ``days``, else None."""
    at = pd.to_datetime(latest.loc[latest["kind"].eq("completions"), "at"])
    if at.empty:
        return None
    age = (now.tz_localize(None) - at.max().tz_localize(None)).days
    return age if age > days else None

def missing_kinds(imports: pd.DataFrame) -> list[str]:
    """The imports the dashboard needs that the store has no active one of."""
    present = set(latest_imports(imports)["kind"])
    return [kind for kind in REQUIRED_KINDS if kind not in present]
