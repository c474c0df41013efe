"""Incident check page: IDs pasted or found, the answers and warnings the documents carry,
downloads only with a purpose, one audit entry per document with the sha256 of its bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pandas as pd
import pytest
from pypdf import PdfReader

from compliance.store import Store
from tests.evidence_store import WHEN, sqlite_copy
from tests.pages import app, capture_downloads, plain

REFERENCE = "PSD/2026/0142"
PURPOSE = f"Complaint or misconduct investigation: {REFERENCE}"


@pytest.fixture
def url(tmp_path) -> str:
    return sqlite_copy(tmp_path)


def _checked(monkeypatch, url, ids: str, *, role="manager", units=()):
    at = app(monkeypatch, url, pd.Timestamp(WHEN), role=role, units=units)
    at.switch_page("pages/incident.py").run()
    assert not at.exception
    at.text_area(key="incident_ids").input(ids).run()
    assert not at.exception
    return at


def _warnings(at) -> list[str]:
    return [plain(w.value) for w in at.warning]


def _state_purpose(at) -> None:
    at.selectbox(key="incident_reason").set_value("Complaint or misconduct investigation")
    at.text_input(key="incident_reference").input(REFERENCE)
    at.text_input(key="incident_recipient").input("Insp. Hall").run()


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_answers_warnings_and_one_audited_pdf(monkeypatch, url) -> None:
    files = capture_downloads(monkeypatch)
    at = _checked(monkeypatch, url, "9917, 004321\n2222")
    tables = [d.value for d in at.dataframe]
    answers = [t for t in tables if "Answer" in t.columns]
    assert len(answers) == 3
    ann = answers[0].set_index("Course")
    assert ann.loc["Managing Information", "Answer"] == "not trained (overdue)"
    assert ann.loc["Managing Information", "Later completion"] == (
        "completed 14 Mar 2023 (Management of Information; lms-2023.csv row 2; import 8), "
        "272 days after the date"
    )
    assert set(answers[2]["Answer"]) == {"not on the roster in force"}
    shown = _warnings(at)
    assert any(w.startswith("Dee Brown (002222) is not on the roster in force") for w in shown)
    sources = next(t for t in tables if "sha256" in t.columns)
    assert sorted(sources["id"]) == [1, 2, 3, 6, 8]

    assert at.download_button(key="incident_pdf").disabled
    assert at.download_button(key="incident_xlsx").disabled
    _state_purpose(at)
    assert not at.download_button(key="incident_pdf").disabled
    before = len(Store.open(url).audit_log())
    data = files["incident-check-2022-06-15.pdf"]()
    log = Store.open(url).audit_log()
    assert len(log) == before + 1
    entry = log.iloc[-1]
    assert (entry["action"], entry["purpose"]) == ("export", PURPOSE)
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert entry["recipient"] == "Insp. Hall"
    text = _flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    for warning in shown:
        assert _flat(warning) in text, warning
    assert _flat(REFERENCE) in text and _flat("Requester Insp. Hall") in text


def test_time_of_day_and_courses_that_matter(monkeypatch, url) -> None:
    at = _checked(monkeypatch, url, "9917")
    at.time_input(key="incident_time").set_value(dt.time(14, 30))
    at.multiselect(key="incident_courses").set_value(["Information Security Awareness"]).run()
    assert not at.exception
    answers = [d.value for d in at.dataframe if "Answer" in d.value.columns]
    assert answers[0]["Course"].tolist() == ["Information Security Awareness"]
    assert any("whether it was done before 14:30" in w for w in _warnings(at))


def test_an_auditor_may_check_and_download(monkeypatch, url) -> None:
    files = capture_downloads(monkeypatch)
    at = _checked(monkeypatch, url, "9917", role="auditor")
    assert [d.value for d in at.dataframe if "Answer" in d.value.columns]
    _state_purpose(at)
    data = files["incident-check-2022-06-15.xlsx"]()
    assert data[:2] == b"PK"
    exports = Store.open(url).audit_log(action="export")
    assert exports["sha256"].tolist() == [hashlib.sha256(data).hexdigest()]


def test_a_viewer_only_finds_their_units_people(monkeypatch, url) -> None:
    at = _checked(monkeypatch, url, "9917, 004321, 2222", role="viewer", units=("North",))
    answers = [d.value for d in at.dataframe if "Answer" in d.value.columns]
    assert len(answers) == 1
    shown = "\n".join(_warnings(at))
    assert "No one with the ID '004321'" in shown and "No one with the ID '2222'" in shown
    assert "Bilal" not in shown and "Dee Brown" not in shown
    at.text_input(key="incident_find").input("o").run()
    options = at.multiselect(key="incident_pick").options
    assert options and all("North" in option for option in options)


def test_nothing_asked_says_what_to_do(monkeypatch, url) -> None:
    at = app(monkeypatch, url, pd.Timestamp(WHEN))
    at.switch_page("pages/incident.py").run()
    assert not at.exception
    assert "Paste staff IDs or find people" in at.info[0].value
