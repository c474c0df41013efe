"""The status engine: one status per in-scope (person, requirement) as of a date.

Implements DESIGN.md "Status of one person for one requirement" on whole arrays:
people get an integer index (roster sorted by ``person_id``), requirements an index
(sorted by course), and each pair the key ``person * n_requirements + requirement``.
Completions are matched to requirements once per distinct title, sorted once by
``(key, date)``; the latest counting completion on any date is then one binary search per
pair, so a trend over many dates reuses all of that work (see :class:`StatusModel`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from compliance.rules import Requirement, Rules, match_matrix
from compliance.titles import fold_title
from loaders.schema import ALL_COURSES, UNIT_SEPARATOR, unit_level_columns

STATUSES: tuple[str, ...] = ("compliant", "expiring", "pending", "overdue", "exempt")
COMPLIANT, EXPIRING, PENDING, OVERDUE, EXEMPT = range(len(STATUSES))
LEADING_COLUMNS: tuple[str, ...] = (
    "person_id",
    "name",
    "unit",
    "course",
    "status",
    "last_completed",
    "due_date",
    "days_overdue",
)
PERSON_COLUMNS: tuple[str, ...] = (
    "email",
    "role",
    "staff_type",
    "manager",
    "start_date",
    "leave_date",
)
NAT = np.datetime64("NaT", "D")


def compute_status(
    roster: pd.DataFrame,
    completions: pd.DataFrame,
    rules: Rules,
    as_of: date | pd.Timestamp,
    exemptions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Status of every in-scope (person, requirement) pair as of ``as_of``.

    ``completions`` are matched completions (``person_id`` is a roster ``person_id``;
    see :func:`compliance.matching.match_completions`). One row per pair, sorted by
    ``person_id`` then ``course``.
    """
    model = StatusModel(roster, index_completions(completions, rules), exemptions)
    return model.frame(model.evaluate(as_of))


def sorted_rules(rules: Rules) -> Rules:
    """``rules`` with its requirements in course order: the engine's requirement index."""
    return replace(rules, requirements=tuple(sorted(rules.requirements, key=lambda r: r.course)))


@dataclass(frozen=True)
class CompletionIndex:
    """Completions matched to requirements: one entry per (completion row, requirement).

    Built once per completions frame and rules; shared by every roster and date.
    """

    rules: Rules
    """The rules in course order (see :func:`sorted_rules`)."""
    person_id: np.ndarray
    requirement: np.ndarray
    day: np.ndarray
    """Completion date as whole days since 1970-01-01 (int64)."""
    evidence: np.ndarray
    """Position of the completion row, for ``evidence_file``/``evidence_row``."""
    source_file: pd.api.extensions.ExtensionArray
    source_row: pd.api.extensions.ExtensionArray


def index_completions(completions: pd.DataFrame, rules: Rules) -> CompletionIndex:
    """Match every completion's course and code to the requirements, once."""
    ordered = sorted_rules(rules)
    matrix = match_matrix(ordered, _column(completions, "course"))
    matrix |= match_matrix(ordered, _column(completions, "course_code"))
    days = _days(_column(completions, "completed_on"))
    matrix &= ~np.isnat(days)[:, None]
    rows, requirement = np.nonzero(matrix)
    person_id = _column(completions, "person_id").astype(object).to_numpy()
    return CompletionIndex(
        rules=ordered,
        person_id=person_id[rows],
        requirement=requirement.astype(np.int64),
        day=days[rows].astype(np.int64),
        evidence=rows.astype(np.int64),
        source_file=_column(completions, "source_file").astype("string").array,
        source_row=_column(completions, "source_row").astype("Int64").array,
    )


@dataclass(frozen=True)
class Evaluation:
    """Statuses as of one date, as arrays over the in-scope pairs (in output order)."""

    as_of: np.datetime64
    person: np.ndarray
    requirement: np.ndarray
    status: np.ndarray
    last_completed: np.ndarray
    due_date: np.ndarray
    evidence: np.ndarray
    """Completion row position deciding the pair, -1 when none."""
    exemption: np.ndarray
    """Exemption row position that makes the pair exempt, -1 when none."""


class StatusModel:
    """One roster, its completions and exemptions, prepared for evaluation on any date."""

    def __init__(
        self,
        roster: pd.DataFrame,
        index: CompletionIndex,
        exemptions: pd.DataFrame | None = None,
    ) -> None:
        ids = _column(roster, "person_id").astype("string")
        if ids.duplicated().any():
            duplicate = ids[ids.duplicated()].iloc[0]
            raise ValueError(f"the roster has person_id {duplicate!r} more than once")
        order = np.argsort(ids.fillna("").to_numpy(dtype=str), kind="stable")
        self.roster = roster.iloc[order].reset_index(drop=True)
        self.rules = index.rules
        self.requirements: tuple[Requirement, ...] = index.rules.requirements
        self.courses = np.array([r.course for r in self.requirements], dtype=object)
        self.index = index
        self.n_req = len(self.requirements)
        self._ids = pd.Index(ids.iloc[order].astype(object).to_numpy())
        self._start = _days(_column(self.roster, "start_date"))
        self._leave = _days(_column(self.roster, "leave_date"))
        self.applies = _applicability(self.roster, self.requirements)
        self._sort_completions()
        self._prepare_exemptions(exemptions)

    def _sort_completions(self) -> None:
        person = self._ids.get_indexer(self.index.person_id)
        known = person >= 0
        key = person[known] * self.n_req + self.index.requirement[known]
        day = self.index.day[known]
        self._day0 = int(day.min()) if len(day) else 0
        self._bits = int(day.max() - self._day0 + 1).bit_length() + 1 if len(day) else 1
        combined = (key << self._bits) | (day - self._day0)
        order = np.argsort(combined, kind="stable")
        self._combined = combined[order]
        self._evidence = self.index.evidence[known][order]
        keys = self._combined >> self._bits
        first = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, dtype=bool)
        self._keys = keys[first]
        self._key_start = np.flatnonzero(first)

    def _prepare_exemptions(self, exemptions: pd.DataFrame | None) -> None:
        if exemptions is None or exemptions.empty:
            exemptions = pd.DataFrame({c: [] for c in ("person_id", "course", "from", "until")})
        person = self._ids.get_indexer(_column(exemptions, "person_id").astype(object))
        courses = fold_title(_column(exemptions, "course"))
        names = fold_title(pd.Series(self.courses, dtype="string")).to_numpy()
        everything = (courses == ALL_COURSES).fillna(False).to_numpy(dtype=bool)
        named = courses.to_numpy(dtype=object, na_value="")[:, None] == names[None, :]
        matrix = named.astype(bool) | everything[:, None]
        matrix &= (person >= 0)[:, None]
        rows, requirement = np.nonzero(matrix)
        self._ex_key = person[rows] * self.n_req + requirement
        self._ex_row = rows
        self._ex_from = _days(_column(exemptions, "from"))[rows]
        self._ex_until = _days(_column(exemptions, "until"))[rows]
        self.exemption_reasons = _column(exemptions, "reason").astype("string").array

    def evaluate(self, as_of: date | pd.Timestamp) -> Evaluation:
        """Status arrays for every in-scope pair on ``as_of`` (DESIGN.md rules 1-5)."""
        d = np.datetime64(pd.Timestamp(as_of).date(), "D")
        in_date = _on_or_before(self._start, d) & _on_or_after(self._leave, d)
        pairs = np.flatnonzero((self.applies & in_date[:, None]).ravel())
        person, requirement = np.divmod(pairs, self.n_req) if self.n_req else (pairs, pairs)
        last, evidence = self._latest(pairs, d)
        exemption = self._exemption(pairs, d)

        due = self._due_dates(person, requirement, last)
        has = ~np.isnat(last)
        renews = np.array([r.renewal_months is not None for r in self.requirements], dtype=bool)
        soon = np.array([self.rules.due_soon_for(r) for r in self.requirements], dtype=np.int64)
        renews, soon = renews[requirement], soon[requirement]
        until_due = (due - d).astype(np.int64)
        in_time = ~np.isnat(due) & (due >= d)
        status = np.full(len(pairs), OVERDUE, dtype=np.int8)
        status[has & ~renews] = COMPLIANT
        status[has & renews & in_time] = COMPLIANT
        status[has & renews & in_time & (until_due <= soon)] = EXPIRING
        status[~has & in_time] = PENDING
        status[exemption >= 0] = EXEMPT
        return Evaluation(d, person, requirement, status, last, due, evidence, exemption)

    def _latest(self, pairs: np.ndarray, d: np.datetime64) -> tuple[np.ndarray, np.ndarray]:
        """Latest counting completion date and its row for each pair (NaT / -1 if none)."""
        last = np.full(len(pairs), NAT)
        evidence = np.full(len(pairs), -1, dtype=np.int64)
        if not len(self._keys):
            return last, evidence
        offset = np.clip(int(d.astype(np.int64)) - self._day0, -1, (1 << self._bits) - 1)
        found = np.searchsorted(self._combined, (self._keys << self._bits) + offset, "right") - 1
        counted = found >= self._key_start
        day = (self._combined[found] & ((1 << self._bits) - 1)) + self._day0
        not_before = np.array([_day_number(r.not_before) for r in self.requirements])
        counted &= day >= not_before[self._keys % self.n_req]
        slot = np.searchsorted(self._keys, pairs)
        slot = np.minimum(slot, len(self._keys) - 1)
        hit = (self._keys[slot] == pairs) & counted[slot]
        last[hit] = day[slot[hit]].astype("datetime64[D]")
        evidence[hit] = self._evidence[found[slot[hit]]]
        return last, evidence

    def _exemption(self, pairs: np.ndarray, d: np.datetime64) -> np.ndarray:
        """The first exemption row covering each pair on ``d``, -1 if none."""
        active = _on_or_before(self._ex_from, d) & _on_or_after(self._ex_until, d)
        keys, first = np.unique(self._ex_key[active], return_index=True)
        rows = self._ex_row[active][first]
        out = np.full(len(pairs), -1, dtype=np.int64)
        if not len(keys):
            return out
        slot = np.minimum(np.searchsorted(keys, pairs), len(keys) - 1)
        hit = keys[slot] == pairs
        out[hit] = rows[slot[hit]]
        return out

    def _due_dates(
        self, person: np.ndarray, requirement: np.ndarray, last: np.ndarray
    ) -> np.ndarray:
        """Renewal date after the last completion, else the later of grace end and deadline."""
        due = np.full(len(person), NAT)
        has = ~np.isnat(last)
        for j, req in enumerate(self.requirements):
            mine = requirement == j
            renewed = mine & has
            if req.renewal_months is not None and renewed.any():
                shifted = pd.DatetimeIndex(last[renewed]) + pd.DateOffset(months=req.renewal_months)
                due[renewed] = shifted.to_numpy().astype("datetime64[D]")
            waiting = mine & ~has
            if not waiting.any():
                continue
            grace = np.full(int(waiting.sum()), NAT)
            if req.new_starter_days is not None:
                grace = self._start[person[waiting]] + np.timedelta64(req.new_starter_days, "D")
            deadline = np.datetime64(req.deadline, "D") if req.deadline else NAT
            due[waiting] = _later(grace, deadline)
        return due

    def frame(self, evaluation: Evaluation) -> pd.DataFrame:
        """The status table (DESIGN.md column order; more columns follow the first eight)."""
        e = evaluation
        person = self.roster
        out: dict[str, object] = {
            "person_id": _take(person, "person_id", e.person),
            "name": _take(person, "name", e.person),
            "unit": _take(person, "unit", e.person),
            "course": self.courses[e.requirement],
            "status": pd.Categorical.from_codes(e.status, categories=list(STATUSES)),
            "last_completed": e.last_completed.astype("datetime64[ns]"),
            "due_date": e.due_date.astype("datetime64[ns]"),
            "days_overdue": _days_overdue(e),
        }
        for column in (*PERSON_COLUMNS, *unit_level_columns(person.columns)):
            out[column] = _take(person, column, e.person)
        for column in ("start_date", "leave_date"):
            out[column] = pd.to_datetime(out[column]).astype("datetime64[ns]")
        out["evidence_file"] = self.index.source_file.take(e.evidence, allow_fill=True)
        out["evidence_row"] = self.index.source_row.take(e.evidence, allow_fill=True)
        out["exemption_reason"] = self.exemption_reasons.take(e.exemption, allow_fill=True)
        return pd.DataFrame(out)


def _days_overdue(e: Evaluation) -> pd.api.extensions.ExtensionArray:
    late = (e.status == OVERDUE) & ~np.isnat(e.due_date)
    days = np.where(late, (e.as_of - e.due_date).astype(np.int64), 0)
    return pd.arrays.IntegerArray(days, ~late)


def _applicability(roster: pd.DataFrame, requirements: tuple[Requirement, ...]) -> np.ndarray:
    """Boolean (person, requirement): does the requirement's ``applies_to`` cover them?"""
    staff_type = _folded_codes(_column(roster, "staff_type"))
    role = _folded_codes(_column(roster, "role"))
    unit = _folded_codes(_column(roster, "unit"), path=True)
    applies = np.ones((len(roster), len(requirements)), dtype=bool)
    for j, req in enumerate(requirements):
        scope = req.applies_to
        if scope.staff_type:
            applies[:, j] &= _isin(staff_type, _fold(scope.staff_type))
        if scope.role:
            applies[:, j] &= _isin(role, _fold(scope.role))
        if scope.unit:
            applies[:, j] &= _under(unit, _fold(scope.unit, path=True))
    return applies


def _folded_codes(values: pd.Series, path: bool = False) -> tuple[np.ndarray, pd.Series]:
    """Factorised values with their distinct folded forms (cheap: folds distinct values)."""
    codes, uniques = pd.factorize(values.astype("string"))
    return codes, pd.Series(_fold(tuple(uniques), path=path), dtype="string")


def _fold(values: tuple, path: bool = False) -> list[str]:
    folded = fold_title(pd.Series(list(values), dtype="string"))
    if path:
        folded = folded.str.replace(r"\s*/\s*", UNIT_SEPARATOR, regex=True)
    return list(folded)


def _isin(coded: tuple[np.ndarray, pd.Series], wanted: list[str]) -> np.ndarray:
    codes, uniques = coded
    return _lookup(codes, uniques.isin(wanted).to_numpy(dtype=bool))


def _under(coded: tuple[np.ndarray, pd.Series], prefixes: list[str]) -> np.ndarray:
    """Unit path equal to a prefix or below it by whole levels ("Crime" not "Crime Command")."""
    codes, paths = coded
    hit = np.zeros(len(paths), dtype=bool)
    for prefix in prefixes:
        below = paths.str.startswith(prefix + UNIT_SEPARATOR).fillna(False)
        hit |= ((paths == prefix).fillna(False) | below).to_numpy(dtype=bool)
    return _lookup(codes, hit)


def _lookup(codes: np.ndarray, distinct: np.ndarray) -> np.ndarray:
    return np.append(distinct, False)[codes]


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame:
        return frame[name]
    return pd.Series(None, index=frame.index, dtype=object)


def _take(frame: pd.DataFrame, name: str, positions: np.ndarray) -> object:
    return _column(frame, name).array.take(positions)


def _days(values: pd.Series) -> np.ndarray:
    """Dates as ``datetime64[D]`` (NaT where missing)."""
    return pd.to_datetime(values).to_numpy().astype("datetime64[D]")


def _day_number(value: date | None) -> int:
    if value is None:
        return np.iinfo(np.int64).min
    return int(np.datetime64(value, "D").astype(np.int64))


def _on_or_before(days: np.ndarray, d: np.datetime64) -> np.ndarray:
    return np.isnat(days) | (days <= d)


def _on_or_after(days: np.ndarray, d: np.datetime64) -> np.ndarray:
    return np.isnat(days) | (days >= d)


def _later(a: np.ndarray, b: np.datetime64) -> np.ndarray:
    """Element-wise later of two dates, ignoring whichever is missing."""
    if np.isnat(b):
        return a
    return np.where(np.isnat(a) | (a < b), b, a)
