"""The data behind the board report: the imports its figures use and its stale-data warnings."""

from __future__ import annotations

import pandas as pd
import pytest

from compliance import report_sources, snapshot
from tests import force

AS_OF = pd.Timestamp("2026-10-31")
TODAY = pd.Timestamp("2026-11-01")


def _imports(roster_as_at: list[str], completions_at: list[str], state: str = "active"):
    """An import list: rosters effective on the dates, completions imported on the dates,
    two requirements versions, a withdrawn completions import and one exemptions import."""
    rows = [("roster", f"roster-{day}.xlsx", day, day, "active") for day in roster_as_at]
    rows += [("roster", "withdrawn-roster.xlsx", "2026-10-30", "2026-10-30", "withdrawn")]
    rows += [("completions", f"lms-{day}.csv", None, day, state) for day in completions_at]
    rows += [("completions", "wrong.csv", None, "2026-10-30", "withdrawn"),
             ("requirements", "rules-v1.yaml", None, "2024-01-01", "active"),
             ("requirements", "rules-v2.yaml", None, "2025-01-01", "active"),
             ("exemptions", "exemptions.csv", None, "2025-02-01", "active")]
    frame = pd.DataFrame(rows, columns=["kind", "file", "effective_on", "at", "state"])
    return frame.assign(
        id=range(1, len(frame) + 1), rows=10, by="setup", sha256="ab" * 32,
        effective_on=pd.to_datetime(frame["effective_on"]), at=pd.to_datetime(frame["at"]),
    )


def _snapshot(as_of: pd.Timestamp = AS_OF) -> snapshot.Snapshot:
    return snapshot.take(force.roster(), force.completions(), force.RULES, None, as_of)


def _sources(imports, as_of=AS_OF, days=(), today=TODAY) -> report_sources.Sources:
    return report_sources.report_sources(imports, _snapshot(as_of), list(days), today)


def test_the_imports_used_are_the_rosters_in_force_and_the_active_sets() -> None:
    imports = _imports(["2024-06-01", "2025-06-01", "2026-10-15"], ["2026-10-20", "2026-10-28"])
    days = [pd.Timestamp("2025-10-31"), pd.Timestamp("2026-09-30")]
    used = _sources(imports, days=days).used
    assert used["file"].tolist() == [
        "roster-2025-06-01.xlsx", "roster-2026-10-15.xlsx", "rules-v2.yaml",
        "lms-2026-10-20.csv", "lms-2026-10-28.csv", "exemptions.csv",
    ]
    assert list(used.columns) == list(report_sources.USED_COLUMNS)
    assert not used["file"].str.contains("withdrawn|wrong|v1").any()


@pytest.mark.parametrize(
    ("rosters", "completions", "as_of", "days", "expected"),
    [
        (["2026-10-15"], ["2026-10-28"], AS_OF, [], []),
        (["2026-09-01"], ["2026-10-28"], AS_OF, [],
         ["The roster in force on 31 October 2026 (roster-2026-09-01.xlsx) is as at "
          "01 September 2026, 60 days before"]),
        (["2026-11-15"], ["2026-10-28"], AS_OF, [],
         ["No roster was in force on 31 October 2026: the earliest snapshot "
          "(roster-2026-11-15.xlsx, as at 15 November 2026) is used instead."]),
        (["2026-10-15"], ["2026-10-28"], AS_OF, ["2025-10-31", "2026-09-30", "2026-10-31"],
         ["2 earlier date(s) of the comparison and trend (from 31 October 2025) come before "
          "the earliest roster snapshot"]),
        (["2026-10-15"], ["2026-10-01"], AS_OF, [],
         ["The latest completions import is 30 days older than 31 October 2026"]),
        (["2026-10-15"], ["2026-10-20"], AS_OF, [], []),
        (["2026-10-15"], [], AS_OF, [],
         ["No completions are imported: everyone counts as not trained."]),
        (["2026-11-20"], ["2026-11-25"], pd.Timestamp("2026-11-30"), [],
         ["30 November 2026 is after the day this report was made (01 November 2026)"]),
    ],
)
def test_warnings(rosters, completions, as_of, days, expected) -> None:
    warnings = _sources(_imports(rosters, completions), as_of, map(pd.Timestamp, days)).warnings
    assert len(warnings) == len(expected)
    for warning, start in zip(warnings, expected, strict=True):
        assert warning.startswith(start)


def test_no_roster_at_all_says_so() -> None:
    imports = _imports([], ["2026-10-28"])
    assert _sources(imports).warnings[0] == "No roster is imported: the report has nobody to count."


def test_what_matching_decided_is_kept_as_notes() -> None:
    extra = pd.concat(
        [force.completions(), force.completions().iloc[:1].assign(person_id="999")],
        ignore_index=True,
    )
    seen = snapshot.take(force.roster(), extra, force.RULES, None, AS_OF)
    imports = _imports(["2026-10-15"], ["2026-10-28"])
    sources = report_sources.report_sources(imports, seen, [], TODAY)
    assert sources.notes == seen.notes
    assert any("matched nobody" in note for note in sources.notes)
