"""The requirements as an editable table, checked cell by cell, and what a change would do.

The rules page shows one row per requirement. Each edited cell is validated on its own by
the same :func:`compliance.rules.rules_from_dict` the YAML file goes through, so a message
names the row and the column to fix; whole-table rules (unique course names) come after.
Before saving, :func:`status_preview` computes every status with the old and the new rules
and counts the (person, course) pairs that would move.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from compliance.errors import RulesError
from compliance.import_diff import moved_pairs
from compliance.rules import APPLIES_TO_KEYS, Requirement, Rules, rules_from_dict
from compliance.snapshot import Snapshot, status_of
from compliance.titles import fold_title

LIST_COLUMNS: tuple[str, ...] = ("aliases", "staff_type", "unit", "role")
NUMBER_COLUMNS: tuple[str, ...] = ("renewal_months", "new_starter_days", "due_soon_days")
DATE_COLUMNS: tuple[str, ...] = ("not_before", "deadline")
TABLE_COLUMNS: tuple[str, ...] = ("course", *LIST_COLUMNS, *NUMBER_COLUMNS, *DATE_COLUMNS)
LABELS: dict[str, str] = {
    "course": "Course",
    "aliases": "Aliases",
    "staff_type": "Staff types",
    "unit": "Units",
    "role": "Roles",
    "renewal_months": "Renew, months",
    "new_starter_days": "Grace, days",
    "due_soon_days": "Soon, days",
    "not_before": "Not before",
    "deadline": "Deadline",
}
"""Short enough to read at a laptop's width; each column's help says it in full."""
CHANGE_COLUMNS: tuple[str, ...] = ("requirement", "field", "before", "after")
PROBLEM_COLUMNS: tuple[str, ...] = ("row", "column", "message")


def rules_to_table(rules: Rules | None) -> pd.DataFrame:
    """One row per requirement, list cells as lists and dates as dates (the editor's types)."""
    requirements = rules.requirements if rules is not None else ()
    records = [_record(r) for r in requirements]
    table = pd.DataFrame(records, columns=list(TABLE_COLUMNS))
    for column in NUMBER_COLUMNS:
        table[column] = pd.array(table[column], dtype="Int64")
    for column in DATE_COLUMNS:
        table[column] = pd.to_datetime(table[column]).dt.date
    return table.astype({c: "object" for c in (*LIST_COLUMNS, *DATE_COLUMNS)})


def table_to_rules(table: pd.DataFrame, due_soon_days: int) -> tuple[Rules | None, pd.DataFrame]:
    """The rules the edited table describes, or None and one problem per offending cell.

    Blank rows (an added row left empty) are skipped. ``row`` in the problems is the
    1-based position in the table, ``column`` the label the user sees.
    """
    items: dict[int, dict[str, Any]] = {}
    problems: list[tuple[int, str, str]] = []
    for position, (_, row) in enumerate(table.reindex(columns=list(TABLE_COLUMNS)).iterrows(), 1):
        item = _item(row)
        if item is None:
            continue
        problems.extend((position, LABELS[key], message) for key, message in _cell_problems(item))
        items[position] = item
    if problems:
        return None, _problems(problems)
    try:
        data = {"due_soon_days": due_soon_days, "requirements": list(items.values())}
        return rules_from_dict(data), _problems([])
    except RulesError as error:
        return None, _problems([_whole_table_problem(error, items)])


def add_alias(rules: Rules, course: str, title: str) -> Rules:
    """``rules`` with ``title`` counted for the requirement ``course`` (unchanged if it is)."""
    title = title.strip()
    if not title:
        raise RulesError("an alias cannot be empty", requirement=f"requirement {course!r}")
    found = [r for r in rules.requirements if r.course == course]
    if not found:
        raise RulesError(
            "no such requirement: pick one from the list", requirement=f"requirement {course!r}"
        )
    requirement = found[0]
    if _folded(title) in {_folded(t) for t in (requirement.course, *requirement.aliases)}:
        return rules
    updated = replace(requirement, aliases=(*requirement.aliases, title))
    return replace(
        rules,
        requirements=tuple(updated if r is requirement else r for r in rules.requirements),
    )


def changed_courses(old: Rules | None, new: Rules) -> list[str]:
    """Requirements added, removed or edited between two versions, by course."""
    before = {r.course: r for r in (old.requirements if old is not None else ())}
    after = {r.course: r for r in new.requirements}
    names = dict.fromkeys([*before, *after])
    return [n for n in names if before.get(n) != after.get(n)]


def field_changes(old: Rules | None, new: Rules) -> pd.DataFrame:
    """Every field that differs between two versions, per requirement, as old -> new text
    (a requirement added or removed shows as one row)."""
    before = {r.course: _record(r) for r in (old.requirements if old is not None else ())}
    after = {r.course: _record(r) for r in new.requirements}
    rows = []
    for course in dict.fromkeys([*before, *after]):
        if course not in before or course not in after:
            rows.append((course, "requirement", "" if course not in before else "exists",
                         "added" if course not in before else "removed"))
            continue
        for key in TABLE_COLUMNS[1:]:
            old_value, new_value = _shown(before[course].get(key)), _shown(after[course].get(key))
            if old_value != new_value:
                rows.append((course, LABELS[key], old_value, new_value))
    if old is not None and old.due_soon_days != new.due_soon_days:
        rows.append(("(all)", "Default due-soon days", str(old.due_soon_days),
                     str(new.due_soon_days)))
    return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))


def deadline_candidates(status: pd.DataFrame, rules: Rules | None) -> pd.DataFrame:
    """Requirements with no deadline where people who never did the course are overdue by
    more than its renewal period (a year when it has none): they started before it existed,
    and a deadline is how a new requirement is introduced. Requirement and how many."""
    columns = ["requirement", "people", "longest_days"]
    if rules is None or status.empty:
        return pd.DataFrame(columns=columns)
    limits = {
        r.course: (r.renewal_months or 12) * 30.44
        for r in rules.requirements if r.deadline is None
    }
    never = status[(status["status"].astype(str) == "overdue") & status["last_completed"].isna()]
    never = never[never["course"].isin(list(limits))]
    long = never[pd.to_numeric(never["days_overdue"]) > never["course"].map(limits)]
    if long.empty:
        return pd.DataFrame(columns=columns)
    counts = long.groupby("course")["days_overdue"].agg(["size", "max"]).reset_index()
    counts.columns = columns
    return counts.sort_values("people", ascending=False).reset_index(drop=True)


def with_deadline(rules: Rules, course: str, deadline: dt.date) -> Rules:
    """``rules`` with ``deadline`` set on the requirement ``course``."""
    return replace(rules, requirements=tuple(
        replace(r, deadline=deadline) if r.course == course else r for r in rules.requirements
    ))


def status_preview(snapshot: Snapshot, old: Rules | None, new: Rules) -> pd.DataFrame:
    """The (person, course) pairs the new rules would move on the snapshot's date, with the
    status before and after (:func:`compliance.import_diff.moved_pairs`).

    Empty when nothing would move. Pairs of a requirement that appears or disappears move
    from or to "not in scope". The snapshot's matched completions serve both versions.
    """
    if snapshot.roster.empty:
        return pd.DataFrame(columns=["person_id", "course", "before", "after"])
    after = status_of(snapshot, new)
    before = after.iloc[0:0] if old is None else status_of(snapshot, old)
    return moved_pairs(before, after)


def _record(requirement: Requirement) -> dict[str, Any]:
    record: dict[str, Any] = {
        "course": requirement.course,
        "aliases": list(requirement.aliases),
    }
    for key in APPLIES_TO_KEYS:
        record[key] = list(getattr(requirement.applies_to, key))
    for key in (*NUMBER_COLUMNS, *DATE_COLUMNS):
        record[key] = getattr(requirement, key)
    return record


def _item(row: pd.Series) -> dict[str, Any] | None:
    """The YAML-shaped requirement of one table row; None for an entirely blank row."""
    values = {key: _clean(row[key]) for key in TABLE_COLUMNS}
    if all(v is None for v in values.values()):
        return None
    item: dict[str, Any] = {"course": values["course"] if values["course"] is not None else ""}
    if values["aliases"] is not None:
        item["aliases"] = values["aliases"]
    applies = {k: values[k] for k in APPLIES_TO_KEYS if values[k] is not None}
    if applies:
        item["applies_to"] = applies
    for key in (*NUMBER_COLUMNS, *DATE_COLUMNS):
        if values[key] is not None:
            item[key] = values[key]
    return item


def _shown(value: Any) -> str:
    """One field's value as the change table shows it."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def _clean(value: Any) -> Any:
    """Editor cell -> YAML value: blanks become None, lists lose blank entries."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        items = [v.strip() if isinstance(v, str) else v for v in value]
        items = [v for v in items if v not in (None, "")]
        return items or None
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _cell_problems(item: dict[str, Any]) -> list[tuple[str, str]]:
    """(column key, message) for each cell of one requirement that is wrong on its own."""
    found = [] if item.get("course") else [("course", "every requirement needs a course name")]
    course = item.get("course") or "course"
    for key in (*LIST_COLUMNS, *NUMBER_COLUMNS, *DATE_COLUMNS):
        single = {"course": course}
        if key in APPLIES_TO_KEYS:
            if key not in item.get("applies_to", {}):
                continue
            single["applies_to"] = {key: item["applies_to"][key]}
        elif key in item:
            single[key] = item[key]
        else:
            continue
        try:
            rules_from_dict({"requirements": [single]})
        except RulesError as error:
            found.append((key, error.message))
    return found


def _whole_table_problem(
    error: RulesError, items: dict[int, dict[str, Any]]
) -> tuple[int, str, str]:
    """Place a whole-table error (a duplicate course) on the later row that causes it."""
    column = LABELS.get(error.key or "course", LABELS["course"])
    courses = pd.Series([str(i.get("course", "")) for i in items.values()], index=list(items))
    duplicated = fold_title(courses).duplicated()
    position = int(duplicated[duplicated].index[0]) if duplicated.any() else min(items)
    return position, column, error.message


def _problems(rows: list[tuple[int, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS))


def _folded(title: str) -> str:
    return str(fold_title(pd.Series([title], dtype="object")).iloc[0])
