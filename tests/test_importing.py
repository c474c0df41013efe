"""The Upload page's Import: rules first, one message per file, and what changed."""

from __future__ import annotations

import pandas as pd
import pytest

from compliance import access, importing
from compliance.importing import ImportItem, import_items, rules_among
from compliance.mappings import header_signature
from compliance.scope import Scope
from loaders import LoadResult
from loaders.report import LoadReport
from tests.conftest import REQUIREMENTS_YAML, completion_frame, loaded, roster_frame

TODAY = pd.Timestamp("2025-06-01")


def _items() -> list[ImportItem]:
    roster = loaded(roster_frame(["1", "2"]), "hr.csv", "roster")
    lms = loaded(completion_frame([("1", "Managing Information", "2024-01-10")]), "lms.csv",
                 "completions")
    return [
        ImportItem(
            "completions", "lms.csv", b"lms bytes", lms, ["Ref", "Course"], {"Ref": "person_id"}
        ),
        ImportItem("roster", "hr.csv", b"hr bytes", roster),
        ImportItem("requirements", "rules.yaml", REQUIREMENTS_YAML, None),
    ]


def _run(store, items):
    steps: list[tuple[float, str]] = []
    summary = import_items(
        store, items, user="tm", scope=Scope(), as_of=TODAY,
        progress=lambda fraction, text: steps.append((fraction, text)),
    )
    return summary, steps


def test_files_go_in_rules_first_and_the_summary_says_what_changed(store) -> None:
    summary, steps = _run(store, _items())
    assert [level for level, _ in summary.messages] == ["success"] * 3
    assert store.imports()["kind"].tolist() == ["requirements", "roster", "completions"]
    assert summary.lines() == [
        "People added: 2; people left: 0.",
        "Completions new: 1; already known: 0.",
        "Statuses changed: 4 (person, course) pairs.",
    ]
    assert steps[-1][0] == pytest.approx(1.0) and steps[-1][1].startswith("lms.csv: ")
    remembered = store.get_setting(header_signature("completions", ["Ref", "Course"]))
    assert remembered == '{"Ref": "person_id"}'


def test_the_same_files_again_change_nothing_and_take_no_snapshot(store, monkeypatch) -> None:
    _run(store, _items())

    def no_snapshot(*args, **kwargs):
        raise AssertionError("nothing was new: no snapshot should be taken")

    monkeypatch.setattr(access, "fresh_snapshot", no_snapshot)
    summary, _ = _run(store, _items())
    assert [level for level, _ in summary.messages] == ["info"] * 3
    assert summary.diff is None
    assert summary.lines() == ["No status changed. Nothing new was imported."]


def test_a_file_the_store_refuses_is_reported_and_the_others_go_in(store) -> None:
    report = LoadReport(file="bad.csv", kind="roster")
    report.add("no ID column: expected a column such as Collar Number", severity="fatal")
    bad = ImportItem("roster", "bad.csv", b"bad", LoadResult(pd.DataFrame(), report))
    summary, _ = _run(store, [bad, _items()[2]])
    assert summary.messages[0][0] == "success"
    assert summary.messages[1] == ("error", "bad.csv: no ID column: expected a column such as "
                                            "Collar Number")
    assert store.imports()["file"].tolist() == ["rules.yaml"]


def test_rules_among_uploads_skips_invalid_files() -> None:
    found = rules_among([("broken.yaml", b"requirements: [\n"), ("ok.yaml", REQUIREMENTS_YAML)])
    assert found is not None and found.courses[0] == "Managing Information"
    assert rules_among([("broken.yaml", b"nonsense")]) is None
    assert importing.IMPORT_ORDER[0] == "requirements"


def test_unmapped_rule_fields_name_the_requirements_that_need_them() -> None:
    from compliance.rules import load_rules

    rules = load_rules(
        "requirements:\n"
        "  - course: A\n    new_starter_days: 90\n    applies_to: {staff_type: [officer]}\n"
        "  - course: B\n    applies_to: {staff_type: [staff], unit: [North]}\n"
    )
    lines = importing.unmapped_rule_fields(rules, {"person_id", "unit"})
    assert lines == [
        "No column is used as staff type, but A, B depend on it: choose the column under "
        "Columns, or everyone is treated as having none.",
        "No column is used as start date, but A depends on it: choose the column under "
        "Columns, or everyone is treated as having none.",
    ]
    assert importing.unmapped_rule_fields(None, set()) == []
