"""The requirements: which course, who must do it, how often, as validated data.

The YAML file, the rules page and the store all go through :func:`rules_from_dict`, so a
typo (``renewal_month``) or an impossible value is caught once, with a message naming
the file, the requirement and the key. The engine evaluates these rules; nothing here
looks at people.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from compliance.errors import RulesError
from compliance.titles import fold_title

STAFF_TYPES: tuple[str, ...] = ("officer", "staff", "pcso", "special", "volunteer")
DEFAULT_DUE_SOON_DAYS = 30
TOP_KEYS: tuple[str, ...] = ("due_soon_days", "requirements")
REQUIREMENT_KEYS: tuple[str, ...] = (
    "course",
    "aliases",
    "applies_to",
    "renewal_months",
    "new_starter_days",
    "due_soon_days",
    "not_before",
    "deadline",
)
APPLIES_TO_KEYS: tuple[str, ...] = ("staff_type", "unit", "role")


@dataclass(frozen=True)
class AppliesTo:
    """Who a requirement applies to; every non-empty key must match, empty means anyone."""

    staff_type: tuple[str, ...] = ()
    unit: tuple[str, ...] = ()
    role: tuple[str, ...] = ()


@dataclass(frozen=True)
class Requirement:
    """One mandatory course and its timing rules (see DESIGN.md "Rules")."""

    course: str
    aliases: tuple[str, ...] = ()
    applies_to: AppliesTo = field(default_factory=AppliesTo)
    renewal_months: int | None = None
    new_starter_days: int | None = None
    due_soon_days: int | None = None
    not_before: date | None = None
    deadline: date | None = None


@dataclass(frozen=True)
class Rules:
    """All requirements plus the default due-soon window."""

    requirements: tuple[Requirement, ...]
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS

    @property
    def courses(self) -> tuple[str, ...]:
        return tuple(r.course for r in self.requirements)

    def due_soon_for(self, requirement: Requirement) -> int:
        """The requirement's own due-soon window, else the default."""
        if requirement.due_soon_days is None:
            return self.due_soon_days
        return requirement.due_soon_days

    def match_titles(self, titles: pd.Series, *, regex: bool = True) -> pd.Series:
        """The course of the first requirement each title (or code) matches, else ``<NA>``.

        This is the loaders' ``MatchCourse``: used for completion titles and codes, wide
        headers and file names. ``regex=False`` leaves out regular-expression aliases, which
        DESIGN.md applies to course values and file names but never to column headers.
        """
        matrix = match_matrix(self, titles, regex=regex)
        names = np.array(self.courses + (None,), dtype=object)
        padded = np.hstack([matrix, np.ones((len(matrix), 1), dtype=bool)])
        first = padded.argmax(axis=1)  # the added column catches titles matching nothing
        return pd.Series(names[first], index=titles.index, dtype="string")

    def matches(self, titles: pd.Series) -> pd.DataFrame:
        """Every (index, course) pair where a title matches a requirement.

        A title can match several requirements (one course may count for two); the frame
        has one row per pair, columns ``index`` (the label in ``titles``) and ``course``.
        """
        rows, reqs = np.nonzero(match_matrix(self, titles))
        courses = np.array(self.courses, dtype=object)
        return pd.DataFrame(
            {"index": titles.index[rows], "course": pd.array(courses[reqs], dtype="string")}
        )


def match_matrix(rules: Rules, titles: pd.Series, *, regex: bool = True) -> np.ndarray:
    """Boolean array (title, requirement): does the title match the requirement?

    Works on the distinct titles only, so millions of completion rows cost as much as the
    handful of course names they use.
    """
    codes, distinct = distinct_matches(rules, titles, regex=regex)
    return np.vstack([distinct, np.zeros((1, distinct.shape[1]), dtype=bool)])[codes]


def distinct_matches(
    rules: Rules, titles: pd.Series, *, regex: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """(code per title, -1 if missing; boolean matrix distinct title x requirement)."""
    codes, uniques = pd.factorize(titles.to_numpy(dtype=object))
    distinct = pd.Series(uniques, dtype=object).astype("string")
    return codes, _distinct_matrix(rules, distinct, regex=regex)


def _distinct_matrix(rules: Rules, titles: pd.Series, *, regex: bool) -> np.ndarray:
    folded = fold_title(titles)
    raw = titles.str.strip()
    matrix = np.zeros((len(titles), len(rules.requirements)), dtype=bool)
    for j, (names, patterns) in enumerate(_compiled(rules)):
        hit = folded.isin(names)
        for pattern in patterns if regex else ():
            hit |= raw.str.contains(pattern, case=False, regex=True)
            hit |= folded.str.contains(pattern, case=False, regex=True)
        matrix[:, j] = hit.fillna(False).to_numpy(dtype=bool)
    return matrix


@functools.lru_cache(maxsize=32)
def _compiled(rules: Rules) -> tuple[tuple[frozenset[str], tuple[str, ...]], ...]:
    """Per requirement: folded course and plain aliases, and the regular expressions.

    Cached per (immutable) rules, so repeated matching does not re-fold the rules.
    """
    out = []
    for requirement in rules.requirements:
        names = [requirement.course, *(a for a in requirement.aliases if not _is_regex(a))]
        folded = frozenset(fold_title(pd.Series(names, dtype="string")))
        out.append((folded, tuple(a[1:-1] for a in requirement.aliases if _is_regex(a))))
    return tuple(out)


def _is_regex(alias: str) -> bool:
    return len(alias) >= 2 and alias.startswith("/") and alias.endswith("/")


def load_rules(source: bytes | str | Path, filename: str = "requirements.yaml") -> Rules:
    """Read a requirements YAML file: bytes, YAML text, or a path.

    A ``str`` is YAML text unless it is one line naming an existing file. Bad syntax
    raises :class:`RulesError` with the line number; bad content, the requirement and key.
    """
    if isinstance(source, str) and "\n" not in source and Path(source).is_file():
        source = Path(source)
    if isinstance(source, Path):
        if filename == "requirements.yaml":
            filename = source.name
        try:
            source = source.read_bytes()
        except OSError as error:
            raise RulesError(f"cannot read the file ({error.strerror})", file=filename) from None
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RulesError("not UTF-8 text: save the file as UTF-8", file=filename) from None
    try:
        data = yaml.load(source, Loader=_RulesLoader)
    except yaml.YAMLError as error:
        raise RulesError(_yaml_message(error), file=filename) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RulesError(
            "expected a mapping with a 'requirements' list at the top of the file",
            file=filename,
        )
    return rules_from_dict(data, file=filename)


class _RulesLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so :func:`rules_from_dict` names bad ones."""


_RulesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _yaml_message(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    where = f"line {mark.line + 1}: " if mark is not None else ""
    return f"{where}YAML syntax error ({problem}); check the indentation and quotes there"


def rules_from_dict(data: dict, file: str = "") -> Rules:
    """Validate a rules mapping (as in the YAML file) and build :class:`Rules`."""
    if not isinstance(data, dict):
        raise RulesError("expected a mapping with a 'requirements' list", file=file)
    _check_keys(data, TOP_KEYS, file=file, requirement=None)
    default_due_soon = _count(data.get("due_soon_days"), file, None, "due_soon_days")
    if "requirements" not in data:
        raise RulesError("no 'requirements' list: add one entry per course", file=file)
    items = data["requirements"]
    if items is None:
        items = []
    if not isinstance(items, list):
        raise RulesError("'requirements' must be a list of requirements", file=file)
    requirements = tuple(_requirement(item, n, file) for n, item in enumerate(items, start=1))
    _check_unique(requirements, file)
    return Rules(
        requirements=requirements,
        due_soon_days=DEFAULT_DUE_SOON_DAYS if default_due_soon is None else default_due_soon,
    )


def _requirement(item: Any, position: int, file: str) -> Requirement:
    label = f"requirement {position}"
    if not isinstance(item, dict):
        raise RulesError(
            "expected a mapping with at least a 'course'", file=file, requirement=label
        )
    course = item.get("course")
    if isinstance(course, str) and course.strip():
        label = f"requirement {course.strip()!r}"
    _check_keys(item, REQUIREMENT_KEYS, file=file, requirement=label)
    if not isinstance(course, str) or not course.strip():
        raise RulesError(
            "every requirement needs a course name", file=file, requirement=label, key="course"
        )
    renewal = _count(item.get("renewal_months"), file, label, "renewal_months")
    if renewal == 0:
        raise RulesError(
            "must be at least 1, or omitted when once is enough",
            file=file,
            requirement=label,
            key="renewal_months",
        )
    return Requirement(
        course=course.strip(),
        aliases=_aliases(item.get("aliases"), file, label),
        applies_to=_applies_to(item.get("applies_to"), file, label),
        renewal_months=renewal,
        new_starter_days=_count(item.get("new_starter_days"), file, label, "new_starter_days"),
        due_soon_days=_count(item.get("due_soon_days"), file, label, "due_soon_days"),
        not_before=_date(item.get("not_before"), file, label, "not_before"),
        deadline=_date(item.get("deadline"), file, label, "deadline"),
    )


def _check_keys(
    data: dict, allowed: tuple[str, ...], *, file: str, requirement: str | None
) -> None:
    for key in data:
        if key in allowed:
            continue
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"use one of {', '.join(allowed)}"
        raise RulesError(f"unknown key: {hint}", file=file, requirement=requirement, key=str(key))


def _check_unique(requirements: tuple[Requirement, ...], file: str) -> None:
    folded = fold_title(pd.Series([r.course for r in requirements], dtype="string"))
    duplicated = folded.duplicated()
    if duplicated.any():
        course = requirements[int(np.flatnonzero(duplicated.to_numpy())[0])].course
        raise RulesError(
            "this course name is used by two requirements: merge them or rename one",
            file=file,
            requirement=f"requirement {course!r}",
            key="course",
        )


def _texts(value: Any, file: str, label: str, key: str) -> tuple[str, ...]:
    """A list of names (a single name is accepted as a one-item list)."""
    if value is None:
        return ()
    items = value if isinstance(value, (list, tuple)) else [value]
    out = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            raise RulesError(
                f"{item!r} is not a name: write each entry as text (in quotes if needed)",
                file=file,
                requirement=label,
                key=key,
            )
        text = str(item).strip()
        if not text:
            raise RulesError("empty entry: remove it", file=file, requirement=label, key=key)
        out.append(text)
    return tuple(out)


def _aliases(value: Any, file: str, label: str) -> tuple[str, ...]:
    aliases = _texts(value, file, label, "aliases")
    for alias in filter(_is_regex, aliases):
        try:
            re.compile(alias[1:-1])
        except re.error as error:
            raise RulesError(
                f"invalid regular expression {alias!r} ({error}): fix it, or remove the "
                "slashes to match the text literally",
                file=file,
                requirement=label,
                key="aliases",
            ) from None
    return aliases


def _applies_to(value: Any, file: str, label: str) -> AppliesTo:
    if value is None:
        return AppliesTo()
    if not isinstance(value, dict):
        raise RulesError(
            "expected a mapping with staff_type, unit and/or role lists",
            file=file,
            requirement=label,
            key="applies_to",
        )
    _check_keys(value, APPLIES_TO_KEYS, file=file, requirement=label)
    staff_types = tuple(
        s.casefold() for s in _texts(value.get("staff_type"), file, label, "staff_type")
    )
    for staff_type in staff_types:
        if staff_type not in STAFF_TYPES:
            raise RulesError(
                f"unknown staff type {staff_type!r}: use one of {', '.join(STAFF_TYPES)}",
                file=file,
                requirement=label,
                key="staff_type",
            )
    return AppliesTo(
        staff_type=staff_types,
        unit=_texts(value.get("unit"), file, label, "unit"),
        role=_texts(value.get("role"), file, label, "role"),
    )


def _count(value: Any, file: str, label: str | None, key: str) -> int | None:
    """A whole number of days or months >= 0; integral floats (from table editors) accepted."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesError(
            f"{value!r} is not a whole number", file=file, requirement=label, key=key
        )
    if value < 0:
        raise RulesError(
            f"{value} is negative: use 0 or more", file=file, requirement=label, key=key
        )
    return value


def _date(value: Any, file: str, label: str, key: str) -> date | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise RulesError(
        f"{value!r} is not a date: write it as YYYY-MM-DD", file=file, requirement=label, key=key
    )


def rules_to_dict(rules: Rules) -> dict:
    """The YAML structure of ``rules`` (omitting empty keys), for export and the store."""
    return {
        "due_soon_days": rules.due_soon_days,
        "requirements": [_requirement_dict(r) for r in rules.requirements],
    }


def _requirement_dict(requirement: Requirement) -> dict:
    out: dict[str, Any] = {"course": requirement.course}
    if requirement.aliases:
        out["aliases"] = list(requirement.aliases)
    applies = {
        key: list(getattr(requirement.applies_to, key))
        for key in APPLIES_TO_KEYS
        if getattr(requirement.applies_to, key)
    }
    if applies:
        out["applies_to"] = applies
    for key in REQUIREMENT_KEYS[3:]:
        value = getattr(requirement, key)
        if value is not None:
            out[key] = value
    return out


def dump_rules(rules: Rules) -> str:
    """YAML text that :func:`load_rules` reads back to equal ``rules``."""
    return yaml.safe_dump(rules_to_dict(rules), sort_keys=False, allow_unicode=True)
