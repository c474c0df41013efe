"""Course titles and codes -> requirements: folded names, and regular-expression aliases in RE2.

A title matches a requirement when, folded, it equals the course or a plain alias, or
when a ``/pattern/`` alias finds it (case-insensitive search in the title as written and
as folded). Patterns come from whoever edits the rules and titles from uploaded files,
so patterns run on RE2, whose matching takes time linear in the title, whatever the
pattern: ``/(a+)+$/`` cannot freeze the server. RE2 has no backreferences or look-around;
a pattern that needs them is refused when the rules are read, naming the requirement.

Caps: a pattern may be :data:`MAX_PATTERN_LENGTH` characters long; a regular expression
looks at the first :data:`MAX_TITLE_LENGTH` characters of a title (no course title is
longer; a longer text is a payload, and the exact-name comparison still sees all of it).
Matching runs once per distinct title, so millions of completion rows cost as much as
the handful of course names they use.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import re2

from compliance.errors import RulesError
from compliance.titles import fold_title

if TYPE_CHECKING:
    from compliance.rules import Rules

MAX_PATTERN_LENGTH = 300
MAX_TITLE_LENGTH = 1_000
_OPTIONS = re2.Options()
_OPTIONS.case_sensitive = False
_OPTIONS.log_errors = False
_UNSUPPORTED = re.compile(
    r"invalid escape sequence: \\[1-9]|invalid perl operator: \(\?(?:[=!]|<[=!]|P$)"
)
"""RE2's words for a backreference or a look-around, which it leaves out by design."""


def is_regex(alias: str) -> bool:
    return len(alias) >= 2 and alias.startswith("/") and alias.endswith("/")


def compile_alias(alias: str, *, file: str, requirement: str) -> re2._Regexp:
    """The RE2 pattern of a ``/pattern/`` alias; RulesError naming what to change."""
    pattern = alias[1:-1]
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise _refused(
            f"regular expression {alias[:40]!r}... is {len(pattern)} characters long, over "
            f"the limit of {MAX_PATTERN_LENGTH}: shorten it, or list the titles as plain aliases",
            file,
            requirement,
        )
    try:
        return re2.compile(pattern, _OPTIONS)
    except re2.error as error:
        problem = _re2_problem(error)
    if _UNSUPPORTED.search(problem):
        raise _refused(
            f"regular expression {alias!r} uses what RE2 does not support ({problem}): "
            "aliases are RE2 patterns, which have no backreferences (\\1) or look-around "
            "((?=...), (?<=...), (?!...)); rewrite it without them, or remove the slashes "
            "to match the text literally",
            file,
            requirement,
        )
    raise _refused(
        f"invalid regular expression {alias!r} ({problem}): fix it, or remove the slashes "
        "to match the text literally",
        file,
        requirement,
    )


def match_matrix(rules: Rules, titles: pd.Series, *, regex: bool = True) -> np.ndarray:
    """Boolean array (title, requirement): does the title match the requirement?"""
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
    matrix = np.zeros((len(titles), len(rules.requirements)), dtype=bool)
    texts: tuple[list[str], list[str]] = ([], [])
    if regex and any(patterns for _, patterns in _compiled(rules)):
        texts = (_heads(titles.str.strip()), _heads(folded))
    present = titles.notna().to_numpy(dtype=bool)
    for j, (names, patterns) in enumerate(_compiled(rules)):
        hit = folded.isin(names).fillna(False).to_numpy(dtype=bool)
        for pattern in patterns if regex else ():
            for text in texts:
                hit |= np.fromiter(
                    (pattern.search(t) is not None for t in text), dtype=bool, count=len(text)
                )
        matrix[:, j] = hit & present
    return matrix


@functools.lru_cache(maxsize=32)
def _compiled(rules: Rules) -> tuple[tuple[frozenset[str], tuple[re2._Regexp, ...]], ...]:
    """Per requirement: folded course and plain aliases, and the compiled patterns.

    Cached per (immutable) rules, so repeated matching neither re-folds nor re-compiles.
    Patterns were checked when the rules were built, so compiling cannot fail here.
    """
    out = []
    for requirement in rules.requirements:
        names = [requirement.course, *(a for a in requirement.aliases if not is_regex(a))]
        folded = frozenset(fold_title(pd.Series(names, dtype="string")).dropna())
        patterns = tuple(
            compile_alias(a, file="", requirement=f"requirement {requirement.course!r}")
            for a in requirement.aliases
            if is_regex(a)
        )
        out.append((folded, patterns))
    return tuple(out)


def _heads(texts: pd.Series) -> list[str]:
    """Each distinct title's first :data:`MAX_TITLE_LENGTH` characters ("" when missing)."""
    return texts.str.slice(0, MAX_TITLE_LENGTH).fillna("").tolist()


def _re2_problem(error: re2.error) -> str:
    detail = error.args[0] if error.args else ""
    return detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)


def _refused(message: str, file: str, requirement: str) -> RulesError:
    return RulesError(message, file=file, requirement=requirement, key="aliases")
