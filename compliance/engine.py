"""The status engine: one status per in-scope (person, requirement) as of a date.

Implements DESIGN.md "Status of one person for one requirement" on whole arrays:
people get an integer index (roster sorted by ``person_id``), requirements an index
(sorted by course), and each pair the key ``person * n_requirements + requirement``.
Completions are matched to requirements once per distinct title and to people once per
roster; the latest counting completion on any date is then one ``np.maximum.at`` over
``(date, entry)`` codes by pair key, so a trend over many dates reuses all of that work
(see :class:`StatusModel`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from threading import Lock
from typing import NamedTuple

import numpy as np
import pandas as pd

from compliance.errors import UnusableInput
from compliance.matching import MatchResult, factorize_text, id_keys
from compliance.rules import Requirement, Rules, distinct_matches, match_matrix
from compliance.titles import fold_title
from loaders.ids import normalise_ids
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
STATUS_PERSON_COLUMNS: tuple[str, ...] = (
    "email",
    "role",
    "staff_type",
    "manager",
    "start_date",
    "leave_date",
)
"""The roster columns every status row carries after :data:`LEADING_COLUMNS`."""
NAT = np.datetime64("NaT", "D")
_RENEWS, _IN_TIME, _SOON, _HAS = 1, 2, 4, 8
"""Bits of a pair's case on a date: the requirement renews; the due date is on or after
the date; it is within the due-soon window; there is a counting completion."""
_STATUS_OF_CASE = np.array(
    [PENDING if case & _IN_TIME else OVERDUE for case in range(_HAS)]
    + [
        COMPLIANT if not case & _RENEWS
        else OVERDUE if not case & _IN_TIME
        else EXPIRING if case & _SOON
        else COMPLIANT
        for case in range(_HAS)
    ],
    dtype=np.int8,
)  # fmt: skip
"""DESIGN.md rules 3 and 4 as a table from case to status."""


def compute_status(
    roster: pd.DataFrame,
    completions: pd.DataFrame | MatchResult,
    rules: Rules,
    as_of: date | pd.Timestamp,
    exemptions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Status of every in-scope (person, requirement) pair as of ``as_of``.

    ``completions`` are matched completions (``person_id`` is a roster ``person_id``;
    see :func:`compliance.matching.match_completions`), or the whole ``MatchResult``,
    whose roster positions spare hashing every person ID again. One row per pair, sorted
    by ``person_id`` then ``course``.
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
    person_ids: np.ndarray
    """Distinct ``person_id`` values (of the entries, at least)."""
    person_keys: np.ndarray | None
    """Their normalised keys when a ``MatchResult`` gave them (its roster's), else None."""
    person_code: np.ndarray
    """Per entry: position in ``person_ids`` (-1 when the row has none)."""
    requirement: np.ndarray
    day: np.ndarray
    """Completion date as whole days since 1970-01-01 (int64)."""
    evidence: np.ndarray
    """Position of the completion row (in a ``MatchResult``'s source), for
    ``evidence_file``/``evidence_row``."""
    source_file: np.ndarray | pd.Categorical
    """Per completion row: its file (a categorical stays one, read by its codes)."""
    source_row: pd.api.extensions.ExtensionArray


def index_completions(completions: pd.DataFrame | MatchResult, rules: Rules) -> CompletionIndex:
    """Match every completion's course and code to the requirements, once.

    Matching runs on the distinct titles and codes; rows only index into the result.
    Hashing the IDs is the expensive part. Given a ``MatchResult``, the matched rows are
    read from its source through its row positions, and its roster positions stand in for
    the IDs; otherwise, when most rows are courses no requirement asks for, only the
    entries' IDs are hashed (gathering them costs more than it saves when most rows count).
    """
    match = completions if isinstance(completions, MatchResult) else None
    frame = match.source if match is not None else completions
    ordered = sorted_rules(rules)
    title, by_title = _distinct_matches(ordered, _column(frame, "course"))
    code, by_code = _distinct_matches(ordered, _column(frame, "course_code"))
    stamps = pd.to_datetime(_column(frame, "completed_on")).to_numpy()
    if match is not None:
        title, code, stamps = title[match.rows], code[match.rows], stamps[match.rows]
    rows, requirement = _entries(by_title, by_code, title, code, ~np.isnat(stamps))
    person_keys = None
    if match is not None:
        person_ids, person_code = match.roster_ids, match.roster_position[rows]
        person_keys = match.roster_keys
    elif 2 * len(rows) < len(frame):
        person_code, person_ids = factorize_text(_objects(frame, "person_id")[rows])
    else:
        people, person_ids = factorize_text(_objects(frame, "person_id"))
        person_code = people[rows]
    return CompletionIndex(
        rules=ordered,
        person_ids=np.asarray(person_ids, dtype=object),
        person_keys=person_keys,
        person_code=person_code,
        requirement=requirement.astype(np.int64),
        day=stamps[rows].astype("datetime64[D]").view(np.int64),
        evidence=match.rows[rows] if match is not None else rows,
        source_file=_text_values(frame, "source_file"),
        source_row=pd.array(_column(frame, "source_row"), dtype="Int64", copy=False),
    )


def _distinct_matches(rules: Rules, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(code per row, -1 if missing; matrix distinct value x requirement), hashing the
    column once: a categorical's codes are used as they are, text is read without the
    missing-value scan ``Series.to_numpy`` makes."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories.to_numpy(object)
    else:
        codes, uniques = factorize_text(np.asarray(values.array, dtype=object))
    return codes, distinct_matches(rules, pd.Series(uniques, dtype=object))[1]


_BITS = 16


def _entries(
    by_title: np.ndarray,
    by_code: np.ndarray,
    title: np.ndarray,
    code: np.ndarray,
    dated: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(row, requirement) of every dated row that counts for a requirement, requirement by
    requirement, rows in file order.

    Each distinct title and code becomes a bit mask of the requirements it matches (16 to
    a ``uint16``), so a row costs one small lookup per 16 requirements, not one per
    requirement; the last mask entry, 0, is for missing titles and codes (code -1).
    """
    rows, requirement = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for first in range(0, by_title.shape[1], _BITS):
        width = min(_BITS, by_title.shape[1] - first)
        weights = (1 << np.arange(width)).astype(np.uint16)
        bits = [np.append(m[:, first : first + width] @ weights, 0).astype(np.uint16)
                for m in (by_title, by_code)]  # fmt: skip
        mask = bits[0][title] | bits[1][code]
        counting = np.flatnonzero((mask != 0) & dated)
        mask = mask[counting]
        for j in range(width):
            rows.append(counting[(mask & weights[j]) != 0])
            requirement.append(np.full(len(rows[-1]), first + j, dtype=np.int64))
    return np.concatenate(rows), np.concatenate(requirement)


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


class _Decided(NamedTuple):
    """What deciding the statuses on a date works out (see :meth:`StatusModel._decide`)."""

    pairs: np.ndarray
    requirement: np.ndarray
    status: np.ndarray
    hit: np.ndarray
    """Positions in ``pairs`` with a counting completion; ``day`` and ``code`` are theirs."""
    day: np.ndarray
    code: np.ndarray
    due: np.ndarray
    exempt: np.ndarray
    """Positions in ``pairs`` that are exempt; ``exemption_rows`` are the rows why."""
    exemption_rows: np.ndarray


class StatusModel:
    """One roster, its completions and exemptions, prepared for evaluation on any date."""

    def __init__(
        self,
        roster: pd.DataFrame,
        index: CompletionIndex,
        exemptions: pd.DataFrame | None = None,
    ) -> None:
        ids = _objects(roster, "person_id")
        given = pd.Index(ids)
        order = _text_order(ids)
        if order is None:
            if not given.is_unique:
                duplicate = given[given.duplicated()][0]
                raise UnusableInput(
                    f"the roster has person_id {duplicate!r} more than once",
                    reason="duplicate_id",
                )
            text = pd.Series(ids).fillna("").astype(str).to_numpy(dtype=str)
            order = np.argsort(text, kind="stable")
        self.roster = roster.take(order)
        self.roster.index = pd.RangeIndex(len(order))
        self.rules = index.rules
        self.requirements: tuple[Requirement, ...] = index.rules.requirements
        self.courses = np.array([r.course for r in self.requirements], dtype=object)
        self.n_req = len(self.requirements)
        self._given = given
        self._rank = np.empty(len(order) + 1, dtype=np.int64)
        self._rank[order] = np.arange(len(order))
        self._rank[-1] = -1
        self._start = _days(_column(self.roster, "start_date"))
        self._leave = _days(_column(self.roster, "leave_date"))
        self._dates = {
            "start_date": self._start.astype("datetime64[ns]"),
            "leave_date": self._leave.astype("datetime64[ns]"),
        }
        self._text_columns = [
            "person_id", "name", "unit",
            *STATUS_PERSON_COLUMNS[:4], *unit_level_columns(self.roster.columns),
        ]  # fmt: skip
        self._text = {c: _objects(self.roster, c) for c in self._text_columns}
        self.applies = _applicability(self.roster, self.requirements)
        reqs = self.requirements
        self._renews = np.array([r.renewal_months is not None for r in reqs], dtype=np.int8)
        self._soon = np.array([self.rules.due_soon_for(r) for r in reqs], dtype="timedelta64[D]")
        self._not_before = np.array([_day_number(r.not_before) for r in reqs], dtype=np.int64)
        self._starter_days = np.array([r.new_starter_days for r in reqs], dtype="timedelta64[D]")
        self._deadline = np.array([r.deadline or NAT for r in reqs], dtype="datetime64[D]")
        # Per pair key, the due date with no counting completion: the later of the grace
        # period's end and the deadline (NaT-aware).
        due = self._start[:, None] + self._starter_days[None, :]
        self._due_without = np.fmax(due, self._deadline[None, :], out=due).ravel()
        if _same_objects(ids, index.person_ids):  # the match of this very roster
            given_position = np.arange(len(ids))
        else:
            given_position = self._given.get_indexer(index.person_ids)
        self._best: np.ndarray | None = None
        self._best_limit = -1
        self._best_lock = Lock()
        self._prepare_completions(index, self._rank[given_position])
        self._prepare_exemptions(exemptions, lambda: self._roster_keys(index, given_position))

    def _roster_keys(self, index: CompletionIndex, given_position: np.ndarray) -> pd.Series:
        """The normalised key of every roster ID, in the order given: the match's keys
        where the index carries them (normalising 300,000 IDs again costs more than all
        the rest of the model), computed here for the others.

        Keys are taken over only for text IDs: equal text is the same ID, while ``1``
        and ``True`` compare equal and normalise differently."""
        ids = np.asarray(self._given, dtype=object)
        keys = np.full(len(ids), pd.NA, dtype=object)
        todo = np.ones(len(ids), dtype=bool)
        if index.person_keys is not None and self._given.inferred_type in ("string", "empty"):
            known = given_position >= 0
            keys[given_position[known]] = index.person_keys[known]
            todo[given_position[known]] = False
        rest = np.flatnonzero(todo)
        if len(rest):
            keys[rest] = id_keys(ids[rest])
        return pd.Series(keys, dtype="string")

    def _person_by_key(self, person_ids: pd.Series, keys: pd.Series) -> np.ndarray:
        """Position of each ID in the sorted roster by key (``009917`` finds ``9917``): an
        exemptions list and the roster need not write IDs alike; -1 if not on it.
        ``keys`` are the roster's (see :meth:`_roster_keys`)."""
        first = ~keys.duplicated().to_numpy()
        found = pd.Index(keys[first]).get_indexer(normalise_ids(person_ids.astype(object)))
        return self._rank[np.append(np.flatnonzero(first), -1)[found]]

    def _prepare_completions(self, index: CompletionIndex, person_index: np.ndarray) -> None:
        """Pair key and code of each counting completion entry; the renewal due-date table.

        Entries for people not on the roster, or before their requirement's ``not_before``,
        never count, whatever the date, so they are dropped here once. An entry's code is
        ``(days since the first counting entry) << 32 | entry``: the latest completion on
        or before a date is the largest code up to that date's limit, and on a same-day tie
        the later file row. ``person_index``: each of ``index.person_ids``' position in
        the sorted roster, -1 if not on it.
        """
        lookup = np.append(person_index, -1)
        person = lookup[index.person_code]
        requirement, day = index.requirement, index.day
        entry = np.flatnonzero((person >= 0) & (day >= self._not_before[requirement]))
        self._entry_key = person[entry] * self.n_req + requirement[entry]
        counting = day[entry]
        self._day0 = int(counting.min()) if len(counting) else 0
        self._entry_code = ((counting - self._day0) << 32) | entry
        self._due_table = _renewal_table(counting, self._day0, self.requirements)
        self._evidence = index.evidence
        self._source_file = index.source_file
        self._source_row = index.source_row

    def _prepare_exemptions(
        self, exemptions: pd.DataFrame | None, roster_keys: Callable[[], pd.Series]
    ) -> None:
        """Pair key, row and dates of each exemption entry; ``roster_keys`` is called only
        when there are exemptions to match to the roster."""
        if exemptions is None or exemptions.empty:
            exemptions = pd.DataFrame({c: [] for c in ("person_id", "course", "from", "until")})
            person = np.zeros(0, dtype=np.int64)
        else:
            person = self._person_by_key(_column(exemptions, "person_id"), roster_keys())
        courses = _column(exemptions, "course")
        folded = fold_title(courses)
        everything = (folded == ALL_COURSES).fillna(False).to_numpy(dtype=bool)
        names = fold_title(pd.Series(self.courses, dtype="string")).to_numpy()
        named = (folded.to_numpy(dtype=object, na_value="")[:, None] == names[None, :]).astype(bool)
        by_title = match_matrix(self.rules, courses)
        matrix = np.where(named.any(axis=1)[:, None], named, by_title) | everything[:, None]
        matrix &= (person >= 0)[:, None]
        rows, requirement = np.nonzero(matrix)
        self._ex_key = person[rows] * self.n_req + requirement
        self._ex_row = rows
        self._ex_from = _days(_column(exemptions, "from"))[rows]
        self._ex_until = _days(_column(exemptions, "until"))[rows]
        self.exemption_reasons = _objects(exemptions, "reason")

    def evaluate(self, as_of: date | pd.Timestamp) -> Evaluation:
        """Status arrays for every in-scope pair on ``as_of`` (DESIGN.md rules 1-5)."""
        d = np.datetime64(pd.Timestamp(as_of).date(), "D")
        decided = self._decide(d)
        pairs, hit = decided.pairs, decided.hit
        last = np.full(len(pairs), NAT)
        last[hit] = decided.day.view("datetime64[D]")
        evidence = np.full(len(pairs), -1, dtype=np.int64)
        evidence[hit] = self._evidence[decided.code & 0xFFFFFFFF]
        exemption = np.full(len(pairs), -1, dtype=np.int64)
        exemption[decided.exempt] = decided.exemption_rows
        person = pairs // max(self.n_req, 1)
        return Evaluation(
            d, person, decided.requirement, decided.status, last, decided.due, evidence, exemption
        )

    def statuses(self, as_of: date | pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
        """(pair key, status) of every in-scope pair on ``as_of``: what counting by group
        needs, without the columns of a status table that :meth:`evaluate` adds."""
        decided = self._decide(np.datetime64(pd.Timestamp(as_of).date(), "D"))
        return decided.pairs, decided.status

    def _decide(self, d: np.datetime64) -> _Decided:
        in_date = _on_or_before(self._start, d) & _on_or_after(self._leave, d)
        pairs = np.flatnonzero((self.applies & in_date[:, None]).ravel())
        requirement = pairs % max(self.n_req, 1)
        hit, code = self._latest(pairs, d)
        day = (code >> 32) + self._day0
        due = self._due_without[pairs]
        due[hit] = self._due_table[requirement[hit], day - self._day0]
        exempt, exemption_rows = self._exemption(pairs, d)

        case = np.zeros(len(pairs), dtype=np.int8)
        case[hit] = _HAS
        case |= self._renews[requirement]
        case |= (due >= d).view(np.int8) << 1
        case |= (due <= (d + self._soon)[requirement]).view(np.int8) << 2
        status = _STATUS_OF_CASE.take(case)
        status[exempt] = EXEMPT
        return _Decided(pairs, requirement, status, hit, day, code, due, exempt, exemption_rows)

    def _latest(self, pairs: np.ndarray, d: np.datetime64) -> tuple[np.ndarray, np.ndarray]:
        """Pairs with a counting completion on or before ``d`` (positions in ``pairs``) and
        the code of the latest (see :meth:`_prepare_completions`): the largest entry code
        at most ``d``'s limit.

        The largest code per pair key so far is kept between calls, so dates asked in
        rising order (a trend, a projection) only go over the entries between one limit
        and the next, not over every entry again; an earlier date starts again.
        """
        limit = ((int(d.astype(np.int64)) - self._day0) << 32) | 0xFFFFFFFF
        code = self._entry_code
        with self._best_lock:
            if self._best is None:
                self._best = np.full(len(self.roster) * self.n_req, -1, dtype=np.int64)
            elif limit < self._best_limit:
                self._best.fill(-1)
                self._best_limit = -1
            new = np.flatnonzero((code > self._best_limit) & (code <= limit))
            np.maximum.at(self._best, self._entry_key[new], code[new])
            self._best_limit = max(limit, self._best_limit)
            latest = self._best[pairs]
        hit = np.flatnonzero(latest >= 0)
        return hit, latest[hit]

    def _exemption(self, pairs: np.ndarray, d: np.datetime64) -> tuple[np.ndarray, np.ndarray]:
        """(position in ``pairs``, exemption row) of each pair an exemption covers on
        ``d``, with the first such row."""
        active = _on_or_before(self._ex_from, d) & _on_or_after(self._ex_until, d)
        keys, first = np.unique(self._ex_key[active], return_index=True)
        rows = self._ex_row[active][first]
        slot = np.minimum(np.searchsorted(pairs, keys), max(len(pairs) - 1, 0))
        hit = pairs[slot] == keys if len(pairs) else np.zeros(len(keys), dtype=bool)
        return slot[hit], rows[hit]

    def frame(self, evaluation: Evaluation) -> pd.DataFrame:
        """The status table (DESIGN.md column order; more columns follow the first eight).

        Built from one dict of arrays without copying (``copy=False`` also stops pandas
        consolidating them), so millions of strings are gathered once and never re-copied.
        """
        e = evaluation
        columns: dict[str, object] = {c: v.take(e.person) for c, v in self._text.items()}
        columns |= {
            "course": self.courses[e.requirement],
            "status": pd.Categorical.from_codes(e.status, categories=list(STATUSES)),
            "last_completed": e.last_completed.astype("datetime64[ns]"),
            "due_date": e.due_date.astype("datetime64[ns]"),
            "days_overdue": _days_overdue(e),
            "start_date": self._dates["start_date"][e.person],
            "leave_date": self._dates["leave_date"][e.person],
            "evidence_file": _pick(self._source_file, e.evidence),
            "evidence_row": self._source_row.take(e.evidence, allow_fill=True),
            "exemption_reason": _pick(self.exemption_reasons, e.exemption),
        }
        order = [*LEADING_COLUMNS, *STATUS_PERSON_COLUMNS, *self._text_columns[7:]]
        order += ["evidence_file", "evidence_row", "exemption_reason"]
        return pd.DataFrame({c: columns[c] for c in order}, copy=False)


def _text_order(ids: np.ndarray) -> np.ndarray | None:
    """The stable sorting order of IDs that are all distinct text, else None.

    Python orders text as the fixed-width copy of the general path does (save for trailing
    NULs, so IDs holding one take that path), and sorting the objects spares that copy;
    equal IDs end up side by side, so finding them needs no hash table of 300,000 IDs.
    """
    if pd.api.types.infer_dtype(ids, skipna=False) != "string" or "\x00" in "".join(ids):
        return None
    order = np.argsort(ids, kind="stable")
    ranked = ids[order]
    return None if (ranked[1:] == ranked[:-1]).any() else order


def _same_objects(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two object arrays hold the very same objects in the same order."""
    return len(a) == len(b) and np.array_equal(_addresses(a), _addresses(b))


def _addresses(values: np.ndarray) -> np.ndarray:
    return np.frombuffer(memoryview(np.ascontiguousarray(values, dtype=object)).cast("B"), np.intp)


def _pick(values: np.ndarray | pd.Categorical, positions: np.ndarray) -> np.ndarray:
    """``values[positions]`` with ``None`` where the position is -1 (only the others read)."""
    out = np.full(len(positions), None, dtype=object)
    hit = np.flatnonzero(positions >= 0)
    if isinstance(values, pd.Categorical):
        categories = np.append(np.asarray(values.categories, dtype=object), None)
        out[hit] = categories.take(values.codes.take(positions[hit]))
    else:
        out[hit] = values.astype(object, copy=False).take(positions[hit])
    return out


def _days_overdue(e: Evaluation) -> pd.api.extensions.ExtensionArray:
    late = (e.status == OVERDUE) & ~np.isnat(e.due_date)
    days = (e.as_of - e.due_date).view(np.int64)
    days[~late] = 0
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
            applies[:, j] &= _isin(staff_type, _fold_rule(scope.staff_type))
        if scope.role:
            applies[:, j] &= _isin(role, _fold_rule(scope.role))
        if scope.unit:
            applies[:, j] &= _under(unit, _fold_rule(scope.unit, path=True))
    return applies


def _folded_codes(values: pd.Series, path: bool = False) -> tuple[np.ndarray, pd.Series]:
    """Factorised values with their distinct folded forms (cheap: folds distinct values)."""
    codes, uniques = factorize_text(np.asarray(values.array, dtype=object))
    return codes, pd.Series(_fold(tuple(uniques), path=path), dtype="string")


@functools.lru_cache(maxsize=256)
def _fold_rule(values: tuple[str, ...], path: bool = False) -> list[str]:
    """Folded ``applies_to`` values, cached: the same rules are applied many times."""
    return _fold(values, path)


def _fold(values: tuple, path: bool = False) -> list[str]:
    folded = fold_title(pd.Series(list(values), dtype=object))
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
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _objects(frame: pd.DataFrame, name: str) -> np.ndarray:
    """The column as an object array, not copied: ``np.asarray`` of the pandas array skips
    the missing-value scan that ``Series.to_numpy`` makes for the loaders' text dtype."""
    return np.asarray(_column(frame, name).array, dtype=object)


def _text_values(frame: pd.DataFrame, name: str) -> np.ndarray | pd.Categorical:
    """The column as an object array (see :func:`_objects`), or as the categorical it is."""
    if name in frame and isinstance(frame[name].dtype, pd.CategoricalDtype):
        return frame[name].array
    return _objects(frame, name)


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


def _renewal_table(
    days: np.ndarray, day0: int, requirements: tuple[Requirement, ...]
) -> np.ndarray:
    """Renewal due date per (requirement, day ``day0 + k``) over the range of ``days``.

    Each calendar day in the range is shifted by each requirement's renewal months once
    (month-end clamped as pandas does), rather than every completion; requirements without
    renewal get NaT.
    """
    if not len(days):
        return np.full((len(requirements), 0), NAT)
    calendar = np.arange(day0, days.max() + 1).astype("datetime64[D]")
    table = np.full((len(requirements), len(calendar)), NAT)
    for j, req in enumerate(requirements):
        if req.renewal_months is not None:
            table[j] = add_months(calendar, req.renewal_months)
    return table


def add_months(days: np.ndarray, months: int) -> np.ndarray:
    """``days`` (``datetime64[D]``) plus whole calendar months, clamped to the month's end
    like ``pd.DateOffset(months=n)`` (31 January + 1 month = 28 or 29 February)."""
    month = days.astype("datetime64[M]")
    day_of_month = days - month.astype("datetime64[D]")
    target = month + months
    last_day = (target + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    return np.minimum(target.astype("datetime64[D]") + day_of_month, last_day)
