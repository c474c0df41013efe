"""Load benchmark: N sessions at once through ``serve``, with 1 and then 2 processes, one run.

Each session fetches the page through the proxy, signs in with a local account made for
the run (``users add --password-stdin``; disabled at the end) and then opens Overview,
Units, Overdue and Person, and looks a person up, in a loop until the time is up. The
client speaks Streamlit's websocket protocol as the browser does (``bench/load_client.py``)
rather than driving Chromium: twenty headless Chromium pages would take most of the two
cores the servers are measured on, and what is measured is the server's work for a
page, which is the same either way.

Printed for each process count: errors, median and 95th-percentile time per page, page
runs per second, the sessions each server got, the server tree's memory (peak and at
the end; RSS of ``serve`` and every process below it) and its CPU, the client's CPU and
the machine's, since other work on the machine shares its cores; then the ratio of
page throughput with 2 processes to 1.

    .venv/bin/python bench/load.py                      # the demo store on PostgreSQL
    .venv/bin/python bench/load.py --db postgresql+psycopg://.../national --sessions 20
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load_client import Run, Session, SessionFailed  # noqa: E402
from compliance.serving import healthy  # noqa: E402
from compliance.serving_config import Server  # noqa: E402
from tests.process_memory import descendants  # noqa: E402

POSTGRES = os.environ.get(
    "COMPLIANCE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PAGES = ("Overview", "Units", "Overdue", "Person")
SEARCH = "Person search"
TICK = os.sysconf("SC_CLK_TCK")


def cli(*argv: str, stdin: str | None = None) -> str:
    done = subprocess.run([sys.executable, "-m", "compliance", *argv], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, check=True)
    return done.stdout


@contextmanager
def demo_database(server: str) -> Iterator[str]:
    """A new database on ``server`` holding the demo force, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"bench_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
        cli("demo", "--db", url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()


def someone(url: str) -> str:
    """An ID on today's roster, for the Person search."""
    import pandas as pd

    from compliance.store import Store

    store = Store.open(url)
    try:
        ids = store.roster(pd.Timestamp.today().normalize())["person_id"]
        return str(ids.iloc[len(ids) // 2])
    finally:
        store.engine.dispose()


class TreeSampler:
    """RSS of a process and everything below it every half second; CPU on demand."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.last = pid, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def tree(self) -> list[int]:
        return [self.pid, *descendants(self.pid)]

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            self.last = sum(_status(pid, "VmRSS:") for pid in self.tree())
            self.peak = max(self.peak, self.last)

    def cpu_seconds(self) -> float:
        return sum(_cpu(pid) for pid in self.tree())

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _status(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def machine_busy() -> float:
    """Seconds of CPU the whole machine has spent busy so far (every core)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / TICK


@contextmanager
def served(url: str, processes: int, port: int) -> Iterator[subprocess.Popen]:
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "compliance", "serve", "--processes", str(processes),
             "--port", str(port), "--db", url], cwd=ROOT, stdout=log, stderr=log,
        )
        try:
            deadline = time.monotonic() + 180
            while not healthy(Server("proxy", "127.0.0.1", port)):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"serve did not start:\n{log.read()}")
                time.sleep(0.5)
            yield process
        finally:
            process.terminate()
            process.wait(timeout=60)


async def _session_loop(session: Session, query: str, until: float, times, errors) -> None:
    """The pages in turn, then a person looked up; again until ``until`` (at least once)."""
    while True:
        for title in PAGES:
            shown = await _timed(session.open_page(title), title, times, errors)
        box = shown.widgets.get("Find a person") if shown else None
        if box and time.monotonic() < until:
            await _timed(session.open_page("Person", {box: query}), SEARCH, times, errors)
        if time.monotonic() >= until:
            return


async def _timed(pending, title: str, times, errors) -> Run | None:
    """Await one page run; its time (and when it ended) or its errors, by page."""
    try:
        run = await pending
    except (SessionFailed, OSError) as failure:
        errors[title].append(str(failure))
        return None
    times[title].append((time.monotonic(), run.seconds))
    errors[title].extend(run.errors)
    return run


async def phase(base: str, sessions: int, seconds: float, user: str, password: str,
                query: str, sampler: TreeSampler) -> dict:
    """Sign ``sessions`` in, warm up once, then loop for ``seconds``; the figures."""
    clients = [Session(base) for _ in range(sessions)]
    started = time.perf_counter()
    await asyncio.gather(*(client.sign_in(user, password) for client in clients))
    sign_in = time.perf_counter() - started
    warm = defaultdict(list), defaultdict(list)
    await asyncio.gather(*(_session_loop(c, query, 0, *warm) for c in clients))
    times, errors = defaultdict(list), defaultdict(list)
    cpu, busy, client = sampler.cpu_seconds(), machine_busy(), time.process_time()
    began = time.monotonic()
    await asyncio.gather(*(_session_loop(c, query, began + seconds, times, errors)
                           for c in clients))
    ended = began + seconds
    figures = {
        "times": {title: [took for _, took in runs] for title, runs in times.items()},
        "in_window": sum(at <= ended for runs in times.values() for at, _ in runs),
        "errors": errors, "wall": time.monotonic() - began, "window": seconds,
        "sign_in": sign_in,
        "servers": Counter(client.server for client in clients),
        "server_cpu": sampler.cpu_seconds() - cpu,
        "machine_cpu": machine_busy() - busy,
        "client_cpu": time.process_time() - client,
    }
    await asyncio.gather(*(client.close() for client in clients))
    return figures


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def report(processes: int, figures: dict, sampler: TreeSampler) -> float:
    """Print one phase's table; its page runs per second (runs ended within the window)."""
    times, errors, wall = figures["times"], figures["errors"], figures["wall"]
    runs = sum(len(values) for values in times.values())
    rate = figures["in_window"] / figures["window"]
    servers = ", ".join(f"{name} {count}" for name, count in sorted(figures["servers"].items()))
    print(f"\n{processes} process(es): {rate:.2f} page runs/s ({figures['in_window']} ended "
          f"within {figures['window']:.0f} s; {runs} in all); sessions per server: {servers}; "
          f"all signed in after {figures['sign_in']:.1f} s")
    print(f"{'page':<14}{'runs':>6}{'errors':>8}{'median s':>10}{'p95 s':>8}")
    for title in (*PAGES, SEARCH):
        values = times.get(title, [])
        print(f"{title:<14}{len(values):>6}{len(errors.get(title, [])):>8}"
              f"{_quantile(values, 0.5):>10.2f}{_quantile(values, 0.95):>8.2f}")
    for title, found in errors.items():
        for message, count in Counter(found).most_common(3):
            print(f"  error on {title} ({count}x): {message}")
    print(f"server tree RSS: peak {sampler.peak / 2**20:,.0f} MiB, at the end "
          f"{sampler.last / 2**20:,.0f} MiB")
    print(f"CPU while looping, in cores: server tree {figures['server_cpu'] / wall:.2f} "
          f"({figures['server_cpu'] / max(runs, 1):.2f} s per page run), this client "
          f"{figures['client_cpu'] / wall:.2f}, whole machine {figures['machine_cpu'] / wall:.2f} "
          f"of {os.cpu_count()} (the rest is other work on the machine)")
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0, help="measured loop per phase")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--db", help="an existing PostgreSQL store (default: the demo, made "
                                     "in a new database on COMPLIANCE_TEST_POSTGRES)")
    parser.add_argument("--port", type=int, default=8590)
    args = parser.parse_args()
    user, password = f"bench-load-{uuid.uuid4().hex[:6]}", secrets.token_urlsafe(18)
    with demo_database(POSTGRES) if args.db is None else _given(args.db) as url:
        cli("users", "add", user, "--role", "manager", "--password-stdin", "--db", url,
            stdin=password + "\n")
        query = someone(url)
        rates = {}
        try:
            for count in args.processes:
                with served(url, count, args.port) as process:
                    sampler = TreeSampler(process.pid)
                    figures = asyncio.run(phase(f"http://127.0.0.1:{args.port}", args.sessions,
                                                args.seconds, user, password, query, sampler))
                    sampler.stop()
                    rates[count] = report(count, figures, sampler)
        finally:
            cli("users", "disable", user, "--db", url)
    if 1 in rates and 2 in rates:
        print(f"\npage throughput, 2 processes / 1 process: {rates[2] / rates[1]:.2f}")
    return 0


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    sys.exit(main())
