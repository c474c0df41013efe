"""The Data quality page: findings with their file and row, and adding an alias."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from compliance.store import Store
from tests.pages import demo_url, open_page, plain, small_store, values
from tests.test_pages_imports import status_of


@pytest.fixture
def url(tmp_path: Path) -> str:
    return small_store(tmp_path)


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch, url: str) -> AppTest:
    return open_page(monkeypatch, url, "pages/data_quality.py")


def count(at: AppTest, title: str) -> int:
    """The count in the tab label ``title (n)``."""
    label = next(t.label for t in at.tabs if t.label.startswith(f"{title} ("))
    return int(label.rsplit("(", 1)[1].rstrip(")"))


def test_findings_name_file_and_row(page: AppTest):
    assert not page.exception and not page.error
    assert count(page, "Not on the roster") == 1
    assert count(page, "Unknown courses") == 1
    assert count(page, "Duplicate people") == 0
    unmatched = page.dataframe[0].value
    assert unmatched[["person_id", "source_file", "source_row"]].values.tolist() == [
        ["9999", "lms.csv", 6]
    ]
    unknown = page.dataframe[1].value
    assert unknown[["course", "rows", "source_row"]].values.tolist() == [["Fire Safety", 1, 5]]
    assert "Nothing to fix here." in values(page.success)


def test_add_alias_saves_rules_and_recomputes_statuses(page: AppTest, url: str):
    assert status_of(url, "1004", "Information Security Awareness") == "overdue"
    page.selectbox(key="dq_title").select("Fire Safety").run()
    assert page.button(key="dq_add").disabled
    page.selectbox(key="dq_course").select("Information Security Awareness").run()
    page.button(key="dq_add").click().run()
    assert not page.exception and not page.error
    done = plain(page.success[0].value)
    assert "'Fire Safety' now counts for Information Security Awareness." in done
    rules = Store.open(url).rules()
    assert "Fire Safety" in rules.requirements[1].aliases
    assert status_of(url, "1004", "Information Security Awareness") == "compliant"
    assert count(page, "Unknown courses") == 0


def test_empty_store_says_what_to_upload(monkeypatch, tmp_path: Path):
    at = open_page(monkeypatch, f"sqlite:///{tmp_path / 'e.sqlite'}", "pages/data_quality.py")
    assert not at.exception and not at.error
    assert any("Upload" in i and "roster" in i for i in values(at.info))


def test_demo_store(monkeypatch):
    at = open_page(monkeypatch, demo_url(), "pages/data_quality.py")
    assert not at.exception and not at.error
    assert count(at, "Not on the roster") > 0
    assert count(at, "Unknown courses") > 0
    assert len(at.tabs) == 7


def test_exemptions_that_exempt_nobody(monkeypatch, url: str):
    csv = (
        "Staff ID,Course,From,Until,Reason\n"
        "1004,*,,,leave\n8888,*,,,leave\n1004,Fire Safety,,,x\n"
    )
    Store.open(url).import_file("exemptions", csv.encode(), "exemptions.csv", user="test")
    at = open_page(monkeypatch, url, "pages/data_quality.py")
    assert not at.exception and not at.error
    assert count(at, "Exemptions that exempt nobody") == 2
    found = next(t for t in at.tabs if t.label.startswith("Exemptions")).dataframe[0].value
    assert found[["person_id", "problem", "source_row"]].values.tolist() == [
        ["8888", "person not on the roster", 3],
        ["1004", "course is no requirement", 4],
    ]
