"""Shared Streamlit pieces: the store, cached frames, the sidebar, empty states, errors, exports.

Pages import this and ``compliance``; they never read the store or compute a status
themselves. Frames are cached per data version, date and scope, so an import (which
changes ``store.data_version()``) refreshes every page and a filter change only slices
frames already in memory.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from compliance import access, import_diff, mappings, quality
from compliance.access import Filters, Scope
from compliance.errors import RulesError, StoreError
from compliance.rules import Rules, dump_rules, load_rules
from compliance.store import ImportOutcome, Store, database_url
from loaders import LoadResult
from loaders.errors import LoaderError
from loaders.report import LoadReport
from pages import _navigation

ALL = "All"
DEFAULT_TARGET_PERCENT = 90
STALE_AFTER_DAYS = 14
TREND_MONTHS = 24
DELTA_DAYS = 30
EARLIEST_DATE = dt.date(2000, 1, 1)
"""Earliest date the date pickers offer (investigations can reach years back)."""
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_PAGE = "pages/upload.py"
UPLOAD_HINT = (
    "Upload the HR roster, the learning system's completion export and the requirements "
    "file on the **Upload** page (Data section), or load the demo force with "
    "`python -m compliance demo`."
)
STATUS_HELP = """
Each person is checked against each requirement that applies to them (their staff type,
unit and role), as of the date chosen in the sidebar. People count only between their
start date and leaving date.

- **Exempt**: an exemption for this person and course (or all courses, `*`) covers the
  date. The course is the requirement's name; an alias or code of it also works.
- **Compliant**: their latest counting completion (on or before the date, and not before
  the requirement's *not before* date) is still valid: courses with no renewal period stay
  valid for good; others until *completion + renewal months*.
- **Expiring**: compliant, but the completion runs out within the due-soon window
  (30 days unless the requirement says otherwise).
- **Overdue**: the completion has run out, or there is none and the grace period
  (new starters' days after their start date, or the requirement's deadline) has passed.
  *Days overdue* count from that due date.
- **Pending**: no completion yet, but still within the new-starter grace period or before
  the deadline.

**Compliance rate** = (compliant + expiring) / (everyone in scope - exempt). Pending people
are not yet compliant, so they lower the rate.
"""
TYPED_ERRORS = (LoaderError, RulesError, StoreError)


@dataclass(frozen=True)
class View:
    """What the sidebar chose: the date, the filters and the target rate."""

    as_of: pd.Timestamp
    filters: Filters
    target: float


def current_user() -> str:
    """Who is using the dashboard. The sign-in issue replaces this with the signed-in user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local user"


def current_scope() -> Scope:
    """The units the current user may see. The sign-in issue fills this from their role."""
    return Scope()


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> Store:
    return Store.open(url)


def store_url() -> str:
    return database_url(os.environ)


def _current_store() -> Store:
    """The store the dashboard reads (``COMPLIANCE_DB``, else the SQLite file in ``data/``).

    Private: pages read through the functions below, which sign-in will scope."""
    return _open_store(store_url())


def _version() -> str:
    return str(_current_store().data_version())


@st.cache_data(show_spinner=False, max_entries=32)
def _status(url: str, version: str, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    return access.status_frame(_open_store(url), as_of, scope)


@st.cache_data(show_spinner=False, max_entries=32)
def _roster(url: str, version: str, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    return access.roster_frame(_open_store(url), as_of, scope)


@st.cache_data(show_spinner=False, max_entries=8)
def _history(url: str, version: str, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    return access.completion_history(_open_store(url), as_of, scope)


@st.cache_data(show_spinner=False, max_entries=8)
def _imports(url: str, version: str) -> pd.DataFrame:
    return access.import_history(_open_store(url))


@st.cache_data(show_spinner=False, max_entries=8)
def _trend(url: str, version: str, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    start = as_of - pd.DateOffset(months=TREND_MONTHS)
    return access.trend_frame(_open_store(url), start, as_of, scope)


@st.cache_data(show_spinner=False, max_entries=8)
def _projection(url: str, version: str, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    return access.projection_frame(_open_store(url), as_of, scope)


@st.cache_data(show_spinner=False, max_entries=8)
def _rules(url: str, version: str) -> Rules | None:
    return access.rules_in_force(_open_store(url))


@st.cache_data(show_spinner="Checking the data...", max_entries=8)
def _findings(
    url: str, version: str, as_of: pd.Timestamp, scope: Scope, today: pd.Timestamp
) -> quality.Findings:
    return access.quality_findings(_open_store(url), as_of, scope, today)


@st.cache_data(show_spinner="Computing statuses with the new rules...", max_entries=8)
def _preview(
    url: str, version: str, yaml_text: str, as_of: pd.Timestamp, scope: Scope
) -> pd.DataFrame:
    new = load_rules(yaml_text, "edited rules")
    return access.rules_preview(_open_store(url), new, as_of, scope)


@st.cache_data(show_spinner=False, max_entries=32)
def _import_report(url: str, import_id: int) -> LoadReport:
    """An import's load report never changes once stored, so it is cached by id."""
    return access.import_report(_open_store(url), import_id)


def status(as_of: pd.Timestamp) -> pd.DataFrame:
    """Status of every (person, requirement) on ``as_of`` within the user's scope."""
    return _status(store_url(), _version(), as_of, current_scope())


def roster(as_of: pd.Timestamp) -> pd.DataFrame:
    return _roster(store_url(), _version(), as_of, current_scope())


def history(as_of: pd.Timestamp) -> pd.DataFrame:
    """Every matched completion with its source file and row."""
    return _history(store_url(), _version(), as_of, current_scope())


def imports() -> pd.DataFrame:
    return _imports(store_url(), _version())


def courses() -> tuple[str, ...]:
    """The requirements' course names, in the rules' order (none before any rules)."""
    in_force = rules()
    return () if in_force is None else in_force.courses


def trend(as_of: pd.Timestamp) -> pd.DataFrame:
    """Month-end counts for the 24 months up to ``as_of``, by unit, course and staff type."""
    return _trend(store_url(), _version(), as_of, current_scope())


def projection(as_of: pd.Timestamp) -> pd.DataFrame:
    """Counts over the next 90 days if nobody completes anything."""
    return _projection(store_url(), _version(), as_of, current_scope())


def rules() -> Rules | None:
    """The requirements in force (None before any requirements import)."""
    return _rules(store_url(), _version())


def quality_findings(as_of: pd.Timestamp) -> quality.Findings:
    """Data-quality findings with the roster of ``as_of``; future dates judged from today."""
    return _findings(
        store_url(), _version(), as_of, current_scope(), pd.Timestamp(dt.date.today())
    )


def rules_preview(new: Rules, as_of: pd.Timestamp) -> pd.DataFrame:
    """Pairs whose status on ``as_of`` would move under ``new`` (cached on its YAML)."""
    return _preview(store_url(), _version(), dump_rules(new), as_of, current_scope())


def import_report(import_id: int) -> LoadReport:
    return _import_report(store_url(), import_id)


def import_snapshot(as_of: pd.Timestamp) -> import_diff.Snapshot:
    """Roster, statuses and completions now, uncached: the "before" and "after" of an import."""
    return access.import_snapshot(_current_store(), as_of, current_scope())


def import_file(
    kind: str, data: bytes, name: str, progress: Callable[[float, str], None] | None = None
) -> ImportOutcome:
    """Import a file's bytes as the current user (requirements: the next rules version)."""
    return _current_store().import_file(kind, data, name, user=current_user(), progress=progress)


def import_loaded(
    kind: str,
    result: LoadResult,
    data: bytes,
    name: str,
    as_at: dt.date | None,
    progress: Callable[[float, str], None],
) -> ImportOutcome:
    """Import a file as already loaded (and checked) on the Upload page."""
    return _current_store().import_frame(
        kind, result, data=data, filename=name, user=current_user(), as_at=as_at,
        progress=progress,
    )


def remembered_mapping(kind: str, headers: list[str]) -> dict[str, str]:
    """Corrections the user made before to a file with these headers."""
    return mappings.recall(_current_store(), kind, headers)


def remember_mapping(kind: str, headers: list[str], fixes: dict[str, str]) -> None:
    """Keep this file's corrections for the next file with the same headers (audited)."""
    mappings.remember(_current_store(), kind, headers, fixes, user=current_user())


def set_import_state(import_id: int, *, active: bool) -> None:
    """Restore (``active``) or withdraw an import; the store audits either."""
    change = _current_store().restore if active else _current_store().withdraw
    change(import_id, user=current_user())


def person(person_id: str, as_of: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(roster row, status rows) of one person on a date, from that date's cached frames
    (checking several people against one incident date computes the date once)."""
    return access.one_person(roster(as_of), status(as_of), person_id)


@contextmanager
def user_errors() -> Iterator[None]:
    """Show the project's typed errors (and an unreadable database) as ``st.error``."""
    try:
        yield
    except TYPED_ERRORS as error:
        st.error(str(error), icon=":material/error:")
    except SQLAlchemyError as error:
        st.error(
            "The compliance store cannot be read "
            f"({type(error).__name__}). Check COMPLIANCE_DB and that the database is running.",
            icon=":material/error:",
        )


def sidebar() -> None:
    """The shared sidebar: date, unit, course, staff type, target and where the data came from.

    Every page draws it. Widget state is per page in Streamlit, so each choice is also
    kept under a ``keep_`` key and handed back to the widget on the next page: the choice
    carries across pages.
    """
    with st.sidebar:
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
        people = roster(pd.Timestamp(st.session_state["as_of"]))
        _select(
            "Unit",
            "unit",
            access.unit_options(people),
            "Any level of the hierarchy: a division includes all its teams.",
        )
        _select("Course", "course", list(courses()), "One requirement, or all of them.")
        staff_types = sorted(people["staff_type"].dropna().astype(str).unique())
        _select("Staff type", "staff_type", staff_types, "Officers, staff, PCSOs, specials...")
        _keep("target", DEFAULT_TARGET_PERCENT)
        st.slider(
            "Target compliance %",
            50,
            100,
            key="target",
            step=1,
            on_change=_remember,
            args=("target",),
            help="Bars and boxes are green at or above the target, "
            "amber within 10 points below it, red below that.",
        )
        _data_sources()


def _keep(key: str, default: object) -> None:
    """Give widget ``key`` the value kept from earlier pages (or a value set before a run)."""
    state = st.session_state
    kept = f"keep_{key}"
    if kept not in state:
        state[kept] = state.get(key, default)
    state[key] = state[kept]


def choose(key: str, value: object) -> None:
    """Change a sidebar choice from a page (e.g. "open this unit"); use in a callback."""
    st.session_state[f"keep_{key}"] = value


def _remember(key: str) -> None:
    st.session_state[f"keep_{key}"] = st.session_state[key]


def _select(label: str, key: str, options: list[str], help_text: str) -> None:
    choices = [ALL, *options]
    _keep(key, ALL)
    if st.session_state[key] not in choices:
        st.session_state[key] = st.session_state[f"keep_{key}"] = ALL
    st.selectbox(label, choices, key=key, help=help_text, on_change=_remember, args=(key,))


def _data_sources() -> None:
    latest = access.latest_imports(imports())
    if latest.empty:
        st.caption("No data imported yet.")
        return
    lines = [
        f"- {row.kind}: {row.file} ({row.at:%d %b %Y})" for row in latest.itertuples(index=False)
    ]
    st.caption("**Data from the latest imports**\n" + "\n".join(lines))
    stale = access.stale_completions(latest, pd.Timestamp.now(), STALE_AFTER_DAYS)
    if stale is not None:
        st.warning(
            f"The latest completion import is {stale} days old: upload a fresh export from "
            "the learning system so recent completions count.",
            icon=":material/schedule:",
        )


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


def _chosen(key: str) -> str | None:
    value = st.session_state.get(f"keep_{key}", ALL)
    return None if value in (None, ALL) else str(value)


def show(title: str, purpose: str, render: Callable[[View], None]) -> None:
    """Draw a page: sidebar, title, what the page is for, then ``render`` for the current
    choice, with the project's typed errors shown as messages instead of tracebacks."""
    st.set_page_config(page_title=f"{title} - Training compliance", layout="wide")
    _navigation.ensure()
    with user_errors():
        sidebar()
        current = view()
        st.title(title)
        st.caption(
            f"{purpose}  \nAs of **{current.as_of:%d %B %Y}** - {current.filters.describe()}."
        )
        render(current)


def require_data() -> None:
    """Stop the page with an explanation of what to upload when the store lacks data."""
    missing = access.missing_kinds(imports())
    if missing:
        st.info(
            f"Nothing to show yet: the store has no {' and no '.join(missing)}. {UPLOAD_HINT}",
            icon=":material/upload_file:",
        )
        st.page_link(UPLOAD_PAGE, label="Open the Upload page", icon=":material/upload:")
        status_help()
        st.stop()


def status_help() -> None:
    with st.expander("How each status is computed", icon=":material/help:"):
        st.markdown(STATUS_HELP)


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


def export_controls(
    key: str, frame: pd.DataFrame, what: str, sheet_name: str, pack_by: dict[str, str]
) -> None:
    """Purpose box, then CSV, XLSX and "pack per unit/manager" downloads built on click.

    Every file is built only when clicked, and building it writes the audit entry (who,
    when, what, how many rows, purpose) through ``access.audited_export``.
    """
    purpose = st.text_input(
        "Purpose of this download (required; recorded with your name in the audit log)",
        key=f"{key}_purpose",
        placeholder="e.g. monthly reminder to line managers in Crime Command",
    )
    ready = bool(purpose.strip()) and not frame.empty
    if not purpose.strip():
        st.caption(
            "The download buttons unlock once you state a purpose: these lists are personal data."
        )
    stem = f"{access.safe_file_name(what)}-{dt.date.today():%Y-%m-%d}"
    audited = partial(
        access.audited_export,
        _current_store(),
        user=current_user(),
        rows=len(frame),
        purpose=purpose.strip(),
    )
    left, middle, right = st.columns([1, 1, 2], vertical_alignment="bottom")
    left.download_button(
        "Download xlsx",
        data=partial(
            audited, partial(access.table_bytes, frame, "xlsx", sheet_name), what=f"{what} as xlsx"
        ),
        file_name=f"{stem}.xlsx",
        mime=XLSX_MIME,
        disabled=not ready,
        on_click="ignore",
        icon=":material/download:",
        key=f"{key}_xlsx",
    )
    middle.download_button(
        "Download csv",
        data=partial(
            audited, partial(access.table_bytes, frame, "csv", sheet_name), what=f"{what} as csv"
        ),
        file_name=f"{stem}.csv",
        mime="text/csv",
        disabled=not ready,
        on_click="ignore",
        icon=":material/download:",
        key=f"{key}_csv",
    )
    with right:
        split_label = st.selectbox("Pack: one file per", list(pack_by), key=f"{key}_pack_by")
        column = pack_by[split_label]
        st.download_button(
            f"Download pack per {split_label} (zip)",
            data=partial(
                audited,
                partial(access.pack_bytes, frame, column, sheet_name),
                what=f"{what} as zip, one xlsx per {split_label}",
            ),
            file_name=f"{stem}-per-{access.safe_file_name(split_label)}.zip",
            mime="application/zip",
            disabled=not ready,
            on_click="ignore",
            icon=":material/folder_zip:",
            key=f"{key}_pack",
        )


def text_export(key: str, text: str, what: str, file_name: str) -> None:
    """A purpose box and a download of ``text``, audited when the file is built."""
    purpose = st.text_input(
        "Purpose of this download (required; recorded with your name in the audit log)",
        key=f"{key}_purpose",
        placeholder="e.g. complaint reference PSD/2026/0142",
    )
    build = partial(
        access.audited_export,
        _current_store(),
        partial(str.encode, text, "utf-8"),
        user=current_user(),
        what=what,
        rows=1,
        purpose=purpose.strip(),
    )
    st.download_button(
        "Download as text",
        data=build,
        file_name=file_name,
        mime="text/plain",
        disabled=not purpose.strip(),
        on_click="ignore",
        icon=":material/download:",
        key=f"{key}_download",
    )


DATE_FORMAT = "D MMM YYYY"


def date_column(label: str) -> st.column_config.DateColumn:
    return st.column_config.DateColumn(label, format=DATE_FORMAT)
