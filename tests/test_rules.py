from datetime import date

import pandas as pd
import pytest

from compliance.errors import RulesError
from compliance.rules import (
    AppliesTo,
    Requirement,
    Rules,
    dump_rules,
    load_rules,
    rules_from_dict,
    rules_to_dict,
)

EXAMPLE = """\
due_soon_days: 30                 # default for all requirements
requirements:
  - course: Managing Information  # unique display name of the requirement
    aliases:
      - Management of Information
      - MI Operational
      - /managing\\s+info/
    applies_to:
      staff_type: [officer, staff, pcso, special]
      unit: [Crime Command]
      role: [Constable, Sergeant]
    renewal_months: 36
    new_starter_days: 90
    due_soon_days: 45
    not_before: 2024-10-01
    deadline: 2025-03-31
  - course: Information Security
"""


def test_load_the_design_example():
    rules = load_rules(EXAMPLE.encode())
    assert rules.due_soon_days == 30
    mi, sec = rules.requirements
    assert mi == Requirement(
        course="Managing Information",
        aliases=("Management of Information", "MI Operational", "/managing\\s+info/"),
        applies_to=AppliesTo(
            staff_type=("officer", "staff", "pcso", "special"),
            unit=("Crime Command",),
            role=("Constable", "Sergeant"),
        ),
        renewal_months=36,
        new_starter_days=90,
        due_soon_days=45,
        not_before=date(2024, 10, 1),
        deadline=date(2025, 3, 31),
    )
    assert sec == Requirement(course="Information Security")
    assert rules.due_soon_for(mi) == 45
    assert rules.due_soon_for(sec) == 30


def test_load_from_text_path_and_path_string(tmp_path):
    path = tmp_path / "force-rules.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    expected = load_rules(EXAMPLE.encode())
    assert load_rules(EXAMPLE) == expected
    assert load_rules(path) == expected
    assert load_rules(str(path)) == expected


def test_path_errors_name_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("requirements:\n  - course: A\n    renewal_month: 12\n", encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    assert str(caught.value).startswith("bad.yaml, requirement 'A', key 'renewal_month'")


def test_round_trip_dump_and_load():
    rules = load_rules(EXAMPLE)
    assert load_rules(dump_rules(rules)) == rules
    assert rules_from_dict(rules_to_dict(rules)) == rules


def test_rules_to_dict_omits_empty_keys():
    data = rules_to_dict(Rules((Requirement("A", renewal_months=12),), due_soon_days=14))
    assert data == {"due_soon_days": 14, "requirements": [{"course": "A", "renewal_months": 12}]}


def test_defaults_and_lenient_inputs_from_table_editors():
    rules = rules_from_dict(
        {
            "requirements": [
                {
                    "course": " A ",
                    "aliases": "MI-101",
                    "applies_to": {"staff_type": "Officer", "unit": None},
                    "renewal_months": 36.0,
                    "new_starter_days": float("nan"),
                    "not_before": pd.Timestamp("2024-10-01"),
                    "deadline": None,
                },
                {"course": "B", "aliases": [101]},
            ]
        }
    )
    a, b = rules.requirements
    assert rules.due_soon_days == 30
    assert a == Requirement(
        "A",
        aliases=("MI-101",),
        applies_to=AppliesTo(staff_type=("officer",)),
        renewal_months=36,
        not_before=date(2024, 10, 1),
    )
    assert b.aliases == ("101",)


@pytest.mark.parametrize(
    ("data", "requirement", "key", "message"),
    [
        ({"requirements": [{"course": "A", "renewal_month": 12}]},
         "requirement 'A'", "renewal_month", "did you mean 'renewal_months'?"),
        ({"requirements": [{"course": "A"}], "due_soon": 3},
         None, "due_soon", "did you mean 'due_soon_days'?"),
        ({"requirements": [{"course": "A", "frequency": "yearly"}]},
         "requirement 'A'", "frequency", "use one of course, aliases"),
        ({"requirements": [{"course": "A", "deadline": "31/03/2025"}]},
         "requirement 'A'", "deadline", "'31/03/2025' is not a date: write it as YYYY-MM-DD"),
        ({"requirements": [{"course": "A", "not_before": "2024-02-30"}]},
         "requirement 'A'", "not_before", "is not a date"),
        ({"requirements": [{"course": "A", "renewal_months": -12}]},
         "requirement 'A'", "renewal_months", "-12 is negative"),
        ({"requirements": [{"course": "A", "new_starter_days": -1}]},
         "requirement 'A'", "new_starter_days", "-1 is negative"),
        ({"requirements": [{"course": "A"}], "due_soon_days": -5},
         None, "due_soon_days", "-5 is negative"),
        ({"requirements": [{"course": "A", "renewal_months": 0}]},
         "requirement 'A'", "renewal_months", "at least 1"),
        ({"requirements": [{"course": "A", "renewal_months": "three"}]},
         "requirement 'A'", "renewal_months", "'three' is not a whole number"),
        ({"requirements": [{"course": "A", "due_soon_days": True}]},
         "requirement 'A'", "due_soon_days", "not a whole number"),
        ({"requirements": [{"course": "A"}, {"course": "a "}]},
         "requirement 'a'", "course", "used by two requirements"),
        ({"requirements": [{"course": "A", "aliases": ["/managing(info/"]}]},
         "requirement 'A'", "aliases", "invalid regular expression '/managing(info/'"),
        ({"requirements": [{"course": "A", "aliases": [["nested"]]}]},
         "requirement 'A'", "aliases", "is not a name"),
        ({"requirements": [{"course": "A", "aliases": ["  "]}]},
         "requirement 'A'", "aliases", "empty entry"),
        ({"requirements": [{"course": "A", "applies_to": {"units": ["Crime"]}}]},
         "requirement 'A'", "units", "did you mean 'unit'?"),
        ({"requirements": [{"course": "A", "applies_to": ["Crime"]}]},
         "requirement 'A'", "applies_to", "expected a mapping"),
        ({"requirements": [{"course": "A", "applies_to": {"staff_type": ["contractor"]}}]},
         "requirement 'A'", "staff_type", "unknown staff type 'contractor': use one of officer"),
        ({"requirements": [{"course": "A"}, {"aliases": ["B"]}]},
         "requirement 2", "course", "every requirement needs a course name"),
        ({"requirements": [{"course": "A"}, {"course": "   "}]},
         "requirement 2", "course", "every requirement needs a course name"),
        ({"requirements": ["Managing Information"]},
         "requirement 1", None, "expected a mapping"),
        ({"requirements": {"course": "A"}}, None, None, "must be a list"),
        ({"due_soon_days": 30}, None, None, "no 'requirements' list"),
    ],  # fmt: skip
)
def test_validation_names_file_requirement_and_key(data, requirement, key, message):
    with pytest.raises(RulesError) as caught:
        rules_from_dict(data, file="rules.yaml")
    error = caught.value
    assert (error.file, error.requirement, error.key) == ("rules.yaml", requirement, key)
    assert message in error.message
    assert str(error).startswith("rules.yaml")
    assert "\n" not in str(error)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("requirements:\n  - course: A\n   renewal_months: 12\n", 3),
        ("requirements:\n  - course: [A\n", 3),
        ("requirements:\n\t- course: A\n", 2),
    ],
)
def test_yaml_syntax_errors_give_the_line(text, line):
    with pytest.raises(RulesError) as caught:
        load_rules(text.encode(), "rules.yaml")
    assert f"rules.yaml: line {line}: YAML syntax error" in str(caught.value)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (b"- just\n- a list\n", "expected a mapping with a 'requirements' list"),
        (b"\xff\xfe\x00bad", "not UTF-8 text"),
        (b"", "no 'requirements' list"),
    ],
)
def test_unusable_files(source, message):
    with pytest.raises(RulesError, match=message):
        load_rules(source, "rules.yaml")


def test_yaml_does_not_construct_python_objects():
    with pytest.raises(RulesError, match="YAML syntax error"):
        load_rules(b"requirements: !!python/object/apply:os.system ['true']\n")


MATCHING = rules_from_dict(
    {
        "requirements": [
            {"course": "Managing Information",
             "aliases": ["Management of Information", "MI-101", "/managing\\s+info/"]},
            {"course": "Data Protection \u2013 Refresher"},
            {"course": "IG Combined", "aliases": ["/managing info/"]},
        ]
    }
)  # fmt: skip


@pytest.mark.parametrize(
    ("title", "course"),
    [
        ("Managing Information", "Managing Information"),
        ("  managing   INFORMATION ", "Managing Information"),
        ("Management of Information", "Managing Information"),
        ("mi-101", "Managing Information"),
        ("MI\u2013101", "Managing Information"),
        ("Managing   Info (Operational) 2024", "Managing Information"),
        ("data protection - refresher", "Data Protection \u2013 Refresher"),
        ("Data Protection Refresher", None),
        ("Managing Informatics", "Managing Information"),
        ("Information Managing", None),
        ("", None),
        (None, None),
    ],
)
def test_match_titles(title, course):
    matched = MATCHING.match_titles(pd.Series([title], index=[5]))
    assert matched.index.tolist() == [5]
    assert (None if pd.isna(matched[5]) else matched[5]) == course


def test_matches_lists_every_requirement_a_title_matches():
    titles = pd.Series(["Managing Info basics", "MI-101", "Unrelated"], index=[10, 11, 12])
    pairs = MATCHING.matches(titles)
    assert list(pairs.columns) == ["index", "course"]
    assert sorted(zip(pairs["index"], pairs["course"], strict=True)) == [
        (10, "IG Combined"),
        (10, "Managing Information"),
        (11, "Managing Information"),
    ]


def test_regex_alias_matches_file_names_but_not_a_literal_slash_title():
    rules = rules_from_dict({"requirements": [{"course": "A", "aliases": ["/^mi\\b/"]}]})
    out = rules.match_titles(pd.Series(["MI operational", "/^mi\\b/", "Admin"]))
    assert out.fillna("-").tolist() == ["A", "-", "-"]


def test_regex_aliases_can_be_left_out_for_column_headers():
    headers = pd.Series(["Managing Info Date", "Management of Information"])
    assert MATCHING.match_titles(headers).notna().tolist() == [True, True]
    assert MATCHING.match_titles(headers, regex=False).notna().tolist() == [False, True]


def test_no_requirements_match_nothing():
    rules = rules_from_dict({"requirements": []})
    assert rules.match_titles(pd.Series(["A", None])).isna().all()
    assert rules.matches(pd.Series(["A"])).empty
