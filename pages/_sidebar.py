"""The shared sidebar: date, unit, course, staff type, target, and where the data came from.

Widget state is per page in Streamlit, so each choice is also kept under a ``keep_`` key
and handed back to the widget on the next page: the choice carries across pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from compliance import sources, units
from compliance.scope import Filters
from pages import _auth, _data, _format, _records, _session

ALL = "All"
DEFAULT_TARGET_PERCENT = 90
STALE_AFTER_DAYS = 14
EARLIEST_DATE = dt.date(2000, 1, 1)
"""Earliest date the date pickers offer (investigations can reach years back)."""


@dataclass(frozen=True)
class View:
    """What the sidebar chose: the date, the filters and the target rate."""

    as_of: pd.Timestamp
    filters: Filters
    target: float


def sidebar() -> None:
    """Draw the sidebar (every page does, through ``pages._frame.show``)."""
    with st.sidebar:
        signed = _session.account()
        if signed is not None:
            _auth.sidebar_identity(signed)
        _keep("as_of", dt.date.today())
        st.date_input(
            "As of",
            key="as_of",
            format="DD/MM/YYYY",
            min_value=EARLIEST_DATE,
            on_change=_remember,
            args=("as_of",),
            help="Statuses are computed as they stood at the end of this day.",
        )
        people = _data.roster(pd.Timestamp(st.session_state["as_of"]))
        _select(
            "Unit",
            "unit",
            units.unit_options(people),
            "Any level of the hierarchy: a division includes all its teams.",
        )
        _select("Course", "course", list(_data.courses()), "One requirement, or all of them.")
        staff_types = sorted(people["staff_type"].dropna().astype(str).unique())
        _select("Staff type", "staff_type", staff_types, "Officers, staff, PCSOs, specials...")
        _keep("target", _records.report_target())
        st.slider(
            "Target compliance %",
            50,
            100,
            key="target",
            step=1,
            on_change=_remember,
            args=("target",),
            help="Starts at the force's target (set on the Board report page). Bars and "
            "boxes are green at or above the target, amber within 10 points below it, "
            "red below that.",
        )
        _data_sources()


def view() -> View:
    """The sidebar's current choice."""
    state = st.session_state
    return View(
        as_of=pd.Timestamp(state.get("keep_as_of", dt.date.today())),
        filters=Filters(
            unit=_chosen("unit"), course=_chosen("course"), staff_type=_chosen("staff_type")
        ),
        target=float(state.get("keep_target", DEFAULT_TARGET_PERCENT)) / 100,
    )


def choose(key: str, value: object) -> None:
    """Change a sidebar choice from a page (e.g. "open this unit"); use in a callback."""
    st.session_state[f"keep_{key}"] = value


def _keep(key: str, default: object) -> None:
    """Give widget ``key`` the value kept from earlier pages (or a value set before a run)."""
    state = st.session_state
    kept = f"keep_{key}"
    if kept not in state:
        state[kept] = state.get(key, default)
    state[key] = state[kept]


def _remember(key: str) -> None:
    st.session_state[f"keep_{key}"] = st.session_state[key]


def _select(label: str, key: str, options: list[str], help_text: str) -> None:
    choices = [ALL, *options]
    _keep(key, ALL)
    if st.session_state[key] not in choices:
        st.session_state[key] = st.session_state[f"keep_{key}"] = ALL
    st.selectbox(label, choices, key=key, help=help_text, on_change=_remember, args=(key,))


def _chosen(key: str) -> str | None:
    value = st.session_state.get(f"keep_{key}", ALL)
    return None if value in (None, ALL) else str(value)


def _data_sources() -> None:
    latest = sources.latest_imports(_data.imports())
    if latest.empty:
        st.caption("No data imported yet.")
        return
    lines = [
        f"- {row.kind}: {_format.literal(row.file)} ({row.at:%d %b %Y})"
        for row in latest.itertuples(index=False)
    ]
    st.caption("**Data from the latest imports**\n" + "\n".join(lines))
    stale = sources.stale_completions(latest, pd.Timestamp.now(), STALE_AFTER_DAYS)
    if stale is not None:
        st.warning(
            f"The latest completion import is {stale} days old: upload a fresh export from "
            "the learning system so recent completions count.",
            icon=":material/schedule:",
        )
