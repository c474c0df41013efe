"""Where the figures come from: the newest import of each kind, staleness, what is missing.

Pure functions of the store's import list, for the sidebar and the pages' empty states.
"""

from __future__ import annotations

import pandas as pd

REQUIRED_KINDS: tuple[str, ...] = ("roster", "completions", "requirements")


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
