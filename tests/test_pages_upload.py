"""The Upload page, driven through the dashboard with real generated workbook bytes."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import subprocess
import sys
import weakref
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from compliance import allocator
from compliance.store import Store
from loaders.workbook import Workbook
from pages import _uploads
from tests.conftest import REQUIREMENTS_YAML
from tests.filemaker import csv_bytes, xlsx_bytes
from tests.hostile import cfb_bytes, password_protected_xlsx
from tests.pages import (
    AS_OF,
    COMPLETIONS,
    PEOPLE,
    ROSTER_HEADER,
    completions_csv,
    key,
    open_page,
    plain,
    roster_xlsx,
    small_store,
    values,
)


@pytest.fixture
def empty_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'empty.sqlite'}"


@pytest.fixture
def upload(monkeypatch: pytest.MonkeyPatch, empty_url: str) -> AppTest:
    return open_page(monkeypatch, empty_url, "pages/upload.py")


def test_empty_page_says_what_to_upload(upload: AppTest):
    assert not upload.exception
    assert "roster" in upload.info[0].value and "requirements" in upload.info[0].value


def test_upload_rules_roster_and_completions_then_summary(upload: AppTest, empty_url: str):
    roster, lms = roster_xlsx(), completions_csv()
    uploader = upload.file_uploader[0]
    uploader.upload("requirements.yaml", REQUIREMENTS_YAML)
    uploader.upload("hr.xlsx", roster)
    uploader.upload("lms.csv", lms)
    upload.run()
    assert not upload.exception and not upload.error
    assert upload.selectbox(key=f"kind_{key(roster)}").value == "roster"
    assert upload.selectbox(key=f"kind_{key(lms)}").value == "completions"
    assert upload.selectbox(key=f"map_{key(lms)}_completions_Payroll Number").value == "person_id"
    assert any("header on row **3**" in m for m in values(upload.markdown))
    preview = next(d.value for d in upload.dataframe if "person_id" in d.value)
    assert preview["person_id"].tolist()[:2] == ["1001", "1002"]
    upload.date_input(key=f"asat_{key(roster)}").set_value(dt.date(2025, 1, 1))
    upload.button(key="import").click().run()
    assert not upload.exception and not upload.error
    shown = "\n".join(values(upload.success) + values(upload.markdown))
    assert "People added: 6; people left: 0." in shown
    assert "Completions new: 5; already known: 0." in shown
    store = Store.open(empty_url)
    imports = store.imports()
    assert imports["kind"].tolist() == ["requirements", "roster", "completions"]
    assert imports["effective_on"].iloc[1] == pd.Timestamp("2025-01-01")
    assert sorted(store.completions()["person_id"]) == ["1001", "1002", "1003", "1004", "9999"]
    assert not upload.file_uploader[0].value
    upload.button(key="dismiss_summary").click().run()
    assert "People added" not in "\n".join(values(upload.markdown))


def test_corrected_mapping_is_used_and_remembered(monkeypatch, tmp_path: Path):
    url = small_store(tmp_path)
    upload = open_page(monkeypatch, url, "pages/upload.py")
    first = csv_bytes([["Ref", "Course", "Completion Date"], ["1001", "Managing Information",
                                                              "14/02/2024"]])
    upload.file_uploader[0].upload("export.csv", first).run()
    assert any("no ID column" in e for e in values(upload.error))
    assert upload.button(key="import").disabled
    upload.selectbox(key=f"map_{key(first)}_completions_Ref").select("person_id").run()
    assert not upload.error
    upload.button(key="import").click().run()
    assert not upload.exception
    assert "Completions new: 0; already known: 1." in "\n".join(values(upload.markdown))

    second = csv_bytes([["ref", "COURSE", "Completion Date"], ["1002", "Managing Information",
                                                               "15/02/2024"]])
    upload.file_uploader[0].upload("export2.csv", second).run()
    assert upload.selectbox(key=f"map_{key(second)}_completions_ref").value == "person_id"
    assert not upload.error
    upload.button(key="import").click().run()
    assert "Completions new: 1; already known: 0." in "\n".join(values(upload.markdown))
    files = Store.open(url).imports()["file"].tolist()
    assert files[-2:] == ["export.csv", "export2.csv"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"%PDF-1.7\n" + b"x" * 200, "PDF"),
        (b"", "empty"),
        (cfb_bytes(["EncryptionInfo", "EncryptedPackage"]), "password"),
        (password_protected_xlsx(), "password-protected"),
        (b"just some words\r\nand more words\r\n", "no header row"),
    ],
)
def test_unusable_file_gives_one_line_and_imports_nothing(
    upload: AppTest, empty_url: str, content: bytes, reason: str
):
    upload.file_uploader[0].upload("report.xlsx", content).run()
    assert not upload.exception
    assert len(upload.error) == 1 and "\n" not in plain(upload.error[0].value)
    assert "report.xlsx" in plain(upload.error[0].value) and reason in plain(upload.error[0].value)
    assert upload.button(key="import").disabled
    assert Store.open(empty_url).imports().empty


@pytest.fixture
def one_megabyte_limit():
    before = config.get_option("server.maxUploadSize")
    config.set_option("server.maxUploadSize", 1)
    yield
    config.set_option("server.maxUploadSize", before)


@pytest.mark.usefixtures("one_megabyte_limit")
def test_oversized_file_refused_before_parsing(monkeypatch: pytest.MonkeyPatch, empty_url: str):
    at = open_page(monkeypatch, empty_url, "pages/upload.py")
    at.file_uploader[0].upload("big.csv", b"Collar No,Name\n" + b"1,A\n" * 400_000).run()
    assert [e for e in values(at.error) if "over the 1 MB limit" in e]
    assert at.button(key="import").disabled


def test_rows_with_problems_need_confirmation(upload: AppTest, empty_url: str):
    lms = completions_csv([*COMPLETIONS, ("1005", "Managing Information", "31/02/2024")])
    upload.file_uploader[0].upload("lms.csv", lms).run()
    assert upload.warning and "1 error." in plain(upload.warning[0].value)
    assert upload.button(key="import").disabled
    problems = upload.dataframe[-1].value
    assert problems["row"].tolist() == [7]
    assert upload.get("download_button")
    upload.checkbox(key=f"confirm_{key(lms)}").check().run()
    upload.button(key="import").click().run()
    assert len(Store.open(empty_url).completions()) == 5


def test_per_course_export_asks_for_the_course(monkeypatch, tmp_path: Path):
    url = small_store(tmp_path)
    at = open_page(monkeypatch, url, "pages/upload.py")
    data = csv_bytes([["Staff Number", "Completed On"], ["1005", "02/06/2024"]])
    at.file_uploader[0].upload("export.csv", data).run()
    assert at.button(key="import").disabled
    at.selectbox(key=f"course_{key(data)}").select("Information Security Awareness").run()
    assert not at.error
    at.button(key="import").click().run()
    stored = Store.open(url).completions()
    row = stored[stored["person_id"] == "1005"]
    assert row["course"].tolist() == ["Information Security Awareness"]


def test_wide_layout_and_status_changes(monkeypatch, tmp_path: Path):
    url = small_store(tmp_path)
    at = open_page(monkeypatch, url, "pages/upload.py")
    wide = xlsx_bytes(
        {
            "Matrix": [
                ["Training matrix"],
                ["Collar Number", "Name", "Information Security Awareness"],
                [1004, "Dev Patel", dt.date.today() - dt.timedelta(days=30)],
                [1005, "Eve Smith", "N/A"],
            ]
        }
    )
    at.file_uploader[0].upload("matrix.xlsx", wide).run()
    assert any("layout **wide**" in m for m in values(at.markdown))
    at.button(key="import").click().run()
    shown = "\n".join(values(at.markdown))
    assert "Completions new: 1; already known: 0." in shown
    assert "Statuses changed: 1 (person, course) pairs." in shown


def test_demo_files_import_through_the_page(upload: AppTest, empty_url: str):
    root = Path(__file__).resolve().parents[1] / "data"
    files = [root / "requirements.yaml", *sorted((root / "demo").iterdir())]
    for path in files:
        upload.file_uploader[0].upload(path.name, path.read_bytes())
    upload.run()
    assert not upload.exception and not upload.error
    assert upload.button(key="import").label == f"Import {len(files)} files"
    upload.button(key="import").click().run()
    assert not upload.exception and not upload.error
    imports = Store.open(empty_url).imports()
    assert imports["kind"].tolist()[:2] == ["requirements", "roster"]
    assert sorted(imports["file"]) == sorted(p.name for p in files)
    per_course = imports.set_index("file").loc["completion-managing_information (1).csv"]
    assert per_course["rows"] > 0


def test_completions_before_any_roster(upload: AppTest, empty_url: str):
    upload.file_uploader[0].upload("lms.csv", completions_csv()).run()
    upload.button(key="import").click().run()
    assert not upload.exception and not upload.error
    assert "Completions new: 5; already known: 0." in "\n".join(values(upload.markdown))
    assert len(Store.open(empty_url).completions()) == 5


def test_sheet_choice_lists_visible_sheets_only(upload: AppTest):
    roster_rows = [ROSTER_HEADER, [1001, "Lee", "Ann", "North", "Response", "Constable",
                                   "Police Officer", dt.date(2015, 3, 1), None, "a@force.uk"]]
    data = xlsx_bytes(
        {"Notes": [["Exported by HR"]], "Staff": roster_rows, "Salary": [["Collar No", "Pay"]]},
        hidden={"Salary": "hidden"},
    )
    upload.file_uploader[0].upload("hr.xlsx", data).run()
    sheet = upload.selectbox(key=f"sheet_{key(data)}")
    assert sheet.options == ["Notes", "Staff"]
    assert sheet.value == "Staff"
    assert "Hidden sheet not read: Salary" in values(upload.caption)
    sheet.select("Notes").run()
    assert any("no header row" in e for e in values(upload.error))
    assert upload.button(key="import").disabled


def test_same_bytes_again_change_nothing(monkeypatch, tmp_path: Path):
    url = small_store(tmp_path)
    at = open_page(monkeypatch, url, "pages/upload.py")
    at.file_uploader[0].upload("lms-again.csv", completions_csv()).run()
    at.button(key="import").click().run()
    assert not at.exception and not at.error
    assert any("Already imported as import 3" in i for i in values(at.info))
    assert "No status changed." in "\n".join(values(at.markdown))
    assert len(Store.open(url).imports()) == 3


def roster_below_a_summary(people=PEOPLE) -> bytes:
    """An HR export whose summary block (row 2) looks more like a roster header than the
    staff list's own short header (row 5): detection picks the summary."""
    rows = [
        ["Northshire Police - Establishment report"],
        ["Division", "Team", "Rank", "Staff Type"],
        ["North", "Response", "Constable", "Police Officer"],
        [],
        ["Collar No", "Name", "Division"],
        *[[int(pid), f"{forename} {surname}", division]
          for pid, surname, forename, division, *_ in people],
    ]
    return xlsx_bytes({"Establishment": rows})


def test_user_sets_the_header_row_and_imports_the_right_rows(upload: AppTest, empty_url: str):
    data = roster_below_a_summary()
    upload.file_uploader[0].upload("hr.xlsx", data).run()
    header = upload.number_input(key=f"header_{key(data)}_roster_Establishment")
    assert header.value == 2
    assert any("no ID column" in e for e in values(upload.error))
    assert upload.selectbox(key=f"map_{key(data)}_roster_Rank").value == "role"
    assert upload.button(key="import").disabled

    header.set_value(5).run()
    assert not upload.exception and not upload.error
    assert any("header on row **5**" in m for m in values(upload.markdown))
    assert upload.selectbox(key=f"map_{key(data)}_roster_Collar No").value == "person_id"
    assert upload.selectbox(key=f"map_{key(data)}_roster_Name").value == "name"
    preview = upload.dataframe[0].value
    assert preview["person_id"].tolist() == [pid for pid, *_ in PEOPLE]
    assert preview["source_row"].tolist() == list(range(6, 6 + len(PEOPLE)))

    upload.date_input(key=f"asat_{key(data)}").set_value(dt.date(2025, 1, 1))
    upload.button(key="import").click().run()
    assert not upload.exception and not upload.error
    assert "People added: 6; people left: 0." in "\n".join(values(upload.markdown))
    roster = Store.open(empty_url).roster(AS_OF)
    assert sorted(roster["person_id"]) == [pid for pid, *_ in PEOPLE]
    assert "Ann Lee" in roster["name"].tolist()


def test_header_row_out_of_range_or_not_a_header_is_one_line(upload: AppTest):
    data = roster_below_a_summary()
    upload.file_uploader[0].upload("hr.xlsx", data).run()
    header = f"header_{key(data)}_roster_Establishment"
    upload.number_input(key=header).set_value(40).run()
    assert not upload.exception
    assert [plain(e.value) for e in upload.error] == [
        "hr.xlsx: sheet 'Establishment' has no row 40: choose a header row from 1 to 11"
    ]
    upload.number_input(key=header).set_value(1).run()
    assert len(upload.error) == 1 and "row 1 of sheet 'Establishment' is not a header row" in (
        plain(upload.error[0].value)
    )
    assert upload.button(key="import").disabled


def test_changing_the_sheet_resets_the_header_row(upload: AppTest):
    staff = [["Staff list"], [], [], ["Collar No", "Name"], [1001, "Ann Lee"]]
    data = xlsx_bytes({"Summary": [["Collar No", "Name", "Division"], [1, "A", "N"]],
                       "Staff": staff})
    upload.file_uploader[0].upload("hr.xlsx", data).run()
    assert upload.number_input(key=f"header_{key(data)}_roster_Summary").value == 1
    upload.number_input(key=f"header_{key(data)}_roster_Summary").set_value(2).run()
    upload.selectbox(key=f"sheet_{key(data)}").select("Staff").run()
    assert upload.number_input(key=f"header_{key(data)}_roster_Staff").value == 4
    assert any("header on row **4**" in m for m in values(upload.markdown))
    upload.selectbox(key=f"sheet_{key(data)}").select("Summary").run()
    assert upload.number_input(key=f"header_{key(data)}_roster_Summary").value == 1
    assert not upload.error


ROLE_RULES = b"""\
requirements:
  - course: Managing Information
    renewal_months: 36
  - course: Taser
    applies_to:
      role: [Constable]
      staff_type: [officer]
"""


def test_rank_grade_and_employee_group_are_recognised(upload: AppTest):
    data = csv_bytes([["Employee No", "Full Name", "Rank/Grade", "Employee Group", "Command"],
                      ["009917", "Ann Lee", "Constable", "Police Officer", "North"]])
    upload.file_uploader[0].upload("hr.csv", data).run()
    assert upload.selectbox(key=f"map_{key(data)}_roster_Rank/Grade").value == "role"
    assert upload.selectbox(key=f"map_{key(data)}_roster_Employee Group").value == "staff_type"
    assert upload.dataframe[0].value["staff_type"].tolist() == ["officer"]


def test_a_suggested_column_is_offered_marked_and_a_missing_one_named(upload: AppTest):
    upload.file_uploader[0].upload("rules.yaml", ROLE_RULES)
    data = csv_bytes([["Collar No", "Name", "Grade (current)", "Staff Type"],
                      ["101", "Ann Lee", "Constable", "Police Officer"]])
    upload.file_uploader[0].upload("hr.csv", data).run()
    box = upload.selectbox(key=f"map_{key(data)}_roster_Grade (current)")
    assert box.value == "role" and box.label.endswith("(suggested - check)")
    assert not [w for w in values(upload.warning) if "rank or role" in w]
    preview = next(d.value for d in upload.dataframe if "role" in d.value)
    assert preview["role"].tolist() == ["Constable"]
    box.select("ignore").run()
    warning = next(w for w in values(upload.warning) if "rank or role" in w)
    assert warning.startswith("No column is used as rank or role, but Taser depends on it")


def test_problems_come_by_reason_with_other_courses_folded(monkeypatch, tmp_path: Path):
    url = small_store(tmp_path)
    at = open_page(monkeypatch, url, "pages/upload.py")
    future = (dt.date.today() + dt.timedelta(days=40)).strftime("%d/%m/%Y")
    rows = [("1001", f"Unrelated course {n % 40}", "14/02/2024") for n in range(300)]
    rows += [("1002", "Managing Information", future), ("1003", "Managing Information", future)]
    data = completions_csv(rows)
    at.file_uploader[0].upload("lms.csv", data).run()
    assert not at.exception
    grouped = at.dataframe[1].value
    assert grouped["reason"].tolist() == ["completion date is in the future"]
    assert grouped["rows"].tolist() == [2] and grouped["first_rows"].tolist() == ["302, 303"]
    folded = next(e for e in at.expander if e.label.startswith("Courses no requirement"))
    assert folded.label.startswith("Courses no requirement asks for: 300 rows, 40 titles")
    titles = at.dataframe[2].value
    assert titles["rows"].sum() == 300 and len(titles) == 40
    assert len(at.dataframe[3].value) == 302
    assert at.download_button(key=f"problems_{key(data)}").disabled


def test_a_requirements_upload_shows_what_would_change_before_importing(
    monkeypatch, tmp_path: Path
):
    url = small_store(tmp_path)
    at = open_page(monkeypatch, url, "pages/upload.py")
    changed = REQUIREMENTS_YAML.replace(b"renewal_months: 12", b"renewal_months: 24")
    at.file_uploader[0].upload("rules-v2.yaml", changed).run()
    assert not at.exception
    changes = at.dataframe[0].value
    assert changes.values.tolist() == [
        ["Information Security Awareness", "Renew, months", "12", "24"]
    ]
    assert "**Changed requirements:** Information Security Awareness." in values(at.markdown)
    assert len(Store.open(url).imports()) == 3


def test_the_demo_must_be_removed_before_a_real_file_and_removing_is_one_click(
    monkeypatch, tmp_path: Path
):
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    subprocess.run([sys.executable, "-m", "compliance", "demo", "--db", url], check=True,
                   capture_output=True, cwd=Path(__file__).resolve().parents[1])
    at = open_page(monkeypatch, url, "pages/upload.py")
    assert "The demo force is loaded" in values(at.warning)[1]
    assert not at.file_uploader
    at.button(key="remove_demo").click().run()
    assert not at.exception
    assert values(at.success)[0].startswith("Removed the demo force: withdrew 7 demo imports")
    store = Store.open(url)
    assert set(store.imports()["state"]) == {"withdrawn"}
    assert store.accounts.demo_accounts().empty
    assert at.file_uploader and not [w for w in values(at.warning) if "Demo data" in w]


def test_the_upload_size_setting_caps_the_page(monkeypatch: pytest.MonkeyPatch, empty_url: str):
    """COMPLIANCE_MAX_UPLOAD_MB below the server's own limit is the page's cap."""
    monkeypatch.setenv("COMPLIANCE_MAX_UPLOAD_MB", "1")
    at = open_page(monkeypatch, empty_url, "pages/upload.py")
    at.file_uploader[0].upload("big.csv", b"Collar No,Name\n" + b"1,A\n" * 400_000).run()
    assert [e for e in values(at.error) if "over the 1 MB limit" in e]
    assert at.button(key="import").disabled


def test_each_upload_is_hashed_once_per_run(upload: AppTest, monkeypatch: pytest.MonkeyPatch):
    lms = completions_csv()
    dates = f"dates_{key(lms)}"
    hashed: list[int] = []
    real = hashlib.sha256

    def counting(data: bytes = b"", **kwargs: object):
        if data == lms:
            hashed.append(1)
        return real(data, **kwargs)

    monkeypatch.setattr(hashlib, "sha256", counting)
    upload.file_uploader[0].upload("lms.csv", lms).run()
    assert not upload.exception and len(hashed) == 1
    upload.selectbox(key=dates).select("Month first (08/26/2024)").run()
    assert not upload.exception and len(hashed) == 2


def test_a_new_choice_replaces_the_previous_load(upload: AppTest):
    lms = completions_csv()
    upload.file_uploader[0].upload("lms.csv", lms).run()
    entry = upload.session_state[_uploads.MEMO][key(lms)]
    first = weakref.ref(entry.inspection[1])
    upload.selectbox(key=f"dates_{key(lms)}").select("Month first (08/26/2024)").run()
    assert not upload.exception
    (choices, _), inspection = entry.inspection
    assert choices.month_first is True
    gc.collect()
    assert first() is None and inspection.result.report.date_order
    assert list(upload.session_state[_uploads.MEMO]) == [key(lms)]


def test_file_cards_are_drawn_handing_back_large_blocks(upload: AppTest, monkeypatch):
    entered: list[int] = []

    @contextmanager
    def counting():
        entered.append(1)
        yield

    monkeypatch.setattr(allocator, "large_blocks_returned", counting)
    upload.file_uploader[0].upload("lms.csv", completions_csv()).run()
    assert not upload.exception and len(entered) == 1  # around the cards: read, load, show


def test_a_loaded_sheet_gives_its_mapped_pages_back(upload: AppTest, monkeypatch):
    released: list[str] = []
    monkeypatch.setattr(Workbook, "release_pages", lambda book: released.append(book.file))
    upload.file_uploader[0].upload("lms.csv", completions_csv()).run()
    assert not upload.exception and released == ["lms.csv"]
    upload.selectbox(key=f"dates_{key(completions_csv())}").select(
        "Month first (08/26/2024)"
    ).run()
    assert not upload.exception and released == ["lms.csv", "lms.csv"]


def test_loads_take_turns_across_sessions(upload: AppTest, monkeypatch):
    """While a load runs, no other session's load can start (the semaphore is held)."""
    held: list[bool] = []
    real = _uploads.inspect

    def probing(*args: object, **kwargs: object):
        held.append(not _uploads.LOADS_AT_ONCE.acquire(blocking=False))
        return real(*args, **kwargs)

    monkeypatch.setattr(_uploads, "inspect", probing)
    upload.file_uploader[0].upload("lms.csv", completions_csv()).run()
    assert not upload.exception and held == [True]
    assert _uploads.LOADS_AT_ONCE.acquire(blocking=False)
    _uploads.LOADS_AT_ONCE.release()
