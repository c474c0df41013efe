"""A roster table -> the canonical roster frame (one row per person).

The ID is the ID column, or the email where the roster has no ID column (or a row has
no ID but an email). Rows with neither are errors; unreadable start/leave dates are
warnings (person kept, date empty); two rows sharing an ID make the roster unusable,
naming both rows, because statuses for the wrong person are worse than none.
"""

from __future__ import annotations

import pandas as pd

from loaders.dates import read_date_column
from loaders.headers import Table
from loaders.ids import is_email, normalise_emails, normalise_ids, written_ids
from loaders.layout import trim_notes
from loaders.report import LoadReport
from loaders.schema import ROSTER_COLUMNS, UNIT_SEPARATOR
from loaders.values import canonical_frame, flag, fold_staff_type, text_column, to_text

NO_ID = "no ID column: expected a column such as Collar Number, Payroll Number or Email"


def roster_columns(levels: int) -> list[str]:
    """Canonical roster columns with ``unit_1`` .. ``unit_n`` right after ``unit``."""
    columns = list(ROSTER_COLUMNS)
    at = columns.index("unit") + 1
    return columns[:at] + [f"unit_{n}" for n in range(1, levels + 1)] + columns[at:]


def empty_roster() -> pd.DataFrame:
    return canonical_frame(roster_columns(0), {}, pd.RangeIndex(0))


def canonical_roster(
    table: Table, report: LoadReport, *, filename: str, month_first: bool | None
) -> pd.DataFrame:
    """Canonical roster from one located table; problems go to ``report``."""
    body = trim_notes(table.body, report)
    id_header, email_header = table.header_of("person_id"), table.header_of("email")
    if id_header is None and email_header is None:
        report.add(NO_ID, severity="fatal")
        return empty_roster()
    data: dict[str, pd.Series] = {"source_row": pd.Series(body.index, index=body.index)}
    email = normalise_emails(body[email_header]) if email_header else _blank(body)
    person_id = written_ids(body[id_header]) if id_header else _blank(body)
    if id_header is None:
        report.notes.append(f"No ID column: emails in {email_header!r} are the person IDs.")
    else:
        stand_in = person_id.isna() & email.notna()
        flag(report, stand_in, email, "no ID: the email is used as the person ID",
             column=id_header, severity="warning")
    person_id = person_id.fillna(email)
    missing = person_id.isna()
    names = _names(body, table)
    flag(report, missing, names, "no ID or email: row not loaded",
         column=id_header or email_header, severity="error")
    if email_header:
        flag(report, email.notna() & ~is_email(email), email, "not an email address",
             column=email_header, severity="warning")
    data.update(person_id=person_id, email=email, name=names)
    levels = table.columns("unit")
    data.update(_units(body, levels))
    for name in ("role", "manager"):
        header = table.header_of(name)
        if header is not None:
            data[name] = to_text(body[header])
    header = table.header_of("staff_type")
    if header is not None:
        data["staff_type"] = fold_staff_type(to_text(body[header]))
    for name in ("start_date", "leave_date"):
        header = table.header_of(name)
        if header is not None:
            parsed = read_date_column(body[header], header, report, month_first=month_first)
            flag(report, parsed.bad, body[header], "not a date: kept with no date",
                 column=header, severity="warning")
            data[name] = parsed.dates
    data["source_file"] = text_column(filename, body.index)
    kept = ~missing.to_numpy()
    frame = canonical_frame(
        roster_columns(len(levels)), {k: v[kept] for k, v in data.items()}, body.index[kept]
    )
    _report_duplicates(frame, id_header or email_header, report)
    return frame


def _blank(body: pd.DataFrame) -> pd.Series:
    return pd.Series(pd.NA, index=body.index, dtype="string")


def _names(body: pd.DataFrame, table: Table) -> pd.Series:
    """Full name column, else first name and surname joined."""
    header = table.header_of("name")
    if header is not None:
        return to_text(body[header])
    parts = [to_text(body[h]) for h in (table.header_of("first_name"), table.header_of("surname"))
             if h is not None]
    return _join(parts, " ") if parts else _blank(body)


def _units(body: pd.DataFrame, levels: list[str]) -> dict[str, pd.Series]:
    """``unit_1`` .. ``unit_n`` left to right, and ``unit`` = filled levels joined."""
    texts = [to_text(body[header]) for header in levels]
    units = {f"unit_{n}": text for n, text in enumerate(texts, start=1)}
    if texts:
        units["unit"] = _join(texts, UNIT_SEPARATOR)
    return units


def _join(parts: list[pd.Series], separator: str) -> pd.Series:
    """Join the non-empty parts of each row (one pass per column, not per row)."""
    joined = parts[0]
    for part in parts[1:]:
        both = joined.notna() & part.notna()
        joined = joined.where(~both, joined + separator + part).fillna(part)
    return joined.astype("string")


def _report_duplicates(frame: pd.DataFrame, header: str | None, report: LoadReport) -> None:
    """One fatal problem per repeated ID, naming the row it repeats."""
    key = normalise_ids(frame["person_id"])
    repeated = key.duplicated()
    if not repeated.any():
        return
    first_row = frame["source_row"].groupby(key).transform("min")
    reasons = (
        "duplicate person ID (after leading zeros, spaces and case): rows "
        + first_row.astype(str)
        + " and "
        + frame["source_row"].astype(str)
        + " share it; make each person appear once and upload again"
    )
    report.add_rows(
        pd.DataFrame(
            {
                "row": frame["source_row"][repeated],
                "column": header,
                "value": frame["person_id"][repeated].astype(object),
                "reason": reasons[repeated],
            }
        ),
        severity="fatal",
    )
