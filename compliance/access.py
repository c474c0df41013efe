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
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np
import pandas as pd

from compliance import engine, export, matching, summary, trend
from compliance.engine import STATUSES
from compliance.rules import Rules
from compliance.summary import COUNT_COLUMNS
from loaders.schema import UNIT_SEPARATOR, unit_level_columns

OVERDUE_BANDS: tuple[str, ...] = ("1-30 days", "31-90 days", "91-180 days", "over 180 days")
_BAND_EDGES = (0, 30, 90, 180, np.inf)
PROJECTION_DAYS = 90
PROJECTION_STEP_DAYS = 15
TREND_GROUPS: tuple[str, ...] = ("unit", "course", "staff_type")
OVERDUE_COLUMNS: tuple[str, ...] = (
    "person_id", "name", "unit", "role", "staff_type", "manager", "email",
    "course", "last_completed", "due_date", "days_overdue",
)
DUE_SOON_COLUMNS: tuple[str, ...] = (
    "person_id", "name", "unit", "role", "staff_type", "manager", "email",
    "course", "status", "last_completed", "due_date",
)
_GROUP = "_unit_staff_type"
_GROUP_SEPARATOR = "\x1f"
PERSON_COLUMNS: tuple[str, ...] = ("person_id", "name", "unit", "role", "manager")
REQUIRED_KINDS: tuple[str, ...] = ("roster", "completions", "requirements")


class Store(Protocol):
    """What this module needs of ``compliance.store.Store``."""

    def roster(self, as_of: Any) -> pd.DataFrame: ...
    def completions(self) -> pd.DataFrame: ...
    def exemptions(self) -> pd.DataFrame: ...
    def rules(self) -> Any: ...
    def imports(self) -> pd.DataFrame: ...
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
    """Unit paths equal to or below any prefix, compared case-insensitively by whole level."""
    folded = units.astype("string").fillna("").str.casefold()
    hits = np.zeros(len(units), dtype=bool)
    for prefix in prefixes:
        wanted = prefix.casefold()
        below = folded.str.startswith(wanted + UNIT_SEPARATOR.casefold())
        hits |= (folded.eq(wanted) | below).to_numpy(dtype=bool)
    return hits


def apply_filters(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Rows of ``frame`` matching the filters (a filter on a missing column is ignored)."""
    keep = np.ones(len(frame), dtype=bool)
    if filters.unit and "unit" in frame.columns:
        keep &= in_units(frame["unit"], [filters.unit])
    for column in ("course", "staff_type"):
        value = getattr(filters, column)
        if value and column in frame.columns:
            keep &= frame[column].astype("string").eq(value).fillna(False).to_numpy(dtype=bool)
    return frame[keep]


def keep_values(frame: pd.DataFrame, column: str, values: list[str]) -> pd.DataFrame:
    """Rows whose ``column`` is one of ``values``; all rows when ``values`` is empty."""
    if not values:
        return frame
    return frame[frame[column].astype("string").isin(values).fillna(False).to_numpy()]


def roster_frame(store: Store, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    """The roster in force on ``as_of``, limited to the scope."""
    roster = store.roster(as_of)
    return roster[scope.mask(roster["unit"])].reset_index(drop=True)


def status_frame(store: Store, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    """The engine's status of every in-scope (person, requirement) on ``as_of``."""
    return _status(store, store.roster(as_of), as_of, scope)


def person_status(
    store: Store, person_id: str, as_of: pd.Timestamp, scope: Scope
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(roster row, status rows) of one person on ``as_of``, with the roster of that date."""
    roster = store.roster(as_of)
    row = roster[roster["person_id"].astype("string").eq(person_id).fillna(False).to_numpy()]
    row = row[scope.mask(row["unit"])]
    return row.reset_index(drop=True), _status(store, row, as_of, scope)


def completion_history(store: Store, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    """Every completion matched to a person on the roster of ``as_of``, with its source row."""
    roster = roster_frame(store, as_of, scope)
    matched = matching.match_completions(roster, store.completions()).completions
    people = roster[["person_id", "name", "unit"]]
    history = matched.drop(columns=["name", "unit"], errors="ignore").merge(
        people, on="person_id", how="inner"
    )
    return history.sort_values(["completed_on", "course"], ascending=[False, True]).reset_index(
        drop=True
    )


def import_history(store: Store) -> pd.DataFrame:
    """Every import, newest first (where the data on screen came from)."""
    imports = store.imports()
    return imports.sort_values("at", ascending=False).reset_index(drop=True)


def courses(store: Store) -> tuple[str, ...]:
    """The requirements' course names, in the rules' order (empty without rules)."""
    rules = store.rules()
    return () if rules is None else tuple(rules.courses)


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


def trend_frame(
    store: Store, start: pd.Timestamp, end: pd.Timestamp, scope: Scope
) -> pd.DataFrame:
    """Month-end status counts from ``start`` to ``end`` by unit, course and staff type.

    Kept by group so that a sidebar filter re-aggregates the cached counts instead of
    recomputing history (see :func:`rates_by_date`). Each month uses the roster in force
    then; identical snapshots are read into one frame so the engine prepares them once.
    """
    rules = store.rules()
    month_ends = trend.month_ends(start, end)
    if rules is None or not month_ends:
        return _empty_counts("date", *TREND_GROUPS)
    rosters: dict[pd.Timestamp, pd.DataFrame] = {}
    distinct: dict[int, pd.DataFrame] = {}
    for day in month_ends:
        roster = roster_frame(store, day, scope)
        digest = int(pd.util.hash_pandas_object(roster, index=False).sum())
        rosters[day] = distinct.setdefault(digest, _with_group(roster))
    everyone = pd.concat(list(distinct.values()), ignore_index=True)
    everyone = everyone.drop_duplicates("person_id", keep="last")
    matched = matching.match_completions(everyone, store.completions()).completions
    exemptions = store.exemptions()
    frames = []
    for requirement in rules.requirements:
        one = replace(rules, requirements=(requirement,))
        counts = trend.monthly_trend(
            rosters.__getitem__, matched, one, exemptions, start, end, by=_GROUP
        )
        frames.append(counts.assign(course=requirement.course))
    counts = pd.concat(frames, ignore_index=True)
    parts = counts[_GROUP].astype("string").str.split(_GROUP_SEPARATOR, n=1, expand=True)
    counts = counts.assign(unit=parts[0], staff_type=parts[1].replace("", pd.NA))
    counts = counts.rename(columns={"month_end": "date"})
    return counts[["date", *TREND_GROUPS, *COUNT_COLUMNS, "compliance_rate"]]


def projection_frame(store: Store, as_of: pd.Timestamp, scope: Scope) -> pd.DataFrame:
    """Status counts over the next 90 days if nobody completes anything from ``as_of`` on.

    Uses today's roster and completions, so only known expiries (and new starters'
    grace periods ending) move the figures.
    """
    rules = store.rules()
    roster = roster_frame(store, as_of, scope)
    if rules is None or roster.empty:
        return _empty_counts("date")
    matched = matching.match_completions(roster, store.completions()).completions
    model = engine.StatusModel(roster, engine.index_completions(matched, rules), store.exemptions())
    frames = []
    for offset in range(0, PROJECTION_DAYS + 1, PROJECTION_STEP_DAYS):
        day = as_of + pd.Timedelta(days=offset)
        status = model.frame(model.evaluate(day))
        frames.append(status_counts(status, list(TREND_GROUPS)).assign(date=day))
    return pd.concat(frames, ignore_index=True)


def status_counts(status: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Pairs per status for each group, with ``in_scope`` and ``compliance_rate``."""
    if status.empty:
        return _empty_counts(*by)
    keys = [status[c].astype("string").fillna("") for c in by]
    table = pd.crosstab(keys, status["status"].astype("string"))
    table = table.reindex(columns=list(STATUSES), fill_value=0)
    table.columns.name = None
    table.insert(0, "in_scope", table.sum(axis=1))
    return _with_rate(table.reset_index())


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
    cut = status.assign(unit=summary.unit_at_level(status, level))
    counts = status_counts(cut, ["course", "unit"])
    return counts.pivot(index="course", columns="unit", values="compliance_rate")


def unit_tree(status: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """Every unit at every level: people on the roster, pairs in scope and the rate.

    The rows a treemap needs: ``id`` (path), ``parent`` (path one level up, "" at the top),
    ``label`` (the unit's own name).
    """
    levels = unit_level_columns(roster.columns)
    frames = []
    for depth in range(1, len(levels) + 1):
        people_paths = _path(roster, levels[:depth])
        people = people_paths[people_paths.ne("")].value_counts().rename("people")
        status_paths = _path(status, levels[:depth]) if not status.empty else people_paths[:0]
        counts = status_counts(status.assign(id=status_paths), ["id"]).set_index("id")
        level = counts.join(people, how="outer").reset_index(names="id")
        level = level[level["id"].ne("")]
        parts = level["id"].str.rsplit(UNIT_SEPARATOR, n=1)
        level["parent"] = parts.str[0].where(parts.str.len() > 1, "")
        level["label"] = parts.str[-1]
        frames.append(level)
    if not frames:
        return pd.DataFrame(columns=["id", "parent", "label", "people", *COUNT_COLUMNS])
    tree = pd.concat(frames, ignore_index=True)
    tree[list(COUNT_COLUMNS)] = tree[list(COUNT_COLUMNS)].fillna(0).astype(int)
    tree["people"] = tree["people"].fillna(0).astype(int)
    return _with_rate(tree.drop(columns="compliance_rate"))


def people_matrix(status: pd.DataFrame) -> pd.DataFrame:
    """One row per person, one column per course holding their status, most overdue first."""
    people = status.drop_duplicates("person_id")
    people = people.reindex(columns=list(PERSON_COLUMNS)).set_index("person_id")
    if status.empty:
        return people.reset_index().assign(overdue=pd.Series(dtype=int))
    grid = status.pivot(index="person_id", columns="course", values="status").astype("string")
    grid.columns = [str(c) for c in grid.columns]
    overdue = status["status"].eq("overdue").groupby(status["person_id"]).sum().rename("overdue")
    table = people.join(overdue).join(grid.fillna("not required"))
    return table.reset_index().sort_values(["overdue", "name"], ascending=[False, True])


def unit_options(roster: pd.DataFrame) -> list[str]:
    """Every unit path at every level, sorted so each unit follows its parent."""
    levels = unit_level_columns(roster.columns)
    paths = [_path(roster, levels[:depth]) for depth in range(1, len(levels) + 1)]
    if not paths:
        return sorted(roster["unit"].dropna().astype(str).unique()) if "unit" in roster else []
    every = pd.concat(paths, ignore_index=True)
    return sorted(every[every.ne("")].unique(), key=lambda p: p.casefold().split(UNIT_SEPARATOR))


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
    table["band"] = overdue_band(rows["days_overdue"]).astype("string").fillna("no due date")
    return table


def due_soon_table(status: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Expiring and pending rows, soonest first, with the days left until each is due."""
    rows = summary.due_soon(status)
    table = rows.reindex(columns=list(DUE_SOON_COLUMNS))
    table["days_left"] = pd.array((rows["due_date"] - as_of).dt.days, dtype="Int64")
    return table


def band_counts(table: pd.DataFrame) -> pd.Series:
    """Overdue rows per band, every band present (zero when empty)."""
    order = [*OVERDUE_BANDS, "no due date"]
    return table["band"].value_counts().reindex(order, fill_value=0)


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
        raise ValueError("an export of personal data needs a purpose")
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
    matched = matching.match_completions(roster, store.completions()).completions
    return engine.compute_status(roster, matched, rules, as_of, store.exemptions())


def _with_group(roster: pd.DataFrame) -> pd.DataFrame:
    """The roster with one column holding unit and staff type, the trend's grouping key."""
    unit = roster["unit"].astype("string").fillna("")
    staff_type = roster["staff_type"].astype("string").fillna("")
    return roster.assign(**{_GROUP: unit + _GROUP_SEPARATOR + staff_type})


def _path(frame: pd.DataFrame, levels: list[str]) -> pd.Series:
    """Unit path over the given level columns; "" where the deepest level is empty."""
    parts = frame[levels].astype("string").fillna("")
    path = parts[levels[0]]
    for column in levels[1:]:
        path = path + UNIT_SEPARATOR + parts[column]
    return path.where(parts[levels[-1]].ne(""), "")


def _with_rate(counts: pd.DataFrame) -> pd.DataFrame:
    """Add ``compliance_rate`` (DESIGN's rule, from ``compliance.summary``)."""
    return counts.assign(compliance_rate=summary.compliance_rate(counts).astype(float))


def _empty_counts(*keys: str) -> pd.DataFrame:
    columns = {k: pd.Series(dtype="object") for k in keys}
    columns.update({c: pd.Series(dtype=int) for c in COUNT_COLUMNS})
    columns["compliance_rate"] = pd.Series(dtype=float)
    return pd.DataFrame(columns)
