"""``compliance.cli.main`` and ``python -m compliance``: commands, exit codes, start-up imports.

Usage errors exit 2 with one exact message (argparse's after its usage lines, ours
alone); each command imports only the libraries it needs, checked in a fresh process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from compliance.cli import build_parser
from tests.cli_force import run

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTED_COMMANDS = [
    "status", "summary", "overdue", "check", "import", "imports", "undo", "restore", "demo",
    "users", "audit", "evidence", "report", "serve",
]
STORE_LIBRARIES = {"sqlalchemy", "alembic", "psycopg", "compliance.store"}

# argv, the exact last line of stderr, whether argparse found it (after its usage lines)
USAGE_ERRORS = {
    "no command": (
        [], "python -m compliance: error: the following arguments are required: COMMAND", True,
    ),
    "no out": (
        ["status", "--roster", "r.xlsx", "--completions", "c.csv"],
        "python -m compliance status: error: the following arguments are required: --out",
        True,
    ),
    "bad date": (
        ["status", "--as-of", "30/06/2026", "--out", "x.csv"],
        "python -m compliance status: error: argument --as-of: '30/06/2026' is not a date: "
        "use YYYY-MM-DD",
        True,
    ),
    "bad suffix": (
        ["status", "--roster", "r", "--completions", "c", "--requirements", "q",
         "--out", "x.pdf"],
        "python -m compliance status: error: --out 'x.pdf': the file name must end in .csv "
        "or .xlsx (or be -)",
        False,
    ),
    "roster only": (
        ["status", "--roster", "r.xlsx", "--requirements", "q", "--out", "x.csv"],
        "python -m compliance status: error: give --roster and --completions",
        False,
    ),
    "no requirements": (
        ["status", "--roster", "r", "--completions", "c", "--out", "x.csv"],
        "python -m compliance status: error: give --requirements with --roster and "
        "--completions",
        False,
    ),
    "bad map": (
        ["status", "--roster", "r", "--completions", "c", "--requirements", "q",
         "--map", "Ref", "--out", "x.csv"],
        "python -m compliance status: error: --map 'Ref': write it as \"Source header=field\"",
        False,
    ),
    "unknown field": (
        ["status", "--roster", "r", "--completions", "c", "--requirements", "q",
         "--map", "Ref=collar", "--out", "x.csv"],
        "python -m compliance status: error: --map 'Ref=collar': field must be one of "
        "completed_on, course, course_code, email, first_name, from, ignore, leave_date, "
        "manager, name, person_id, reason, role, staff_type, start_date, status, surname, "
        "unit, until",
        False,
    ),
    "level 0": (
        ["summary", "--level", "0", "--out", "x.csv"],
        "python -m compliance summary: error: argument --level: '0': give a whole number "
        "of 1 or more",
        True,
    ),
    "bad kind": (
        ["check", "--kind", "people", "f.csv"],
        "python -m compliance check: error: argument --kind: invalid choice: 'people' "
        "(choose from 'roster', 'completions', 'exemptions')",
        True,
    ),
    "undo needs a number": (
        ["undo", "seven"],
        "python -m compliance undo: error: argument IMPORT_ID: invalid int value: 'seven'",
        True,
    ),
}


@pytest.mark.parametrize("case", list(USAGE_ERRORS), ids=list(USAGE_ERRORS))
def test_usage_errors_exit_2_with_the_exact_message(capsys, case: str) -> None:
    argv, message, by_argparse = USAGE_ERRORS[case]
    code, out, err = run(argv, capsys)
    assert code == 2
    assert out == ""
    if by_argparse:
        assert err.startswith("usage: python -m compliance")
        assert err.splitlines()[-1] == message
    else:
        assert err == message + "\n"


def test_help_exits_0(capsys) -> None:
    code, out, err = run(["--help"], capsys)
    assert code == 0 and err == ""
    assert out.startswith("usage: python -m compliance [-h] COMMAND ...")


def test_every_documented_command_is_there() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    assert list(subparsers.choices) == DOCUMENTED_COMMANDS


def test_a_user_error_is_one_line_and_exit_1(tmp_path, capsys) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("requirements: [\n")
    done = tmp_path / "done.csv"
    done.write_text("Staff Number,Course,Completed On\n7,Safeguarding,01/02/2026\n")
    argv = ["check", "--kind", "completions", str(done), "--requirements", str(rules)]
    code, out, err = run(argv, capsys)
    assert code == 1 and out == ""
    assert err.startswith("error: rules.yaml") and err.count("\n") == 1


def test_a_missing_file_is_one_line_and_exit_1(tmp_path, capsys) -> None:
    missing = tmp_path / "nowhere.csv"
    code, out, err = run(["check", "--kind", "roster", str(missing)], capsys)
    assert (code, out) == (1, "")
    assert err == f"error: {missing}: cannot read or write the file (No such file or directory)\n"


def _modules_after(statement: str) -> set[str]:
    """Names in ``sys.modules`` after running ``statement`` in a fresh interpreter."""
    script = f"import sys\n{statement}\nprint('\\n'.join(sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(done.stdout.split())


def _main(argv: list[str]) -> str:
    return f"from compliance.cli import main\nassert main({argv!r}) == 0"


def _top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules} | modules


def test_building_the_parser_imports_no_heavy_library() -> None:
    modules = _top_level(_modules_after("from compliance.cli import build_parser; build_parser()"))
    heavy = {*STORE_LIBRARIES, "xlsxwriter", "yaml", "compliance.engine", "compliance.export"}
    assert modules & heavy == set()


def test_check_imports_neither_the_store_nor_yaml_nor_xlsxwriter(tmp_path) -> None:
    roster = tmp_path / "staff.csv"
    roster.write_text("Staff Number,Name\n7,Ann Lee\n")
    modules = _top_level(_modules_after(_main(["check", "--kind", "roster", str(roster)])))
    assert "loaders.readers" in modules
    heavy = {*STORE_LIBRARIES, "xlsxwriter", "yaml", "compliance.rules", "compliance.engine"}
    assert modules & heavy == set()


def test_status_from_files_does_not_import_the_store(tmp_path) -> None:
    roster = tmp_path / "staff.csv"
    roster.write_text("Staff Number,Name\n7,Ann Lee\n")
    done = tmp_path / "done.csv"
    done.write_text("Staff Number,Course,Completed On\n7,Safeguarding,01/02/2026\n")
    rules = tmp_path / "rules.yaml"
    rules.write_text("requirements:\n  - course: Safeguarding\n")
    argv = ["status", "--roster", str(roster), "--completions", str(done),
            "--requirements", str(rules), "--out", str(tmp_path / "s.csv")]
    modules = _top_level(_modules_after(_main(argv)))
    assert {"compliance.snapshot", "yaml"} <= modules
    assert modules & STORE_LIBRARIES == set()


def test_python_dash_m_compliance_runs_a_command(tmp_path) -> None:
    roster = tmp_path / "staff.csv"
    roster.write_text("Staff Number,Name\n7,Ann Lee\n")
    done = subprocess.run(
        [sys.executable, "-m", "compliance", "check", "--kind", "roster", str(roster)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.strip().endswith("Usable: yes")


def test_the_commands_reading_files_start_the_worker_before_pandas() -> None:
    """``python -m compliance`` starts the parsing worker for these commands while it
    imports pandas; that needs the sandbox to import without pandas."""
    from compliance.__main__ import READING_COMMANDS

    assert set(READING_COMMANDS) <= set(DOCUMENTED_COMMANDS)
    modules = _top_level(_modules_after("from loaders.sandbox import start_worker"))
    assert "pandas" not in modules
