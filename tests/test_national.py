import re

import numpy as np
import pandas as pd
import pytest

import loaders
from bench import national
from bench.national_names import FORCES, OTHER_COURSES
from compliance import engine, matching

PEOPLE, ROWS = 3_000, 30_000


@pytest.fixture(scope="module")
def data() -> national.National:
    return national.national_frames(seed=3, people=PEOPLE, completions=ROWS)


def test_same_seed_same_frames_other_seed_other_frames(data):
    again = national.national_frames(seed=3, people=PEOPLE, completions=ROWS)
    for name in ("roster", "completions", "exemptions"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(data, name))
    other = national.national_frames(seed=4, people=PEOPLE, completions=ROWS)
    assert not other.roster["unit"].equals(data.roster["unit"])


def test_roster_shape_forces_and_unit_trees(data):
    roster = data.roster
    assert len(roster) == PEOPLE
    assert roster["person_id"].is_unique and roster["email"].is_unique
    assert set(roster["unit_1"]) == {name for name, _, _ in FORCES}
    levels = roster["unit"].str.count(" / ") + 1
    assert set(levels) == {3, 4, 5}
    assert (roster["unit"] == roster[["unit_1", "unit_2", "unit_3", "unit_4", "unit_5"]].apply(
        lambda row: " / ".join(v for v in row if isinstance(v, str)), axis=1
    )).all()  # fmt: skip
    met = roster[roster["unit_1"] == "Metropolitan Police Service"]
    city = roster[roster["unit_1"] == "City of London Police"]
    assert len(met) > 10 * len(city) > 0
    assert met["unit_2"].nunique() > city["unit_2"].nunique()  # forces have their own trees
    assert set(roster["staff_type"]) == {"officer", "staff", "pcso", "special", "volunteer"}
    assert roster["leave_date"].notna().sum() > 0
    assert list(roster.dtypes[["start_date", "leave_date"]]) == ["datetime64[ns]"] * 2


def test_completions_over_ten_years_with_every_kind_of_row(data):
    rows = data.completions
    assert len(rows) == ROWS
    assert rows["completed_on"].is_monotonic_increasing
    assert rows["completed_on"].min() >= data.as_of - pd.DateOffset(years=10, days=1)
    assert rows["completed_on"].max() <= data.as_of
    other = rows["course"].isin(OTHER_COURSES).mean()
    assert 0.3 < other < 0.45
    assert rows["course_code"].eq("MI-101").sum() > 0
    assert rows["course"].eq("Managing Info - Operational").sum() > 0  # the regex alias
    email_only = rows["person_id"].isna() & rows["email"].notna()
    assert 0.15 < email_only.mean() < 0.3
    match = matching.match_completions(data.roster, rows)
    assert 0.01 < len(match.unmatched) / ROWS < 0.03
    repeats = match.completions.groupby(["person_id", "course"]).size()
    assert (repeats > 1).sum() > 0  # several completions per pair


def test_rules_and_exemptions(data):
    rules = data.rules
    assert len(rules.requirements) == 10
    scopes = [r.applies_to for r in rules.requirements]
    assert any(s.staff_type for s in scopes) and any(s.role for s in scopes)
    assert any(s.unit for s in scopes)
    assert any(a.startswith("/") for r in rules.requirements for a in r.aliases)
    assert any(r.not_before for r in rules.requirements)
    assert len(data.exemptions) == PEOPLE // 100
    status = engine.compute_status(
        data.roster, matching.match_completions(data.roster, data.completions), rules,
        data.as_of, data.exemptions,
    )  # fmt: skip
    assert set(status["status"]) == set(engine.STATUSES)
    assert set(status["course"]) == set(rules.courses)


def test_files_load_back_to_the_frames(data, tmp_path):
    small = national.National(
        data.roster.iloc[:200].reset_index(drop=True), data.completions.iloc[:500],
        data.exemptions, data.rules,
    )  # fmt: skip
    paths = national.write_files(tmp_path, small)
    first_row = paths["completions.csv"].read_text().splitlines()[1]
    assert re.fullmatch(r'"\d\d/\d\d/\d{4} \d\d:\d\d"', first_row.split(",")[-1])
    roster = loaders.load_roster(paths["roster.csv"].read_bytes(), "roster.csv").frame
    assert plain(roster[small.roster.columns]) == plain(small.roster)
    for name in ("completions.csv", "completions.xlsx"):
        loaded = loaders.load_completions(
            paths[name].read_bytes(), name, match_course=small.rules.match_titles
        ).frame
        columns = ["person_id", "email", "course", "course_code", "completed_on", "source_row"]
        assert plain(loaded[columns]) == plain(small.completions[columns])


def plain(frame: pd.DataFrame) -> list[list]:
    """The frame's values as lists, every kind of missing value as None."""
    return frame.astype(object).where(frame.notna(), None).to_numpy().tolist()


def test_store_holds_the_data_set(data, tmp_path):
    store = national.build_store(f"sqlite:///{tmp_path / 'national.sqlite'}", data)
    assert len(store.roster(data.as_of)) == PEOPLE
    assert store.rules() == data.rules
    identity = ["person_id", "email", "course", "course_code", "completed_on"]
    assert len(store.completions()) == len(data.completions.drop_duplicates(identity))
    assert len(store.exemptions()) == len(data.exemptions)
    store.engine.dispose()


def test_dates_helper_keeps_missing_days():
    days = np.array([0, national.NO_DAY, 19_000])
    assert national._dates(days).dt.strftime("%Y-%m-%d").fillna("-").tolist() == [
        "1970-01-01", "-", "2022-01-08",
    ]  # fmt: skip
