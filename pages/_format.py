"""How values look on every page: status marks, percentages and date columns."""

from __future__ import annotations

import pandas as pd
import streamlit as st

DATE_FORMAT = "D MMM YYYY"
STATUS_BADGES = {
    "compliant": "\u2713 compliant",
    "expiring": "\u25d0 expiring",
    "pending": "\u25cb pending",
    "overdue": "\u2717 overdue",
    "exempt": "\u2013 exempt",
    "not required": "",
}
"""Marks drawn from common fonts (no emoji), so every browser shows them."""


def badges(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Statuses shown with a mark so a table reads at a glance."""
    return frame.assign(**{c: frame[c].astype("string").replace(STATUS_BADGES) for c in columns})


def percent(rate: float | None) -> str:
    return "n/a" if rate is None or pd.isna(rate) else f"{rate:.1%}"


def date_column(label: str) -> st.column_config.DateColumn:
    return st.column_config.DateColumn(label, format=DATE_FORMAT)
