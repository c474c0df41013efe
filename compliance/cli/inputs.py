"""A table command's inputs: roster, completions, exemptions and rules, from files or the store.

Files are loaded through :func:`loaders.load` and a short summary of each one's problems
goes to stderr; without ``--roster`` and ``--completions`` the store is read instead.
The rules parser and the store (SQLAlchemy, Alembic) are imported only when needed.
"""

from __future__ import annotations

import argparse
import shlex
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from compliance.cli.arguments import PROG, mapping_for
from compliance.cli.output import print_lines
from compliance.errors import UnusableInput, UsageError
from loaders import LoadResult, load
from loaders.report import format_problem

if TYPE_CHECKING:
    from compliance.rules import Rules

SHOWN_PROBLEMS = 3


@dataclass
class Inputs:
    """Everything a status computation needs, read from files or from the store."""

    roster: pd.DataFrame
    completions: pd.DataFrame
    exemptions: pd.DataFrame | None
    rules: Rules


def read_inputs(args: argparse.Namespace, mapping: dict[str, str], as_of: date) -> Inputs:
    """From the files given, or from the store when neither roster nor completions are."""
    if has_files(args):
        return inputs_from_files(args, mapping, as_of)
    return inputs_from_store(args)


def has_files(args: argparse.Namespace) -> bool:
    """True for ``--roster`` with ``--completions`` (and ``--requirements``), False for
    neither; one without the other is a usage error."""
    given = (args.roster is not None, bool(args.completions))
    if given == (True, True):
        if args.requirements is None:
            raise UsageError("give --requirements with --roster and --completions")
        return True
    if any(given):
        raise UsageError("give --roster and --completions")
    return False


def load_file(kind: str, path: str, mapping: dict[str, str], **options: Any) -> LoadResult:
    """Read and load one file; raises :class:`UnusableInput` when it cannot be used."""
    data = Path(path).read_bytes()
    result = load(kind, data, Path(path).name, mapping=mapping_for(kind, mapping), **options)
    if not result.usable:
        raise UnusableInput(result.report.fatal_message())
    return result


def inputs_from_files(args: argparse.Namespace, mapping: dict[str, str], as_of: date) -> Inputs:
    """Load every file named on the command line; stop at the first unusable one."""
    from compliance.rules import load_rules

    rules = load_rules(Path(args.requirements))
    month_first = True if args.month_first else None
    today = max(date.today(), as_of)
    roster = load_file("roster", args.roster, mapping, month_first=month_first)
    loaded = [(roster, args.roster)]
    completions = []
    for path in args.completions:
        result = load_file(
            "completions", path, mapping, month_first=month_first,
            match_course=rules.match_titles, course=args.course, today=today,
        )
        loaded.append((result, path))
        completions.append(result.frame)
    exemptions = None
    if args.exemptions:
        result = load_file("exemptions", args.exemptions, mapping, month_first=month_first)
        loaded.append((result, args.exemptions))
        exemptions = result.frame
    for result, path in loaded:
        print_lines(problem_summary(result, path))
    frames = [frame for frame in completions if not frame.empty]
    combined = pd.concat(frames, ignore_index=True) if frames else completions[0]
    return Inputs(roster.frame, combined, exemptions, rules)


def inputs_from_store(args: argparse.Namespace) -> Inputs:
    """The store's frames; ``--requirements`` replaces its rules. An empty store exits 1."""
    roster, completions, exemptions, rules = frames_from_store(args)
    if args.requirements is not None:
        from compliance.rules import load_rules

        rules = load_rules(Path(args.requirements))
    if rules is None:
        raise UnusableInput(
            f"the store has no requirements: import them ({PROG} import --kind requirements "
            "FILE) or give --requirements Q"
        )
    if roster.empty:
        raise UnusableInput(
            f"the store has no roster for that date: import one ({PROG} import --kind roster "
            "FILE) or give --roster and --completions"
        )
    return Inputs(roster, completions, exemptions, rules)


def frames_from_store(
    args: argparse.Namespace,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, Rules | None]:
    """Roster on ``args.as_of`` (default today), completions, exemptions, rules (or None)."""
    from compliance.store import Store

    store = Store.open(args.db)
    as_of = args.as_of or date.today()
    return store.roster(as_of), store.completions(), store.exemptions(), store.rules()


def problem_summary(result: LoadResult, path: str) -> list[str]:
    """Counts of a usable file's problems and the first few, for stderr."""
    report = result.report
    problems = report.problems[report.problems["severity"].isin(["error", "warning"])]
    if problems.empty:
        return []
    counts = problems["severity"].value_counts()
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in counts.index]
    lines = [
        f"{report.file}: loaded {report.rows_loaded} of {report.rows_read} rows; "
        + ", ".join(parts)
        + f" (full report: {PROG} check --kind {report.kind} {shlex.quote(path)})"
    ]
    lines += [f"  {format_problem(row)}" for _, row in problems.head(SHOWN_PROBLEMS).iterrows()]
    return lines
