"""Data access: scope and filters, frames shaped for pages, trend counts, audited exports.

A small in-memory store stands in for ``compliance.store.Store`` (same methods), so these
tests check the shaping and the audit rules without a database; the page tests run the
real store.
"""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd
import pytest

from compliance import access, engine, matching, summary
from compliance.access import Filters, Scope
from compliance.errors import ExportError
from compliance.rules import rules_from_dict
from tests.conftest import REQUIREMENTS_YAML, completion_frame, loaded
from tests.conftest import roster_frame as conftest_roster

AS_OF = pd.Timestamp("2024-06-30")
RULES = rules_from_dict(
    {
        "requirements": [
            {"course": "Managing Information", "renewal_months": 36, "new_starter_days": 90},
            {"course": "Taser", "renewal_months": 12, "applies_to": {"staff_type": ["officer"]}},
        ]
    }
)


def _roster() -> pd.DataFrame:
    units = [
        ("North", "Response"), ("North", "Response"), ("North", "CID"),
        ("South", "Response"), ("South", "Custody"), ("South", "Custody"),
    ]
    frame = pd.DataFrame(
        {
            "person_id": ["1", "2", "3", "4", "5", "6"],
            "name": ["Ann", "Bob", "Cat", "Dan", "Eve", "Fay"],
            "email": [f"{n}@force.uk" for n in "abcdef"],
            "unit_1": [u[0] for u in units],
            "unit_2": [u[1] for u in units],
            "role": ["PC", "PS", "DC", "PC", "Detention Officer", "PC"],
            "staff_type": ["officer", "officer", "officer", "officer", "staff", "officer"],
            "start_date": pd.to_datetime(["2010-01-01"] * 5 + ["2024-06-01"]),
            "leave_date": pd.to_datetime([None] * 6),
            "manager": ["Sgt Grey", "Insp Hall", "DS Ives", "Sgt Jones", "Sgt Jones", "Sgt Jones"],
        }
    )
    frame.insert(3, "unit", frame["unit_1"] + " / " + frame["unit_2"])
    return frame


def _completions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": ["1", "1", "2", "3", "4", "5"],
            "email": [None] * 6,
            "course": ["Managing Information", "Taser", "Managing Information",
                       "Managing Information", "Taser", "Managing Information"],
            "course_code": [None] * 6,
            "completed_on": pd.to_datetime(
                ["2023-01-10", "2024-01-10", "2020-01-10", "2021-07-15", "2023-03-01", "2024-02-01"]
            ),
            "source_file": ["lms.csv"] * 6,
            "source_row": [2, 3, 4, 5, 6, 7],
        }
    )


class FakeStore:
    """The store methods the dashboard uses, over frames held in memory."""

    def __init__(self, rules=RULES) -> None:
        self._rules = rules
        self.audits: list[dict] = []

    def roster(self, as_of):
        return _roster()

    def rosters(self, days):
        roster = _roster()
        return [roster for _ in days]

    def completions(self):
        return _completions()

    def exemptions(self):
        return pd.DataFrame(
            {"person_id": ["3"], "course": ["Taser"], "from": pd.to_datetime([None]),
             "until": pd.to_datetime([None]), "reason": ["Medical"]}
        )

    def rules(self):
        return self._rules

    def imports(self):
        return pd.DataFrame(
            {
                "id": [1, 2, 3, 4],
                "kind": ["roster", "completions", "completions", "requirements"],
                "file": ["hr.xlsx", "old.csv", "lms.csv", "rules.yaml"],
                "rows": [6, 3, 6, 2],
                "at": pd.to_datetime(["2024-06-01", "2024-05-01", "2024-06-10", "2024-01-01"]),
                "state": ["active", "active", "active", "active"],
            }
        )

    def audit(self, *, user, action, detail, purpose):
        self.audits.append({"user": user, "action": action, "detail": detail, "purpose": purpose})


def _engine_status(as_of: pd.Timestamp = AS_OF) -> pd.DataFrame:
    store = FakeStore()
    matched = matching.match_completions(_roster(), _completions()).completions
    return engine.compute_status(_roster(), matched, RULES, as_of, store.exemptions())


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        (None, ["1", "2", "3", "4", "5", "6"]),
        (("North",), ["1", "2", "3"]),
        (("north / response",), ["1", "2"]),
        (("Nor",), []),
        (("North / CID", "South / Custody"), ["3", "5", "6"]),
    ],
)
def test_scope_limits_every_frame(units, expected) -> None:
    store = FakeStore()
    scope = Scope(units)
    assert access.roster_frame(store, AS_OF, scope)["person_id"].tolist() == expected
    assert sorted(access.status_frame(store, AS_OF, scope)["person_id"].unique()) == expected


def test_status_frame_is_the_engines() -> None:
    got = access.status_frame(FakeStore(), AS_OF, Scope())
    pd.testing.assert_frame_equal(got.reset_index(drop=True), _engine_status())


def test_status_frame_without_rules_is_empty() -> None:
    status = access.status_frame(FakeStore(rules=None), AS_OF, Scope())
    assert status.empty
    assert "status" in status.columns


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        (Filters(), {"1", "2", "3", "4", "5", "6"}),
        (Filters(unit="South"), {"4", "5", "6"}),
        (Filters(unit="South / Custody", staff_type="staff"), {"5"}),
        (Filters(course="Taser"), {"1", "2", "3", "4", "6"}),
        (Filters(unit="Sou"), set()),
    ],
)
def test_apply_filters(filters: Filters, ids: set[str]) -> None:
    assert set(access.apply_filters(_engine_status(), filters)["person_id"]) == ids


def test_filters_describe() -> None:
    assert Filters(unit="North", course="Taser").describe() == (
        "unit North; course Taser; all staff types"
    )


def test_headline_matches_summary() -> None:
    status = _engine_status()
    figures = access.headline(status)
    total = summary.summary_by_unit(status).iloc[-1]
    assert figures["compliance_rate"] == pytest.approx(total["compliance_rate"])
    assert figures["overdue"] == total["overdue"]
    assert figures["expiring"] == total["expiring"]
    assert figures["pending"] == total["pending"] == 1


def test_headline_of_nobody() -> None:
    assert access.headline(_engine_status().iloc[0:0]) == {
        "compliance_rate": None, "overdue": 0, "expiring": 0, "pending": 0
    }


@pytest.mark.parametrize(
    ("unit", "level"), [(None, 1), ("North", 2), ("North / Response", 2)]
)
def test_drill_level(unit: str | None, level: int) -> None:
    assert access.drill_level(_engine_status(), unit) == level


def test_unit_summary_drops_total_and_worst_unit() -> None:
    table = access.unit_summary(_engine_status(), 2)
    assert "ALL" not in set(table["unit"])
    worst = access.worst_unit(table)
    assert worst["compliance_rate"] == table["compliance_rate"].min()


def test_rate_matrix_course_by_unit() -> None:
    matrix = access.rate_matrix(_engine_status(), 1)
    assert list(matrix.columns) == ["North", "South"]
    status = _engine_status()
    north_mi = status[(status["unit_1"] == "North") & (status["course"] == "Managing Information")]
    expected = summary.summarise(north_mi, "course", None)["compliance_rate"].iloc[0]
    assert matrix.loc["Managing Information", "North"] == pytest.approx(expected)


def test_unit_tree_has_every_level_and_people() -> None:
    tree = access.unit_tree(_engine_status(), _roster()).set_index("id")
    assert tree.loc["North", "people"] == 3
    assert tree.loc["South / Custody", "parent"] == "South"
    assert tree.loc["South / Custody", "label"] == "Custody"
    assert tree.loc["North", "parent"] == ""
    assert tree.loc["North", "in_scope"] == tree.loc[["North / Response", "North / CID"],
                                                     "in_scope"].sum()


def test_unit_options_lists_each_unit_after_its_parent() -> None:
    assert access.unit_options(_roster()) == [
        "North", "North / CID", "North / Response", "South", "South / Custody", "South / Response"
    ]


def test_people_matrix_one_row_per_person() -> None:
    matrix = access.people_matrix(_engine_status())
    assert matrix["person_id"].is_unique
    eve = matrix.set_index("person_id").loc["5"]
    assert eve["Taser"] == "not required"
    assert matrix["overdue"].iloc[0] == matrix["overdue"].max()


def test_overdue_table_bands_and_order() -> None:
    table = access.overdue_table(_engine_status())
    days = table["days_overdue"]
    assert table.loc[days.isna(), "band"].eq("no due date").all()
    assert days.isna().idxmin() == days.isna().sum()  # never done at all: listed first
    assert days.dropna().is_monotonic_decreasing
    assert set(table["band"]) <= {*access.OVERDUE_BANDS, "no due date"}
    counts = access.band_counts(table)
    assert counts.sum() == len(table)


def test_overdue_counts_by_course_and_band() -> None:
    table = access.overdue_table(_engine_status())
    counts = access.overdue_counts(table)
    assert list(counts.columns) == [*access.OVERDUE_BANDS, "no due date"]
    assert counts.to_numpy().sum() == len(table)
    per_course = table["course"].value_counts()
    assert counts.sum(axis=1).to_dict() == per_course.to_dict()
    assert access.overdue_counts(table.iloc[0:0]).empty


@pytest.mark.parametrize(
    ("days", "band"),
    [(1, "1-30 days"), (30, "1-30 days"), (31, "31-90 days"), (180, "91-180 days"),
     (181, "over 180 days")],
)
def test_overdue_band(days: int, band: str) -> None:
    assert access.overdue_band(pd.Series([days])).astype(str).tolist() == [band]


def test_due_soon_table_days_left() -> None:
    table = access.due_soon_table(_engine_status(), AS_OF)
    fay = table[table["person_id"] == "6"].iloc[0]
    assert fay["status"] == "pending"
    assert fay["days_left"] == (fay["due_date"] - AS_OF).days


def test_keep_values() -> None:
    frame = pd.DataFrame({"m": ["a", "b", None]})
    assert len(access.keep_values(frame, "m", [])) == 3
    assert access.keep_values(frame, "m", ["b"])["m"].tolist() == ["b"]


def test_latest_imports_and_staleness() -> None:
    latest = access.latest_imports(FakeStore().imports())
    assert latest.set_index("kind").loc["completions", "file"] == "lms.csv"
    assert access.stale_completions(latest, pd.Timestamp("2024-06-20"), 14) is None
    assert access.stale_completions(latest, pd.Timestamp("2024-07-01"), 14) == 21
    assert access.missing_kinds(FakeStore().imports()) == []
    assert access.missing_kinds(FakeStore().imports().iloc[0:1]) == ["completions", "requirements"]


def test_trend_counts_equal_the_engine_at_each_month_end() -> None:
    counts = access.trend_frame(FakeStore(), pd.Timestamp("2024-01-01"), AS_OF, Scope())
    assert sorted(counts["date"].unique()) == list(pd.date_range("2024-01-31", AS_OF, freq="ME"))
    for day in (pd.Timestamp("2024-02-29"), AS_OF):
        expected = summary.summarise(_engine_status(day), ["unit", "course"], None)
        expected = expected[expected["unit"] != "ALL"].set_index(["unit", "course"])
        got = counts[counts["date"] == day].groupby(["unit", "course"])[["in_scope", "overdue"]]
        pd.testing.assert_frame_equal(
            got.sum(), expected[["in_scope", "overdue"]], check_dtype=False, check_index_type=False
        )


def test_rates_by_date_filters_then_aggregates() -> None:
    counts = access.trend_frame(FakeStore(), pd.Timestamp("2024-06-01"), AS_OF, Scope())
    south = access.rates_by_date(counts, Filters(unit="South", course="Managing Information"))
    status = access.apply_filters(_engine_status(), Filters(unit="South",
                                                            course="Managing Information"))
    assert south["compliance_rate"].tolist() == [access.headline(status)["compliance_rate"]]
    assert access.rates_by_date(counts, Filters(unit="Nowhere")).empty


def test_projection_starts_at_as_of_and_only_falls() -> None:
    counts = access.projection_frame(FakeStore(), AS_OF, Scope())
    rates = access.rates_by_date(counts, Filters())
    assert rates["date"].iloc[0] == AS_OF
    assert len(rates) == access.PROJECTION_DAYS // access.PROJECTION_STEP_DAYS + 1
    assert rates["compliance_rate"].iloc[0] == access.headline(_engine_status())["compliance_rate"]
    assert np.all(np.diff(rates["compliance_rate"].to_numpy()) <= 1e-12)


def test_completion_history_has_people_and_sources() -> None:
    history = access.completion_history(FakeStore(), AS_OF, Scope(("South",)))
    assert set(history["person_id"]) == {"4", "5"}
    assert {"name", "unit", "source_file", "source_row"} <= set(history.columns)


def test_one_person_takes_their_rows() -> None:
    row, status = access.one_person(_roster(), _engine_status(), "1")
    assert row["name"].tolist() == ["Ann"]
    assert set(status["person_id"]) == {"1"} and len(status) == 2
    nobody, nothing = access.one_person(_roster(), _engine_status(), "404")
    assert nobody.empty and nothing.empty


def test_audited_export_writes_the_entry_after_building() -> None:
    store = FakeStore()
    data = access.audited_export(store, lambda: b"x", user="jo", what="overdue list as csv",
                                 rows=7, purpose="reminders")
    assert data == b"x"
    assert store.audits == [{"user": "jo", "action": "export",
                             "detail": "overdue list as csv (7 rows)", "purpose": "reminders"}]


def test_audited_export_refuses_without_purpose_and_records_nothing_on_failure() -> None:
    store = FakeStore()
    with pytest.raises(ExportError, match="purpose"):
        access.audited_export(store, lambda: b"x", user="jo", what="w", rows=1, purpose=" ")

    def broken() -> bytes:
        raise OSError("disk full")

    with pytest.raises(OSError):
        access.audited_export(store, broken, user="jo", what="w", rows=1, purpose="p")
    assert store.audits == []


def test_table_bytes_csv_and_xlsx_hold_the_rows() -> None:
    table = access.overdue_table(_engine_status())
    csv = pd.read_csv(io.BytesIO(access.table_bytes(table, "csv", "Overdue")), dtype=str)
    assert csv["person_id"].tolist() == table["person_id"].tolist()
    xlsx = pd.read_excel(io.BytesIO(access.table_bytes(table, "xlsx", "Overdue")), dtype=str)
    assert xlsx["person_id"].tolist() == table["person_id"].tolist()


def test_pack_bytes_one_xlsx_per_manager() -> None:
    table = access.overdue_table(_engine_status())
    with zipfile.ZipFile(io.BytesIO(access.pack_bytes(table, "manager", "Overdue"))) as archive:
        names = sorted(archive.namelist())
        sizes = {
            name: len(pd.read_excel(io.BytesIO(archive.read(name)))) for name in names
        }
    expected = table["manager"].value_counts()
    assert names == sorted(f"{access.safe_file_name(m)}.xlsx" for m in expected.index)
    assert sum(sizes.values()) == len(table)


@pytest.mark.parametrize(
    ("text", "name"),
    [("North / Response", "North-Response"), ("../../etc", "etc"), ("", "unnamed"),
     ("Sgt O'Neill", "Sgt-O-Neill")],
)
def test_safe_file_name(text: str, name: str) -> None:
    assert access.safe_file_name(text) == name


@pytest.mark.parametrize(
    ("parent", "labels"),
    [
        (None, ["North / CID", "North", "South / Custody"]),
        ("North", ["CID", "North", "South / Custody"]),
    ],
)
def test_relative_unit(parent: str | None, labels: list[str]) -> None:
    units = pd.Series(["North / CID", "North", "South / Custody"])
    assert access.relative_unit(units, parent).tolist() == labels


def test_trend_uses_the_roster_snapshot_in_force_each_month(store) -> None:
    """Against the real store: each month is counted on its own snapshot, read once."""
    store.import_file("requirements", REQUIREMENTS_YAML, "rules.yaml", user="u")
    for ids, as_at, file in ((["1", "2"], "2024-01-01", "jan.csv"),
                             (["1", "2", "3", "4"], "2024-06-01", "june.csv")):
        frame = conftest_roster(ids, start="2023-01-01")
        store.import_frame("roster", loaded(frame, file, "roster"), user="u",
                           as_at=pd.Timestamp(as_at).date())
    completions = completion_frame([("1", "Managing Information", "2023-03-01"),
                                    ("3", "Information Security Awareness", "2024-07-15")])
    store.import_frame("completions", loaded(completions, "lms.csv", "completions"), user="u")
    counts = access.trend_frame(store, pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31"),
                                Scope())
    for day in pd.date_range("2024-01-31", "2024-12-31", freq="ME"):
        status = engine.compute_status(
            store.roster(day), completions, store.rules(), day, store.exemptions()
        )
        expected = status["status"].astype(str).value_counts()
        got = counts[counts["date"] == day][list(engine.STATUSES)].sum()
        assert got[got > 0].sort_index().to_dict() == expected.sort_index().to_dict(), day
    assert counts.loc[counts["date"] == pd.Timestamp("2024-05-31"), "in_scope"].sum() == 4
    assert counts.loc[counts["date"] == pd.Timestamp("2024-06-30"), "in_scope"].sum() == 8
