"""Problems grouped by reason: what changes a status first, other courses last and folded."""

from __future__ import annotations

import pandas as pd

from loaders.problems import OTHER_COURSE, by_reason, per_value


def _problems() -> pd.DataFrame:
    rows = [(n, "Course", f"Course {n % 3}", "warning", OTHER_COURSE) for n in range(2, 12)]
    rows += [(20, "Date", "31/02/2024", "error", "not a date: write it as DD/MM/YYYY"),
             (21, "Date", "2031-01-01", "warning", "completion date is in the future"),
             (22, "Date", "2031-01-02", "warning", "completion date is in the future")]
    return pd.DataFrame(rows, columns=["row", "column", "value", "severity", "reason"])


def test_by_reason_orders_what_matters_first() -> None:
    table = by_reason(_problems())
    assert table[["reason", "severity", "rows", "changes_status"]].values.tolist() == [
        ["not a date: write it as DD/MM/YYYY", "error", 1, True],
        ["completion date is in the future", "warning", 2, True],
        [OTHER_COURSE, "warning", 10, False],
    ]
    assert table.loc[1, "first_rows"] == "21, 22"
    assert table.loc[1, "examples"] == "2031-01-01; 2031-01-02"
    assert table.loc[2, "examples"] == "Course 2; Course 0; Course 1"


def test_per_value_counts_each_title() -> None:
    counts = per_value(_problems())
    assert dict(zip(counts["value"], counts["rows"], strict=True)) == {
        "Course 0": 3, "Course 1": 3, "Course 2": 4
    }


def test_no_problems_give_empty_tables() -> None:
    empty = _problems().iloc[0:0]
    assert by_reason(empty).empty and per_value(empty).empty
