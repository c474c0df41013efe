"""The national data set as exported files and as a store (see ``bench/national.py``).

The files hold exactly the canonical frames, written as the source systems write them:
HR's headers and staff-type wording, UK dates, and completion times of day (which the
loaders drop), so loading a file gives back its frame. Dates are formatted once per
distinct day and joined in Arrow, so the 3,000,000-row CSV takes seconds, not minutes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import xlsxwriter

from bench.national_names import STAFF_TYPE_AS_WRITTEN
from compliance.rules import dump_rules
from compliance.store import Store
from loaders import LoadResult
from loaders.report import LoadReport
from loaders.schema import unit_level_columns

XLSX_ROWS = 100_000
LEVEL_HEADERS = ("Organisation", "Command", "Department", "Team", "Section")
ROSTER_HEADERS = {
    "person_id": "Staff Number", "name": "Full Name", "email": "Email Address",
    "role": "Rank", "staff_type": "Staff Type", "start_date": "Start Date",
    "leave_date": "Leaving Date", "manager": "Line Manager",
}  # fmt: skip
COMPLETION_HEADERS = {
    "person_id": "Staff Number", "email": "Email", "course": "Course Title",
    "course_code": "Course Code", "completed_on": "Completion Date",
}  # fmt: skip
EXEMPTION_HEADERS = {
    "person_id": "Staff Number", "course": "Course", "from": "From", "until": "Until",
    "reason": "Reason",
}  # fmt: skip


def write_files(directory: Path, data: Any) -> dict[str, Path]:
    """``roster.csv``, ``completions.csv``, ``exemptions.csv``, ``completions.xlsx`` (the
    first ``XLSX_ROWS`` completions) and ``requirements.yaml``, in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = {
        name: directory / name
        for name in ("roster.csv", "completions.csv", "exemptions.csv", "completions.xlsx")
    }
    _write_csv(roster_table(data.roster), paths["roster.csv"])
    _write_csv(completions_table(data.completions), paths["completions.csv"])
    _write_csv(exemptions_table(data.exemptions), paths["exemptions.csv"])
    write_xlsx(data.completions.iloc[:XLSX_ROWS], paths["completions.xlsx"])
    paths["requirements.yaml"] = directory / "requirements.yaml"
    paths["requirements.yaml"].write_text(dump_rules(data.rules), encoding="utf-8")
    return paths


def roster_table(roster: pd.DataFrame) -> pa.Table:
    """The roster as HR exports it: one column per unit level, day-first dates."""
    columns: dict[str, pa.Array] = {ROSTER_HEADERS["person_id"]: _text(roster["person_id"])}
    columns[ROSTER_HEADERS["name"]] = _text(roster["name"])
    columns[ROSTER_HEADERS["email"]] = _text(roster["email"])
    for header, level in zip(LEVEL_HEADERS, unit_level_columns(roster.columns), strict=False):
        columns[header] = _text(roster[level])
    columns[ROSTER_HEADERS["role"]] = _text(roster["role"])
    columns[ROSTER_HEADERS["staff_type"]] = _text(roster["staff_type"].map(STAFF_TYPE_AS_WRITTEN))
    columns[ROSTER_HEADERS["start_date"]] = uk_dates(roster["start_date"])
    columns[ROSTER_HEADERS["leave_date"]] = uk_dates(roster["leave_date"])
    columns[ROSTER_HEADERS["manager"]] = _text(roster["manager"])
    return pa.table(columns)


def completions_table(completions: pd.DataFrame) -> pa.Table:
    """The learning system's export: completion date and time, ``26/08/2024 14:32``."""
    columns = {
        header: _text(completions[name])
        for name, header in COMPLETION_HEADERS.items()
        if name != "completed_on"
    }
    columns[COMPLETION_HEADERS["completed_on"]] = uk_dates(
        completions["completed_on"], with_time=True
    )
    return pa.table(columns)


def exemptions_table(exemptions: pd.DataFrame) -> pa.Table:
    columns = {}
    for name, header in EXEMPTION_HEADERS.items():
        column = exemptions[name]
        columns[header] = uk_dates(column) if name in ("from", "until") else _text(column)
    return pa.table(columns)


def uk_dates(dates: pd.Series, with_time: bool = False) -> pa.Array:
    """``dd/mm/yyyy`` (with ``hh:mm``, a made-up time of day, when asked), null for none."""
    days = dates.to_numpy().astype("datetime64[D]")
    distinct, code = np.unique(days, return_inverse=True)
    text = pd.DatetimeIndex(distinct).strftime("%d/%m/%Y").to_numpy(dtype=object)
    day_text = pa.array(text[code], type=pa.string(), from_pandas=True)
    if not with_time:
        return day_text
    minutes = time_of_day(len(dates))
    clock = np.array([f"{m // 60:02d}:{m % 60:02d}" for m in range(24 * 60)], dtype=object)
    return pc.binary_join_element_wise(day_text, pa.array(clock[minutes]), " ")


def time_of_day(rows: int) -> np.ndarray:
    """A deterministic minute of the working day (07:00-19:59) for each row."""
    return 7 * 60 + (np.arange(rows, dtype=np.int64) * 7919) % (13 * 60)


def write_xlsx(completions: pd.DataFrame, path: Path) -> None:
    """The completions as an xlsx export: real date-time cells, shown day first."""
    headers = list(COMPLETION_HEADERS.values())
    stamps = completions["completed_on"] + pd.to_timedelta(time_of_day(len(completions)), "min")
    moments = stamps.to_numpy().astype("datetime64[us]").tolist()
    with xlsxwriter.Workbook(path, {"constant_memory": True}) as book:
        sheet = book.add_worksheet("Completions")
        when = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        sheet.write_row(0, 0, headers)
        text = completions[["person_id", "email", "course", "course_code"]].to_numpy(dtype=object)
        for row, (values, stamp) in enumerate(zip(text, moments, strict=True)):
            sheet.write_row(row + 1, 0, [v if isinstance(v, str) else None for v in values])
            sheet.write_datetime(row + 1, 4, stamp, when)


def build_store(url: str, data: Any, user: str = "bench") -> Store:
    """Import the rules (as YAML), the roster effective on ``data.as_of``, the completions
    and the exemptions into the store at ``url`` through ``Store.import_frame``."""
    store = Store.open(url)
    yaml_bytes = dump_rules(data.rules).encode("utf-8")
    store.import_file("requirements", yaml_bytes, "requirements.yaml", user=user)
    for kind, frame in (
        ("roster", data.roster),
        ("completions", data.completions),
        ("exemptions", data.exemptions),
    ):
        rows = len(frame)
        report = LoadReport(file=f"{kind}.csv", kind=kind, rows_read=rows, rows_loaded=rows)
        as_at = data.as_of.date() if kind == "roster" else None
        store.import_frame(kind, LoadResult(frame, report), user=user, as_at=as_at)
    return store


def _write_csv(table: pa.Table, path: Path) -> None:
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))


def _text(values: pd.Series) -> pa.Array:
    return pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
