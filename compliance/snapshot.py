"""The one status computation: roster + completions + rules + exemptions + date -> statuses.

A :class:`Snapshot` holds what one date's figures derive from: the roster in force, the
completions matched to its people (once), the rules and the exemptions. The dashboard
caches one per (data version, date, scope); the command line builds one from files or the
store. Statuses, the projection, completion history, data-quality findings and the rules
preview all start from a snapshot, so none of them matches completions to people again.

Matching does not depend on the date, only on the roster: :func:`match` does it once into
a :class:`Matched` (with the engine's model of it), which every date under that roster
shares (:func:`at`), as do the trend and the projection. At national scale the match and
the model are most of a snapshot's cost, and the Overview asks for two dates, a trend and
a projection on the same roster.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from compliance import engine
from compliance.matching import MatchResult, match_completions
from compliance.rules import Rules
from compliance.scope import Scope

NO_RULES = Rules(requirements=())


@dataclass(frozen=True, eq=False)
class Snapshot:
    """One date's inputs, matched. Frames are shared by every reader: never modify them."""

    as_of: pd.Timestamp
    roster: pd.DataFrame
    """The roster in force on ``as_of`` (limited to the scope, for a scoped snapshot)."""
    completions: pd.DataFrame
    """Completions matched to a roster person (``person_id`` is the roster's)."""
    all_completions: pd.DataFrame
    """Every active completion row, matched or not (data quality needs the unmatched)."""
    rules: Rules | None
    exemptions: pd.DataFrame | None
    notes: tuple[str, ...] = field(default=())
    """What matching decided (a column of internal user numbers ignored, ...)."""
    unmatched: pd.DataFrame | None = None
    """Completion rows that belong to nobody on the whole roster (before any scope)."""
    match: MatchResult | None = None
    """The match behind ``completions`` while they are the whole roster's: the engine reads
    its roster positions instead of hashing every person ID again."""
    shared: Matched | None = None
    """The match and the engine's model behind a whole roster's snapshot, shared with the
    other dates of that roster (see :func:`at`); None once scoped."""

    @functools.cached_property
    def status(self) -> pd.DataFrame:
        """The engine's status of every in-scope (person, requirement) on ``as_of``,
        sorted by ``person_id`` then ``course``."""
        model = None if self.shared is None else self.shared.model
        if model is not None:
            return model.frame(model.evaluate(self.as_of))
        return status_of(self, self.rules or NO_RULES)

    def person_of_rows(self) -> pd.Series:
        """The roster ``person_id`` each row of ``all_completions`` was matched to (missing
        for rows that belong to nobody). Matching keeps the rows' index labels."""
        return self.completions["person_id"].reindex(self.all_completions.index)

    def scoped(self, scope: Scope) -> Snapshot:
        """The same snapshot seen by a user limited to ``scope``: their people and their
        people's completions; the unmatched rows stay those of the whole roster."""
        if scope.units is None:
            return self
        roster = scope.roster(self.roster)
        ids = pd.Index(roster["person_id"].astype(object))
        mine = ids.get_indexer(np.asarray(self.completions["person_id"], dtype=object)) >= 0
        return Snapshot(
            as_of=self.as_of,
            roster=roster,
            completions=self.completions[mine].reset_index(drop=True),
            all_completions=self.all_completions,
            rules=self.rules,
            exemptions=self.exemptions,
            notes=self.notes,
            unmatched=self.unmatched,
        )


@dataclass(frozen=True, eq=False)
class Matched:
    """One roster's people matched to every completion, and the engine's model of that
    under the rules: what no date changes. Shared by every reader: never modify it."""

    roster: pd.DataFrame
    completions: pd.DataFrame
    """Completions matched to a roster person (``person_id`` is the roster's)."""
    all_completions: pd.DataFrame
    """Every active completion row, matched or not (index reset)."""
    rules: Rules | None
    exemptions: pd.DataFrame | None
    match: MatchResult | None
    """None when the roster is empty (nobody to match to)."""
    model: engine.StatusModel | None
    """The engine's model of the match under the rules (it evaluates any date); None
    without requirements or without a match (then nothing is worth preparing)."""


def match(
    roster: pd.DataFrame,
    completions: pd.DataFrame,
    rules: Rules | None,
    exemptions: pd.DataFrame | None,
) -> Matched:
    """Match ``completions`` to ``roster`` and to the requirements once, for every date."""
    if not _numbered(completions.index):
        completions = completions.reset_index(drop=True)
    if roster.empty:
        return Matched(roster, completions.iloc[0:0], completions, rules, exemptions, None, None)
    matched = match_completions(roster, completions)
    model = None
    if rules is not None and rules.requirements:
        model = engine.StatusModel(roster, engine.index_completions(matched, rules), exemptions)
    return Matched(roster, matched.completions, completions, rules, exemptions, matched, model)


def _numbered(index: pd.Index) -> bool:
    """Whether rows are already numbered 0, 1, 2, ...: the store's frames are, and
    numbering them again would copy 3,000,000 national rows (and charge the cache twice)."""
    return isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1


def at(matched: Matched, as_of: pd.Timestamp) -> Snapshot:
    """The snapshot of ``as_of`` under the roster of ``matched``, matching nothing again."""
    found = matched.match
    return Snapshot(
        as_of=pd.Timestamp(as_of),
        roster=matched.roster,
        completions=matched.completions,
        all_completions=matched.all_completions,
        rules=matched.rules,
        exemptions=matched.exemptions,
        notes=() if found is None else tuple(found.notes),
        unmatched=matched.all_completions if found is None else found.unmatched,
        match=found,
        shared=matched,
    )


def take(
    roster: pd.DataFrame,
    completions: pd.DataFrame,
    rules: Rules | None,
    exemptions: pd.DataFrame | None,
    as_of: pd.Timestamp,
) -> Snapshot:
    """Match ``completions`` to ``roster`` once and keep everything a date's figures need."""
    return at(match(roster, completions, rules, exemptions), as_of)


def status_of(snapshot: Snapshot, rules: Rules, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Statuses of the snapshot's people under ``rules`` (the rules preview passes others)
    on ``as_of`` (default the snapshot's date)."""
    return engine.compute_status(
        snapshot.roster,
        snapshot.match or snapshot.completions,
        rules,
        snapshot.as_of if as_of is None else as_of,
        snapshot.exemptions,
    )
