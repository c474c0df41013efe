"""``compliance.serving_config``: the HAProxy configuration ``serve`` runs, as text.

Each promise of the proxy (sticky cookie, websocket tunnel, health checks, forwarded
headers, where it listens) is one line the tests look for; Debian's HAProxy itself
checks the whole file (``haproxy -c``) when it is installed.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from compliance.serving_config import (
    COOKIE,
    Server,
    config_text,
    local_servers,
    parse_backend,
)
from tests.environment import unavailable
from tests.setup_tools import HAPROXY

SERVERS = [Server("p1", "127.0.0.1", 8502), Server("p2", "127.0.0.1", 8503),
           Server("h1", "10.0.0.12", 8502)]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


@pytest.mark.parametrize(
    "line",
    [
        "bind 0.0.0.0:8501",
        f'cookie {COOKIE} insert indirect nocache httponly attr "SameSite=Lax"',
        "timeout tunnel 1h",
        "option httpchk",
        "http-check send meth GET uri /_stcore/health",
        "http-check expect status 200",
        "default-server check inter 2s fall 3 rise 2",
        "option redispatch",
        "option forwardfor",
        "http-request set-header X-Forwarded-Proto http unless { ssl_fc }",
        "http-request set-header X-Forwarded-Host %[req.hdr(host)]",
        "server p1 127.0.0.1:8502 cookie p1",
        "server p2 127.0.0.1:8503 cookie p2",
        "server h1 10.0.0.12:8502 cookie h1",
        "stats socket /run/x.sock mode 600 level user",
    ],
)
def test_the_config_holds(line: str) -> None:
    text = config_text(SERVERS, port=8501, address="0.0.0.0", stats_socket="/run/x.sock")
    assert line in _lines(text)


def test_servers_keep_their_order_and_nothing_else_is_a_server() -> None:
    servers = [line for line in _lines(config_text(SERVERS, port=8501)) if
               line.startswith("server ")]
    assert [line.split()[1] for line in servers] == ["p1", "p2", "h1"]


def test_without_a_socket_there_are_no_statistics() -> None:
    assert "stats" not in config_text(SERVERS, port=8501)


@pytest.mark.parametrize(
    ("servers", "words"),
    [([], "at least one server"), ([SERVERS[0], SERVERS[0]], "its own name")],
)
def test_a_config_that_cannot_work_is_refused(servers: list[Server], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        config_text(servers, port=8501)


def test_local_servers_take_the_ports_after_the_proxy() -> None:
    assert local_servers(2, 8600) == [Server("p1", "127.0.0.1", 8601),
                                      Server("p2", "127.0.0.1", 8602)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.0.0.12:8502", Server("h1", "10.0.0.12", 8502)),
        ("app-2.force.example:8601", Server("h1", "app-2.force.example", 8601)),
        ("[fd00::2]:8502", Server("h1", "[fd00::2]", 8502)),
        (" 10.0.0.12:8502 ", Server("h1", "10.0.0.12", 8502)),
    ],
)
def test_a_backend_is_host_and_port(text: str, expected: Server) -> None:
    assert parse_backend(text, "h1") == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("10.0.0.12", "HOST:PORT"),
        (":8502", "HOST:PORT"),
        ("10.0.0.12:http", "port must be a number"),
        ("10.0.0.12:70000", "port must be a number"),
        ("host name:8502", "HOST:PORT"),
        ("a;b:8502", "HOST:PORT"),
    ],
)
def test_a_bad_backend_says_how_to_write_it(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_backend(text, "h1")


def test_haproxy_accepts_the_config(tmp_path) -> None:
    if not os.access(HAPROXY, os.X_OK):
        unavailable(f"{HAPROXY} is missing: run `python -m tests.setup_tools` as root")
    config = tmp_path / "haproxy.cfg"
    config.write_text(config_text(SERVERS, port=8501, stats_socket=str(tmp_path / "s.sock")))
    checked = subprocess.run([HAPROXY, "-c", "-f", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Configuration file is valid" in checked.stdout
