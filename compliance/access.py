"""The dashboard's only way to the store's data: open it and read frames for a date and scope.

Pages never open or read the store themselves (``pages._data`` caches these functions, and
``compliance.actions`` holds the writes). Reads are built around one :class:`Snapshot` per
date (``compliance.snapshot``): the roster in force, the completions matched to it once, the
rules and exemptions; a user's :class:`Scope` is applied to it where it is read. The match
itself belongs to a roster import, not a date (:func:`matched`): every date under that
roster, the trend and the projection share it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd

from compliance import evidence, quality, rules_table, snapshot, sources, trend
from compliance.evidence_model import Evidence, Provenance, Request
from compliance.provenance import completion_imports, nearest_sightings
from compliance.rules import Rules
from compliance.scope import Scope, keep_values
from compliance.snapshot import Matched, Snapshot
from loaders.report import LoadReport

if TYPE_CHECKING:
    from compliance.store import Store
    from compliance.store.accounts import Accounts


class StoreReader(Protocol):
    """What the reads here need of ``compliance.store.Store`` (tests pass a fake)."""

    def roster(self, as_of: Any) -> pd.DataFrame: ...
    def rosters(self, days: list[Any]) -> list[pd.DataFrame]: ...
    def completions(self) -> pd.DataFrame: ...
    def exemptions(self) -> pd.DataFrame: ...
    def rules(self) -> Any: ...
    def imports(self) -> pd.DataFrame: ...
    def import_report(self, import_id: int) -> LoadReport: ...
    def data_version(self) -> str: ...
    def roster_snapshots(self) -> pd.DataFrame: ...
    def roster_snapshot(self, as_of: Any) -> pd.Series | None: ...
    def import_rows(self, import_id: int) -> pd.DataFrame: ...


@dataclass(frozen=True, eq=False)
class Current:
    """The accumulating tables as they stand: every active completion and exemption, and
    the rules in force. Read once per data version and shared by every date."""

    completions: pd.DataFrame
    exemptions: pd.DataFrame
    rules: Rules | None


def store_url(environ: Mapping[str, str] = os.environ) -> str:
    """``COMPLIANCE_DB``, else the SQLite file in ``data/``."""
    from compliance.store import database_url

    return database_url(environ)


def open_store(url: str) -> Store:
    """Open (creating or migrating the schema) the store at ``url``."""
    from compliance.store import Store

    return Store.open(url)


def data_version(store: StoreReader) -> str:
    """Changes whenever an import, withdrawal or restore changes what the pages show."""
    return str(store.data_version())


def current(store: StoreReader) -> Current:
    return Current(store.completions(), store.exemptions(), store.rules())


def take_snapshot(store: StoreReader, tables: Current, as_of: pd.Timestamp) -> Snapshot:
    """The whole force on ``as_of``: the roster in force then, matched to ``tables``."""
    return snapshot.take(
        store.roster(as_of), tables.completions, tables.rules, tables.exemptions, as_of
    )


def roster_imports(store: StoreReader, days: list[pd.Timestamp]) -> list[int | None]:
    """The roster import in force on each day (None without one): a shared match's key."""
    chosen = sources.roster_in_force(store.roster_snapshots(), days)
    return [None] * len(days) if chosen.empty else [int(i) for i in chosen["id"]]


def matched(store: StoreReader, tables: Current, roster_import: int | None) -> Matched:
    """``tables`` matched to one roster import's people: shared by every date it is in
    force on (:func:`snapshot_at`), the trend and the projection."""
    if roster_import is None:
        people = store.roster(pd.Timestamp(0))  # no active roster: the empty frame
    else:
        people = store.import_rows(roster_import)
    return snapshot.match(people, tables.completions, tables.rules, tables.exemptions)


def snapshot_at(shared: Matched, as_of: pd.Timestamp) -> Snapshot:
    """The whole force on ``as_of``, from the match of the roster in force then."""
    return snapshot.at(shared, as_of)


def fresh_snapshot(store: StoreReader, as_of: pd.Timestamp) -> Snapshot:
    """A snapshot read now, uncached: the "before" and "after" of an import."""
    return take_snapshot(store, current(store), as_of)


def completion_history(seen: Snapshot) -> pd.DataFrame:
    """Every completion matched to a person of the snapshot, with their name, unit and the
    file and row it came from; newest first."""
    people = seen.roster[["person_id", "name", "unit"]]
    history = seen.completions.drop(columns=["name", "unit"], errors="ignore").merge(
        people, on="person_id", how="inner"
    )
    return history.sort_values(["completed_on", "course"], ascending=[False, True]).reset_index(
        drop=True
    )


def one_person(seen: Snapshot, person_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(roster row, status rows) of one person on the snapshot's date."""
    row = keep_values(seen.roster, "person_id", [person_id]).reset_index(drop=True)
    return row, keep_values(seen.status, "person_id", [person_id]).reset_index(drop=True)


def incident_check(
    store: StoreReader, seen: Snapshot, request: Request, scope: Scope
) -> Evidence:
    """The incident check on ``seen`` (the snapshot of ``request.when`` in ``scope``), with
    the provenance it cites read from the store: the import history, the roster snapshot
    in force, the import each of the people's completions came from, and for anyone not
    on the roster in force the nearest roster snapshot (in ``scope``) that lists them."""
    history = store.imports()
    in_force = store.roster_snapshot(request.when)
    found = evidence.resolve(seen.roster, request.people)
    ids = [person_id for person_id in found.values() if person_id is not None]
    theirs = keep_values(seen.completions, "person_id", ids) if ids else seen.completions[:0]
    absent = [asked for asked, person_id in found.items() if person_id is None]
    provenance = Provenance(
        imports=history,
        roster_import=None if in_force is None else int(in_force["id"]),
        completion_import=completion_imports(
            store, seen.all_completions.loc[theirs.index], history
        ),
        sightings=nearest_sightings(store, absent, request.when, scope, in_force),
    )
    return evidence.check(seen, request, provenance)


def quality_findings(whole: Snapshot, today: pd.Timestamp) -> quality.Findings:
    """The data-quality findings, checked against the whole roster of the snapshot (a
    completion is "not on the roster" only if it belongs to nobody at all)."""
    return quality.find_all(whole, today)


def rules_preview(seen: Snapshot, new: Rules) -> pd.DataFrame:
    """The (person, course) pairs whose status on the snapshot's date would move if ``new``
    replaced the rules in force."""
    return rules_table.status_preview(seen, seen.rules, new)


def trend_frame(
    store: StoreReader, tables: Current, start: pd.Timestamp, end: pd.Timestamp, scope: Scope,
    shared: Callable[[int | None], Matched] | None = None,
) -> pd.DataFrame:
    """Month-end status counts from ``start`` to ``end`` by unit, course and staff type,
    each month with the roster in force then (one read per distinct snapshot). ``shared``
    gives a roster import's match (:func:`matched`, cached): with one roster in force on
    every month and the whole force in scope, its model counts, matching nothing again."""
    days = trend.month_ends(start, end)
    if tables.rules is None or not days:
        return trend.empty_counts()
    if shared is not None and scope.units is None:
        in_force = set(roster_imports(store, days))
        counts = trend.shared_counts(shared(in_force.pop()), days) if len(in_force) == 1 else None
        if counts is not None:
            return counts
    read = store.rosters(days)
    distinct = {id(roster): roster for roster in read}
    scoped = {key: scope.roster(roster) for key, roster in distinct.items()}
    rosters = {day: scoped[id(roster)] for day, roster in zip(days, read, strict=True)}
    return trend.trend_counts(rosters, tables.completions, tables.rules, tables.exemptions)


def day_counts(seen: Snapshot) -> pd.DataFrame:
    """Status counts on the snapshot's date by unit, course and staff type."""
    return trend.day_counts(seen)


def projection_frame(seen: Snapshot) -> pd.DataFrame:
    """Status counts over the next 90 days if nobody completes anything."""
    return trend.projection_counts(seen)


def accounts(store: Store) -> Accounts:
    """Who may sign in, and their sessions (``compliance.auth`` works on this)."""
    return store.accounts


def demo_active(store: Store) -> bool:
    """Whether the built-in demo force is loaded: every page then says so."""
    return store.demo_active()


def demo_accounts(store: Store) -> pd.DataFrame:
    """The demo's accounts and their fictional passwords, listed on the sign-in page."""
    return store.accounts.demo_accounts()


def audit_log(
    store: Store, *, user: str | None = None, action: str | None = None,
    since: date | None = None, until: date | None = None,
) -> pd.DataFrame:
    """Audit entries, newest first, optionally one user's, one action's, from/until a day."""
    log = store.audit_log(user=user, action=action, since=since, until=until)
    return log.sort_values("id", ascending=False).reset_index(drop=True)


def audit_frame(store: Store, **filters: object) -> pd.DataFrame:
    """Audit entries as a file holds them: UTC text times, as their hashes cover them."""
    return store.audit_frame(**filters)


def audit_check(store: Store) -> str:
    """The hash chain checked now, in one line (intact, or the first broken entry)."""
    return store.verify_audit().message


def utc_now() -> datetime:
    """Now in UTC without a zone, as the store keeps every time."""
    return datetime.now(UTC).replace(tzinfo=None)


def import_history(store: StoreReader) -> pd.DataFrame:
    """Every import, newest first (where the data on screen came from)."""
    return store.imports().sort_values("at", ascending=False).reset_index(drop=True)


def report_target(store: Store) -> int:
    """The board report's target compliance rate in whole percent (the store's setting,
    else :data:`compliance.report_figures.DEFAULT_TARGET_PERCENT`)."""
    from compliance import report_figures

    return report_figures.target_percent(store.get_setting(report_figures.TARGET_SETTING))


def import_report(store: StoreReader, import_id: int) -> LoadReport:
    """The load report kept with one import: what was detected and every problem."""
    return store.import_report(import_id)
