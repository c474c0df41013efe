"""The ``users`` commands: add, list, disable, enable, reset-password and set-role accounts.

Run by whoever administers the server (the OS user is recorded as who acted, or
``--user``). A new account without ``--password-stdin`` gets a one-time password, printed
once and to be changed at the first sign-in; no other output ever holds a password.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from compliance.cli.output import write_csv_stdout

if TYPE_CHECKING:
    from compliance.store import Store

ROLES = ("admin", "manager", "viewer", "auditor")
"""As ``compliance.auth.ROLES``, known here without importing argon2 to build the parser."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    users = subparsers.add_parser("users", help="manage the accounts that may sign in")
    commands = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = commands.add_parser("add", help="create an account")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=ROLES)
    _units(add)
    add.add_argument("--email", metavar="E", help="the e-mail single sign-on knows them by")
    add.add_argument(
        "--password-stdin", action="store_true",
        help="read the password from standard input (else a one-time one is printed)",
    )
    add.set_defaults(handler=run_add)
    listing = commands.add_parser("list", help="every account (no passwords)")
    listing.set_defaults(handler=run_list)
    for name, handler, text in (
        ("disable", run_disable, "stop an account signing in"),
        ("enable", run_enable, "let a disabled (or locked) account sign in again"),
        ("reset-password", run_reset, "print a new one-time password for an account"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("name", metavar="NAME")
        command.set_defaults(handler=handler)
    role = commands.add_parser("set-role", help="change an account's role (and units)")
    role.add_argument("name", metavar="NAME")
    role.add_argument("role", choices=ROLES, metavar="ROLE")
    _units(role)
    role.set_defaults(handler=run_set_role)
    for command in commands.choices.values():
        command.add_argument("--db", metavar="URL", help="database URL (default COMPLIANCE_DB)")
        command.add_argument("--user", default=None, help="who acts (default: your login name)")


def _units(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--unit", action="append", default=[], metavar="UNIT",
        help='a unit a viewer may see, at any level (repeatable), e.g. --unit "North / CID"',
    )


def run_add(args: argparse.Namespace) -> int:
    from compliance import account_admin

    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else None
    one_time = account_admin.add(
        _open(args), args.name, role=args.role, units=tuple(args.unit), email=args.email,
        password=password, by=_user(args),
    )
    print(f"Added {args.name.strip().casefold()} ({args.role})")
    if one_time is not None:
        print(f"one-time password {one_time} (to be changed at the first sign-in)")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from compliance import account_admin

    frame = account_admin.listing(_open(args))
    write_csv_stdout(frame.assign(locked_until=frame["locked_until"].dt.strftime("%Y-%m-%dT%H:%M")))
    return 0


def run_disable(args: argparse.Namespace) -> int:
    return _set_disabled(args, disabled=True)


def run_enable(args: argparse.Namespace) -> int:
    return _set_disabled(args, disabled=False)


def _set_disabled(args: argparse.Namespace, *, disabled: bool) -> int:
    from compliance import account_admin

    account_admin.set_disabled(_open(args), args.name, disabled=disabled, by=_user(args))
    print(f"{'Disabled' if disabled else 'Enabled'} {args.name.strip().casefold()}")
    return 0


def run_reset(args: argparse.Namespace) -> int:
    from compliance import account_admin

    password = account_admin.reset_password(_open(args), args.name, by=_user(args))
    print(f"one-time password {password} (to be changed at the next sign-in)")
    return 0


def run_set_role(args: argparse.Namespace) -> int:
    from compliance import account_admin

    account_admin.set_role(_open(args), args.name, args.role, tuple(args.unit), by=_user(args))
    print(f"{args.name.strip().casefold()} is now {args.role}")
    return 0


def _open(args: argparse.Namespace) -> Store:
    from compliance.store import Store

    return Store.open(args.db)


def _user(args: argparse.Namespace) -> str:
    return args.user or getpass.getuser()
