"""Regular-expression aliases: RE2 only, in linear time, with length caps, once per title."""

from __future__ import annotations

import pandas as pd
import pytest

import compliance.aliases as aliases
from compliance.aliases import MAX_PATTERN_LENGTH, MAX_TITLE_LENGTH
from compliance.errors import RulesError
from compliance.rules import Requirement, Rules, rules_from_dict


def _rules(*patterns: str) -> Rules:
    return rules_from_dict({"requirements": [{"course": "A", "aliases": list(patterns)}]})


def _matched(rules: Rules, titles: list[str | None]) -> list[str | None]:
    out = rules.match_titles(pd.Series(titles, dtype="string"))
    return [None if pd.isna(value) else value for value in out]


def test_a_catastrophic_pattern_is_matched_in_linear_time() -> None:
    """``(a+)+$`` takes Python's engine 2^n steps on "aaa...a!"; RE2 answers at once."""
    rules = _rules("/(a+)+$/")
    assert _matched(rules, ["a" * 39 + "!", "a" * 40, "b"]) == [None, "A", None]


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("/(mi)\\s\\1/", "invalid escape sequence: \\1"),
        ("/managing(?= info)/", "invalid perl operator: (?="),
        ("/(?<!not )managing/", "invalid perl operator: (?<!"),
        ("/(?P<m>mi)(?P=m)/", "invalid perl operator: (?P"),
    ],
)
def test_backreferences_and_look_around_are_refused_naming_the_requirement(
    pattern: str, problem: str
) -> None:
    with pytest.raises(RulesError) as raised:
        _rules(pattern)
    assert str(raised.value) == (
        f"requirement 'A', key 'aliases': regular expression {pattern!r} uses what RE2 does "
        f"not support ({problem}): aliases are RE2 patterns, which have no backreferences "
        "(\\1) or look-around ((?=...), (?<=...), (?!...)); rewrite it without them, or "
        "remove the slashes to match the text literally"
    )


def test_an_invalid_pattern_is_refused_as_invalid() -> None:
    with pytest.raises(RulesError, match=r"invalid regular expression '/mi\(/' \(missing \)"):
        _rules("/mi(/")


def test_a_pattern_over_the_length_cap_is_refused() -> None:
    _rules("/" + "a" * MAX_PATTERN_LENGTH + "/")
    with pytest.raises(RulesError) as raised:
        _rules("/" + "a" * (MAX_PATTERN_LENGTH + 1) + "/")
    assert f"is {MAX_PATTERN_LENGTH + 1} characters long, over the limit of" in str(raised.value)


def test_a_pattern_that_compiles_too_large_is_refused() -> None:
    with pytest.raises(RulesError, match="invalid regular expression"):
        _rules("/((a{100}){100}){100}/")


def test_regex_aliases_look_at_the_first_characters_of_a_long_title() -> None:
    rules = _rules("/managing\\s+info/", "Plain Alias")
    head, tail = "Managing Info", "x" * MAX_TITLE_LENGTH
    assert _matched(rules, [head + tail, tail + head, "plain alias"]) == ["A", None, "A"]
    padded = rules_from_dict({"requirements": [{"course": "B", "aliases": [tail + "y"]}]})
    assert _matched(padded, [tail + "Y", tail]) == ["B", None]


def test_missing_titles_never_match_a_pattern_that_matches_nothing() -> None:
    assert _matched(_rules("/x*/"), [None, "", "abc"]) == [None, "A", "A"]


def test_patterns_run_once_per_distinct_title(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    heads = aliases._heads
    monkeypatch.setattr(aliases, "_heads", lambda texts: seen.append(len(texts)) or heads(texts))
    titles = ["Managing Info", "Other", None] * 10_000
    assert _matched(_rules("/managing\\s+info/"), titles)[:3] == ["A", None, None]
    assert seen == [2, 2]


def test_rules_built_in_code_are_checked_when_they_first_match() -> None:
    rules = Rules(requirements=(Requirement(course="A", aliases=("/(a)\\1/",)),))
    with pytest.raises(RulesError, match="requirement 'A', key 'aliases'"):
        rules.match_titles(pd.Series(["aa"]))
