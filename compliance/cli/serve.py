"""The ``serve`` command: N dashboard servers behind HAProxy on one address (README "Several
processes and hosts").

The checks that need no process run first and fail alone: a usage error exits 2, a
missing HAProxy or a SQLite store under several processes exits 1 with how to fix it
(several processes need the shared PostgreSQL store, DESIGN.md "The store"). The store
is then opened once, so its migrations run before any server starts, and
:func:`compliance.serving.run` takes over.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from typing import TYPE_CHECKING

from compliance.errors import UsageError, UserError

if TYPE_CHECKING:
    from compliance.serving import Plan

DEFAULT_PORT = 8501


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of 0 or more")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r}: give a port from 1 to 65535")
    return int(text)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve", help="run N dashboard servers behind HAProxy on one address"
    )
    serve.add_argument(
        "--processes", type=_count, default=1, metavar="N",
        help="dashboard servers to start here, on 127.0.0.1 ports P+1..P+N (default 1)",
    )
    serve.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, metavar="P",
        help=f"the proxy's port (default {DEFAULT_PORT})",
    )
    serve.add_argument(
        "--address", default="127.0.0.1", metavar="A",
        help="where the proxy listens (with --no-proxy: the servers) (default 127.0.0.1)",
    )
    serve.add_argument(
        "--backend", action="append", default=[], metavar="HOST:PORT",
        help="a dashboard server on another host for the proxy too (repeatable)",
    )
    serve.add_argument(
        "--no-proxy", action="store_true",
        help="start only the dashboard servers, on A, for a proxy on another host",
    )
    serve.add_argument(
        "--print-config", action="store_true",
        help="print the proxy's haproxy.cfg and exit (for a system HAProxy)",
    )
    serve.add_argument("--db", metavar="URL", help="database URL (default COMPLIANCE_DB)")
    serve.set_defaults(handler=run_serve)


def plan_from(args: argparse.Namespace, environ: dict[str, str]) -> Plan:
    """The servers and proxy ``args`` ask for; UsageError for arguments that cannot work."""
    from compliance.serving import Plan
    from compliance.serving_config import Server, local_servers, parse_backend
    from compliance.store.url import database_url

    if args.processes == 0 and not args.backend:
        raise UsageError("nothing to serve: give --processes 1 or more, or --backend")
    if args.no_proxy and (args.backend or args.print_config):
        raise UsageError("--no-proxy starts only local servers: give it without --backend "
                         "or --print-config")
    if args.port + args.processes > 65535:
        raise UsageError(f"--port {args.port}: the servers' ports P+1..P+N pass 65535")
    local = local_servers(args.processes, args.port)
    if args.no_proxy:
        local = [Server(s.name, args.address, s.port) for s in local]
    try:
        remote = [parse_backend(text, f"h{n}") for n, text in enumerate(args.backend, 1)]
    except ValueError as error:
        raise UsageError(f"--backend {error}") from None
    url = database_url(environ, args.db)
    return Plan(url, local, [*local, *remote], args.port, args.address, not args.no_proxy)


def haproxy_path() -> str | None:
    """Debian's ``/usr/sbin/haproxy``, else one on the PATH, else None."""
    from compliance.serving import HAPROXY

    return HAPROXY if os.access(HAPROXY, os.X_OK) else shutil.which("haproxy")


def check_plan(plan: Plan, haproxy: str | None) -> None:
    """UserError (exit 1) for a plan that cannot run on this machine or this store."""
    if plan.proxy and haproxy is None:
        raise UserError(
            "HAProxy is not installed (no /usr/sbin/haproxy): install Debian's package with "
            "`apt-get install haproxy`, or start only the servers with --no-proxy"
        )
    if len(plan.servers) > 1 and plan.url.startswith("sqlite"):
        raise UserError(
            f"the store is SQLite ({plan.url}): several dashboard processes need the shared "
            "PostgreSQL store (DESIGN.md \"The store\"); give --db or COMPLIANCE_DB a "
            "postgresql+psycopg:// URL, or serve one process with --processes 1"
        )


def run_serve(args: argparse.Namespace) -> int:
    from dataclasses import replace

    plan = plan_from(args, dict(os.environ))
    if args.print_config:
        from compliance.serving_config import config_text

        sys.stdout.write(config_text(plan.servers, port=plan.port, address=plan.address))
        return 0
    haproxy = haproxy_path()
    check_plan(plan, haproxy)
    from compliance import serving

    if not serving.prepare_store(plan.url):
        return 1
    return serving.run(replace(plan, haproxy=haproxy or serving.HAPROXY))
