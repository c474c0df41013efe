"""``python -m compliance serve``'s arguments: what it refuses, with which exit and words.

Nothing here starts a process: usage errors exit 2, a missing HAProxy or a SQLite store
under several processes exit 1 before anything runs, and ``--print-config`` prints the
configuration the proxy would run (tests/test_serve.py starts the real thing).
"""

from __future__ import annotations

import pytest

from compliance.cli import build_parser, serve
from compliance.serving import HAPROXY
from tests.cli_force import run

PG = "postgresql+psycopg://app@db.example:5432/compliance"
SQLITE = "sqlite:///tmp/store.sqlite"


def _args(argv: list[str]):
    return build_parser().parse_args(["serve", *argv])


USAGE = {
    "no servers": (["--processes", "0"], "nothing to serve: give --processes 1 or more"),
    "no proxy with backend": (
        ["--no-proxy", "--backend", "10.0.0.2:8502"], "--no-proxy starts only local servers",
    ),
    "no proxy, no process": (["--no-proxy", "--processes", "0"], "nothing to serve"),
    "bad backend": (["--backend", "10.0.0.2"], "--backend '10.0.0.2': write it as HOST:PORT"),
    "ports past the end": (
        ["--port", "65535", "--processes", "2"], "the servers' ports P+1..P+N pass 65535",
    ),
    "negative count": (["--processes", "-1"], "argument --processes: '-1': give a whole number"),
    "port zero": (["--port", "0"], "argument --port: '0': give a port from 1 to 65535"),
}


@pytest.mark.parametrize("case", list(USAGE), ids=list(USAGE))
def test_usage_errors_exit_2(capsys, case: str) -> None:
    argv, words = USAGE[case]
    code, out, err = run(["serve", "--db", PG, *argv], capsys)
    assert (code, out) == (2, "")
    assert err.strip().splitlines()[-1].startswith("python -m compliance serve: error: ")
    assert words in err


def test_a_missing_haproxy_says_how_to_install_it(capsys, monkeypatch) -> None:
    monkeypatch.setattr(serve, "haproxy_path", lambda: None)
    code, out, err = run(["serve", "--processes", "2", "--db", PG], capsys)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert "HAProxy is not installed" in err and "apt-get install haproxy" in err


def test_without_a_proxy_haproxy_is_not_needed() -> None:
    args = _args(["--no-proxy", "--processes", "2", "--db", PG])
    plan = serve.plan_from(args, {})
    serve.check_plan(plan, None)
    assert [s.address for s in plan.local] == ["127.0.0.1:8502", "127.0.0.1:8503"]
    assert not plan.proxy


@pytest.mark.parametrize(
    ("argv", "environ"),
    [
        (["--processes", "2", "--db", SQLITE], {}),
        (["--processes", "2"], {"COMPLIANCE_DB": SQLITE}),
        (["--processes", "2"], {}),
        (["--processes", "1", "--backend", "10.0.0.2:8502", "--db", SQLITE], {}),
        (["--processes", "2", "--no-proxy", "--db", SQLITE], {}),
    ],
    ids=["--db", "COMPLIANCE_DB", "default store", "one here, one there", "no proxy"],
)
def test_several_processes_on_sqlite_are_refused(capsys, monkeypatch, argv, environ) -> None:
    monkeypatch.delenv("COMPLIANCE_DB", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(serve, "haproxy_path", lambda: HAPROXY)
    code, out, err = run(["serve", *argv], capsys)
    assert (code, out) == (1, "")
    assert err.startswith("error: the store is SQLite (sqlite:")
    assert "several dashboard processes need the shared PostgreSQL store" in err
    assert "postgresql+psycopg://" in err and err.count("\n") == 1


def test_one_process_may_use_sqlite() -> None:
    plan = serve.plan_from(_args(["--db", SQLITE]), {})
    serve.check_plan(plan, HAPROXY)
    assert [s.name for s in plan.servers] == ["p1"] and plan.url == SQLITE


def test_the_plan_puts_local_servers_first_then_the_other_hosts() -> None:
    argv = ["--processes", "2", "--port", "9000", "--address", "0.0.0.0", "--db", PG,
            "--backend", "10.0.0.2:9001", "--backend", "10.0.0.3:9001"]
    plan = serve.plan_from(_args(argv), {})
    assert [(s.name, s.address) for s in plan.servers] == [
        ("p1", "127.0.0.1:9001"), ("p2", "127.0.0.1:9002"),
        ("h1", "10.0.0.2:9001"), ("h2", "10.0.0.3:9001"),
    ]
    assert (plan.port, plan.address, plan.proxy) == (9000, "0.0.0.0", True)


def test_print_config_shows_the_proxy_and_starts_nothing(capsys, monkeypatch) -> None:
    monkeypatch.setattr(serve, "haproxy_path", lambda: None)
    argv = ["serve", "--processes", "2", "--port", "9000", "--backend", "10.0.0.2:9001",
            "--db", SQLITE, "--print-config"]
    code, out, err = run(argv, capsys)
    assert (code, err) == (0, "")
    assert "bind 127.0.0.1:9000" in out
    assert "server h1 10.0.0.2:9001 cookie h1" in out
    assert "stats socket" not in out
