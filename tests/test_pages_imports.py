"""The Imports page: history, load reports, withdraw and restore with confirmation."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from compliance import access
from compliance.store import Store
from tests.pages import AS_OF, demo_url, open_page, plain, small_store, values


def status_of(url: str, person_id: str, course: str) -> str:
    store = Store.open(url)
    status = access.fresh_snapshot(store, AS_OF).status
    row = status[(status["person_id"] == person_id) & (status["course"] == course)]
    return str(row["status"].iloc[0])


@pytest.fixture
def url(tmp_path: Path) -> str:
    return small_store(tmp_path)


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch, url: str) -> AppTest:
    return open_page(monkeypatch, url, "pages/imports.py")


def test_empty_store_says_what_to_upload(monkeypatch, tmp_path: Path):
    at = open_page(monkeypatch, f"sqlite:///{tmp_path / 'empty.sqlite'}", "pages/imports.py")
    assert not at.exception
    assert any("No imports yet" in i and "Upload" in i for i in values(at.info))


def test_history_newest_first_with_report(page: AppTest):
    assert not page.exception and not page.error
    history = page.dataframe[0].value
    assert history["id"].tolist() == [3, 2, 1]
    assert history["kind"].tolist() == ["completions", "roster", "requirements"]
    assert set(history["by"]) == {"setup"}
    assert page.selectbox(key="imports_chosen").value == 3
    report = page.code[0].value
    assert "File: lms.csv" in report and "Payroll Number -> person_id" in report
    page.selectbox(key="imports_chosen").select(2).run()
    assert "Header row: 3" in page.code[0].value


def test_withdraw_needs_confirmation_then_restore(page: AppTest, url: str):
    assert status_of(url, "1001", "Managing Information") == "compliant"
    page.button(key="ask_withdraw").click().run()
    assert "Withdraw import #3 (lms.csv)?" in plain(page.warning[0].value)
    assert Store.open(url).imports()["state"].tolist() == ["active"] * 3
    page.button(key="confirm_withdraw").click().run()
    assert not page.exception and not page.error
    assert plain(page.success[0].value) == "Import #3 withdrawn."
    assert Store.open(url).imports()["state"].tolist() == ["active", "active", "withdrawn"]
    assert status_of(url, "1001", "Managing Information") == "overdue"
    assert "withdrawn" in page.dataframe[0].value["state"].tolist()

    page.button(key="ask_restore").click().run()
    page.button(key="confirm_restore").click().run()
    assert plain(page.success[0].value) == "Import #3 restored."
    assert Store.open(url).imports()["state"].tolist() == ["active"] * 3
    assert status_of(url, "1001", "Managing Information") == "compliant"
    log = Store.open(url).audit_log()
    assert log["action"].tolist()[-2:] == ["withdraw", "restore"]


def test_cancel_changes_nothing(page: AppTest, url: str):
    page.button(key="ask_withdraw").click().run()
    page.button(key="cancel_withdraw").click().run()
    assert not page.warning
    assert page.button(key="ask_withdraw")
    assert Store.open(url).imports()["state"].tolist() == ["active"] * 3


def test_demo_store(monkeypatch):
    at = open_page(monkeypatch, demo_url(), "pages/imports.py")
    assert not at.exception and not at.error
    assert len(at.dataframe[0].value) >= 7
    assert at.code and "Usable: yes" in at.code[0].value
