"""``python -m compliance users``: accounts from the command line, passwords shown only once."""

from __future__ import annotations

import csv
import io
import re

import pytest

from compliance import auth
from compliance.cli import main
from compliance.store import Store
from compliance.store.audit import utc_now

ONE_TIME = re.compile(
    r"^one-time password (\S{20,}) \(to be changed at the (?:first|next) sign-in\)$", re.M
)


@pytest.fixture
def run(capsys, monkeypatch):
    def invoke(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def test_add_list_disable_enable_set_role_and_reset(run, store_url) -> None:
    code, out, _ = run("users", "add", "Alice", "--role", "admin", "--db", store_url)
    assert code == 0 and out.startswith("Added alice (admin)\n")
    first = ONE_TIME.search(out).group(1)
    accounts = Store.open(store_url).accounts
    assert auth.sign_in(accounts, "alice", first, utc_now()).account.must_change_password

    code, out, _ = run("users", "add", "bob", "--role", "viewer", "--unit", "North / CID",
                       "--email", "Bob@Force.uk", "--password-stdin", "--db", store_url,
                       stdin="a long enough password\n")
    assert (code, out) == (0, "Added bob (viewer)\n")
    code, out, _ = run("users", "list", "--db", store_url)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["name"], r["role"], r["units"], r["email"], r["state"]) for r in rows] == [
        ("alice", "admin", "", "", "active"), ("bob", "viewer", "North / CID", "bob@force.uk",
                                               "active"),
    ]
    assert first not in out and "argon2" not in out

    assert run("users", "disable", "bob", "--db", store_url)[1] == "Disabled bob\n"
    assert run("users", "enable", "bob", "--db", store_url)[1] == "Enabled bob\n"
    assert run("users", "set-role", "bob", "manager", "--db", store_url)[1] == (
        "bob is now manager\n"
    )
    code, out, _ = run("users", "reset-password", "bob", "--db", store_url)
    assert code == 0 and ONE_TIME.search(out)


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (("add", "vic", "--role", "viewer"), "", 'a viewer needs at least one unit'),
        (("add", "ann", "--role", "manager", "--password-stdin"), "short\n",
         "the password must have at least 12 characters"),
        (("disable", "nobody"), "", "There is no account called 'nobody'"),
    ],
)
def test_refusals_are_one_line_and_exit_1(run, store_url, argv, stdin, message) -> None:
    code, out, err = run("users", *argv, "--db", store_url, stdin=stdin)
    assert code == 1 and out == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_an_unknown_role_is_a_usage_error(run, store_url) -> None:
    code, _, err = run("users", "add", "ann", "--role", "boss", "--db", store_url)
    assert code == 2 and "invalid choice: 'boss'" in err
