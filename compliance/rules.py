"""The requirements: which course, who must do it, how often, as validated data.

The YAML file, the rules page and the store all go through :func:`rules_from_dict`, so a
typo (``renewal_month``) or an impossible value is caught once, with a message naming
the file, the requirement and the key. The engine evaluates these rules; nothing here
looks at people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from compliance.aliases import compile_alias, is_regex, match_matrix
from compliance.aliases import distinct_matches as distinct_matches
from compliance.errors import RulesError
from compliance.rules_values import check_keys, count, date_value, texts
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
    check_keys(data, TOP_KEYS, file=file, requirement=None)
    default_due_soon = count(data.get("due_soon_days"), file, None, "due_soon_days")
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
    check_keys(item, REQUIREMENT_KEYS, file=file, requirement=label)
    if not isinstance(course, str) or not course.strip():
        raise RulesError(
            "every requirement needs a course name", file=file, requirement=label, key="course"
        )
    renewal = count(item.get("renewal_months"), file, label, "renewal_months")
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
        new_starter_days=count(item.get("new_starter_days"), file, label, "new_starter_days"),
        due_soon_days=count(item.get("due_soon_days"), file, label, "due_soon_days"),
        not_before=date_value(item.get("not_before"), file, label, "not_before"),
        deadline=date_value(item.get("deadline"), file, label, "deadline"),
    )


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


def _aliases(value: Any, file: str, label: str) -> tuple[str, ...]:
    """Names and ``/pattern/`` aliases; every pattern must compile in RE2."""
    aliases = texts(value, file, label, "aliases")
    for alias in filter(is_regex, aliases):
        compile_alias(alias, file=file, requirement=label)
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
    check_keys(value, APPLIES_TO_KEYS, file=file, requirement=label)
    staff_types = tuple(
        s.casefold() for s in texts(value.get("staff_type"), file, label, "staff_type")
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
        unit=texts(value.get("unit"), file, label, "unit"),
        role=texts(value.get("role"), file, label, "role"),
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
