"""The national benchmark data set: 43 forces with their own unit trees, ten years of training.

Seeded and deterministic. Canonical frames in memory (:func:`national_frames`), the files an
HR system and a learning system would export (:func:`write_files`: CSV with UK date-times
and an xlsx of the first completion rows), and a store imported through
``Store.import_frame`` (:func:`build_store`). Everything is written under ``bench/out/``.

    .venv/bin/python bench/national.py --files --sqlite [--postgres URL] [--people 3000]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import national_files
from bench.national_names import (
    AREAS,
    COMMANDS,
    DEEPER,
    FIRST_NAMES,
    FORCES,
    OTHER_COURSES,
    REASONS,
    ROLES,
    STAFF_TYPES,
    SUPPORT,
    SURNAMES,
    TEAMS,
    TITLES,
    TOWNS,
)
from compliance.rules import Rules, load_rules
from compliance.store import Store

SEED = 14
PEOPLE = 300_000
COMPLETIONS = 3_000_000
AS_OF = pd.Timestamp("2026-11-01")
OUT = Path(__file__).resolve().parent / "out"
REQUIREMENTS = Path(__file__).resolve().parent / "national_requirements.yaml"
RELEVANT_SHARE = 0.62
"""Share of completion rows for a required course; the rest are other courses."""
NO_DAY = -1
TODAY = int(AS_OF.to_datetime64().astype("datetime64[D]").astype(np.int64))
FIRST_DAY = TODAY - 3652
"""Completions cover the ten years up to ``AS_OF``."""


@dataclass(frozen=True)
class National:
    """The canonical frames (columns and dtypes as the store hands them over) and the rules."""

    roster: pd.DataFrame
    completions: pd.DataFrame
    exemptions: pd.DataFrame
    rules: Rules
    as_of: pd.Timestamp = AS_OF


def national_frames(
    seed: int = SEED, people: int = PEOPLE, completions: int = COMPLETIONS
) -> National:
    """The whole data set for ``seed``; the same arguments always give equal frames."""
    rng = np.random.default_rng(seed)
    rules = load_rules(REQUIREMENTS)
    roster = national_roster(people, rng)
    return National(
        roster=roster,
        completions=national_completions(roster, rules, completions, rng),
        exemptions=national_exemptions(roster, rules, rng),
        rules=rules,
    )


def national_roster(people: int, rng: np.random.Generator) -> pd.DataFrame:
    """One row per person; each force's people spread over that force's own unit tree."""
    sizes = np.array([size for _, size, _ in FORCES])
    force = np.sort(rng.choice(len(FORCES), size=people, p=sizes / sizes.sum()))
    trees = [unit_tree(name, size, rng) for name, size, _ in FORCES]
    leaves = [path for tree in trees for path in tree]
    first_leaf = np.cumsum([0, *(len(tree) for tree in trees)])
    leaf = np.empty(people, dtype=np.int64)
    for f, tree in enumerate(trees):
        weight = rng.gamma(2.0, size=len(tree)) * [3.0 if "Team" in p[-1] else 1 for p in tree]
        mine = np.flatnonzero(force == f)
        leaf[mine] = first_leaf[f] + rng.choice(len(tree), size=len(mine), p=weight / weight.sum())
    support = np.array([path[1] in SUPPORT for path in leaves])[leaf]
    staff_type = _staff_types(support, rng)
    serial = (np.arange(people) + 100_001).astype(str).astype(object)
    prefix = np.array([code for _, _, code in FORCES], dtype=object)[force]
    numeric = (force * 1_000_000 + np.arange(people) + 100_001).astype(str).astype(object)
    first = np.array(FIRST_NAMES, dtype=object)[rng.integers(len(FIRST_NAMES), size=people)]
    last = np.array(SURNAMES, dtype=object)[rng.integers(len(SURNAMES), size=people)]
    domains = [f"{(code or name[:4]).lower()}.police.uk" for name, _, code in FORCES]
    local = pd.Series(first + "." + last).str.lower().str.replace("'", "").to_numpy(dtype=object)
    service = np.minimum(rng.exponential(9 * 365, size=people), 40 * 365).astype(np.int64)
    start = TODAY + 30 - service
    fate = rng.random(people)
    leave = np.where(fate < 0.06, np.minimum(start + rng.integers(30, 3650, people), TODAY), NO_DAY)
    leave = np.where(fate > 0.985, TODAY + rng.integers(1, 180, people), leave)
    managers = np.array([f"Insp {SURNAMES[k % len(SURNAMES)]}" for k in range(len(leaves))])
    levels = max(len(path) for path in leaves)
    return pd.DataFrame(
        {
            "person_id": np.where(prefix == "", numeric, prefix + serial),
            "name": first + " " + last,
            "email": local + "." + serial + "@" + np.array(domains, dtype=object)[force],
            "unit": np.array([" / ".join(path) for path in leaves], dtype=object)[leaf],
            **{f"unit_{k + 1}": _level(leaves, k)[leaf] for k in range(levels)},
            "role": _roles(staff_type, rng),
            "staff_type": staff_type,
            "start_date": _dates(start),
            "leave_date": _dates(leave),
            "manager": np.where(rng.random(people) < 0.9, managers.astype(object)[leaf], None),
            "source_file": "roster.csv",
            "source_row": np.arange(2, people + 2, dtype=np.int64),
        }
    )


def unit_tree(force: str, size: float, rng: np.random.Generator) -> list[tuple[str, ...]]:
    """The leaf unit paths of one force: its BCUs and commands, departments, units, teams.

    Larger forces have more BCUs; each force drops some departments and sizes its teams
    itself, so no two trees are alike and depths run from three levels to five.
    """
    count = int(np.clip(size // 1.5, 2, len(AREAS)))
    leaves: list[tuple[str, ...]] = []
    for area in rng.permutation(AREAS)[:count]:
        bcu = f"{area} BCU"
        leaves += [(force, bcu, "Response", team) for team in TEAMS[: rng.integers(3, 7)]]
        leaves += [
            (force, bcu, "Neighbourhood Policing", f"{town} Neighbourhood Team")
            for town in rng.permutation(TOWNS)[: rng.integers(2, 7)]
        ]
        leaves += [(force, bcu, name) for name in ("CID", "Safeguarding Hub") if rng.random() < 0.8]
    for command, departments in COMMANDS.items():
        if command in SUPPORT and rng.random() < 0.15:
            continue
        for department, units in departments:
            if department != "Custody" and rng.random() < 0.2:
                continue
            for unit in units or (None,):
                path = (force, command, department) + ((unit,) if unit else ())
                leaves += [(*path, team) for team in DEEPER.get(unit, ())] or [path]
    return leaves


def _level(leaves: list[tuple[str, ...]], k: int) -> np.ndarray:
    return np.array([path[k] if k < len(path) else None for path in leaves], dtype=object)


def _staff_types(support: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    operational = rng.choice(len(STAFF_TYPES), size=len(support), p=[0.72, 0.14, 0.08, 0.05, 0.01])
    back_office = rng.choice(len(STAFF_TYPES), size=len(support), p=[0.12, 0.85, 0.0, 0.0, 0.03])
    return np.array(STAFF_TYPES, dtype=object)[np.where(support, back_office, operational)]


def _roles(staff_type: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    roles = np.empty(len(staff_type), dtype=object)
    for kind, choices in ROLES.items():
        rows = np.flatnonzero(staff_type == kind)
        names, chance = zip(*choices, strict=True)
        roles[rows] = np.array(names, dtype=object)[rng.choice(len(names), len(rows), p=chance)]
    return roles


def national_completions(
    roster: pd.DataFrame, rules: Rules, rows: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Completion rows over ten years, oldest first: runs of renewals per (person, course)
    under every spelling and code the rules accept, other courses, rows by email only, and
    people no roster has."""
    people, relevant = len(roster), int(rows * RELEVANT_SHARE)
    who = rng.integers(people, size=relevant)
    requirement = rng.integers(len(TITLES), size=relevant)
    for j, req in enumerate(rules.requirements):  # unit-scoped courses are done in those units
        if req.applies_to.unit:
            inside = np.flatnonzero(_under(roster["unit"], req.applies_to.unit))
            rows_j = np.flatnonzero(requirement == j)
            who[rows_j] = inside[rng.integers(len(inside), size=len(rows_j))]
    months = np.array([r.renewal_months or 24 for r in rules.requirements])[requirement]
    renewals = rng.integers(0, 5, size=relevant) * months * rng.uniform(29, 31.5, relevant)
    start = _day_numbers(roster["start_date"])[who]
    day = np.maximum(start, FIRST_DAY) + rng.integers(0, 400, relevant) + renewals.astype(np.int64)
    day = np.where(day > TODAY, rng.integers(FIRST_DAY, TODAY + 1, size=relevant), day)
    spellings = np.array([len(t) for t in TITLES])[requirement]
    flat = [pair for titles in TITLES for pair in titles]
    spelling = np.cumsum([0, *(len(t) for t in TITLES)])[requirement]
    spelling += (rng.random(relevant) * spellings).astype(np.int64)
    others = rows - relevant
    other = np.array(OTHER_COURSES, dtype=object)[rng.integers(len(OTHER_COURSES), size=others)]
    course = np.concatenate([np.array([t for t, _ in flat], dtype=object)[spelling], other])
    code = np.concatenate([np.array([c for _, c in flat], dtype=object)[spelling], [None] * others])
    who = np.concatenate([who, rng.integers(people, size=others)])
    day = np.concatenate([day, rng.integers(FIRST_DAY, TODAY + 1, size=others)])
    ids, emails = _identities(roster, who, rng)
    order = np.argsort(day, kind="stable")
    return pd.DataFrame(
        {
            "person_id": ids[order],
            "email": emails[order],
            "course": course[order],
            "course_code": code.astype(object)[order],
            "completed_on": _dates(day[order]),
            "source_file": "completions.csv",
            "source_row": np.arange(2, rows + 2, dtype=np.int64),
        }
    )


def _identities(
    roster: pd.DataFrame, who: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(person_id, email) per row: both 35%, ID only 40%, email only 23%, a leaver 2%."""
    ids = roster["person_id"].to_numpy(dtype=object)[who]
    emails = roster["email"].to_numpy(dtype=object)[who]
    kind = rng.random(len(who))
    leaver = np.char.add("LEFT", rng.integers(10_000, 99_999, size=len(who)).astype(str))
    ids = np.where(kind < 0.23, None, np.where(kind > 0.98, leaver.astype(object), ids))
    emails = np.where((kind >= 0.23) & (kind < 0.63), None, emails)
    left = np.char.add(np.char.lower(leaver), "@old.police.uk").astype(object)
    return ids, np.where(kind > 0.98, left, emails)


def national_exemptions(
    roster: pd.DataFrame, rules: Rules, rng: np.random.Generator
) -> pd.DataFrame:
    """About 1% of people exempt: from everything (``*``), one course by name or alias."""
    count = max(1, len(roster) // 100)
    aliases = ["GDPR Awareness", "EDI Essentials"]
    names = ["*"] * 3 + [r.course for r in rules.requirements] + aliases
    begin = TODAY - rng.integers(0, 5 * 365, size=count)
    end = begin + rng.integers(30, 700, size=count)
    return pd.DataFrame(
        {
            "person_id": roster["person_id"].to_numpy(dtype=object)[
                rng.integers(len(roster), size=count)
            ],
            "course": np.array(names, dtype=object)[rng.integers(len(names), size=count)],
            "from": _dates(np.where(rng.random(count) < 0.1, NO_DAY, begin)),
            "until": _dates(np.where(rng.random(count) < 0.2, NO_DAY, end)),
            "reason": np.array(REASONS, dtype=object)[rng.integers(len(REASONS), size=count)],
            "source_file": "exemptions.csv",
            "source_row": np.arange(2, count + 2, dtype=np.int64),
        }
    )


def _under(units: pd.Series, prefixes: tuple[str, ...]) -> np.ndarray:
    text = units.astype("string")
    hit = np.zeros(len(units), dtype=bool)
    for prefix in prefixes:
        below = text.eq(prefix) | text.str.startswith(prefix + " / ")
        hit |= below.fillna(False).to_numpy(dtype=bool)
    return hit


def _dates(days: np.ndarray) -> pd.Series:
    """Day numbers (since 1970-01-01; ``NO_DAY`` for none) as ``datetime64[ns]`` dates."""
    stamps = np.where(days == NO_DAY, np.datetime64("NaT"), days.astype("datetime64[D]"))
    return pd.Series(stamps.astype("datetime64[ns]"))


def _day_numbers(dates: pd.Series) -> np.ndarray:
    return dates.to_numpy().astype("datetime64[D]").astype(np.int64)


def write_files(directory: Path | str = OUT, data: National | None = None) -> dict[str, Path]:
    """The roster, completions and exemptions as exported files (see ``national_files``)."""
    return national_files.write_files(Path(directory), data or national_frames())


def build_store(url: str, data: National | None = None) -> Store:
    """A store at ``url`` holding the data set: rules, roster (effective ``as_of``),
    completions and exemptions, imported as frames like the upload page does."""
    return national_files.build_store(url, data or national_frames())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--completions", type=int, default=COMPLETIONS)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--files", action="store_true", help="write the CSV and xlsx files")
    parser.add_argument("--sqlite", action="store_true", help="build OUT/national.sqlite")
    parser.add_argument("--postgres", metavar="URL", help="import into this PostgreSQL URL too")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    data = national_frames(args.seed, args.people, args.completions)
    print(
        f"frames: {len(data.roster):,} people, {len(data.completions):,} completions, "
        f"{len(data.exemptions):,} exemptions in {time.perf_counter() - began:.1f} s"
    )
    if args.files:
        for path in write_files(args.out, data).values():
            print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    if args.sqlite:
        path = args.out / "national.sqlite"
        path.unlink(missing_ok=True)
        args.out.mkdir(parents=True, exist_ok=True)
        build_store(f"sqlite:///{path}", data).engine.dispose()
        print(f"built {path}")
    if args.postgres:
        build_store(args.postgres, data).engine.dispose()
        print("imported into PostgreSQL")


if __name__ == "__main__":
    main()
