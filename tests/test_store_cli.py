import io

import pandas as pd
import pytest

from compliance.cli import main
from compliance.store import Store
from tests.conftest import REQUIREMENTS_YAML


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
    code, out, _ = run("status", "--db", store_url, "--as-of", "2025-01-01", "--out", "-")
    status = pd.read_csv(io.StringIO(out), dtype=str)
    assert code == 0
    mi = status[status["course"] == "Managing Information"].set_index("person_id")["status"]
    assert mi.to_dict() == {"101": "compliant", "102": "overdue"}


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (("undo", "42"), 1, "There is no import 42"),
        (("import", "--kind", "roster", "{bad}"), 1, "bad.csv"),
        (("import", "--kind", "payroll", "x.csv"), 2, ""),
        (("import", "--kind", "roster", "{bad}", "--map", "nonsense"), 2, "--map"),
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


def test_demo_if_empty_loads_once(run, store_url):
    code, out, _ = run("demo", "--if-empty", "--db", store_url)
    assert code == 0 and "Imported hr_roster.xlsx" in out
    counts = len(Store.open(store_url).imports())
    code, out, _ = run("demo", "--if-empty", "--db", store_url)
    assert code == 0 and "already has imports" in out
    assert len(Store.open(store_url).imports()) == counts == 7
