"""The demo force's people and completion events, drawn with a seeded generator.

People get units, ranks, service dates, managers and e-mails; each course's completions
are drawn per person with the diligence of their department (see :mod:`data.demo_catalogue`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.demo_catalogue import (
    CHIEF_CONSTABLE,
    COURSES,
    DAYS_PER_MONTH,
    DEPARTMENTS,
    EMAIL_DOMAIN,
    FORENAMES,
    MATRIX_COURSE_COLUMNS,
    NOT_DONE_STATUSES,
    OFFICER_RANKS,
    PEOPLE,
    PER_COURSE_FROM,
    REFERENCE_DATE,
    SPECIAL_RANKS,
    STAFF_TYPES,
    SURNAMES,
    Course,
)


def build_people(rng: np.random.Generator, count: int = PEOPLE) -> pd.DataFrame:
    """One row per person: IDs, names, unit path, role, dates, manager, email."""
    teams = pd.DataFrame(
        [
            (dept_index, dept.division, dept.name, team, dept.team_weight)
            for dept_index, dept in enumerate(DEPARTMENTS)
            for team in dept.teams
        ],
        columns=["dept_index", "division", "department", "team", "weight"],
    )
    sizes = rng.multinomial(count, teams["weight"] / teams["weight"].sum())
    people = teams.loc[np.repeat(teams.index, sizes)].reset_index(drop=True)
    people["level"] = _leader_levels(people)
    people["diligence"] = [DEPARTMENTS[i].diligence for i in people["dept_index"]]
    people["staff_type"] = _staff_types(people, rng)
    people["forename"] = rng.choice(FORENAMES, count)
    people["surname"] = rng.choice(SURNAMES, count)
    people["person_id"] = _person_ids(people["staff_type"], rng)
    people["role"] = _roles(people, rng)
    people["start_date"], people["leave_date"] = _service_dates(people, rng)
    people["manager"] = _managers(people)
    people["email"] = _emails(people)
    return people.drop(columns=["weight"])


def _leader_levels(people: pd.DataFrame) -> np.ndarray:
    """3 = division head, 2 = department head, 1 = team leader, 0 = everyone else."""
    level = np.zeros(len(people), dtype=int)
    for rank, keys in enumerate((["team"], ["department"], []), start=1):
        first = people.groupby(["division", *keys]).cumcount().to_numpy() == 0
        level[first] = rank
    return level


def _staff_types(people: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    mix = np.array([DEPARTMENTS[i].mix for i in people["dept_index"]])
    cumulative = mix.cumsum(axis=1)
    draw = rng.random(len(people))
    kind = np.minimum((draw[:, None] > cumulative).sum(axis=1), len(STAFF_TYPES) - 1)
    leader_kind = mix.argmax(axis=1)
    kind = np.where(people["level"] > 0, leader_kind, kind)
    return np.array(STAFF_TYPES)[kind]


def _person_ids(staff_type: pd.Series, rng: np.random.Generator) -> np.ndarray:
    """Collar numbers (1..9999) for warranted roles, 5-digit payroll numbers for staff."""
    ids = np.zeros(len(staff_type), dtype=int)
    staff = (staff_type == "staff").to_numpy()
    ids[~staff] = rng.choice(np.arange(1, 10000), (~staff).sum(), replace=False)
    ids[staff] = rng.choice(np.arange(60000, 70000), staff.sum(), replace=False)
    return ids


def _roles(people: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    role = np.empty(len(people), dtype=object)
    kind = people["staff_type"].to_numpy()
    for ranks, mask in ((OFFICER_RANKS, kind == "officer"), (SPECIAL_RANKS, kind == "special")):
        names, weights = zip(*ranks, strict=True)
        role[mask] = rng.choice(names, mask.sum(), p=weights)
    role[kind == "pcso"] = "PCSO"
    dept_index = people["dept_index"].to_numpy()
    for index, dept in enumerate(DEPARTMENTS):
        mask = (kind == "staff") & (dept_index == index)
        role[mask] = rng.choice(dept.staff_titles, mask.sum())
    officer = kind == "officer"
    level = people["level"].to_numpy()
    leader_titles = {
        1: ("Sergeant", "Team Leader"),
        2: ("Chief Inspector", "Department Manager"),
        3: ("Chief Superintendent", "Director"),
    }
    for lvl, (rank, title) in leader_titles.items():
        role[(level == lvl) & officer] = rank
        role[(level == lvl) & ~officer] = title
    deputy = (people.groupby("division").cumcount().to_numpy() == 1) & officer
    role[deputy] = "Superintendent"
    return role


def _service_dates(people: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.Series, pd.Series]:
    """Long-serving majority, recent and future starters, past and future leavers."""
    n = len(people)
    leader = people["level"].to_numpy() > 0
    years = np.clip(rng.gamma(2.0, 5.0, n) + 0.4, 0.4, 34)
    years = np.where(leader, np.maximum(years, 8), years)
    start = REFERENCE_DATE - pd.to_timedelta(np.round(years * 365.25), unit="D")
    draw = rng.random(n)
    recent = (draw < 0.045) & ~leader
    future = (draw >= 0.045) & (draw < 0.057) & ~leader
    start = start.where(~recent, REFERENCE_DATE - pd.to_timedelta(rng.integers(1, 90, n), "D"))
    start = start.where(~future, REFERENCE_DATE + pd.to_timedelta(rng.integers(5, 75, n), "D"))
    draw = rng.random(n)
    settled = ~leader & ~recent & ~future
    left = (draw < 0.04) & settled
    leaving = (draw >= 0.04) & (draw < 0.05) & settled
    leave = pd.Series(pd.NaT, index=people.index, dtype="datetime64[ns]")
    leave[left] = REFERENCE_DATE - pd.to_timedelta(rng.integers(1, 330, left.sum()), "D")
    leave[leaving] = REFERENCE_DATE + pd.to_timedelta(rng.integers(1, 90, leaving.sum()), "D")
    return pd.Series(start, index=people.index), leave


def _managers(people: pd.DataFrame) -> pd.Series:
    """Everyone reports to their team's first member, who reports one level up."""
    display = people["surname"] + ", " + people["forename"]
    heads = {
        level: display.groupby([people[key] for key in keys]).transform("first")
        for level, keys in (
            (0, ["division", "department", "team"]),
            (1, ["division", "department"]),
            (2, ["division"]),
        )
    }
    manager = heads[0].where(people["level"] == 0, heads[1])
    manager = manager.where(people["level"] <= 1, heads[2])
    manager = manager.where(manager != display, heads[2])
    return manager.where(people["level"] < 3, CHIEF_CONSTABLE)


def _emails(people: pd.DataFrame) -> pd.Series:
    def ascii_part(names: pd.Series) -> pd.Series:
        folded = names.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
        return folded.str.replace(r"[^A-Za-z]", "", regex=True)

    local = ascii_part(people["forename"]) + "." + ascii_part(people["surname"])
    repeat = local.str.lower().to_frame("key").groupby("key").cumcount()
    suffix = repeat.where(repeat == 0, repeat + 1).astype(str).where(repeat > 0, "")
    return local + suffix + "@" + EMAIL_DOMAIN


def build_completions(people: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Completion events (counting or not) for every person a requirement applies to."""
    frames = [_course_events(people, course, rng) for course in COURSES]
    events = pd.concat(frames, ignore_index=True)
    return events.sort_values(["completed_on", "person_id"], kind="stable").reset_index(drop=True)


def _course_events(people: pd.DataFrame, course: Course, rng: np.random.Generator) -> pd.DataFrame:
    started = people["start_date"] <= REFERENCE_DATE
    applies = people["staff_type"].isin(course.staff_types) & started
    if course.unit_prefix:
        path = people["division"] + " / " + people["department"]
        applies &= path.str.startswith(course.unit_prefix)
    who = people[applies].reset_index(drop=True)
    n = len(who)
    slack = 1 - who["diligence"].to_numpy() + np.where(who["level"] > 0, -0.05, 0.0)
    new_starter = (who["start_date"] > REFERENCE_DATE - pd.Timedelta(days=90)).to_numpy()
    p_never = np.where(new_starter, 0.55, 0.015 + 0.3 * slack)
    renewing = course.renewal_months is not None
    p_lapsed = np.where(new_starter | (not renewing), 0.0, 0.02 + 0.5 * slack)
    p_expiring = np.where(new_starter | (not renewing), 0.0, 0.05)
    draw = rng.random(n)
    category = np.select(
        [draw < p_never, draw < p_never + p_lapsed, draw < p_never + p_lapsed + p_expiring],
        ["never", "lapsed", "expiring"],
        "current",
    )
    period = (course.renewal_months or 30) * DAYS_PER_MONTH
    fresh = period - 40
    if course.not_before is not None:
        fresh = min(fresh, (REFERENCE_DATE - course.not_before).days - 1)
    age = np.select(
        [category == "current", category == "expiring", category == "lapsed"],
        [rng.uniform(0, fresh, n), rng.uniform(period - 27, period - 2, n),
         rng.uniform(period + 3, period + 420, n)],
        0.0,
    )
    completed = REFERENCE_DATE - pd.to_timedelta(np.round(age), unit="D")
    completed = completed.where(completed >= who["start_date"], between(who["start_date"], rng))
    done = who.assign(completed_on=completed, status="Completed")[category != "never"]
    parts = [done]
    if renewing:
        previous = done[rng.random(len(done)) < 0.15]
        earlier = previous["completed_on"] - pd.to_timedelta(
            np.round(period * rng.uniform(0.85, 1.0, len(previous))), unit="D"
        )
        parts.append(previous.assign(completed_on=earlier)[earlier >= previous["start_date"]])
    has_left = done["leave_date"] < REFERENCE_DATE
    after_leaving = done[has_left & (rng.random(len(done)) < 0.3)]
    parts.append(after_leaving.assign(completed_on=between(after_leaving["leave_date"], rng)))
    missing = who[(category != "current") & (rng.random(n) < 0.08)]
    parts.append(
        missing.assign(
            completed_on=between(pd.Series(REFERENCE_DATE - pd.Timedelta(days=120),
                                            index=missing.index), rng),
            status=rng.choice(NOT_DONE_STATUSES, len(missing)),
        )
    )
    events = pd.concat(parts, ignore_index=True)
    minutes = rng.integers(7 * 60, 19 * 60, len(events))
    events["completed_on"] = events["completed_on"].dt.normalize() + pd.to_timedelta(minutes, "m")
    events["requirement"] = course.requirement
    events["title"] = rng.choice(course.titles, len(events))
    return events


def between(start: pd.Series, rng: np.random.Generator) -> pd.Series:
    """A day between each ``start`` and the reference date (inclusive)."""
    span = (REFERENCE_DATE - start).dt.days.clip(lower=0).to_numpy()
    offset = np.floor(rng.random(len(start)) * (span + 1))
    return start + pd.to_timedelta(offset, unit="D")


def route_events(events: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """Which exported file each event appears in."""
    channel = pd.Series("lms", index=events.index)
    per_course = (
        (events["requirement"] == "Managing Information")
        & (events["completed_on"] >= PER_COURSE_FROM)
        & (events["status"] == "Completed")
        & (rng.random(len(events)) < 0.8)
    )
    channel[per_course] = "per_course"
    platform = (events["requirement"] == "Information Security Awareness") & (
        events["staff_type"] == "staff"
    )
    channel[platform] = "platform"
    channel[events["requirement"].isin(MATRIX_COURSE_COLUMNS)] = "matrix"
    return channel


