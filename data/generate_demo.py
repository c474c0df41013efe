"""Build the demo force "Northshire Police": an HR roster, completion exports, exemptions.

The files are as messy as real exports (title rows, a totals row, a hidden sheet, several
date spellings, leading zeros, internal user numbers, unknown courses, failed attempts)
so the demo exercises the loaders the way a training manager's own files would. A fixed
seed and reference date make the output byte-identical between runs:

    python data/generate_demo.py        # rewrites data/demo/
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20261101
REFERENCE_DATE = pd.Timestamp("2026-11-01")
PEOPLE = 2000
OUT_DIR = Path(__file__).resolve().parent / "demo"
EMAIL_DOMAIN = "northshire.police.uk"
CHIEF_CONSTABLE = "Marsh, Caroline"
MATRIX_COURSE_COLUMNS = ("Safeguarding Vulnerable People", "Taser Refresher")
DAYS_PER_MONTH = 365.25 / 12

ROSTER_FILE = "hr_roster.xlsx"
LMS_FILE = "lms_completions.csv"
PLATFORM_FILE = "learning_platform.xlsx"
MATRIX_FILE = "course_matrix.xlsx"
PER_COURSE_FILE = "completion-managing_information (1).csv"
EXEMPTIONS_FILE = "exemptions.csv"

STAFF_TYPES = ("officer", "staff", "pcso", "special")
STAFF_TYPE_LABELS = {
    "officer": "Police Officer",
    "staff": "Police Staff",
    "pcso": "PCSO",
    "special": "Special Constable",
}


@dataclass(frozen=True)
class Department:
    division: str
    name: str
    teams: tuple[str, ...]
    mix: tuple[float, float, float, float]
    """Share of officer, staff, pcso, special."""
    diligence: float
    """How reliably this department keeps its training up to date (0..1)."""
    team_weight: float = 1.0
    staff_titles: tuple[str, ...] = ("Admin Officer",)


def _response(division: str, diligence: float) -> Department:
    teams = tuple(f"Response Team {n}" for n in range(1, 5))
    return Department(
        division, "Response", teams, (0.9, 0.02, 0.0, 0.08), diligence, 1.6,
        ("Investigation Support Officer",),
    )


DEPARTMENTS: tuple[Department, ...] = (
    _response("North Division", 0.9),
    Department(
        "North Division", "Neighbourhood Policing",
        ("Northton NPT", "Eastmoor NPT", "Hillside NPT"),
        (0.5, 0.05, 0.35, 0.1), 0.93, 1.0, ("Neighbourhood Support Officer", "Admin Officer"),
    ),
    Department(
        "North Division", "Custody", ("Northton Custody Suite",), (0.35, 0.65, 0.0, 0.0), 0.95,
        1.3, ("Detention Officer", "Custody Support Officer"),
    ),
    _response("South Division", 0.55),
    Department(
        "South Division", "Neighbourhood Policing",
        ("Southport NPT", "Riverside NPT", "Westfield NPT"),
        (0.5, 0.05, 0.35, 0.1), 0.84, 1.0, ("Neighbourhood Support Officer", "Admin Officer"),
    ),
    Department(
        "South Division", "Custody", ("Southport Custody Suite",), (0.35, 0.65, 0.0, 0.0), 0.9,
        1.3, ("Detention Officer", "Custody Support Officer"),
    ),
    Department(
        "Crime Command", "CID", ("North CID", "South CID", "Major Crime Team"),
        (0.8, 0.2, 0.0, 0.0), 0.88, 1.0, ("Investigator", "Case Officer"),
    ),
    Department(
        "Crime Command", "Public Protection", ("Child Protection", "Domestic Abuse", "MASH"),
        (0.6, 0.4, 0.0, 0.0), 0.94, 1.0, ("Investigator", "Referral Officer"),
    ),
    Department(
        "Crime Command", "Intelligence", ("Force Intelligence Bureau", "Analysis", "Source Unit"),
        (0.3, 0.7, 0.0, 0.0), 0.96, 0.8, ("Intelligence Analyst", "Intelligence Officer"),
    ),
    Department(
        "Operational Support", "Roads Policing", ("Roads Policing Unit", "Collision Investigation"),
        (0.85, 0.1, 0.0, 0.05), 0.9, 1.0, ("Collision Investigator", "Admin Officer"),
    ),
    Department(
        "Operational Support", "Armed Policing", ("ARV Team 1", "ARV Team 2", "Firearms Training"),
        (0.95, 0.05, 0.0, 0.0), 0.92, 0.9, ("Armourer", "Firearms Licensing Officer"),
    ),
    Department(
        "Operational Support", "Contact Management",
        ("Control Room", "Call Handling", "Enquiry Office"),
        (0.1, 0.9, 0.0, 0.0), 0.87, 1.3, ("Call Handler", "Dispatcher", "Enquiry Officer"),
    ),
    Department(
        "Corporate Services", "People Services",
        ("HR Advisory", "Occupational Health", "Learning and Development"),
        (0.05, 0.95, 0.0, 0.0), 0.97, 0.6, ("HR Advisor", "Occupational Health Nurse", "Trainer"),
    ),
    Department(
        "Corporate Services", "Information Management",
        ("Records", "Data Protection Office", "Information Security"),
        (0.02, 0.98, 0.0, 0.0), 0.98, 0.6, ("Records Officer", "Disclosure Officer", "Analyst"),
    ),
    Department(
        "Corporate Services", "Finance and Estates", ("Finance", "Estates", "Fleet"),
        (0.0, 1.0, 0.0, 0.0), 0.93, 0.6, ("Finance Officer", "Estates Officer", "Fleet Technician"),
    ),
)

FORENAMES = (
    "James", "Oliver", "Jack", "Harry", "George", "Thomas", "Daniel", "Samuel", "Joseph", "Adam",
    "Michael", "David", "Paul", "Mark", "Richard", "Stephen", "Andrew", "Christopher", "Matthew",
    "Liam", "Connor", "Mohammed", "Ahmed", "Imran", "Ravi", "Tomasz", "Piotr", "Kwame", "Seán",
    "Ciarán", "Amelia", "Olivia", "Emily", "Sophie", "Jessica", "Charlotte", "Hannah", "Lucy",
    "Sarah", "Laura", "Rebecca", "Emma", "Claire", "Rachel", "Nicola", "Gemma", "Kelly", "Fatima",
    "Aisha", "Priya", "Zoë", "Chloë", "Siobhán", "Niamh", "Agnieszka", "Joanna", "Grace", "Megan",
    "Eleanor", "Alice",
)
SURNAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes",
    "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin",
    "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison",
    "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price",
    "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey",
    "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall",
    "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman",
    "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews",
    "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell",
    "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "O'Brien", "O’Neill",
    "Nowak", "Kowalski", "Okafor", "Mensah", "Ahmed", "Chowdhury", "McDonald", "Fitzgerald",
)

OFFICER_RANKS = (("Constable", 0.82), ("Sergeant", 0.13), ("Inspector", 0.05))
SPECIAL_RANKS = (("Special Constable", 0.92), ("Special Sergeant", 0.08))


@dataclass(frozen=True)
class Course:
    """How the demo force's training for one requirement is recorded and kept up."""

    requirement: str
    titles: tuple[str, ...]
    """Spellings of the title in the learning systems (all match the requirement)."""
    staff_types: tuple[str, ...]
    renewal_months: int | None
    not_before: pd.Timestamp | None = None
    unit_prefix: str | None = None


COURSES: tuple[Course, ...] = (
    Course(
        "Managing Information",
        ("Managing Information", "Management of Information",
         "NCALT Managing Information (2024 refresh)"),
        STAFF_TYPES, 36,
    ),
    Course(
        "Information Security Awareness",
        ("Information Security Awareness", "Info Security Awareness"),
        STAFF_TYPES, 12,
    ),
    Course(
        "Data Protection (GDPR)",
        ("Data Protection (GDPR)", "GDPR Awareness", "DATA PROTECTION  (GDPR)"),
        STAFF_TYPES, 24, pd.Timestamp("2025-04-01"),
    ),
    Course(
        "Safeguarding Vulnerable People",
        ("Safeguarding Vulnerable People",),
        ("officer", "pcso"), None,
    ),
    Course(
        "Taser Refresher",
        ("Taser Refresher",),
        ("officer",), 12, None, "Operational Support / Armed Policing",
    ),
)
UNKNOWN_COURSES = (
    "Manual Handling", "Fire Safety Awareness", "Equality, Diversity and Inclusion",
    "Stop and Search Refresher",
)
NOT_DONE_STATUSES = ("In Progress", "Failed", "Completed (did not achieve pass grade)")
PER_COURSE_FROM = pd.Timestamp("2026-01-01")


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
    completed = completed.where(completed >= who["start_date"], _between(who["start_date"], rng))
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
    parts.append(after_leaving.assign(completed_on=_between(after_leaving["leave_date"], rng)))
    missing = who[(category != "current") & (rng.random(n) < 0.08)]
    parts.append(
        missing.assign(
            completed_on=_between(pd.Series(REFERENCE_DATE - pd.Timedelta(days=120),
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


def _between(start: pd.Series, rng: np.random.Generator) -> pd.Series:
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


def _excel_writer(buffer: io.BytesIO, date_format: str) -> pd.ExcelWriter:
    writer = pd.ExcelWriter(
        buffer, engine="xlsxwriter", date_format=date_format, datetime_format=date_format
    )
    writer.book.set_properties({"created": dt.datetime(2026, 11, 1, 8, 0)})
    return writer


def roster_xlsx(people: pd.DataFrame) -> bytes:
    """HR establishment report: title rows, header, data, totals row, hidden Salary sheet."""
    ordered = people.sort_values(["division", "department", "team", "surname", "forename"])
    collar = ordered["person_id"].astype(object)
    short = ordered["person_id"] < 1000
    collar[short] = ordered.loc[short, "person_id"].map("{:04d}".format)
    table = pd.DataFrame(
        {
            "Collar No": collar,
            "Surname": ordered["surname"],
            "Forename": ordered["forename"],
            "Division": ordered["division"],
            "Department": ordered["department"],
            "Team": ordered["team"],
            "Rank": ordered["role"],
            "Staff Type": ordered["staff_type"].map(STAFF_TYPE_LABELS),
            "Start Date": ordered["start_date"],
            "Leaving Date": ordered["leave_date"],
            "Line Manager": ordered["manager"],
            "Work Email": ordered["email"],
        }
    )
    buffer = io.BytesIO()
    with _excel_writer(buffer, "dd/mm/yyyy") as writer:
        table.to_excel(writer, sheet_name="Establishment", startrow=3, index=False)
        sheet = writer.sheets["Establishment"]
        bold = writer.book.add_format({"bold": True, "font_size": 14})
        sheet.write_string(0, 0, "Northshire Police - Establishment Report", bold)
        sheet.write_string(1, 0, "As at " + REFERENCE_DATE.strftime("%d/%m/%Y"))
        total_row = 3 + len(table) + 2
        sheet.write_string(total_row, 0, "Total headcount")
        sheet.write_number(total_row, 1, len(table))
        salary = pd.DataFrame(
            {"Collar No": collar, "Annual Salary": 24000 + (ordered["person_id"] % 97) * 420}
        )
        salary.to_excel(writer, sheet_name="Salary", index=False)
        writer.sheets["Salary"].hide()
    return buffer.getvalue()


def _uk_datetime(values: pd.Series) -> pd.Series:
    return values.dt.strftime("%d/%m/%Y %H:%M")


def lms_csv(events: pd.DataFrame, rng: np.random.Generator) -> bytes:
    """The main LMS export: Windows-1252, semicolons, UK text dates, statuses, strays."""
    rows = pd.DataFrame(
        {
            "Employee Number": events["person_id"].astype(str),
            "Full Name": events["forename"] + " " + events["surname"],
            "Learning Item Title": events["title"],
            "Completion Status": events["status"],
            "Completion Date": events["completed_on"],
        }
    )
    unknown = 60
    strays = pd.DataFrame(
        {
            "Employee Number": rng.choice(np.arange(1, 10000), unknown).astype(str),
            "Full Name": rng.choice(FORENAMES, unknown) + " " + rng.choice(SURNAMES, unknown),
            "Learning Item Title": rng.choice(UNKNOWN_COURSES, unknown),
            "Completion Status": "Completed",
            "Completion Date": _between(
                pd.Series(REFERENCE_DATE - pd.Timedelta(days=400), index=range(unknown)), rng
            ) + pd.Timedelta(hours=10),
        }
    )
    not_on_roster = 14
    strangers = pd.DataFrame(
        {
            "Employee Number": (99000 + np.arange(not_on_roster)).astype(str),
            "Full Name": rng.choice(FORENAMES, not_on_roster) + " "
            + rng.choice(SURNAMES, not_on_roster),
            "Learning Item Title": rng.choice(COURSES[0].titles, not_on_roster),
            "Completion Status": "Completed",
            "Completion Date": _between(
                pd.Series(REFERENCE_DATE - pd.Timedelta(days=300), index=range(not_on_roster)),
                rng,
            ) + pd.Timedelta(hours=15, minutes=12),
        }
    )
    table = pd.concat([rows, strays, strangers], ignore_index=True)
    table = table.sort_values("Completion Date", kind="stable")
    table["Completion Date"] = _uk_datetime(table["Completion Date"])
    text = table.to_csv(sep=";", index=False, lineterminator="\r\n")
    return text.encode("cp1252")


def platform_xlsx(events: pd.DataFrame, rng: np.random.Generator) -> bytes:
    """Second platform keyed by email; its ``User ID`` is an internal number, not a staff ID."""
    outsiders = 6
    contractors = pd.DataFrame(
        {
            "forename": rng.choice(FORENAMES, outsiders),
            "surname": rng.choice(SURNAMES, outsiders),
            "title": "Info Security Awareness",
            "completed_on": _between(
                pd.Series(REFERENCE_DATE - pd.Timedelta(days=200), index=range(outsiders)), rng
            ) + pd.Timedelta(hours=11),
        }
    )
    contractors["email"] = (
        contractors["forename"].str.lower() + "." + contractors["surname"].str.lower()
        + "@contractor.example.com"
    )
    rows = pd.concat([events, contractors], ignore_index=True)
    learners = rows["email"].str.lower()
    user_number = 2300000 + pd.factorize(learners)[0] * 7 + 13
    table = pd.DataFrame(
        {
            "User ID": user_number,
            "User's Fullname": rows["forename"] + " " + rows["surname"],
            "Email address": learners,
            "Course": rows["title"],
            "Date completed": rows["completed_on"],
        }
    )
    buffer = io.BytesIO()
    with _excel_writer(buffer, "dd/mm/yyyy hh:mm") as writer:
        table.to_excel(writer, sheet_name="Export", startrow=1, index=False)
        writer.sheets["Export"].write_string(0, 0, "Course completions report")
    return buffer.getvalue()


def matrix_xlsx(people: pd.DataFrame, events: pd.DataFrame, rng: np.random.Generator) -> bytes:
    """Wide training matrix: one row per officer/PCSO, one column per course."""
    current = people[
        people["staff_type"].isin(["officer", "pcso"])
        & (people["start_date"] <= REFERENCE_DATE)
        & people["leave_date"].isna()
    ].sort_values("person_id")
    latest = (
        events[events["status"] == "Completed"]
        .groupby(["person_id", "requirement"])["completed_on"].max().dt.normalize()
        .unstack()
        .reindex(index=current["person_id"], columns=list(MATRIX_COURSE_COLUMNS))
    )
    table = pd.DataFrame(
        {"Collar Number": current["person_id"].to_numpy(),
         "Name": (current["forename"] + " " + current["surname"]).to_numpy()}
    )
    fillers = np.array(["", "not completed", "-"], dtype=object)
    taser_unit = (current["division"] + " / " + current["department"]).str.startswith(
        COURSES[-1].unit_prefix or ""
    ) & (current["staff_type"] == "officer")
    for column in MATRIX_COURSE_COLUMNS:
        values = latest[column].astype(object).to_numpy()
        gap = pd.isna(values)
        values[gap] = fillers[rng.integers(0, len(fillers), gap.sum())]
        table[column] = values
    table["Taser Refresher"] = table["Taser Refresher"].where(taser_unit.to_numpy(), "N/A")
    safety = REFERENCE_DATE - pd.to_timedelta(rng.integers(10, 700, len(table)), "D")
    table["Officer Safety Training"] = pd.Series(safety).where(rng.random(len(table)) < 0.8)
    table = table.replace({"": None})
    buffer = io.BytesIO()
    with _excel_writer(buffer, "dd-mmm-yyyy") as writer:
        table.to_excel(writer, sheet_name="Matrix", startrow=2, index=False)
        sheet = writer.sheets["Matrix"]
        sheet.write_string(0, 0, "Operational training matrix")
        sheet.write_string(1, 0, "Exported 28/10/2026 by Learning and Development")
        notes = writer.book.add_worksheet("Notes")
        notes.write_string(0, 0, "N/A = course not required for this role.")
        notes.write_string(1, 0, "Blank, '-' or 'not completed' = no record.")
    return buffer.getvalue()


def per_course_csv(events: pd.DataFrame) -> bytes:
    """A course completion report from the new platform: no course column, ISO times."""
    table = pd.DataFrame(
        {
            "Payroll No": events["person_id"].astype(str),
            "Full Name": events["forename"] + " " + events["surname"],
            "E-mail": events["email"],
            "Completion Time": events["completed_on"].dt.strftime("%Y-%m-%d %H:%M:%S"),
        }
    )
    return table.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def exemptions_csv(people: pd.DataFrame, rng: np.random.Generator) -> bytes:
    """Agreed exemptions: long absences for all courses, a few for one course."""
    eligible = people[
        (people["start_date"] < REFERENCE_DATE - pd.Timedelta(days=365))
        & people["leave_date"].isna()
        & (people["level"] == 0)
    ]
    taser = COURSES[-1]
    in_taser_unit = (eligible["division"] + " / " + eligible["department"]).str.startswith(
        taser.unit_prefix or ""
    ) & eligible["staff_type"].isin(taser.staff_types)
    reasons = np.array(
        ["Maternity leave", "Long-term sickness", "Career break", "Adjusted duties",
         "Seconded to NCA"]
    )
    general = eligible[~in_taser_unit].sample(28, random_state=rng)
    kind = rng.integers(0, len(reasons), len(general))
    medical = eligible[in_taser_unit].sample(4, random_state=rng)
    chosen = pd.concat([general, medical], ignore_index=True)
    course = np.where(reasons[kind] == "Seconded to NCA", COURSES[0].requirement, "*")
    course = np.concatenate([course, np.full(len(medical), taser.requirement)])
    reason = np.concatenate([reasons[kind], np.full(len(medical), "Medical: unable to deploy")])
    start = REFERENCE_DATE - pd.to_timedelta(rng.integers(20, 400, len(chosen)), "D")
    until = start + pd.to_timedelta(rng.integers(90, 540, len(chosen)), "D")
    open_ended = rng.random(len(chosen)) < 0.2
    table = pd.DataFrame(
        {
            "Collar No": chosen["person_id"].astype(str),
            "Course": course,
            "From": start.strftime("%d/%m/%Y"),
            "Until": until.strftime("%d/%m/%Y").where(~open_ended, ""),
            "Reason": reason,
        }
    )
    return table.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def build_files(seed: int = SEED) -> dict[str, bytes]:
    """Every demo file by name, generated in memory."""
    rng = np.random.default_rng(seed)
    people = build_people(rng)
    events = build_completions(people, rng)
    channel = route_events(events, rng)
    return {
        ROSTER_FILE: roster_xlsx(people),
        LMS_FILE: lms_csv(events[channel == "lms"], rng),
        PLATFORM_FILE: platform_xlsx(events[channel == "platform"], rng),
        MATRIX_FILE: matrix_xlsx(people, events[channel == "matrix"], rng),
        PER_COURSE_FILE: per_course_csv(events[channel == "per_course"]),
        EXEMPTIONS_FILE: exemptions_csv(people, rng),
    }


def write_demo(out_dir: Path = OUT_DIR) -> list[Path]:
    """Rewrite the demo files; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in build_files().items():
        path = out_dir / name
        path.write_bytes(data)
        written.append(path)
    return written


def main() -> None:
    for path in write_demo():
        print(f"{path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
