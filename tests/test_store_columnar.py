import numpy as np
import pandas as pd
import pytest

from compliance.store import columnar


def _round_trip(frame, identity=()):
    columns = list(frame.columns)
    segments = columnar.encode(columnar.to_arrow(frame, columns))
    return columnar.to_frame(columnar.decode(d for _, d in segments), identity=identity)


def test_types_and_nulls_round_trip():
    frame = pd.DataFrame(
        {
            "person_id": pd.Series(["007", None, ""], dtype=object),
            "completed_on": pd.to_datetime(["2024-02-29", None, "1999-12-31"]),
            "source_row": np.array([2, 3, 4], dtype=np.int64),
        }
    )
    back = _round_trip(frame)
    pd.testing.assert_frame_equal(back, frame)
    assert back["person_id"].tolist() == ["007", None, ""]


def test_non_text_values_are_stored_as_text():
    frame = pd.DataFrame({"person_id": pd.Series([12, "A1", None], dtype=object)})
    assert _round_trip(frame)["person_id"].tolist() == ["12", "A1", None]


@pytest.mark.parametrize(
    ("rows", "kept"),
    [
        ([("1", "2024-01-01"), ("1", "2024-01-01")], [0]),
        ([("1", "2024-01-01"), ("1", "2024-01-02")], [0, 1]),
        ([("1", None), ("1", None), ("2", None)], [0, 2]),
        ([(None, "2024-01-01"), ("", "2024-01-01")], [0, 1]),
    ],
)
def test_identical_rows_counted_once_first_kept(rows, kept):
    frame = pd.DataFrame(
        {
            "person_id": pd.Series([r[0] for r in rows], dtype=object),
            "completed_on": pd.to_datetime([r[1] for r in rows]),
            "source_row": np.arange(len(rows), dtype=np.int64),
        }
    )
    back = _round_trip(frame, identity=("person_id", "completed_on"))
    assert back["source_row"].tolist() == kept


def test_segments_split_and_join(monkeypatch):
    monkeypatch.setattr(columnar, "SEGMENT_ROWS", 3)
    frame = pd.DataFrame({"course": pd.Series(list("abcdefgh"), dtype=object)})
    segments = columnar.encode(columnar.to_arrow(frame, ["course"]))
    assert [rows for rows, _ in segments] == [3, 3, 2]
    assert _round_trip(frame)["course"].tolist() == list("abcdefgh")


def test_extra_columns_and_order():
    frame = pd.DataFrame({"a": pd.Series(["x", "y"], dtype=object), "n": [1, 2]})
    table = columnar.decode(d for _, d in columnar.encode(columnar.to_arrow(frame, ["a", "n"])))
    extra = {"f": np.array(["one.csv", "two.csv"], dtype=object)}
    back = columnar.to_frame(table, extra=extra, order=["n", "f", "a"])
    assert list(back.columns) == ["n", "f", "a"]
    assert back["f"].tolist() == ["one.csv", "two.csv"]
