"""Charts: the right numbers, order and colours reach the figure; empty input is explained."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from compliance import charts


@pytest.mark.parametrize(
    ("rate", "colour"),
    [
        (0.95, charts.GREEN),
        (0.90, charts.GREEN),
        (0.85, charts.AMBER),
        (0.80, charts.AMBER),
        (0.79, charts.RED),
        (0.0, charts.RED),
        (np.nan, charts.GREY),
    ],
)
def test_rag_colours(rate: float, colour: str) -> None:
    assert charts.rag_colours(pd.Series([rate]), 0.9).tolist() == [colour]


def _units() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit": ["North", "South", "East", "Empty"],
            "in_scope": [10, 20, 5, 0],
            "compliance_rate": [0.95, 0.5, 0.85, np.nan],
        }
    )


def test_compliance_by_unit_puts_worst_unit_on_top_with_target_line() -> None:
    fig = charts.compliance_by_unit(_units(), 0.9)
    bar = fig.data[0]
    # Plotly draws the first y category at the bottom: the worst unit comes last.
    assert list(bar.y) == ["North", "East", "South"]
    assert list(bar.x) == [0.95, 0.85, 0.5]
    assert list(bar.marker.color) == [charts.GREEN, charts.AMBER, charts.RED]
    assert fig.layout.shapes[0].x0 == 0.9


def test_compliance_by_unit_empty_says_so() -> None:
    fig = charts.compliance_by_unit(_units().iloc[3:], 0.9)
    assert not fig.data
    assert "No one in scope" in fig.layout.annotations[0].text


def test_heatmap_keeps_blanks_for_courses_not_required() -> None:
    matrix = pd.DataFrame(
        {"North": [1.0, np.nan], "South": [0.5, 0.25]}, index=["Managing Information", "Security"]
    )
    fig = charts.course_unit_heatmap(matrix, 0.9)
    heat = fig.data[0]
    assert list(heat.x) == ["North", "South"]
    assert list(heat.y) == ["Managing Information", "Security"]
    assert heat.text.tolist() == [["100%", "50%"], ["", "25%"]]


def test_trend_chart_draws_actual_projection_and_target() -> None:
    actual = pd.DataFrame(
        {"date": pd.to_datetime(["2024-01-31", "2024-02-29"]), "compliance_rate": [0.8, 0.85]}
    )
    projected = pd.DataFrame(
        {"date": pd.to_datetime(["2024-03-10", "2024-04-10"]), "compliance_rate": [0.85, 0.7]}
    )
    fig = charts.trend_chart(actual, projected, 0.9)
    assert [t.name for t in fig.data] == ["Actual (month end)", "Projected if nobody completes"]
    assert list(fig.data[1].y) == [0.85, 0.7]
    assert fig.layout.shapes[0].y0 == 0.9


def test_trend_chart_without_history() -> None:
    empty = pd.DataFrame({"date": pd.to_datetime([]), "compliance_rate": pd.Series(dtype=float)})
    assert not charts.trend_chart(empty, empty, 0.9).data


def test_treemap_sizes_by_people_and_colours_by_rate() -> None:
    tree = pd.DataFrame(
        {
            "id": ["North", "North / A", "North / B"],
            "parent": ["", "North", "North"],
            "label": ["North", "A", "B"],
            "people": [30, 10, 20],
            "in_scope": [60, 20, 40],
            "compliance_rate": [0.7, 1.0, 0.55],
        }
    )
    fig = charts.unit_treemap(tree, 0.9)
    treemap = fig.data[0]
    assert list(treemap.values) == [30, 10, 20]
    assert list(treemap.parents) == ["", "North", "North"]
    assert list(treemap.marker.colors) == [charts.RED, charts.GREEN, charts.RED]
    assert treemap.customdata[0][0] == "70%"


def test_person_timeline_names_file_and_row() -> None:
    history = pd.DataFrame(
        {
            "completed_on": pd.to_datetime(["2023-05-01", "2024-05-01"]),
            "course": ["Managing Information", "Managing Information"],
            "source_file": ["lms.xlsx", "lms2.csv"],
            "source_row": [4, 17],
        }
    )
    fig = charts.person_timeline(history)
    assert fig.data[0].customdata.tolist() == [["lms.xlsx", "4"], ["lms2.csv", "17"]]


def test_person_timeline_empty() -> None:
    history = pd.DataFrame(columns=["completed_on", "course", "source_file", "source_row"])
    assert "No completions" in charts.person_timeline(history).layout.annotations[0].text


def test_overdue_by_course_stacks_bands_with_the_most_overdue_course_on_top() -> None:
    counts = pd.DataFrame(
        {"1-30 days": [1, 5], "31-90 days": [0, 2], "91-180 days": [0, 0], "no due date": [4, 0]},
        index=["Taser", "Managing Information"],
    )
    fig = charts.overdue_by_course(counts)
    assert fig.layout.barmode == "stack"
    assert [trace.name for trace in fig.data] == ["1-30 days", "31-90 days", "no due date"]
    assert list(fig.data[0].y) == ["Taser", "Managing Information"]  # most (7) drawn last: top
    assert [list(trace.x) for trace in fig.data] == [[1, 5], [0, 2], [4, 0]]


def test_overdue_by_course_empty_says_so() -> None:
    fig = charts.overdue_by_course(pd.DataFrame(columns=["1-30 days"]))
    assert not fig.data
    assert "Nothing overdue" in fig.layout.annotations[0].text
