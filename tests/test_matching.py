import numpy as np
import pandas as pd
import pytest

from compliance.matching import factorize_text, id_keys, match_completions
from loaders.ids import normalise_ids


def roster(rows: list[tuple]) -> pd.DataFrame:
    """(person_id, name, email) rows."""
    return pd.DataFrame(rows, columns=["person_id", "name", "email"])


def completions(rows: list[tuple], file: str = "lms.csv") -> pd.DataFrame:
    """(person_id, email) rows; the rest of the canonical columns filled in."""
    frame = pd.DataFrame(rows, columns=["person_id", "email"])
    frame["course"] = "Managing Information"
    frame["course_code"] = None
    frame["completed_on"] = pd.Timestamp("2024-01-01")
    frame["source_file"] = file
    frame["source_row"] = range(2, len(frame) + 2)
    return frame


FORCE = roster(
    [
        ("101", "Ann Smith", "ann.smith@force.police.uk"),
        ("102", "Bob Jones", "bob.jones@force.police.uk"),
        ("103", "Cy Young", None),
        ("104", "Di Shared", "team@force.police.uk"),
        ("105", "Ed Shared", "team@force.police.uk"),
    ]
)


@pytest.mark.parametrize(
    ("row", "person"),
    [
        (("101", None), "101"),
        (("101", "bob.jones@force.police.uk"), "101"),
        (("999", "bob.jones@force.police.uk"), "102"),
        ((None, "bob.jones@force.police.uk"), "102"),
        (("", "ann.smith@force.police.uk"), "101"),
        (("103", None), "103"),
        (("999", None), None),
        ((None, "nobody@force.police.uk"), None),
        ((None, "team@force.police.uk"), None),
        ((None, None), None),
    ],
)
def test_each_completion_goes_by_id_then_email(row, person):
    # Two rows whose IDs and emails both match keep the "internal user number" rule away.
    known = [("101", "ann.smith@force.police.uk"), ("102", "bob.jones@force.police.uk")]
    result = match_completions(FORCE, completions([row, *known]))
    assert not any("ignored" in note for note in result.notes)
    first = result.completions[result.completions["source_row"] == 2]["person_id"].tolist()
    assert first == ([person] if person else [])
    assert len(result.completions) + len(result.unmatched) == 3


def test_unmatched_rows_are_kept_whole_and_reported():
    result = match_completions(FORCE, completions([("999", "x@y"), ("101", None)], "a.xlsx"))
    kept = result.unmatched[["person_id", "email", "source_file", "source_row"]]
    assert kept.to_numpy().tolist() == [["999", "x@y", "a.xlsx", 2]]
    assert result.completions["person_id"].tolist() == ["101"]
    assert "1 completions matched nobody on the roster (by ID or email)" in result.notes


def test_never_matched_by_name():
    events = completions([(None, None)])
    events["name"] = "Ann Smith"
    result = match_completions(FORCE, events)
    assert result.completions.empty
    assert len(result.unmatched) == 1


def test_email_matches_are_counted_in_notes():
    result = match_completions(FORCE, completions([(None, "ann.smith@force.police.uk")] * 2))
    assert result.completions["person_id"].tolist() == ["101", "101"]
    assert "2 completions matched by email (no matching ID)" in result.notes


def lms_export(ids: list[str], file: str) -> pd.DataFrame:
    emails = ["ann.smith@force.police.uk", "bob.jones@force.police.uk"] * 10
    return completions(list(zip(ids, emails[: len(ids)], strict=True)), file)


def test_internal_user_numbers_are_ignored_and_said_so():
    # LMS user numbers: one of them happens to equal a collar number (101) of someone else.
    ids = ["101"] + [str(5000 + n) for n in range(19)]
    result = match_completions(FORCE, lms_export(ids, "lms.csv"))
    assert result.completions["person_id"].tolist() == ["101", "102"] * 10
    assert result.unmatched.empty
    assert any(
        note.startswith("column person_id ignored for matching in lms.csv")
        and "match 1 roster IDs" in note
        and "match 20 roster emails" in note
        for note in result.notes
    )


def test_ids_that_match_a_tenth_as_often_are_kept():
    ids = ["101", "102"] + [str(5000 + n) for n in range(18)]
    result = match_completions(FORCE, lms_export(ids, "lms.csv"))
    assert not any("ignored" in note for note in result.notes)
    assert result.completions["person_id"].tolist()[:2] == ["101", "102"]


def test_internal_number_rule_is_decided_per_file():
    lms = lms_export([str(5000 + n) for n in range(20)], "lms.csv")
    hr = completions([("102", "ann.smith@force.police.uk"), ("101", None)], "hr.csv")
    result = match_completions(FORCE, pd.concat([lms, hr], ignore_index=True))
    by_file = result.completions.groupby("source_file")["person_id"].apply(list).to_dict()
    assert by_file["hr.csv"] == ["102", "101"]
    assert by_file["lms.csv"] == ["101", "102"] * 10
    assert [n for n in result.notes if "ignored" in n][0].count("lms.csv") == 1
    assert not any("hr.csv" in note for note in result.notes)


def test_completions_without_id_or_email_columns():
    events = completions([("101", None)]).drop(columns=["email"])
    assert match_completions(FORCE, events).completions["person_id"].tolist() == ["101"]
    events = completions([(None, "bob.jones@force.police.uk")]).drop(columns=["person_id"])
    assert match_completions(FORCE, events).completions["person_id"].tolist() == ["102"]


def test_matched_frame_keeps_columns_and_index():
    events = completions([("999", None), (None, "bob.jones@force.police.uk")])
    result = match_completions(FORCE, events)
    assert list(result.completions.columns) == list(events.columns)
    assert result.completions.index.tolist() == [1]
    assert result.unmatched.index.tolist() == [0]


def test_empty_roster_matches_nothing():
    result = match_completions(FORCE.iloc[:0], completions([("101", "ann.smith@force.police.uk")]))
    assert result.completions.empty
    assert len(result.unmatched) == 1


def test_empty_or_missing_roster_keys_match_nobody_and_repeated_ids_keep_the_first():
    force = roster(
        [
            ("201", "Fay Blank", ""),
            ("202", "Gus Blank", ""),
            ("203", "Hal None", None),
            ("204", "Ida First", "ida@force.police.uk"),
            ("204", "Ida Again", "ida2@force.police.uk"),
            ("", "No Id", "noid@force.police.uk"),
        ]
    )
    events = completions([(None, ""), ("", None), ("204", None), (None, "noid@force.police.uk")])
    result = match_completions(force, events)
    assert result.completions["person_id"].tolist() == ["204", ""]
    assert result.completions["source_row"].tolist() == [4, 5]
    assert result.unmatched["source_row"].tolist() == [2, 3]


# --- cross-check against the straightforward algorithm --------------------------------------


def reference_match(force: pd.DataFrame, events: pd.DataFrame) -> tuple[list, list, list]:
    """Every row's person, row by row from DESIGN.md: (matched (row, person), unmatched rows,
    files whose IDs are ignored)."""

    def usable(value) -> bool:
        return isinstance(value, str) and value != ""

    ids: dict[str, str] = {}
    for person in force.itertuples():
        if usable(person.person_id):
            ids.setdefault(person.person_id, person.person_id)
    owners = force[force["email"].map(usable)].groupby("email")["person_id"].agg(list)
    emails = {email: people[0] for email, people in owners.items() if len(people) == 1}
    ignored = []
    for file, rows in events.groupby("source_file"):
        both = rows[rows["person_id"].map(usable) & rows["email"].map(usable)]
        id_hits = both["person_id"].isin(list(ids)).sum()
        email_hits = both["email"].isin(list(emails)).sum()
        if id_hits * 10 < email_hits:
            ignored.append(file)
    matched, unmatched = [], []
    for row in events.itertuples():
        if row.person_id in ids and row.source_file not in ignored:
            matched.append((row.source_row, ids[row.person_id]))
        elif row.email in emails:
            matched.append((row.source_row, emails[row.email]))
        else:
            unmatched.append(row.source_row)
    return matched, unmatched, ignored


def random_events(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    people = [(f"P{n}", f"Person {n}", f"p{n % 17}@force.police.uk") for n in range(25)]
    force = roster([*people, ("", "No Id", "noid@force.police.uk"), ("P99", "Blank", "")])
    known_ids = [p[0] for p in people] + ["", None, "X1", "X2"]
    known_emails = [p[2] for p in people] + ["", None, "noid@force.police.uk", "x@y"]
    frames = []
    for number, file in enumerate(["hr.csv", "lms.xlsx", "old.csv", None]):
        size = int(rng.integers(5, 60))
        lms_numbers = number == 1 and seed % 2 == 0  # a file of learning-system user numbers
        pool = [f"U{n}" for n in range(40)] if lms_numbers else known_ids
        rows = [
            (pool[rng.integers(len(pool))], known_emails[rng.integers(len(known_emails))])
            for _ in range(size)
        ]
        frames.append(completions(rows, file))
    events = pd.concat(frames, ignore_index=True)
    events["source_row"] = range(2, len(events) + 2)
    return force, events


@pytest.mark.parametrize("dtype", [object, "category", "string", "string[pyarrow]"])
@pytest.mark.parametrize("seed", range(12))
def test_matches_the_row_by_row_reference(seed, dtype):
    force, events = random_events(seed)
    given = events.astype({"person_id": dtype, "email": dtype, "source_file": dtype})
    result = match_completions(force, given)
    matched, unmatched, ignored = reference_match(force, events)
    got = list(zip(result.completions["source_row"], result.completions["person_id"], strict=True))
    assert got == matched
    assert result.unmatched["source_row"].tolist() == unmatched
    noted = [n for n in result.notes if "ignored" in n]
    assert len(noted) == len(ignored)
    assert all(any(f" in {file}:" in note for note in noted) for file in ignored)


def test_result_carries_roster_positions_and_source_rows():
    events = completions([("999", None), (None, "bob.jones@force.police.uk"), ("103", None)])
    result = match_completions(FORCE, events)
    assert result.rows.tolist() == [1, 2]
    assert result.roster_ids[result.roster_position].tolist() == ["102", "103"]
    assert result.source is events
    assert result.completions["person_id"].tolist() == ["102", "103"]


@pytest.mark.parametrize("dtype", ["string", "category", object, "string[pyarrow]"])
def test_matched_frame_keeps_column_dtypes(dtype):
    events = completions([("101", None), ("999", None), ("102", "x@y")])
    events = events.astype({"email": dtype, "course": dtype, "source_file": dtype})
    matched = match_completions(FORCE, events).completions
    assert matched.dtypes.drop("person_id").to_dict() == events.dtypes.drop("person_id").to_dict()
    assert matched["person_id"].dtype == object
    assert matched["course"].tolist() == ["Managing Information"] * 2


def _objects(values: list) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


SHARED = "shared text"
FACTORIZE_CASES = {
    "one object repeated": [SHARED, SHARED, "b", SHARED],
    "equal text in distinct objects": ["".join(["a", "b"]), "".join(["a", "b"]), "c"],
    "missing of every kind": [None, "a", np.nan, pd.NA, "a", None, ""],
    "numbers and text": [1, "1", 1.0, 2.5, "x", 1],
    "nothing": [],
    "only missing": [None, None, np.nan],
}


@pytest.mark.parametrize("values", FACTORIZE_CASES.values(), ids=FACTORIZE_CASES.keys())
@pytest.mark.parametrize("layout", ["contiguous", "strided", "arrow"])
def test_factorize_text_gives_pandas_codes_and_values(values, layout):
    array = _objects(values)
    if layout == "strided":  # every other element of a longer array: not contiguous
        array = _objects([x for value in values for x in (value, "filler")])[::2]
    if layout == "arrow":
        if any(isinstance(value, int | float) and not pd.isna(value) for value in values):
            pytest.skip("Arrow text holds text only")
        array = pd.array(array, dtype="string[pyarrow]")
    codes, uniques = factorize_text(array)
    expected_codes, expected_uniques = pd.factorize(array)
    assert codes.tolist() == expected_codes.tolist()
    assert uniques.dtype == object
    assert uniques.tolist() == list(expected_uniques)


def test_factorize_text_of_a_column_with_shared_objects_reads_each_object_once():
    column = _objects(["P1", "P2"] * 1000 + [None])
    codes, uniques = factorize_text(column)
    assert uniques.tolist() == ["P1", "P2"]
    assert codes[:4].tolist() == [0, 1, 0, 1]
    assert codes[-1] == -1


@pytest.mark.parametrize(
    ("written", "key"),
    [("009917", "9917"), (" ab 12 ", "AB12"), ("X1", "X1"), (None, pd.NA)],
)
def test_result_carries_the_roster_id_keys_in_roster_order(written, key):
    force = roster([("101", "Ann", None), (written, "Bo", None)])
    result = match_completions(force, completions([("9917", None)]))
    assert result.roster_keys[0] == "101"
    assert result.roster_keys[1] is key or result.roster_keys[1] == key
    assert len(result.roster_keys) == len(result.roster_ids) == 2


ID_PIECES = [
    "A", "s", "0", "7", "00", " ", "\u00a0", ".", ".0", "-", "n", "N", "a", "é", "١", "ß", "X9",
]  # fmt: skip


@pytest.mark.parametrize("seed", range(6))
def test_id_keys_are_normalise_ids_whichever_ids_it_skips(seed):
    # id_keys leaves IDs in their usual form alone; normalise_ids must agree with that.
    rng = np.random.default_rng(seed)
    ids = ["".join(rng.choice(ID_PIECES, size=rng.integers(1, 5))) for _ in range(3000)]
    ids += ["NA", "NAN", "NONE", "0", "000", "0012", "1200", "AB12", "ab12", "", None]
    values = _objects(ids)
    expected = normalise_ids(pd.Series(values, dtype=object)).tolist()
    got = id_keys(values).tolist()
    assert [None if k is pd.NA else k for k in got] == [
        None if k is pd.NA else k for k in expected
    ]


@pytest.mark.parametrize("ids", [[12, "012", None], [1.0, "A1"], []])
def test_id_keys_of_ids_that_are_not_all_text(ids):
    values = _objects(ids)
    assert id_keys(values).tolist() == list(normalise_ids(pd.Series(values, dtype=object)))
