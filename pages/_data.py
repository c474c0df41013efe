"""The pages' data: cached, scoped reads through ``compliance.access`` and the user's writes.

Nothing under ``pages/`` opens or reads the store except through this module, and this
module only through ``compliance.access`` and ``compliance.actions``. The data version is
read once per page run (:func:`begin_run`); every cached frame is keyed by it, the date
and the user's scope, so an import refreshes every page and a filter change only slices
frames already in memory. Snapshots and frames are shared between sessions (keyed by
scope) in one cache bounded by bytes (``pages._cache``): callers never modify them in place.
The match of each roster import (``access.matched``) is one entry per data version, which
every date's snapshot, the trend and the projection read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from compliance import access, actions, demo, importing, quality
from compliance.evidence_model import Evidence, Request
from compliance.importing import ImportItem, ImportSummary
from compliance.rules import Rules
from compliance.scope import Scope
from compliance.snapshot import Matched, Snapshot
from loaders.report import LoadReport
from pages import _cache, _session

TREND_MONTHS = 24
VERSION = "data_version"
"""Session key of the data version read at the start of this run."""


def current_user() -> str:
    """Who is using the dashboard: the signed-in account's name."""
    return _session.user_name()


def current_scope() -> Scope:
    """The units the signed-in account may see (all for every role but a unit viewer)."""
    return _session.scope()


@st.cache_resource(show_spinner=False)
def _connection(url: str) -> access.StoreReader:
    return access.open_store(url)


def _url() -> str:
    return access.store_url()


def connection() -> access.StoreReader:
    """The store of this deployment, for ``pages._records`` (no page opens it itself)."""
    return _connection(_url())


def begin_run() -> None:
    """Read the data version once for this page run; start the run's own cache."""
    _cache.begin_run()
    st.session_state[VERSION] = access.data_version(_connection(_url()))


def _version() -> str:
    if VERSION not in st.session_state:
        begin_run()
    return str(st.session_state[VERSION])


@_cache.shared
def _current(url: str, version: str) -> access.Current:
    return access.current(_connection(url))


@_cache.shared
def _matched(url: str, version: str, roster_import: int | None) -> Matched:
    """One roster import's match, shared by every date, the trend and the projection."""
    return access.matched(_connection(url), _current(url, version), roster_import)


@_cache.shared
def _whole(url: str, version: str, as_of: pd.Timestamp) -> Snapshot:
    roster_import = access.roster_imports(_connection(url), [as_of])[0]
    return access.snapshot_at(_matched(url, version, roster_import), as_of)


@_cache.shared
def _scoped(url: str, version: str, as_of: pd.Timestamp, scope: Scope) -> Snapshot:
    return _whole(url, version, as_of).scoped(scope)


def _seen(url: str, version: str, as_of: pd.Timestamp, scope: Scope) -> Snapshot:
    """The snapshot a user with ``scope`` sees; the whole one itself (kept once) for all units."""
    if scope.units is None:
        return _whole(url, version, as_of)
    return _scoped(url, version, as_of, scope)


@_cache.shared
def _trend(url: str, version: str, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    start = as_of - pd.DateOffset(months=TREND_MONTHS)
    return access.trend_frame(
        _connection(url), _current(url, version), start, as_of, scope,
        shared=lambda roster_import: _matched(url, version, roster_import),
    )


@_cache.shared
def _projection(url: str, version: str, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    return access.projection_frame(_seen(url, version, as_of, scope))


@_cache.shared
def _counts(url: str, version: str, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    return access.day_counts(_seen(url, version, as_of, scope))


@_cache.shared
def _history(url: str, version: str, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    return access.completion_history(_seen(url, version, as_of, scope))


@_cache.shared
def _imports(url: str, version: str) -> pd.DataFrame:
    return access.import_history(_connection(url))


@_cache.shared
def _findings(
    url: str, version: str, as_of: pd.Timestamp, today: pd.Timestamp
) -> quality.Findings:
    with st.spinner("Checking the data..."):
        return access.quality_findings(_whole(url, version, as_of), today)


@_cache.shared
def _preview(
    url: str, version: str, new: Rules, as_of: pd.Timestamp, scope: Scope
) -> pd.DataFrame:
    with st.spinner("Computing statuses with the new rules..."):
        return access.rules_preview(_seen(url, version, as_of, scope), new)


@_cache.shared
def _import_report(url: str, import_id: int) -> LoadReport:
    """An import's load report never changes once stored, so it is cached by id."""
    return access.import_report(_connection(url), import_id)


def snapshot(as_of: pd.Timestamp) -> Snapshot:
    """Roster, matched completions, rules and exemptions on ``as_of``, in the user's scope."""
    return _seen(_url(), _version(), as_of, current_scope())


def status(as_of: pd.Timestamp) -> pd.DataFrame:
    """Status of every (person, requirement) on ``as_of`` within the user's scope."""
    return snapshot(as_of).status


def roster(as_of: pd.Timestamp) -> pd.DataFrame:
    return snapshot(as_of).roster


def rules() -> Rules | None:
    """The requirements in force (None before any requirements import)."""
    return _current(_url(), _version()).rules


def courses() -> tuple[str, ...]:
    """The requirements' course names, in the rules' order (none before any rules)."""
    in_force = rules()
    return () if in_force is None else in_force.courses


def history(as_of: pd.Timestamp) -> pd.DataFrame:
    """Every matched completion with its source file and row."""
    return _history(_url(), _version(), as_of, current_scope())


def imports() -> pd.DataFrame:
    return _imports(_url(), _version())


def trend(as_of: pd.Timestamp) -> pd.DataFrame:
    """Month-end counts for the 24 months up to ``as_of``, by unit, course and staff type."""
    return _trend(_url(), _version(), as_of, current_scope())


def projection(as_of: pd.Timestamp) -> pd.DataFrame:
    """Counts over the next 90 days if nobody completes anything."""
    return _projection(_url(), _version(), as_of, current_scope())


def counts(as_of: pd.Timestamp) -> pd.DataFrame:
    """Status counts on ``as_of`` by unit, course and staff type, without a status table."""
    return _counts(_url(), _version(), as_of, current_scope())


def quality_findings(as_of: pd.Timestamp) -> quality.Findings:
    """Data-quality findings with the roster of ``as_of``; future dates judged from today."""
    return _findings(_url(), _version(), as_of, pd.Timestamp(dt.date.today()))


def rules_preview(new: Rules, as_of: pd.Timestamp) -> pd.DataFrame:
    """Pairs whose status on ``as_of`` would move under ``new``."""
    return _preview(_url(), _version(), new, as_of, current_scope())


@_cache.shared
def _demo_active(url: str, version: str) -> bool:
    return access.demo_active(_connection(url))


def demo_active() -> bool:
    """Whether the demo force is loaded (every page then says so)."""
    return _demo_active(_url(), _version())


def import_report(import_id: int) -> LoadReport:
    return _import_report(_url(), import_id)


def person(person_id: str, as_of: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(roster row, status rows) of one person on a date, from that date's snapshot."""
    return access.one_person(snapshot(as_of), person_id)


@_cache.shared
def _incident(url: str, version: str, request: Request, scope: Scope) -> Evidence:
    seen = _seen(url, version, request.when, scope)
    return access.incident_check(_connection(url), seen, request, scope)


def incident_check(request: Request) -> Evidence:
    """The incident check in the user's scope: people outside their units are unknown."""
    return _incident(_url(), _version(), request, current_scope())


def import_items(items: list[ImportItem], progress: Callable[[float, str], None]) -> ImportSummary:
    """Import checked files as the current user and summarise what changed today."""
    return importing.import_items(
        _connection(_url()),
        items,
        user=current_user(),
        scope=current_scope(),
        as_of=pd.Timestamp(dt.date.today()),
        progress=progress,
    )


def remove_demo() -> str:
    """Withdraw every demo import and disable the demo accounts, as the signed-in user."""
    return demo.remove(_connection(_url()), user=current_user())


def save_rules(new: Rules, file_name: str) -> str:
    """Store ``new`` as the next requirements version; the store's message."""
    return actions.save_rules(_connection(_url()), new, file_name, user=current_user()).message


def import_rules_file(data: bytes, file_name: str) -> str:
    """Store an uploaded requirements file (its own bytes) as the next version."""
    outcome = actions.import_file(
        _connection(_url()), "requirements", data, file_name, user=current_user()
    )
    return outcome.message


def set_import_state(import_id: int, *, active: bool) -> None:
    """Restore (``active``) or withdraw an import; the store audits either."""
    actions.set_import_state(_connection(_url()), import_id, active=active, user=current_user())


def remembered_mapping(kind: str, headers: list[str]) -> dict[str, str]:
    """Corrections the user made before to a file with these headers."""
    return actions.remembered_mapping(_connection(_url()), kind, headers)
