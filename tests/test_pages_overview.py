"""Overview page: the headline figures and the unit chart equal the engine's, for any filter."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from compliance import summary
from compliance.scope import Filters, apply_filters
from tests.pages import DEMO_AS_OF, app, chart, chart_values, demo_url, engine_status


def _metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def _expected(status: pd.DataFrame) -> dict[str, str]:
    total = summary.summarise(status, "course", None).iloc[-1]
    return {
        "Compliance rate": f"{total['compliance_rate']:.1%}",
        "Overdue": f"{total['overdue']:,}",
        "Expiring soon": f"{total['expiring']:,}",
        "Pending new starters": f"{total['pending']:,}",
    }


def _bars(at: AppTest) -> dict[str, float]:
    bar = chart(at, 0)["data"][0]
    return dict(zip(chart_values(bar["y"]), chart_values(bar["x"]), strict=True))


@pytest.mark.parametrize(
    ("unit", "as_of"),
    [
        (None, DEMO_AS_OF),
        ("South Division", DEMO_AS_OF),
        ("Crime Command / CID", pd.Timestamp("2026-06-30")),
    ],
)
def test_figures_equal_the_engine(
    monkeypatch: pytest.MonkeyPatch, unit: str | None, as_of: pd.Timestamp
) -> None:
    at = app(monkeypatch, demo_url())
    if as_of != DEMO_AS_OF:
        at.date_input(key="as_of").set_value(as_of.date()).run()
    if unit:
        at.selectbox(key="unit").set_value(unit).run()
    assert not at.exception
    status = apply_filters(engine_status(demo_url(), as_of), Filters(unit=unit))
    shown = _metrics(at)
    assert {label: value for label, (value, _) in shown.items()} == _expected(status)

    before = apply_filters(
        engine_status(demo_url(), as_of - pd.Timedelta(days=30)), Filters(unit=unit)
    )
    change = int((status["status"] == "overdue").sum() - (before["status"] == "overdue").sum())
    assert shown["Overdue"][1].startswith(f"{change:+,} since")

    level = 1 if unit is None else unit.count(" / ") + 2
    units = summary.summary_by_unit(status, level)
    units = units[units["unit"] != "ALL"]
    prefix = f"{unit} / " if unit else ""
    expected = {u.removeprefix(prefix): r for u, r in zip(units["unit"], units["compliance_rate"],
                                                           strict=True)}
    assert _bars(at) == pytest.approx(expected)


def test_course_filter_and_worst_unit_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, demo_url())
    at.selectbox(key="course").set_value("Managing Information").run()
    status = apply_filters(
        engine_status(demo_url(), DEMO_AS_OF), Filters(course="Managing Information")
    )
    units = summary.summary_by_unit(status, 1)
    units = units[units["unit"] != "ALL"].sort_values("compliance_rate")
    worst = units.iloc[0]
    sentence = next(m.value for m in at.markdown if m.value.startswith("Lowest compliance"))
    assert f"**{worst['unit']}** at **{worst['compliance_rate']:.1%}**" in sentence
    assert len(at.get("plotly_chart")) == 3


def test_target_changes_the_colours(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, demo_url())
    at.slider(key="target").set_value(50).run()
    figure = chart(at, 0)
    assert set(chart_values(figure["data"][0]["marker"]["color"])) == {"#2e7d32"}
    assert figure["layout"]["shapes"][0]["x0"] == 0.5


def test_choice_carries_to_other_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, demo_url())
    at.selectbox(key="unit").set_value("North Division").run()
    at.date_input(key="as_of").set_value(dt.date(2026, 10, 1)).run()
    at.switch_page("pages/overdue.py").run()
    assert at.selectbox(key="unit").value == "North Division"
    assert at.date_input(key="as_of").value == dt.date(2026, 10, 1)
    assert "unit North Division" in at.caption[0].value
