"""Overdue page: the list equals the engine's, filters narrow it, and downloads hold exactly
the rows on screen, unlock only with a purpose and are written to the audit log."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile

import pandas as pd
import pytest

from compliance.scope import Filters, apply_filters
from compliance.store import Store
from tests.pages import (
    DEMO_AS_OF,
    app,
    capture_downloads,
    chart,
    chart_values,
    demo_url,
    engine_status,
)

UNIT = "South Division / Response"


def _pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["person_id"].astype(str), frame["course"].astype(str), strict=True))


def _overdue_page(monkeypatch: pytest.MonkeyPatch):
    at = app(monkeypatch, demo_url())
    at.switch_page("pages/overdue.py").run()
    at.selectbox(key="unit").set_value(UNIT).run()
    assert not at.exception
    return at


def test_list_equals_the_engine_and_filters_narrow_it(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _overdue_page(monkeypatch)
    status = apply_filters(engine_status(demo_url(), DEMO_AS_OF), Filters(unit=UNIT))
    overdue = status[status["status"] == "overdue"]
    shown = at.dataframe[0].value
    assert _pairs(shown) == _pairs(overdue)
    assert shown["days_overdue"].dropna().is_monotonic_decreasing
    assert f"**{len(overdue):,}** overdue requirements" in at.markdown[0].value
    bars = chart(at, 0)["data"]
    assert sum(sum(chart_values(trace["x"])) for trace in bars) == len(overdue)

    at.multiselect(key="overdue_bands").set_value(["1-30 days"]).run()
    narrowed = at.dataframe[0].value
    expected = overdue[overdue["days_overdue"].between(1, 30)]
    assert _pairs(narrowed) == _pairs(expected)

    manager = str(overdue["manager"].mode().iloc[0])
    at.multiselect(key="overdue_bands").set_value([]).run()
    at.multiselect(key="overdue_managers").set_value([manager]).run()
    assert _pairs(at.dataframe[0].value) == _pairs(overdue[overdue["manager"] == manager])

    due_soon = status[status["status"].isin(["expiring", "pending"])]
    assert _pairs(at.dataframe[1].value) == _pairs(due_soon)


def test_downloads_hold_the_rows_on_screen_and_are_audited(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = capture_downloads(monkeypatch)
    at = _overdue_page(monkeypatch)
    buttons = {b.key: b for b in at.download_button}
    assert all(buttons[k].disabled for k in ("overdue_xlsx", "overdue_csv", "overdue_pack"))
    assert not files

    reference = f"South response sergeants {uuid.uuid4().hex[:8]}"
    at.text_input(key="overdue_reference").input(reference).run()
    assert all(b.disabled for b in at.download_button if b.key.startswith("overdue_"))
    at.selectbox(key="overdue_reason").set_value("Reminders to line managers").run()
    at.text_input(key="overdue_recipient").input("Insp. Hall").run()
    at.selectbox(key="overdue_pack_by").set_value("line manager").run()
    assert not any(b.disabled for b in at.download_button if b.key.startswith("overdue_"))
    shown = at.dataframe[0].value

    built: dict[str, bytes] = {}

    def build(suffix: str) -> bytes:
        name = next(n for n in files if n.startswith("DEMO-overdue-list") and n.endswith(suffix))
        built[suffix] = files[name]()
        return built[suffix]

    csv = pd.read_csv(io.BytesIO(build(".csv")), dtype=str, encoding="utf-8-sig")
    assert _pairs(csv) == _pairs(shown) and len(csv) == len(shown)
    xlsx = pd.read_excel(io.BytesIO(build(".xlsx")), dtype=str)
    assert list(xlsx["person_id"]) == list(shown["person_id"].astype(str))
    with zipfile.ZipFile(io.BytesIO(build("-per-line-manager.zip"))) as archive:
        parts = [pd.read_excel(io.BytesIO(archive.read(n)), dtype=str) for n in archive.namelist()]
    assert len(parts) == shown["manager"].nunique()
    assert _pairs(pd.concat(parts)) == _pairs(shown)

    log = Store.open(demo_url()).audit_log()
    mine = log[log["purpose"] == f"Reminders to line managers: {reference}"]
    assert len(mine) == 3
    assert sorted(mine["sha256"]) == sorted(hashlib.sha256(b).hexdigest() for b in built.values())
    assert mine["rows"].tolist() == [len(shown)] * 3
    assert set(mine["recipient"]) == {"Insp. Hall"} and set(mine["user"]) == {"test-manager"}
    assert mine["detail"].str.contains("filters: as of 2026-11-01; unit South Division / "
                                       "Response", regex=False).all()
    assert set(mine["action"]) == {"export"}
