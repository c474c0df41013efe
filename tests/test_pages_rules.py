"""The Rules page: edit the table (edit state seeded as the browser sends it), see the
per-cell messages and the status preview, save a new version, and YAML in and out.

AppTest does not apply cell edits through widgets; a keyed ``st.data_editor`` takes its
edit state (edited_rows, added_rows, deleted_rows) from ``session_state`` before a run,
which is what the browser sends.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from compliance.store import Store
from tests.pages import demo_url, open_page, plain, small_store, values
from tests.test_pages_imports import status_of

EDITOR = "rules_editor_0"


def edit(at: AppTest, edited_rows: dict, added_rows: list | None = None) -> AppTest:
    at.session_state[EDITOR] = {
        "edited_rows": edited_rows,
        "added_rows": added_rows or [],
        "deleted_rows": [],
    }
    return at.run()


@pytest.fixture
def url(tmp_path: Path) -> str:
    return small_store(tmp_path)


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch, url: str) -> AppTest:
    return open_page(monkeypatch, url, "pages/rules.py")


def test_table_shows_the_rules_in_force(page: AppTest):
    assert not page.exception and not page.error
    table = page.data_editor[0].value
    assert table["course"].tolist() == ["Managing Information", "Information Security Awareness"]
    assert table["renewal_months"].tolist() == [36, 12]
    assert "No unsaved changes." in values(page.caption)
    assert not [b for b in page.button if b.key == "save"]


def test_edit_preview_and_save_a_new_version(page: AppTest, url: str):
    assert status_of(url, "1001", "Managing Information") == "compliant"
    edit(page, {0: {"renewal_months": 12}})
    assert not page.exception and not page.error
    shown = "\n".join(values(page.markdown))
    assert "**Changed requirements:** Managing Information." in shown
    assert "**1** (person, course) pairs would change status" in shown
    moves = page.dataframe[-2].value
    assert moves.loc["compliant", "overdue"] == 1
    assert page.dataframe[-1].value.values.tolist() == [["Managing Information", 1]]
    page.button(key="save").click().run()
    assert not page.exception and not page.error
    assert "as import 4" in plain(page.success[0].value)
    store = Store.open(url)
    assert store.rules().requirements[0].renewal_months == 12
    assert store.imports()["kind"].iloc[-1] == "requirements"
    assert status_of(url, "1001", "Managing Information") == "overdue"
    assert page.data_editor[0].value["renewal_months"].tolist() == [12, 12]


@pytest.mark.parametrize(
    ("edited_rows", "added_rows", "message"),
    [
        ({1: {"renewal_months": -1}}, [], "Row 2, Renew, months: -1 is negative"),
        ({0: {"staff_type": ["officer", "wizard"]}}, [],
         "Row 1, Staff types: unknown staff type 'wizard'"),
        ({}, [{"course": "managing information"}],
         "Row 3, Course: this course name is used by two requirements"),
        ({1: {"aliases": ["/info(/"]}}, [], "Row 2, Aliases: invalid regular expression"),
    ],
)
def test_bad_cells_are_named_and_nothing_is_saved(page, url, edited_rows, added_rows, message):
    edit(page, edited_rows, added_rows)
    assert not page.exception
    assert [e for e in values(page.error) if e.startswith(message)]
    assert not [b for b in page.button if b.key == "save"]
    assert len(Store.open(url).imports()) == 3


def test_yaml_download_and_upload(page: AppTest, url: str):
    download = page.get("download_button")[0]
    assert "Download the rules in force" in download.proto.label
    new_yaml = b"requirements:\n  - course: Managing Information\n    renewal_months: 12\n"
    page.file_uploader[0].upload("new-rules.yaml", new_yaml).run()
    assert "**Changed requirements:** Managing Information, Information Security Awareness." in (
        "\n".join(values(page.markdown))
    )
    page.button(key="save_upload").click().run()
    assert not page.exception and not page.error
    store = Store.open(url)
    assert store.rules().courses == ("Managing Information",)
    assert store.imports()["file"].iloc[-1] == "new-rules.yaml"


def test_bad_yaml_upload_gives_one_line(page: AppTest, url: str):
    page.file_uploader[0].upload("bad.yaml", b"requirements:\n  - course: X\n    renewal: 3\n")
    page.run()
    assert not page.exception
    assert "did you mean 'renewal_months'?" in plain(page.error[0].value)
    assert len(Store.open(url).imports()) == 3


def test_empty_store_offers_a_blank_table(monkeypatch, tmp_path: Path):
    at = open_page(monkeypatch, f"sqlite:///{tmp_path / 'empty.sqlite'}", "pages/rules.py")
    assert not at.exception and not at.error
    assert any("No requirements yet" in i for i in values(at.info))
    assert at.data_editor[0].value.empty


def test_demo_store(monkeypatch):
    at = open_page(monkeypatch, demo_url(), "pages/rules.py")
    assert not at.exception and not at.error
    assert "Managing Information" in at.data_editor[0].value["course"].tolist()
    assert "No unsaved changes." in values(at.caption)


def test_people_older_than_a_requirement_get_a_deadline_offered(monkeypatch, tmp_path):
    url = small_store(tmp_path)
    page = open_page(monkeypatch, url, "pages/rules.py")
    hints = [i for i in values(page.info) if "have never done" in i]
    assert hints == [
        "**3** people have never done Managing Information and are overdue by more than its "
        "renewal period (up to 2,375 days): they started before it existed. A deadline gives "
        "everyone until then."
    ]
    page.selectbox(key="deadline_course").set_value("Managing Information")
    page.date_input(key="deadline_date").set_value(dt.date(2026, 3, 31))
    page.button(key="set_deadline").click().run()
    assert not page.exception
    rules = Store.open(url).rules()
    mi = next(r for r in rules.requirements if r.course == "Managing Information")
    assert mi.deadline == dt.date(2026, 3, 31)
    assert not [i for i in values(page.info) if "have never done" in i]
