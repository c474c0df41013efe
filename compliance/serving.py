"""Run several dashboard servers and HAProxy in front of them, and stop them all together.

``python -m compliance serve`` builds a :class:`Plan` and calls :func:`run`: it starts
``streamlit run dashboard.py`` for each local server (127.0.0.1, its own port), waits
until each answers its health check, writes the proxy's configuration
(:mod:`compliance.serving_config`) to a temporary directory and runs Debian's HAProxy in
the foreground. Then it watches them: a dashboard server that exits is started again
(a few times a minute at most; more means it cannot run, and everything stops); the
proxy exiting stops everything. SIGINT or SIGTERM stops the proxy first (no new
requests), then the servers, and exits 0.
"""

from __future__ import annotations

import ctypes
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from compliance.serving_config import HEALTH_PATH, Server, config_text

ROOT = Path(__file__).resolve().parents[1]
HAPROXY = "/usr/sbin/haproxy"
COOKIE_SECRET_VARIABLE = "STREAMLIT_SERVER_COOKIE_SECRET"
STARTUP_SECONDS = 120.0
STOP_SECONDS = 15.0
POLL_SECONDS = 0.5
RESTARTS_PER_MINUTE = 3
PROXY = "haproxy"
"""The proxy's name among the children (the servers are p1, p2...)."""
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Plan:
    """What one ``serve`` starts: the local servers, and the proxy over every server."""

    url: str
    local: Sequence[Server]
    servers: Sequence[Server]
    port: int
    address: str = "127.0.0.1"
    proxy: bool = True
    haproxy: str = HAPROXY


class ServeFailed(RuntimeError):
    """A child could not start or keeps exiting: the message says which and how."""


def streamlit_command(server: Server) -> list[str]:
    """``streamlit run dashboard.py`` listening on ``server`` only."""
    return [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
        "--server.address", server.host, "--server.port", str(server.port),
        "--server.headless", "true",
    ]


def haproxy_command(haproxy: str, config: Path) -> list[str]:
    """HAProxy in the foreground (``-db``), so this process supervises it."""
    return [haproxy, "-db", "-f", str(config)]


def child_environment(url: str, environ: dict[str, str]) -> dict[str, str]:
    """The servers' environment: the store's URL and one cookie secret they all share.

    Streamlit signs its cookies with ``server.cookieSecret``, random per process unless
    set; the same secret everywhere lets any server read a cookie another one set.
    """
    shared = environ.get(COOKIE_SECRET_VARIABLE) or secrets.token_urlsafe(32)
    return {**environ, "COMPLIANCE_DB": url, COOKIE_SECRET_VARIABLE: shared}


_PRCTL = ctypes.CDLL(None).prctl if sys.platform.startswith("linux") else None
"""Looked up here, before any fork: the child then only calls it."""


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM if ``serve`` itself is killed (Linux)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGTERM)


def prepare_store(url: str) -> bool:
    """Open the store once in a short-lived child, so its migrations run before any server
    starts and this supervisor never loads the data libraries; False (the child said
    why on stderr) when it cannot be opened."""
    command = [sys.executable, "-m", "compliance", "imports", "--db", url]
    done = subprocess.run(command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    return done.returncode == 0


def _spawn(command: list[str], environ: dict[str, str], *, quiet: bool) -> subprocess.Popen:
    """A child in its own session: Ctrl-C reaches ``serve``, which stops it in order."""
    return subprocess.Popen(
        command, cwd=ROOT, env=environ, start_new_session=True, preexec_fn=_die_with_parent,
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL if quiet else None,
    )


def healthy(server: Server, timeout: float = 2.0) -> bool:
    """Whether ``server`` answers its health check now."""
    host = "127.0.0.1" if server.host in ("0.0.0.0", "::", "[::]") else server.host
    try:
        with urllib.request.urlopen(
            f"http://{host}:{server.port}{HEALTH_PATH}", timeout=timeout
        ) as reply:
            return reply.status == 200
    except OSError:
        return False


def may_restart(exits: list[float], now: float, per_minute: int = RESTARTS_PER_MINUTE) -> bool:
    """Whether a server that exited at ``now`` may start again, given its earlier exits."""
    return sum(1 for at in exits if now - at < 60.0) < per_minute


@dataclass
class _Children:
    """The running children by name: the servers, then the proxy."""

    environ: dict[str, str]
    log: TextIO
    running: dict[str, subprocess.Popen] = field(default_factory=dict)
    exits: dict[str, list[float]] = field(default_factory=dict)

    def start(self, name: str, command: list[str], *, quiet: bool = False) -> None:
        self.running[name] = _spawn(command, self.environ, quiet=quiet)

    def exited(self) -> list[tuple[str, int]]:
        return [(n, p.returncode) for n, p in self.running.items() if p.poll() is not None]

    def stop(self) -> None:
        """The proxy first (no new requests reach a stopping server), then every server."""
        proxy = [p for name, p in self.running.items() if name == PROXY]
        for group in (proxy, [p for name, p in self.running.items() if name != PROXY]):
            for process in group:
                if process.poll() is None:
                    process.terminate()
            deadline = time.monotonic() + STOP_SECONDS
            for process in group:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _wait_healthy(
    children: _Children, servers: Sequence[Server], stopping: Callable[[], bool]
) -> None:
    waiting = list(servers)
    deadline = time.monotonic() + STARTUP_SECONDS
    while waiting and not stopping():
        for name, code in children.exited():
            raise ServeFailed(f"{name} exited with code {code} while starting")
        waiting = [server for server in waiting if not healthy(server)]
        if waiting and time.monotonic() > deadline:
            names = ", ".join(s.name for s in waiting)
            raise ServeFailed(f"{names} did not answer {HEALTH_PATH} in {STARTUP_SECONDS:.0f} s")
        time.sleep(POLL_SECONDS if waiting else 0)


def _supervise(children: _Children, plan: Plan, stopping: Callable[[], bool]) -> None:
    commands = {server.name: streamlit_command(server) for server in plan.local}
    while not stopping():
        for name, code in children.exited():
            if name not in commands:
                raise ServeFailed(f"HAProxy exited with code {code}: see its messages above")
            now = time.monotonic()
            if not may_restart(children.exits.setdefault(name, []), now):
                raise ServeFailed(f"dashboard server {name} keeps exiting (code {code})")
            children.exits[name].append(now)
            print(f"serve: dashboard server {name} exited with code {code}: starting it again",
                  file=children.log, flush=True)
            children.start(name, commands[name], quiet=True)
        time.sleep(POLL_SECONDS)


def serving_line(plan: Plan) -> str:
    """What ``serve`` prints once everything answers."""
    shown = plan.servers if plan.proxy else plan.local
    listed = ", ".join(f"{s.name} {s.address}" for s in shown)
    servers = f"{len(shown)} dashboard server{'' if len(shown) == 1 else 's'}: {listed}"
    if not plan.proxy:
        return f"serving {servers}, without a proxy"
    return f"serving http://{plan.address}:{plan.port} through HAProxy to {servers}"


def run(plan: Plan, *, out: TextIO = sys.stdout, log: TextIO = sys.stderr) -> int:
    """Start everything in ``plan`` and supervise it until SIGINT/SIGTERM (0) or a failure (1)."""
    stop: list[int] = []
    previous = {
        number: signal.signal(number, lambda signum, _frame: stop.append(signum))
        for number in (signal.SIGINT, signal.SIGTERM)
    }
    children = _Children(child_environment(plan.url, dict(os.environ)), log)
    try:
        with tempfile.TemporaryDirectory(prefix="compliance-serve-") as directory:
            try:
                _start(children, plan, Path(directory), lambda: bool(stop), out)
                _supervise(children, plan, lambda: bool(stop))
            finally:
                children.stop()
        return 0
    except ServeFailed as failure:
        print(f"error: {failure}", file=log, flush=True)
        return 1
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _start(
    children: _Children, plan: Plan, directory: Path, stopping: Callable[[], bool], out: TextIO
) -> None:
    """The servers, and once they answer, the proxy over them (unless a stop came first)."""
    for server in plan.local:
        children.start(server.name, streamlit_command(server), quiet=True)
    _wait_healthy(children, plan.local, stopping)
    if stopping():
        return
    if not plan.proxy:
        print(serving_line(plan), file=out, flush=True)
        return
    config, socket = directory / "haproxy.cfg", directory / "haproxy.sock"
    config.write_text(config_text(
        plan.servers, port=plan.port, address=plan.address, stats_socket=str(socket),
    ), encoding="utf-8")
    children.start(PROXY, haproxy_command(plan.haproxy, config))
    _wait_healthy(children, [Server(PROXY, plan.address, plan.port)], stopping)
    print(f"{serving_line(plan)}\nproxy statistics: {socket} (HAProxy's runtime API, e.g. "
          "show stat)", file=out, flush=True)
