import pandas as pd
import pyarrow as pa
import pytest

from loaders.report import LoadReport
from loaders.values import (
    ARROW_STRING,
    CONSTANT_CHUNK,
    canonical_frame,
    flag,
    fold,
    fold_staff_type,
    is_done,
    on_uniques,
    text_column,
    to_text,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" Ann Lee ", "Ann Lee"),
        (1234.0, "1234"),
        (12.5, "12.5"),
        (7, "7"),
        (None, None),
        ("", None),
        ("  ", None),
        ("N/A", None),
        ("-", None),
        ("none", None),
    ],
)
def test_to_text(raw, expected):
    result = to_text(pd.Series([raw], dtype=object)).iloc[0]
    assert (pd.isna(result) and expected is None) or result == expected


@pytest.mark.parametrize(
    ("header", "folded"),
    [
        ("E-mail Address", "email address"),
        ("  Collar   No. ", "collar no"),
        ("User's Fullname", "users fullname"),
        ("Completion_Date", "completion date"),
        ("Officer/Staff", "officer staff"), ("Rank/Grade", "rank grade"),
    ],
)
def test_fold(header, folded):
    assert fold(header) == folded


@pytest.mark.parametrize(
    ("status", "done"),
    [
        ("Completed", True),
        ("complete", True),
        ("COMPLETED", True),
        ("Passed", True),
        ("Pass", True),
        ("Attended", True),
        ("Achieved", True),
        ("Certified", True),
        ("Yes", True),
        ("Passed (85%)", True),
        ("Completed - Passed", True),
        (True, True),
        ("In Progress", False),
        ("Not Started", False),
        ("Enrolled", False),
        ("Failed", False),
        ("Fail", False),
        ("Not Attempted", False),
        ("Expired", False),
        ("Completed (did not achieve pass grade)", False),
        ("Completed - Failed", False),
        ("Completed unsuccessfully", False),
        ("Incomplete", False),
        ("No", False),
        (None, False),
        ("", False),
    ],
)
def test_is_done(status, done):
    assert bool(is_done(pd.Series([status], dtype=object)).iloc[0]) is done


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Police Officer", "officer"),
        ("officer", "officer"),
        ("Police Staff", "staff"),
        ("STAFF", "staff"),
        ("PCSO", "pcso"),
        ("Police Community Support Officer", "pcso"),
        ("Special Constable", "special"),
        ("Special", "special"),
        ("Volunteer", "volunteer"),
        ("Contractor", "contractor"),
    ],
)
def test_fold_staff_type(raw, expected):
    assert fold_staff_type(pd.Series([raw], dtype="string")).iloc[0] == expected


def test_on_uniques_converts_each_value_once():
    seen = []

    def convert(unique):
        seen.append(len(unique))
        return unique.astype("string").str.upper()

    result = on_uniques(pd.Series(["a", "b", "a", None, "b"], index=[5, 6, 7, 8, 9]), convert)
    assert seen == [2]
    assert result.tolist()[:3] == ["A", "B", "A"]
    assert pd.isna(result.iloc[3])
    assert list(result.index) == [5, 6, 7, 8, 9]


def test_flag_adds_one_problem_per_true_row_with_file_row_and_value():
    report = LoadReport(file="f.csv", kind="roster")
    mask = pd.Series([False, True, True], index=[4, 5, 6])
    values = pd.Series(["a", "b", "c"], index=[4, 5, 6])
    flag(report, mask, values, "bad", column="Col", severity="warning")
    problems = report.problems
    assert problems["row"].tolist() == [5, 6]
    assert problems["value"].tolist() == ["b", "c"]
    assert set(problems["column"]) == {"Col"}
    assert set(problems["severity"]) == {"warning"}


def test_flag_with_nothing_true_adds_nothing():
    report = LoadReport(file="f.csv", kind="roster")
    flag(report, pd.Series([False]), None, "bad", column=None, severity="error")
    assert report.problems.empty


def test_canonical_frame_types_and_order():
    index = pd.Index([3, 3, 5])
    frame = canonical_frame(
        ["person_id", "completed_on", "source_row", "course"],
        {
            "person_id": pd.Series(["1", "1", "2"], index=index),
            "completed_on": pd.Series(pd.to_datetime(["2024-01-01"] * 3), index=index),
            "source_row": pd.Series([3, 3, 5], index=index),
        },
        index,
    )
    assert list(frame.columns) == ["person_id", "completed_on", "source_row", "course"]
    assert frame.dtypes.astype(str).tolist() == ["string", "datetime64[ns]", "int64", "string"]
    assert frame["course"].isna().all()


def _data_address(series: pd.Series) -> int:
    array = pa.array(series.array)
    return (array.chunk(0) if isinstance(array, pa.ChunkedArray) else array).buffers()[2].address


def test_canonical_frame_holds_text_in_arrow_without_copying_it():
    index = pd.Index([3, 3, 5])
    person = pd.Series(["1", "1", "2"], index=index, dtype=ARROW_STRING)
    frame = canonical_frame(
        ["person_id", "email", "course", "source_file"],
        {"person_id": person, "email": pd.Series(["a@b.c", None, "d@e.f"], index=index),
         "source_file": text_column("lms.csv", index)},
        index,
    )
    assert (frame.dtypes == ARROW_STRING).all()
    assert _data_address(frame["person_id"]) == _data_address(person)
    assert frame["email"].tolist() == ["a@b.c", pd.NA, "d@e.f"]
    assert frame["course"].isna().all() and frame["source_file"].eq("lms.csv").all()
    assert frame.index.equals(pd.RangeIndex(3))


def test_text_column_is_one_value_on_every_row_in_arrow():
    index = pd.Index([7, 9])
    text = text_column("Managing Information", index)
    assert text.dtype == ARROW_STRING and text.index.equals(index)
    assert text.tolist() == ["Managing Information"] * 2
    assert text_column(None, index).isna().all()


def test_text_column_on_many_rows_is_one_shared_chunk():
    index = pd.RangeIndex(3 * CONSTANT_CHUNK + 5)
    text = text_column("lms.csv", index)
    assert len(text) == len(index) and text.eq("lms.csv").all()
    chunks = pa.array(text.array).chunks
    assert len(chunks) == 4 and len({chunk.buffers()[2].address for chunk in chunks}) == 1
    assert text_column("x", pd.RangeIndex(0)).empty


def test_flagged_rows_share_one_object_per_distinct_value() -> None:
    report = LoadReport(file="lms.csv", kind="completions")
    titles = pd.Series(["Fire Safety", None, "Fire Safety", "Driving"] * 1_000,
                       dtype="string[pyarrow]", index=range(2, 4_002))
    flag(report, titles.notna() | True, titles, "course matches no requirement",
         column="Course", severity="warning")
    shown = report.problems["value"]
    assert shown.tolist()[:4] == ["Fire Safety", None, "Fire Safety", "Driving"]
    assert len({id(value) for value in shown}) == 3
    assert report.problems["row"].tolist()[:2] == [2, 3]
