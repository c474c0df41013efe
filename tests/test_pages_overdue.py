"""Overdue page: the list equals the engine's, filters narrow it, and downloads hold exactly
the rows on screen under the headers on screen, open with the header block, unlock only with
a purpose and are written to the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
import zipfile

import pandas as pd
import pytest

from compliance.columns import header
from compliance.scope import Filters, apply_filters
from compliance.store import Store
from tests.exports import read_export
from tests.pages import (
    DEMO_AS_OF,
    app,
    capture_downloads,
    chart,
    chart_values,
    demo_url,
    engine_status,
    headers,
)

UNIT = "South Division / Response"
OVERDUE_HEADERS = [
    "ID", "Name", "Course", "Days overdue", "Band", "Due date", "Last completed", "Unit",
    "Manager", "Role", "Staff type", "Email",
]
DUE_SOON_HEADERS = [
    "ID", "Name", "Course", "Status", "Due date", "Days left", "Last completed", "Unit",
    "Manager", "Role", "Staff type", "Email",
]


def _pairs(frame: pd.DataFrame, person: str = "person_id", course: str = "course") -> set:
    return set(zip(frame[person].astype(str), frame[course].astype(str), strict=True))


def _shown_pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    """Pairs of a download, which carries the headers on screen."""
    return _pairs(frame, "ID", "Course")


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


def test_tables_show_the_headers_their_downloads_carry(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _overdue_page(monkeypatch)
    assert headers(at, 0) == OVERDUE_HEADERS
    assert headers(at, 1) == DUE_SOON_HEADERS
    for position in (0, 1):
        assert headers(at, position) == [header(c) for c in at.dataframe[position].value.columns]


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
    assert list(csv.columns) == headers(at, 0) == OVERDUE_HEADERS
    assert _shown_pairs(csv) == _pairs(shown) and len(csv) == len(shown)
    assert csv["Due date"].dropna().str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    xlsx = read_export(build(".xlsx"))
    assert list(xlsx.table.columns) == OVERDUE_HEADERS
    assert list(xlsx.table["ID"]) == list(shown["person_id"].astype(str))
    assert xlsx.block == {
        "Marking": "OFFICIAL-SENSITIVE",
        "Title": "DEMO overdue list",
        "As of": dt.datetime(2026, 11, 1),
        "Filters": "unit South Division / Response; all courses; all staff types",
        "Purpose": "Reminders to line managers",
        "Reference": reference,
        "Recipient": "Insp. Hall",
        "Exported by": "test-manager (manager)",
    }
    due = xlsx.sheet.cell(row=xlsx.header_row + 1, column=OVERDUE_HEADERS.index("Due date") + 1)
    assert due.value == shown["due_date"].iloc[0] and due.number_format == "dd/mm/yyyy"
    assert xlsx.sheet.freeze_panes == f"A{xlsx.header_row + 1}"
    with zipfile.ZipFile(io.BytesIO(build("-per-line-manager.zip"))) as archive:
        files = {n: read_export(archive.read(n)) for n in archive.namelist() if n != "index.xlsx"}
        index = read_export(archive.read("index.xlsx"), first_header="File")
    assert len(files) == shown["manager"].nunique() == len(index.table)
    assert set(index.table["File"]) == set(files)
    assert _shown_pairs(pd.concat(part.table for part in files.values())) == _pairs(shown)
    assert {part.block["Recipient"] for part in files.values()} == {"Insp. Hall"}

    log = Store.open(demo_url()).audit_log()
    mine = log[log["purpose"] == f"Reminders to line managers: {reference}"]
    assert len(mine) == 3
    assert sorted(mine["sha256"]) == sorted(hashlib.sha256(b).hexdigest() for b in built.values())
    assert mine["rows"].tolist() == [len(shown)] * 3
    assert set(mine["recipient"]) == {"Insp. Hall"} and set(mine["user"]) == {"test-manager"}
    assert mine["detail"].str.contains("filters: as of 2026-11-01; unit South Division / "
                                       "Response", regex=False).all()
    assert set(mine["action"]) == {"export"}
