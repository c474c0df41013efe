"""Person page: look someone up, see the engine's statuses and completions, and check a date."""

from __future__ import annotations

import hashlib
import uuid

import pandas as pd
import pytest

from compliance.store import Store
from tests.evidence_store import sqlite_copy
from tests.pages import DEMO_AS_OF, app, capture_downloads, demo_url, engine_status, plain

WHEN = pd.Timestamp("2025-06-15")
ANSWERS = {"compliant": "trained", "expiring": "trained", "pending": "not yet due",
           "overdue": "not trained", "exempt": "exempt"}


def _someone() -> pd.Series:
    """An officer on the demo roster with a completion that counted on ``WHEN``."""
    status = engine_status(demo_url(), WHEN)
    done = status[status["status"].isin(["compliant", "expiring"])]
    return done.sort_values("person_id").iloc[0]


def test_lookup_status_history_and_point_in_time(monkeypatch: pytest.MonkeyPatch) -> None:
    files = capture_downloads(monkeypatch)
    person = _someone()
    at = app(monkeypatch, demo_url())
    at.switch_page("pages/person.py").run()
    assert "Type an ID" in at.info[0].value

    surname = str(person["name"]).split()[-1]
    at.text_input(key="person_query").input(surname.upper()[:-1]).run()
    assert not at.exception
    pick = at.selectbox(key="person_pick")
    label = f"{person['name']} ({person['person_id']}) - {person['unit']}"
    assert pick.options.count(label) == 1
    at.selectbox(key="person_pick").set_value(person["person_id"]).run()

    now = engine_status(demo_url(), DEMO_AS_OF)
    mine = now[now["person_id"] == person["person_id"]]
    shown = at.dataframe[0].value
    statuses = shown["status"].str.split().str[-1]  # after the status mark
    assert dict(zip(shown["course"], statuses, strict=True)) == dict(
        zip(mine["course"], mine["status"].astype(str), strict=True)
    )
    history = at.dataframe[1].value
    assert history["source_file"].notna().all() and history["source_row"].notna().all()

    at.date_input(key="person_when").set_value(WHEN.date()).run()
    then = engine_status(demo_url(), WHEN)
    then = then[then["person_id"] == person["person_id"]]
    text = at.code[0].value
    assert text.startswith("DEMO Incident check: training on 15 Jun 2025")
    for _, row in then.iterrows():
        answer = ANSWERS[str(row["status"])]
        assert f"- {row['course']}: {answer} ({row['status']}) on 15 Jun 2025." in text
    deciding = then[then["course"] == person["course"]].iloc[0]
    assert f"{deciding['evidence_file']} row {int(deciding['evidence_row'])}; import " in text
    for warning in at.warning[1:]:  # after the demo banner: the check's own warnings
        assert f"- {plain(warning.value)}" in text

    assert at.download_button(key="person_report_download").disabled
    reference = f"PSD/2026/{uuid.uuid4().hex[:6]}"
    at.selectbox(key="person_report_reason").set_value("Complaint or misconduct investigation")
    at.text_input(key="person_report_reference").input(reference)
    at.text_input(key="person_report_recipient").input("Professional Standards").run()
    assert not at.download_button(key="person_report_download").disabled
    name = next(n for n in files if n.endswith(f"{WHEN:%Y-%m-%d}.txt"))
    assert name.startswith("DEMO-")
    data = files[name]()
    assert data.decode("utf-8") == text
    log = Store.open(demo_url()).audit_log()
    mine = log[log["purpose"] == f"Complaint or misconduct investigation: {reference}"]
    assert len(mine) == 1
    assert mine["sha256"].tolist() == [hashlib.sha256(data).hexdigest()]


def test_no_match_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, demo_url())
    at.switch_page("pages/person.py").run()
    at.text_input(key="person_query").input("zzzz-nobody").run()
    assert not at.exception
    assert "No one on the roster" in at.warning[1].value


def test_someone_not_on_the_roster_in_force_is_said_to_be_so(monkeypatch, tmp_path) -> None:
    """Found on the roster of 1 Dec 2021, checked on 15 Jun 2022 when the roster in force no
    longer lists them: the screen and the download say so, never "not required"."""
    files = capture_downloads(monkeypatch)
    url = sqlite_copy(tmp_path)
    at = app(monkeypatch, url, pd.Timestamp("2021-12-01"))
    at.switch_page("pages/person.py").run()
    at.text_input(key="person_query").input("Dee").run()
    at.selectbox(key="person_pick").set_value("002222")
    at.date_input(key="person_when").set_value(pd.Timestamp("2022-06-15").date()).run()
    assert not at.exception
    shown = [plain(w.value) for w in at.warning]
    absent = next(w for w in shown if w.startswith("Dee Brown (002222) is not on the roster"))
    assert "staff-2021.csv (import 2) as at 30 Sep 2021" in absent
    text = at.code[0].value
    assert f"- {absent}" in text
    assert "not required" not in text and "No training requirement applied" not in text
    at.selectbox(key="person_report_reason").set_value("Complaint or misconduct investigation")
    at.text_input(key="person_report_reference").input("PSD/2026/0150")
    at.text_input(key="person_report_recipient").input("Professional Standards").run()
    data = files["compliance-002222-2022-06-15.txt"]()
    assert data.decode("utf-8") == text
