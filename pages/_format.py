"""How values look on every page: status marks, percentages, date columns and table headers."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from compliance import columns

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


MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
"""Every ASCII punctuation character: CommonMark lets a backslash make any of them literal,
which also stops Streamlit's own syntax (``$`` LaTeX, ``:red[..]``, ``:material/..:``)."""


AUTOLINKS = re.compile(r"(?i)(https?|ftp|mailto|www)(?=[:.])|(?<=\w)(@)(?=\w)")
"""Where GitHub-flavoured markdown would turn plain text into a link (``http://``,
``www.``, ``name@host``): it does so after escapes are read, so only breaking the
pattern stops it."""
WORD_JOINER = "\u2060"
"""Invisible, and no link pattern matches across it."""


def literal(text: object) -> str:
    """``text`` (a name, unit, file name... from an upload) for markdown, shown as it is:
    no link, image, emphasis, heading, LaTeX, colour or icon can come out of it. An
    invisible word joiner breaks what would become an automatic link."""
    flat = " ".join(str(text).splitlines())
    unlinked = AUTOLINKS.sub(lambda m: (m.group(1) or m.group(2)) + WORD_JOINER, flat)
    return MARKDOWN_SPECIAL.sub(r"\\\1", unlinked)


def badges(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Statuses shown with a mark so a table reads at a glance."""
    return frame.assign(**{c: frame[c].astype("string").replace(STATUS_BADGES) for c in columns})


def percent(rate: float | None) -> str:
    return "n/a" if rate is None or pd.isna(rate) else f"{rate:.1%}"


def date_column(label: str) -> st.column_config.DateColumn:
    return st.column_config.DateColumn(label, format=DATE_FORMAT)


def table_columns(
    frame: pd.DataFrame, special: Mapping[str, Callable[[str], object]] | None = None
) -> dict[str, object]:
    """How to show each column of ``frame``, headed as its download is
    (:func:`compliance.columns.header`): dates as dates, whole numbers plain, the rest as
    text; ``special`` makes a column's setting from its header instead."""
    special = special or {}
    config: dict[str, object] = {}
    for column in frame.columns:
        label = columns.header(column)
        series = frame[column]
        if column in special:
            config[column] = special[column](label)
        elif pd.api.types.is_datetime64_any_dtype(series):
            config[column] = date_column(label)
        elif pd.api.types.is_bool_dtype(series):
            config[column] = st.column_config.CheckboxColumn(label)
        elif pd.api.types.is_integer_dtype(series):
            config[column] = st.column_config.NumberColumn(label, format="%d")
        elif pd.api.types.is_numeric_dtype(series):
            config[column] = st.column_config.NumberColumn(label)
        else:
            config[column] = st.column_config.TextColumn(label)
    return config
