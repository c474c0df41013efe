"""Units page: the treemap and counts equal the engine's; any unit opens to its people."""

from __future__ import annotations

import pytest

from compliance import summary
from compliance.scope import Filters, apply_filters
from compliance.store import Store
from tests.pages import (
    DEMO_AS_OF,
    app,
    chart,
    chart_values,
    demo_url,
    engine_status,
    headers,
)


def test_counts_and_treemap_equal_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, demo_url())
    at.switch_page("pages/units.py").run()
    assert not at.exception
    status = engine_status(demo_url(), DEMO_AS_OF)
    expected = summary.summary_by_unit(status, 1)
    expected = expected[expected["unit"] != "ALL"].reset_index(drop=True)
    shown = at.dataframe[0].value.reset_index(drop=True)
    assert shown["unit"].tolist() == expected["unit"].tolist()
    for column in ("in_scope", "compliant", "expiring", "pending", "overdue", "exempt"):
        assert shown[column].tolist() == expected[column].tolist()

    treemap = chart(at, 0)["data"][0]
    people = dict(zip(treemap["ids"], chart_values(treemap["values"]), strict=True))
    parents = dict(zip(treemap["ids"], treemap["parents"], strict=True))
    roster = Store.open(demo_url()).roster(DEMO_AS_OF)
    south = roster["unit"].eq("South Division") | roster["unit"].str.startswith("South Division /")
    assert people["South Division"] == south.sum()
    assert sum(v for k, v in people.items() if parents[k] == "") == len(roster)
    for unit, count in people.items():
        children = [people[k] for k, parent in parents.items() if parent == unit]
        direct = int(roster["unit"].eq(unit).sum())
        assert count == direct + sum(children), unit


def test_drill_into_a_unit_then_to_its_people(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, demo_url())
    at.switch_page("pages/units.py").run()
    at.selectbox(key="unit").set_value("Crime Command").run()
    assert at.dataframe[0].value["unit"].str.startswith("Crime Command / ").all()

    at.selectbox(key="units_open").set_value("Crime Command / CID").run()
    cid = Filters(unit="Crime Command / CID")
    status = apply_filters(engine_status(demo_url(), DEMO_AS_OF), cid)
    people = at.dataframe[1].value
    assert sorted(people["person_id"]) == sorted(status["person_id"].unique())
    overdue = status[status["status"] == "overdue"].groupby("person_id").size()
    shown = people.set_index("person_id")["overdue"]
    assert shown[shown > 0].sort_index().to_dict() == overdue.sort_index().to_dict()

    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Overdue and due soon"
    assert at.selectbox(key="unit").value == "Crime Command / CID"
    assert set(at.dataframe[0].value["person_id"]) == set(overdue.index)


def test_tables_show_the_headers_downloads_carry(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, demo_url())
    at.switch_page("pages/units.py").run()
    assert headers(at, 0)[:8] == [
        "Unit", "In scope", "Compliant", "Expiring", "Pending", "Overdue", "Exempt",
        "Compliance rate",
    ]
    people = headers(at, 1)
    assert people[:3] == ["ID", "Name", "Overdue"] and people[-3:] == ["Role", "Manager", "Unit"]
    courses = at.dataframe[1].value.columns[3:-3]
    assert people[3:-3] == list(courses) and len(courses) > 0
