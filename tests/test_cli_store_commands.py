"""The store commands (import, imports, undo, restore, demo) on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re

import pandas as pd
import pytest

from compliance.cli import main
from compliance.cli.store_commands import IMPORT_KINDS, IMPORTS_CSV_COLUMNS
from compliance.store import KINDS, Store
from tests.conftest import REQUIREMENTS_YAML
from tests.exports import read_export


@pytest.fixture
def run(capsys):
    """``run(*argv) -> (exit code, stdout, stderr)``, in-process."""

    def invoke(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


@pytest.fixture
def files(tmp_path):
    roster = tmp_path / "hr.csv"
    roster.write_text(
        "Collar Number,Name,Email,Division,Rank,Staff Type,Start Date\n"
        "101,Ann Lee,ann@force.example,North,Constable,Police Officer,01/02/2020\n"
        "102,Bob Ray,bob@force.example,South,Sergeant,Police Officer,01/03/2021\n"
    )
    completions = tmp_path / "lms.csv"
    completions.write_text(
        "Collar Number,Course,Completion Date\n101,Managing Information,10/01/2024\n"
    )
    rules = tmp_path / "rules.yaml"
    rules.write_bytes(REQUIREMENTS_YAML)
    return roster, completions, rules


def test_import_list_undo_restore(run, store_url, files):
    roster, completions, rules = files
    assert run("import", "--kind", "requirements", str(rules), "--db", store_url)[0] == 0
    code, out, _ = run(
        "import",
        "--kind",
        "roster",
        str(roster),
        "--as-at",
        "2024-01-01",
        "--db",
        store_url,
        "--user",
        "ann",
    )
    assert (code, out) == (0, "Imported hr.csv as import 2: 2 people\n")
    assert run("import", "--kind", "completions", str(completions), "--db", store_url)[0] == 0
    code, out, _ = run("import", "--kind", "roster", str(roster), "--db", store_url)
    assert code == 0 and "Already imported as import 2" in out
    code, out, _ = run("imports", "--db", store_url)
    listing = pd.read_csv(io.StringIO(out))
    assert listing.columns.tolist() == ["id", "kind", "file", "rows", "sha256", "by", "at", "state"]
    assert listing["kind"].tolist() == ["requirements", "roster", "completions"]
    assert listing.loc[1, "by"] == "ann"
    assert run("undo", "3", "--db", store_url)[0] == 0
    assert Store.open(store_url).completions().empty
    assert run("restore", "3", "--db", store_url)[0] == 0
    assert len(Store.open(store_url).completions()) == 1


def test_status_reads_the_store(run, store_url, files):
    roster, completions, rules = files
    run("import", "--kind", "requirements", str(rules), "--db", store_url)
    run("import", "--kind", "roster", str(roster), "--as-at", "2024-01-01", "--db", store_url)
    run("import", "--kind", "completions", str(completions), "--db", store_url)
    argv = ("status", "--db", store_url, "--as-of", "2025-01-01", "--out", "-")
    code, out, err = run(*argv)
    assert (code, out) == (2, "")
    assert "a list of people from the store is personal data: give --purpose TEXT" in err
    assert run(*argv, "--purpose", "x.")[0] == 2
    code, out, _ = run(*argv, "--purpose", "Case PSD/2026/0142", "--user", "ann")
    status = pd.read_csv(io.StringIO(out), dtype=str)
    assert code == 0
    mi = status[status["course"] == "Managing Information"].set_index("person_id")["status"]
    assert mi.to_dict() == {"101": "compliant", "102": "overdue"}
    entry = Store.open(store_url).audit_log().iloc[-1]
    assert (entry["user"], entry["action"], entry["purpose"]) == (
        "ann", "export", "Case PSD/2026/0142"
    )
    assert entry["sha256"] == hashlib.sha256(out.encode("utf-8")).hexdigest()
    assert entry["rows"] == len(status)
    assert entry["detail"] == "status table as of 2025-01-01 (command line) to -"


@pytest.mark.parametrize(
    ("command", "title", "headers"),
    [
        ("status", "Status table", ["ID", "Name", "Unit", "Course", "Status", "Last completed",
                                    "Due date", "Days overdue"]),
        ("overdue", "Overdue list", ["ID", "Name", "Unit", "Course", "Status", "Last completed",
                                     "Due date", "Days overdue", "Role", "Email", "Manager"]),
    ],
)
def test_an_xlsx_from_the_store_has_the_header_block(
    run, store_url, files, tmp_path, monkeypatch, command, title, headers
):
    """CSV keeps DESIGN's column names and ISO dates; the XLSX a person opens has the
    headers on screen, the header block and dd/mm/yyyy date cells."""
    monkeypatch.setenv("COMPLIANCE_HANDLING_MARKING", "OFFICIAL")
    roster, completions, rules = files
    run("import", "--kind", "requirements", str(rules), "--db", store_url)
    run("import", "--kind", "roster", str(roster), "--as-at", "2024-01-01", "--db", store_url)
    run("import", "--kind", "completions", str(completions), "--db", store_url)
    out = tmp_path / f"{command}.xlsx"
    argv = (command, "--db", store_url, "--as-of", "2025-01-01", "--purpose",
            "Case PSD/2026/0142", "--user", "ann")
    assert run(*argv, "--out", str(out))[0] == 0
    read = read_export(out.read_bytes())
    assert read.block == {
        "Marking": "OFFICIAL", "Title": title, "As of": dt.datetime(2025, 1, 1),
        "Filters": "all units (command line)", "Purpose": "Case PSD/2026/0142",
        "Exported by": "ann (command line)",
    }
    assert list(read.table.columns)[: len(headers)] == headers
    entry = Store.open(store_url).audit_log().iloc[-1]
    assert entry["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    code, text, _ = run(*argv, "--out", "-")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert code == 0 and list(rows[0])[:2] == ["person_id", "name"]
    due = read.table["Due date"].dropna().tolist()
    assert [f"{d:%Y-%m-%d}" for d in due] == [r["due_date"] for r in rows if r["due_date"]]
    assert due and all(isinstance(d, dt.datetime) for d in due), due
    first = read.table["Due date"].notna().to_numpy().nonzero()[0][0]
    column = headers.index("Due date") + 1
    assert read.sheet.cell(row=read.header_row + 1 + first, column=column).number_format == (
        "dd/mm/yyyy"
    )


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (("undo", "42"), 1, "There is no import 42"),
        (("import", "--kind", "roster", "{bad}"), 1, "bad.csv"),
    ],
)
def test_errors_exit_with_one_line(run, store_url, tmp_path, argv, code, message):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02\x03")
    argv = [part.replace("{bad}", str(bad)) for part in argv]
    result, _, err = run(*argv, "--db", store_url)
    assert result == code
    assert message in err
    assert "Traceback" not in err
    assert err.startswith("error: ") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("import", "--kind", "payroll", "x.csv"),
         "python -m compliance import: error: argument --kind: invalid choice: 'payroll' "
         "(choose from 'roster', 'completions', 'exemptions', 'requirements')"),
        (("import", "--kind", "roster", "x.csv", "--as-at", "1/1/2024"),
         "python -m compliance import: error: argument --as-at: '1/1/2024' is not a date: "
         "use YYYY-MM-DD"),
        (("restore", "three"),
         "python -m compliance restore: error: argument IMPORT_ID: invalid int value: 'three'"),
    ],
)
def test_usage_errors_exit_2_with_the_exact_message(run, argv, message):
    code, out, err = run(*argv, "--db", "sqlite://")
    assert (code, out) == (2, "")
    assert err.startswith("usage: python -m compliance")
    assert err.splitlines()[-1] == message


def test_a_bad_map_exits_2_before_the_store_is_opened(run, tmp_path):
    db = tmp_path / "never.sqlite"
    code, out, err = run("import", "--kind", "roster", "x.csv", "--map", "nonsense",
                         "--db", f"sqlite:///{db}")
    assert (code, out) == (2, "")
    assert err == (
        "python -m compliance import: error: --map 'nonsense': write it as "
        "\"Source header=field\"\n"
    )
    assert not db.exists()


def test_demo_if_empty_loads_once(run, store_url):
    code, out, _ = run("demo", "--if-empty", "--db", store_url)
    assert code == 0 and "Imported hr_roster.xlsx" in out
    counts = len(Store.open(store_url).imports())
    code, out, _ = run("demo", "--if-empty", "--db", store_url)
    assert code == 0 and "already has imports" in out
    assert len(Store.open(store_url).imports()) == counts == 7


DEMO_ACCOUNT_LINE = re.compile(r"^demo account (demo-\w+) password (\S{20,}) role (\w+)$", re.M)


def test_demo_prints_an_account_per_role_then_remove_withdraws_and_disables(run, store_url,
                                                                             files):
    code, out, _ = run("demo", "--db", store_url)
    assert code == 0
    accounts = DEMO_ACCOUNT_LINE.findall(out)
    assert [(name, role) for name, _, role in accounts] == [
        ("demo-admin", "admin"), ("demo-manager", "manager"), ("demo-viewer", "viewer"),
        ("demo-auditor", "auditor"),
    ]
    lines = out.splitlines()
    viewer = next(n for n, line in enumerate(lines) if line.startswith("demo account demo-viewer"))
    assert lines[viewer + 1] == "units North Division"
    store = Store.open(store_url)
    assert store.imports()["state"].tolist() == ["active"] * 7 and store.demo_active()

    code, _, err = run("import", "--kind", "roster", str(files[0]), "--db", store_url)
    assert code == 1
    assert "the demo force is loaded" in err and "python -m compliance demo --remove" in err
    assert len(store.imports()) == 7

    code, out, _ = run("demo", "--remove", "--db", store_url, "--user", "tm")
    assert code == 0
    assert out.strip() == ("Removed the demo force: withdrew 7 demo imports (kept, marked "
                           "withdrawn) and disabled 4 demo accounts")
    assert store.imports()["state"].tolist() == ["withdrawn"] * 7
    assert store.accounts.listing()["state"].tolist() == ["disabled"] * 4
    assert run("import", "--kind", "roster", str(files[0]), "--db", store_url)[0] == 0
    code, out, _ = run("demo", "--remove", "--db", store_url)
    assert (code, out.strip()) == (0, "No demo force is loaded: nothing to remove")


FORMULA_NAME = '=HYPERLINK("evil.example","Click me").csv'


def test_imports_csv_cannot_run_a_file_name_as_a_formula(run, store_url, tmp_path):
    hostile = tmp_path / FORMULA_NAME
    hostile.write_text("Collar Number,Name\n101,Ann Lee\n")
    code, _, err = run("import", "--kind", "roster", str(hostile), "--db", store_url,
                       "--user", "@mallory", "--as-at", "2024-01-01")
    assert code == 0, err
    code, out, _ = run("imports", "--db", store_url)
    assert code == 0
    assert not out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == list(IMPORTS_CSV_COLUMNS)
    (row,) = rows[1:]
    digest = hashlib.sha256(hostile.read_bytes()).hexdigest()
    assert row[:6] == ["1", "roster", "'" + FORMULA_NAME, "1", digest, "'@mallory"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", row[6])
    assert row[7] == "active"


def test_imports_of_an_empty_store_is_the_header(run, store_url):
    assert run("imports", "--db", store_url) == (0, ",".join(IMPORTS_CSV_COLUMNS) + "\r\n", "")


def test_import_kinds_are_the_stores():
    assert IMPORT_KINDS == KINDS
