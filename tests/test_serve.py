"""``compliance.serving``: the supervisor's parts, then ``serve --processes 2`` for real.

The end-to-end test runs ``python -m compliance serve --processes 2`` on a PostgreSQL
store holding the demo force, signs in through HAProxy with two Chromium sessions and
checks that they landed on different servers (the proxy's cookie, and the proxy's own
count of sessions per server) and both work; that an import made with the command line
shows in both on their next run; that a killed server is started again; and that
SIGTERM stops everything with exit 0. Without PostgreSQL, HAProxy or Chromium it skips,
and fails under ``CI=true``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from compliance import serving
from compliance.serving_config import COOKIE, Server
from tests.browser import CHROMIUM, VIEWPORT, chromium, open_page, sign_in
from tests.conftest import postgres_schema
from tests.environment import unavailable
from tests.pages import ROOT, TEST_PASSWORD
from tests.pages import sign_in as add_test_account
from tests.setup_tools import HAPROXY

MANAGER = "test-manager"
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def test_a_server_listens_where_it_is_told() -> None:
    command = serving.streamlit_command(Server("p1", "127.0.0.1", 8502))
    assert command[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert command[4].endswith("dashboard.py")
    assert command[5:9] == ["--server.address", "127.0.0.1", "--server.port", "8502"]


def test_haproxy_runs_in_the_foreground() -> None:
    assert serving.haproxy_command(HAPROXY, Path("/x/h.cfg")) == [HAPROXY, "-db", "-f", "/x/h.cfg"]


@pytest.mark.parametrize("given", [None, "one secret for every host"])
def test_every_server_gets_the_store_and_one_cookie_secret(given: str | None) -> None:
    environ = {"PATH": "/usr/bin"} | ({serving.COOKIE_SECRET_VARIABLE: given} if given else {})
    made = serving.child_environment("postgresql+psycopg://db/x", environ)
    assert made["COMPLIANCE_DB"] == "postgresql+psycopg://db/x" and made["PATH"] == "/usr/bin"
    secret = made[serving.COOKIE_SECRET_VARIABLE]
    assert secret == given if given else len(secret) >= 32


@pytest.mark.parametrize(
    ("exits", "allowed"),
    [([], True), ([50.0, 60.0], True), ([50.0, 60.0, 70.0], False), ([0.0, 1.0, 2.0, 90.0], True)],
)
def test_a_server_is_restarted_a_few_times_a_minute(exits: list[float], allowed: bool) -> None:
    assert serving.may_restart(exits, now=100.0) is allowed


def test_the_serving_line_names_the_address_and_every_server() -> None:
    local = [Server("p1", "127.0.0.1", 9001)]
    plan = serving.Plan("postgresql+psycopg://db/x", local,
                        [*local, Server("h1", "10.0.0.2", 9001)], 9000, "0.0.0.0")
    assert serving.serving_line(plan) == (
        "serving http://0.0.0.0:9000 through HAProxy to 2 dashboard servers: "
        "p1 127.0.0.1:9001, h1 10.0.0.2:9001"
    )


def test_without_a_proxy_the_line_names_only_the_local_server() -> None:
    local = [Server("p1", "10.0.0.2", 9001)]
    plan = serving.Plan("postgresql+psycopg://db/x", local, local, 9000, "10.0.0.2", False)
    assert serving.serving_line(plan) == (
        "serving 1 dashboard server: p1 10.0.0.2:9001, without a proxy"
    )


def test_a_closed_port_is_not_healthy() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert not serving.healthy(Server("p1", "127.0.0.1", port), timeout=0.5)


def _free_ports(count: int) -> int:
    """A port P such that P..P+count-1 are free now."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count < 65536 and all(_free(first + n) for n in range(count)):
            return first
    raise RuntimeError("no run of free ports")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


FORCE_FILES = [("requirements", ROOT / "data" / "requirements.yaml"),
               ("roster", ROOT / "data" / "demo" / "hr_roster.xlsx"),
               ("completions", ROOT / "data" / "demo" / "lms_completions.csv")]
"""The demo force's files imported as a real force imports them (the demo itself takes no
imports beside it)."""


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def force_on_postgres() -> Iterator[str]:
    """A force in a schema of its own on the PostgreSQL server (dropped after)."""
    with postgres_schema() as url:
        for kind, file in FORCE_FILES:
            subprocess.run(
                [sys.executable, "-m", "compliance", "import", "--kind", kind, str(file),
                 "--db", url], cwd=ROOT, check=True, capture_output=True,
            )
        add_test_account(url, "manager")
        yield url


class Served:
    """A running ``serve``: its base URL, its process and what it printed."""

    def __init__(self, process: subprocess.Popen, base: str, out: Path, err: Path) -> None:
        self.process, self.base, self.out, self.err = process, base, out, err

    def printed(self) -> str:
        return self.out.read_text() + self.err.read_text()

    def stats(self) -> dict[str, dict[str, str]]:
        """HAProxy's ``show stat`` rows of the dashboard servers, by server name."""
        path = next(line.split()[2] for line in self.out.read_text().splitlines()
                    if line.startswith("proxy statistics: "))
        with socket.socket(socket.AF_UNIX) as channel:
            channel.connect(path)
            channel.sendall(b"show stat\n")
            reply = b"".join(iter(lambda: channel.recv(65536), b"")).decode()
        rows = csv.DictReader(io.StringIO(reply.lstrip("# ")))
        return {row["svname"]: row for row in rows if row["pxname"] == "streamlit"}


def _wait_for(condition, what: str, served: Served, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if served.process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{what}: serve printed\n{served.printed()}")
        time.sleep(0.3)


@pytest.fixture(scope="module")
def served(force_on_postgres: str, tmp_path_factory) -> Iterator[Served]:
    if not os.access(HAPROXY, os.X_OK):
        unavailable(f"{HAPROXY} is missing: run `python -m tests.setup_tools` as root")
    if not os.path.exists(CHROMIUM):
        unavailable(f"{CHROMIUM} is missing: run `python -m tests.setup_tools` as root")
    port, logs = _free_ports(3), tmp_path_factory.mktemp("serve")
    out, err = logs / "out.txt", logs / "err.txt"
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "compliance", "serve", "--processes", "2", "--port", str(port),
             "--db", force_on_postgres],
            cwd=ROOT, stdout=stdout, stderr=stderr, env={**os.environ, "COMPLIANCE_DB": ""},
        )
    running = Served(process, f"http://127.0.0.1:{port}", out, err)
    try:
        _wait_for(lambda: "proxy statistics: " in out.read_text(), "serve did not start", running)
        _wait_for(lambda: serving.healthy(Server("proxy", "127.0.0.1", port)),
                  "the proxy did not answer", running)
        yield running
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _overdue_shown(page) -> str:
    metric = page.locator('[data-testid="stMetric"]', has_text="Overdue").first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def _completions_for_overdue(url: str, count: int, folder: Path) -> Path:
    """A learning-system export completing ``count`` overdue (person, course) pairs today."""
    listed = subprocess.run(
        [sys.executable, "-m", "compliance", "overdue", "--db", url, "--out", "-",
         "--purpose", "serve test: completions to import"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    rows = list(csv.DictReader(io.StringIO(listed.lstrip("\ufeff"))))
    pairs = list(dict.fromkeys((row["person_id"], row["course"]) for row in rows))[:count]
    assert len(pairs) == count
    file = folder / "serve-check.csv"
    today = f"{dt.date.today():%d/%m/%Y}"
    with file.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Employee Number", "Learning Item Title", "Completion Status",
                         "Completion Date"])
        writer.writerows([person, course, "Completed", today] for person, course in pairs)
    return file


@pytest.mark.browser
@pytest.mark.postgres
def test_serve_two_processes_end_to_end(
    served: Served, force_on_postgres: str, tmp_path: Path
) -> None:
    """One test, in order, so a parallel run never splits it over two ``serve``s."""
    _two_sessions_land_apart_and_both_see_an_import(served, force_on_postgres, tmp_path)
    _a_server_that_dies_is_started_again(served)
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(timeout=30) == 0
    port = int(served.base.rsplit(":", 1)[1])
    assert not any(_listening(port + n) for n in range(3)), served.printed()
    assert "Traceback" not in served.printed()


def _two_sessions_land_apart_and_both_see_an_import(
    served: Served, url: str, tmp_path: Path
) -> None:
    pytest.importorskip("playwright.sync_api")
    with chromium() as browser:
        contexts = [browser.new_context(viewport=VIEWPORT) for _ in range(2)]
        pages = [context.new_page() for context in contexts]
        for page in pages:
            sign_in(page, served.base, MANAGER, TEST_PASSWORD)
        stuck = [{c["name"]: c["value"] for c in context.cookies()}.get(COOKIE)
                 for context in contexts]
        assert sorted(stuck) == ["p1", "p2"], served.printed()
        sessions = served.stats()
        assert all(int(sessions[name]["scur"]) >= 1 for name in ("p1", "p2")), sessions
        before = [_overdue_shown(page) for page in pages]
        assert before[0] == before[1] and before[0] != "0"
        assert all(page.locator(ERRORS).count() == 0 for page in pages)

        file = _completions_for_overdue(url, 3, tmp_path)
        subprocess.run(
            [sys.executable, "-m", "compliance", "import", "--kind", "completions", str(file),
             "--db", url], cwd=ROOT, check=True, capture_output=True,
        )
        expected = f"{int(before[0].replace(',', '')) - 3:,}"
        for page in pages:
            open_page(page, "Units")
            open_page(page, "Overview")
            assert _overdue_shown(page) == expected
            assert page.locator(ERRORS).count() == 0
        for context in contexts:
            context.close()


def _a_server_that_dies_is_started_again(served: Served) -> None:
    p2 = Server("p2", "127.0.0.1", int(served.base.rsplit(":", 1)[1]) + 2)
    pid = served.process.pid
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        command = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        if b"streamlit" in command and str(p2.port).encode() in command:
            os.kill(int(child), signal.SIGKILL)
    _wait_for(lambda: "p2 exited with code -9: starting it again" in served.printed(),
              "serve did not notice", served, 30)
    _wait_for(lambda: serving.healthy(p2), "p2 did not come back", served)
