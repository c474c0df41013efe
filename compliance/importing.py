"""The Upload page's Import: checked files into the store, in order, and what that changed.

Takes the "before" snapshot, imports each file (rules first, so they name the courses of
the files after them), remembers the user's column corrections, takes the "after"
snapshot and summarises the difference. When every file was imported before, nothing
changes and no snapshot is taken.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from compliance import access, actions, import_diff
from compliance.errors import RulesError, UserError
from compliance.rules import Rules, load_rules
from compliance.scope import Scope
from loaders import LoadResult

if TYPE_CHECKING:
    from compliance.store import ImportOutcome, Store

IMPORT_ORDER: tuple[str, ...] = ("requirements", "roster", "completions", "exemptions")
Progress = Callable[[float, str], None]


@dataclass
class ImportItem:
    """One checked file the user chose to import, with everything the store needs."""

    kind: str
    name: str
    data: bytes
    result: LoadResult | None
    """The checked load (None for a requirements file, stored from its bytes)."""
    headers: list[str] = field(default_factory=list)
    fixes: dict[str, str] = field(default_factory=dict)
    """The user's corrections to the detected mapping, remembered after a good import."""
    as_at: date | None = None


@dataclass
class ImportSummary:
    """One message per file (``success``, ``info`` or ``error``) and what changed."""

    messages: list[tuple[str, str]]
    diff: import_diff.ImportDiff | None
    """None when nothing was imported (every file was already in the store, or failed)."""

    def lines(self) -> list[str]:
        """What changed, one sentence each."""
        if self.diff is None:
            return ["No status changed. Nothing new was imported."]
        return self.diff.lines()


def import_items(
    store: Store,
    items: list[ImportItem],
    *,
    user: str,
    scope: Scope,
    as_of: pd.Timestamp,
    progress: Progress,
) -> ImportSummary:
    """Import ``items`` one by one; a file that fails is reported and the rest go on."""
    ordered = sorted(items, key=lambda item: IMPORT_ORDER.index(item.kind))
    messages: list[tuple[str, str]] = []
    new = [item for item in ordered if store.already_imported(item.kind, item.data) is None]
    before = access.fresh_snapshot(store, as_of).scoped(scope) if new else None
    imported: list[ImportItem] = []
    for number, item in enumerate(ordered):

        def step(fraction: float, text: str, number: int = number, name: str = item.name):
            progress((number + fraction) / len(ordered), f"{name}: {text}")

        try:
            outcome = _store(store, item, user, step)
        except UserError as error:
            messages.append(("error", str(error)))
            continue
        messages.append(("success" if outcome.created else "info", outcome.message))
        if outcome.created:
            imported.append(item)
        if item.headers:
            actions.remember_mapping(store, item.kind, item.headers, item.fixes, user=user)
    if before is None or not imported:
        return ImportSummary(messages, None)
    after = access.fresh_snapshot(store, as_of).scoped(scope)
    loaded = [i.result.frame for i in imported if i.kind == "completions" and i.result]
    diff = import_diff.diff_import(
        roster_before=before.roster,
        roster_after=after.roster,
        status_before=before.status,
        status_after=after.status,
        loaded_completions=pd.concat(loaded, ignore_index=True) if loaded else None,
        completions_before=before.all_completions,
    )
    return ImportSummary(messages, diff)


def _store(store: Store, item: ImportItem, user: str, progress: Progress) -> ImportOutcome:
    """Rules by their bytes (the next version); other files as the checked load result."""
    if item.kind == "requirements" or item.result is None:
        return actions.import_file(store, item.kind, item.data, item.name, user=user,
                                   progress=progress)
    return actions.import_loaded(
        store, item.kind, item.result, item.data, item.name, as_at=item.as_at, user=user,
        progress=progress,
    )


RULE_FIELDS: dict[str, str] = {
    "staff_type": "staff type", "role": "rank or role", "unit": "unit", "start_date": "start date"
}
"""Roster fields the rules can depend on, in words."""


def unmapped_rule_fields(rules: Rules | None, mapped: set[str]) -> list[str]:
    """For a roster about to be imported: one sentence per field the rules use that no
    column is mapped to, naming the requirements that would silently treat everyone alike."""
    if rules is None:
        return []
    needs = {
        "staff_type": [r.course for r in rules.requirements if r.applies_to.staff_type],
        "role": [r.course for r in rules.requirements if r.applies_to.role],
        "unit": [r.course for r in rules.requirements if r.applies_to.unit],
        "start_date": [r.course for r in rules.requirements if r.new_starter_days is not None],
    }
    return [
        f"No column is used as {RULE_FIELDS[field]}, but {', '.join(courses)} "
        f"{'depends' if len(courses) == 1 else 'depend'} on it: choose the column under "
        "Columns, or everyone is treated as having none."
        for field, courses in needs.items()
        if courses and field not in mapped
    ]


def rules_among(files: list[tuple[str, bytes]]) -> Rules | None:
    """The first valid rules among uploaded requirements files (name, bytes), else None:
    they will be in force when the other files land, so they name those files' courses.
    An invalid file names nothing; its own check says what is wrong with it."""
    for name, data in files:
        try:
            return load_rules(data, name)
        except RulesError:
            continue
    return None
