"""The dashboard's only way to the data: one function per frame, each limited to a Scope.

Pages never read the store themselves. Every function here takes the store, the date
and the user's ``Scope`` and returns a plain frame; Streamlit caching wraps these in
``pages/_common.py``. The small functions below them shape those frames for the pages
(filters, unit trees, rate tables) and build audited exports, all without Streamlit.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from compliance import engine, export, import_diff, matching, quality, rules_table, summary, trend
from compliance.engine import STATUSES
from compliance.errors import ExportError
from compliance.rules import Rules
from compliance.summary import COUNT_COLUMNS
from loaders.report import LoadReport
from loaders.schema import UNIT_SEPARATOR, unit_level_columns

OVERDUE_BANDS: tuple[str, ...] = ("1-30 days", "31-90 days", "91-180 days", "over 180 days")
_BAND_EDGES = (0, 30, 90, 180, np.inf)
PROJECTION_DAYS = 90
PROJECTION_STEP_DAYS = 15
TREND_GROUPS: tuple[str, ...] = ("unit", "course", "staff_type")
OVERDUE_COLUMNS: tuple[str, ...] = (
    "person_id", "name", "course", "days_overdue", "due_date", "last_completed",
    "unit", "manager", "role", "staff_type", "email",
)
DUE_SOON_COLUMNS: tuple[str, ...] = (
    "person_id", "name", "course", "status", "due_date", "last_completed",
    "unit", "manager", "role", "staff_type", "email",
)
PERSON_COLUMNS: tuple[str, ...] = ("person_id", "name", "unit", "role", "manager")
REQUIRED_KINDS: tuple[str, ...] = ("roster", "completions", "requirements")


class Store(Protocol):
    """What this module needs of ``compliance.store.Store``."""

    def roster(self, as_of: Any) -> pd.DataFrame: ...
    def rosters(self, days: list[Any]) -> list[pd.DataFrame]: ...
    def completions(self) -> pd.DataFrame: ...
    def exemptions(self) -> pd.DataFrame: ...
    def rules(self) -> Any: ...
    def imports(self) -> pd.DataFrame: ...
    def import_report(self, import_id: int) -> LoadReport: ...
    def audit(self, *, user: str, action: str, detail: str, purpose: str) -> Any: ...


@dataclass(frozen=True)
class Scope:
    """The units a user may see (unit path prefixes, whole levels); ``None`` means all.

    Sign-in fills this from the user's role; until then everybody sees everything.
    """

    units: tuple[str, ...] | None = None

    def mask(self, units: pd.Series) -> np.ndarray:
        """True for rows whose unit lies in (or under) one of the allowed units."""
        if self.units is None:
            return np.ones(len(units), dtype=bool)
        return in_units(units, self.units)


@dataclass(frozen=True)
class Filters:
    """The sidebar's choice: a unit at any level, a course and a staff type (None = all)."""

    unit: str | None = None
    course: str | None = None
    staff_type: str | None = None

    def describe(self) -> str:
        """The filters in words, for captions, file names and audit entries."""
        parts = [
            f"unit {self.unit}" if self.unit else "all units",
            f"course {self.course}" if self.course else "all courses",
            f"staff type {self.staff_type}" if self.staff_type else "all staff types",
        ]
        return "; ".join(parts)


def in_units(units: pd.Series, prefixes: tuple[str, ...] | list[str]) -> np.ndarray:
    """Unit paths equal to or below any prefix, compared case-insensitively by whole level.

    Compared once per distinct path, so filtering a large frame stays cheap.
    """
    codes, paths = pd.factorize(units.astype("string"))
    folded = pd.Series(paths, dtype="string").str.casefold()
    hits = np.zeros(len(paths), dtype=bool)
    for prefix in prefixes:
        wanted = prefix.casefold()
        below = folded.str.startswith(wanted + UNIT_SEPARATOR.casefold())
        hits |= (folded.eq(wanted) | below).fillna(False).to_numpy(dtype=bool)
    return np.append(hits, False)[codes]


def apply_filters(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Rows of ``frame`` matching the filters (a filter on a missing column is ignored)."""
    keep = np.ones(len(frame), dtype=bool)
    if filters.unit and "unit" in frame.columns:
        keep &= in_units(frame["unit"], [filters.unit])
    for column in ("course", "staff_type"):
        value = getattr(filters, column)
        if value and column in frame.columns:
            keep &= _equals(frame[column], value)
    return frame[keep]


def keep_values(frame: pd.DataFrame, column: str, values: list[str]) -> pd.DataFrame:
    """Rows whose ``column`` is one of ``values``; all rows when ``values`` is empty."""
    if not values:
        return frame
    codes, uniques = pd.factorize(frame[column].astype("string"))
    wanted = pd.Series(uniques, dtype="string").isin(values).to_numpy(dtype=bool)
    return frame[np.append(wanted, False)[codes]]


def roster_frame(store: Store, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    """The roster in force on ``as_of``, limited to the scope."""
    return _in_scope(store.roster(as_of), scope)


def _in_scope(roster: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    return roster[scope.mask(roster["unit"])].reset_index(drop=True)


def status_frame(store: Store, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    """The engine's status of every in-scope (person, requirement) on ``as_of``."""
    return _status(store, store.roster(as_of), as_of, scope)


def one_person(
    roster: pd.DataFrame, status: pd.DataFrame, person_id: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(roster row, status rows) of one person, taken from frames already loaded for a date."""
    row = keep_values(roster, "person_id", [person_id]).reset_index(drop=True)
    return row, keep_values(status, "person_id", [person_id]).reset_index(drop=True)


def completion_history(store: Store, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    """Every completion matched to a person on the roster of ``as_of``, with its source row."""
    roster = roster_frame(store, as_of, scope)
    matched = _matched(roster, store.completions())
    people = roster[["person_id", "name", "unit"]]
    history = matched.drop(columns=["name", "unit"], errors="ignore").merge(
        people, on="person_id", how="inner"
    )
    return history.sort_values(["completed_on", "course"], ascending=[False, True]).reset_index(
        drop=True
    )


def rules_in_force(store: Store) -> Rules | None:
    """The requirements version in force (None before any requirements import)."""
    return store.rules()


def import_report(store: Store, import_id: int) -> LoadReport:
    """The load report kept with one import: what was detected and every problem."""
    return store.import_report(import_id)


def quality_findings(
    store: Store, as_of: pd.Timestamp, scope: Scope, today: pd.Timestamp
) -> quality.Findings:
    """The data-quality findings on the stored data, with the roster in force on ``as_of``."""
    roster = roster_frame(store, as_of, scope)
    return quality.find_all(roster, store.completions(), store.exemptions(), store.rules(), today)


def rules_preview(store: Store, new: Rules, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    """The (person, course) pairs whose status on ``as_of`` would move if ``new`` replaced
    the rules in force."""
    roster = roster_frame(store, as_of, scope)
    return rules_table.status_preview(
        roster, store.completions(), store.exemptions(), store.rules(), new, as_of
    )


def import_snapshot(store: Store, as_of: pd.Timestamp, scope: Scope) -> import_diff.Snapshot:
    """The roster, statuses and completions on ``as_of``: what an import is compared against.

    With nobody on the roster there is no status to compute.
    """
    roster = roster_frame(store, as_of, scope)
    status = (
        status_frame(store, as_of, scope)
        if len(roster)
        else pd.DataFrame(columns=["person_id", "course", "status"])
    )
    return import_diff.Snapshot(roster=roster, status=status, completions=store.completions())


def import_history(store: Store) -> pd.DataFrame:
    """Every import, newest first (where the data on screen came from)."""
    imports = store.imports()
    return imports.sort_values("at", ascending=False).reset_index(drop=True)


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


def trend_frame(store: Store, start: pd.Timestamp, end: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    """Month-end status counts from ``start`` to ``end`` by unit, course and staff type.

    Kept by group so that a sidebar filter re-aggregates the cached counts instead of
    recomputing history (see :func:`rates_by_date`). Each month uses the roster in force
    then; months under one snapshot share one read and one prepared engine model.
    """
    rules = store.rules()
    month_ends = trend.month_ends(start, end)
    if rules is None or not month_ends:
        return _empty_counts()
    read = store.rosters(month_ends)
    scoped = {id(roster): _in_scope(roster, scope) for roster in read}
    rosters = {day: scoped[id(roster)] for day, roster in zip(month_ends, read, strict=True)}
    distinct = {id(roster): roster for roster in rosters.values()}
    everyone = pd.concat(list(distinct.values()), ignore_index=True)
    everyone = everyone.drop_duplicates("person_id", keep="last")
    matched = _matched(everyone, store.completions())
    index = engine.index_completions(matched, rules)
    exemptions = store.exemptions()
    models: dict[int, _GroupedModel] = {}
    frames = []
    for day in month_ends:
        roster = rosters[day]
        if id(roster) not in models:
            models[id(roster)] = _GroupedModel(engine.StatusModel(roster, index, exemptions))
        frames.append(models[id(roster)].counts(day))
    return _with_rate(pd.concat(frames, ignore_index=True))


def projection_frame(store: Store, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    """Status counts over the next 90 days if nobody completes anything from ``as_of`` on.

    Uses the roster and completions of ``as_of``, so only known expiries (and new
    starters' grace periods ending) move the figures.
    """
    rules = store.rules()
    roster = roster_frame(store, as_of, scope)
    if rules is None or roster.empty:
        return _empty_counts()
    matched = _matched(roster, store.completions())
    model = engine.StatusModel(roster, engine.index_completions(matched, rules), store.exemptions())
    grouped = _GroupedModel(model)
    days = [
        as_of + pd.Timedelta(days=offset)
        for offset in range(0, PROJECTION_DAYS + 1, PROJECTION_STEP_DAYS)
    ]
    return _with_rate(pd.concat([grouped.counts(day) for day in days], ignore_index=True))


class _GroupedModel:
    """An engine model whose evaluations are counted by unit, staff type, course and status.

    Counting the engine's arrays directly (one ``bincount`` per date) keeps a 24-month
    trend of a 50,000-person force to a few seconds.
    """

    def __init__(self, model: engine.StatusModel) -> None:
        self.model = model
        roster = model.roster
        keys = pd.MultiIndex.from_arrays(
            [_text_column(roster, "unit"), _text_column(roster, "staff_type")]
        )
        self.codes, groups = pd.factorize(keys)
        self.units = np.asarray(groups.get_level_values(0), dtype=object)
        self.staff_types = np.asarray(groups.get_level_values(1), dtype=object)

    def counts(self, day: pd.Timestamp) -> pd.DataFrame:
        e = self.model.evaluate(day)
        n_req, n_status = self.model.n_req, len(STATUSES)
        size = len(self.units) * n_req
        key = (self.codes[e.person] * n_req + e.requirement) * n_status + e.status
        table = np.bincount(key, minlength=size * n_status).reshape(size, n_status)
        frame = pd.DataFrame(table, columns=list(STATUSES))
        frame.insert(0, "in_scope", table.sum(axis=1))
        frame.insert(0, "staff_type", np.repeat(self.staff_types, n_req))
        frame.insert(0, "course", np.tile(self.model.courses, len(self.units)))
        frame.insert(0, "unit", np.repeat(self.units, n_req))
        frame.insert(0, "date", day)
        frame["staff_type"] = frame["staff_type"].replace("", None)
        return frame[frame["in_scope"] > 0]


def rates_by_date(counts: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """One compliance rate per date after the filters: the trend and projection lines."""
    chosen = apply_filters(counts, filters)
    if chosen.empty:
        return pd.DataFrame(
            {"date": pd.Series(dtype="datetime64[ns]"), "compliance_rate": pd.Series(dtype=float)}
        )
    totals = chosen.groupby("date", as_index=False)[list(COUNT_COLUMNS)].sum()
    return _with_rate(totals)


def unit_summary(status: pd.DataFrame, level: int) -> pd.DataFrame:
    """Counts and rate per unit cut to ``level`` (the engine's summary, without ``ALL``)."""
    table = summary.summary_by_unit(status, level)
    return table[table["unit"] != "ALL"].reset_index(drop=True)


def rate_matrix(status: pd.DataFrame, level: int) -> pd.DataFrame:
    """Compliance rate per course (rows) and unit cut to ``level`` (columns)."""
    if status.empty:
        return pd.DataFrame()
    table = summary.summarise(status, ["course", "unit"], level)
    table = table[table["course"] != summary.TOTAL]
    return table.pivot(index="course", columns="unit", values="compliance_rate")


def unit_tree(status: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """Every unit at every level: people on the roster, pairs in scope and the rate.

    The rows a treemap needs: ``id`` (path), ``parent`` (path one level up, "" at the top),
    ``label`` (the unit's own name). Counted once per distinct unit path, then summed up
    the hierarchy, so it stays fast for a large force.
    """
    codes, paths = pd.factorize(_text_column(status, "unit"))
    states = pd.Categorical(status["status"].astype(object), categories=list(STATUSES)).codes
    n_status = len(STATUSES)
    table = np.bincount(codes * n_status + states, minlength=len(paths) * n_status)
    per_unit = pd.DataFrame(
        table.reshape(len(paths), n_status), columns=list(STATUSES), index=pd.Index(paths)
    )
    people = _text_column(roster, "unit").value_counts().rename("people")
    per_unit = per_unit.join(people, how="outer").fillna(0)
    per_unit = per_unit[per_unit.index != ""]
    parts = pd.Series(per_unit.index, dtype="string").str.split(UNIT_SEPARATOR)
    deepest = int(parts.str.len().max()) if len(parts) else 0
    frames = []
    for depth in range(1, deepest + 1):
        prefix = parts.str[:depth].str.join(UNIT_SEPARATOR).where(parts.str.len() >= depth)
        level = per_unit.groupby(prefix.to_numpy(dtype=object), dropna=True).sum()
        frames.append(level.rename_axis("id").reset_index())
    columns = ["id", "parent", "label", "people", *COUNT_COLUMNS]
    if not frames:
        return _with_rate(pd.DataFrame({c: pd.Series(dtype=int) for c in columns}))
    tree = pd.concat(frames, ignore_index=True)
    split = tree["id"].str.rsplit(UNIT_SEPARATOR, n=1)
    tree["parent"] = split.str[0].where(split.str.len() > 1, "")
    tree["label"] = split.str[-1]
    tree["in_scope"] = tree[list(STATUSES)].sum(axis=1)
    tree[["people", *COUNT_COLUMNS]] = tree[["people", *COUNT_COLUMNS]].astype(int)
    return _with_rate(tree[columns])


def people_matrix(status: pd.DataFrame) -> pd.DataFrame:
    """One row per person with their overdue count and one column per course, most overdue
    first; role, manager and unit follow the courses."""
    people = status.drop_duplicates("person_id")
    people = people.reindex(columns=list(PERSON_COLUMNS)).set_index("person_id")
    trailing = ["role", "manager", "unit"]
    if status.empty:
        return people.reset_index().assign(overdue=pd.Series(dtype=int))[
            ["person_id", "name", "overdue", *trailing]
        ]
    grid = status.pivot(index="person_id", columns="course", values="status").astype("string")
    grid.columns = [str(c) for c in grid.columns]
    overdue = status["status"].eq("overdue").groupby(status["person_id"]).sum().rename("overdue")
    table = people.join(overdue).join(grid.fillna("not required")).reset_index()
    table = table[["person_id", "name", "overdue", *grid.columns, *trailing]]
    return table.sort_values(["overdue", "name"], ascending=[False, True])


def unit_options(roster: pd.DataFrame) -> list[str]:
    """Every unit path at every level, sorted so each unit follows its parent."""
    units = _text_column(roster, "unit").unique()
    every = {
        UNIT_SEPARATOR.join(path[:depth])
        for path in (str(unit).split(UNIT_SEPARATOR) for unit in units if unit)
        for depth in range(1, len(path) + 1)
    }
    return sorted(every, key=lambda p: [level.casefold() for level in p.split(UNIT_SEPARATOR)])


def headline(status: pd.DataFrame) -> dict[str, float | int | None]:
    """The four headline figures: rate, overdue, expiring, pending new starters."""
    counts = status["status"].astype("string").value_counts()
    row = {name: int(counts.get(name, 0)) for name in STATUSES}
    row["in_scope"] = sum(row.values())
    rate = summary.compliance_rate(pd.DataFrame([row])).iloc[0]
    return {
        "compliance_rate": None if pd.isna(rate) else float(rate),
        "overdue": row["overdue"],
        "expiring": row["expiring"],
        "pending": row["pending"],
    }


def change(now: float | None, before: float | None) -> float | None:
    """``now - before``, or None when either is unknown (for ``st.metric`` deltas)."""
    if now is None or before is None:
        return None
    return now - before


def drill_level(status: pd.DataFrame, unit: str | None) -> int:
    """The level one below the chosen unit (level 1 when none), within the levels present."""
    depth = 0 if not unit else unit.count(UNIT_SEPARATOR) + 1
    deepest = max(1, len(unit_level_columns(status.columns)))
    return min(depth + 1, deepest)


def relative_unit(units: pd.Series, parent: str | None) -> pd.Series:
    """Unit paths without the ``parent`` prefix (chart labels below a chosen unit)."""
    if not parent:
        return units
    prefix = parent + UNIT_SEPARATOR
    text = units.astype("string")
    return text.where(~text.str.startswith(prefix), text.str.slice(len(prefix)))


def worst_unit(units: pd.DataFrame) -> dict[str, Any] | None:
    """The unit with the lowest rate (most overdue breaks ties), or None if none is rated."""
    rated = units.dropna(subset=["compliance_rate"])
    if rated.empty:
        return None
    ordered = rated.sort_values(["compliance_rate", "overdue"], ascending=[True, False])
    return ordered.iloc[0].to_dict()


def overdue_table(status: pd.DataFrame) -> pd.DataFrame:
    """The overdue list as shown and exported: most days overdue first, with its band."""
    rows = summary.overdue_list(status)
    table = rows.reindex(columns=list(OVERDUE_COLUMNS))
    band = overdue_band(rows["days_overdue"]).astype("string").fillna("no due date")
    table.insert(table.columns.get_loc("days_overdue") + 1, "band", band)
    return table


def due_soon_table(status: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Expiring and pending rows, soonest first, with the days left until each is due."""
    rows = summary.due_soon(status)
    table = rows.reindex(columns=list(DUE_SOON_COLUMNS))
    days_left = pd.array((rows["due_date"] - as_of).dt.days, dtype="Int64")
    table.insert(table.columns.get_loc("due_date") + 1, "days_left", days_left)
    return table


def band_counts(table: pd.DataFrame) -> pd.Series:
    """Overdue rows per band, every band present (zero when empty)."""
    order = [*OVERDUE_BANDS, "no due date"]
    return table["band"].value_counts().reindex(order, fill_value=0)


def overdue_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Overdue rows per course (rows) and band (columns, every band in order)."""
    order = [*OVERDUE_BANDS, "no due date"]
    counts = pd.crosstab(table["course"].astype("string"), table["band"].astype("string"))
    return counts.reindex(columns=order, fill_value=0).rename_axis(index=None, columns=None)


def overdue_band(days: pd.Series) -> pd.Series:
    """Days overdue cut into the bands the Overdue page filters on."""
    return pd.cut(
        pd.to_numeric(days, errors="coerce"), bins=list(_BAND_EDGES), labels=list(OVERDUE_BANDS)
    )


def audited_export(
    store: Store,
    build: Callable[[], bytes],
    *,
    user: str,
    what: str,
    rows: int,
    purpose: str,
) -> bytes:
    """Build an export of personal data and record who took it, what, how many rows and why.

    The entry is written only once the bytes exist, so a failed build leaves no false record.
    """
    if not purpose.strip():
        raise ExportError("an export of personal data needs a purpose", reason="no_purpose")
    data = build()
    store.audit(user=user, action="export", detail=f"{what} ({rows} rows)", purpose=purpose)
    return data


def table_bytes(frame: pd.DataFrame, fmt: str, sheet_name: str) -> bytes:
    """``frame`` as formula-safe CSV or formatted XLSX bytes."""
    if fmt == "csv":
        return export.to_csv_bytes(frame)
    return export.to_xlsx_bytes(frame, sheet_name)


def pack_bytes(frame: pd.DataFrame, by: str, sheet_name: str) -> bytes:
    """A zip of one XLSX per value of ``by`` (a unit or a manager), to send to line managers."""
    buffer = io.BytesIO()
    groups = frame.assign(_key=frame[by].astype("string").fillna("(none)"))
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key, group in groups.groupby("_key", sort=True):
            name = f"{safe_file_name(str(key))}.xlsx"
            archive.writestr(name, export.to_xlsx_bytes(group.drop(columns="_key"), sheet_name))
    return buffer.getvalue()


def safe_file_name(text: str) -> str:
    """A file name made from a unit or manager name (no path separators or odd characters)."""
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")
    return cleaned[:80] or "unnamed"


def _status(store: Store, roster: pd.DataFrame, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    rules = store.rules() or Rules(requirements=())
    roster = roster[scope.mask(roster["unit"])]
    matched = _matched(roster, store.completions())
    return engine.compute_status(roster, matched, rules, as_of, store.exemptions())


def _matched(roster: pd.DataFrame, completions: pd.DataFrame) -> pd.DataFrame:
    """Completions given their roster person; none when nobody is on the roster in scope."""
    if roster.empty:
        return completions.iloc[0:0]
    return matching.match_completions(roster, completions).completions


def _with_rate(counts: pd.DataFrame) -> pd.DataFrame:
    """Add ``compliance_rate`` (DESIGN's rule, from ``compliance.summary``)."""
    return counts.assign(compliance_rate=summary.compliance_rate(counts).astype(float))


def _empty_counts() -> pd.DataFrame:
    columns: dict[str, pd.Series] = {"date": pd.Series(dtype="datetime64[ns]")}
    columns.update({k: pd.Series(dtype="object") for k in TREND_GROUPS})
    columns.update({c: pd.Series(dtype=int) for c in COUNT_COLUMNS})
    columns["compliance_rate"] = pd.Series(dtype=float)
    return pd.DataFrame(columns)


def _text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series("", index=frame.index, dtype="string")
    return frame[column].astype("string").fillna("")


def _equals(values: pd.Series, wanted: str) -> np.ndarray:
    """``values == wanted`` compared once per distinct value (missing is never equal)."""
    codes, uniques = pd.factorize(values.astype("string"))
    return np.append(np.asarray(uniques, dtype=object) == wanted, False)[codes]
