"""Audit trail benchmark: what the hash chain costs a write, and how fast a log verifies.

On SQLite and PostgreSQL: fills a log with ``--entries`` chained entries, then times
``--writes`` single-entry transactions through ``Store.audit`` against the same rows
inserted into a plain table (no chain, no lock, no triggers) in the same number of
transactions, and ``Store.verify_audit`` against only reading the same rows.

    .venv/bin/python bench/bench_audit.py
    .venv/bin/python bench/bench_audit.py --entries 100000 --writes 1000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import Column, DateTime, Integer, MetaData, Table, Text, create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from compliance.store import Store
from compliance.store.audit import utc_now, write_audit
from compliance.store.tables import audit_log

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
plain = Table(
    "audit_plain",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("username", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("purpose", Text),
    Column("rows", Integer),
)


def fill(store: Store, entries: int) -> float:
    """Seconds to append ``entries`` chained entries in one transaction."""
    started = time.perf_counter()
    with store.engine.connect().execution_options(write=True) as connection, connection.begin():
        for n in range(entries):
            write_audit(connection, user="ann", action="export", detail=f"list {n}", rows=n)
    return time.perf_counter() - started


def chained_writes(store: Store, writes: int) -> float:
    started = time.perf_counter()
    for n in range(writes):
        store.audit(user="bob", action="export", detail=f"overdue {n}", purpose="chase", rows=n)
    return time.perf_counter() - started


def plain_writes(store: Store, writes: int) -> float:
    plain.create(store.engine)
    started = time.perf_counter()
    for n in range(writes):
        with store.engine.connect().execution_options(write=True) as c, c.begin():
            c.execute(
                plain.insert().values(
                    at=utc_now(), username="bob", action="export", detail=f"overdue {n}",
                    purpose="chase", rows=n,
                )
            )
    return time.perf_counter() - started


def read_only(store: Store) -> float:
    started = time.perf_counter()
    with store.engine.connect() as connection:
        connection.execute(audit_log.select().order_by(audit_log.c.id)).all()
    return time.perf_counter() - started


def run(name: str, url: str, entries: int, writes: int) -> None:
    store = Store.open(url)
    filled = fill(store, entries)
    chained, peer = chained_writes(store, writes), plain_writes(store, writes)
    started = time.perf_counter()
    check = store.verify_audit()
    verify = time.perf_counter() - started
    read = read_only(store)
    assert check.ok and check.entries == entries + writes
    print(f"{name}: fill {entries:,} entries in one transaction: {entries / filled:,.0f}/s")
    print(
        f"{name}: one entry per transaction: chained {chained / writes * 1e3:.2f} ms, "
        f"plain insert {peer / writes * 1e3:.2f} ms (x{chained / peer:.2f})"
    )
    print(
        f"{name}: verify {check.entries:,} entries {verify:.2f} s "
        f"({check.entries / verify:,.0f}/s); reading them only {read:.2f} s (x{verify / read:.1f})"
    )
    store.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--writes", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("sqlite", f"sqlite:///{folder}/audit.sqlite", args.entries, args.writes)
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
        run("postgresql", url, args.entries, args.writes)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main()
