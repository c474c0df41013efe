"""Build the demo force "Northshire Police": an HR roster, completion exports, exemptions.

The files are as messy as real exports (title rows, a totals row, a hidden sheet, several
date spellings, leading zeros, internal user numbers, unknown courses, failed attempts)
so the demo exercises the loaders the way a training manager's own files would. A fixed
seed and reference date make the output byte-identical between runs:

    python -m data.generate_demo        # rewrites data/demo/
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd

from data.demo_catalogue import (
    COURSES,
    FORENAMES,
    MATRIX_COURSE_COLUMNS,
    REFERENCE_DATE,
    STAFF_TYPE_LABELS,
    SURNAMES,
    UNKNOWN_COURSES,
)
from data.demo_force import between, build_completions, build_people, route_events

SEED = 20261101
OUT_DIR = Path(__file__).resolve().parent / "demo"
ROSTER_FILE = "hr_roster.xlsx"
LMS_FILE = "lms_completions.csv"
PLATFORM_FILE = "learning_platform.xlsx"
MATRIX_FILE = "course_matrix.xlsx"
PER_COURSE_FILE = "completion-managing_information (1).csv"
EXEMPTIONS_FILE = "exemptions.csv"


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
            "Completion Date": between(
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
            "Completion Date": between(
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
            "completed_on": between(
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
