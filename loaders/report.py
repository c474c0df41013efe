"""The load report: what a loader detected and every problem it met, as data.

Problems gather into one frame (file, row, column, value, reason, severity) instead
of stopping at the first, so the user sees them all and every dropped row is named.

Severities:
- ``fatal``: the file as a whole is unusable (``usable`` becomes False);
- ``error``: this row was not loaded (the row is named, nothing is lost silently);
- ``warning``: the row was loaded but something about it deserves a look;
- ``info``: something detected that the user should know (e.g. month-first dates).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

PROBLEM_COLUMNS: tuple[str, ...] = ("file", "row", "column", "value", "reason", "severity")
SEVERITIES: tuple[str, ...] = ("fatal", "error", "warning", "info")


def empty_problems() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in PROBLEM_COLUMNS})
    frame["row"] = frame["row"].astype("Int64")
    return frame


@dataclass
class LoadReport:
    """Everything a user needs to trust (or reject) one loaded file."""

    file: str
    kind: str
    file_type: str = ""
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)
    header_row: int | None = None
    headers: list[str] = field(default_factory=list)
    """The header row's columns as the loader names them (a repeated name gets `` (2)``)."""
    mapping: dict[str, str] = field(default_factory=dict)
    suggestions: dict[str, str] = field(default_factory=dict)
    """Unmapped headers that name a field's word (``loaders.suggest``): shown, not used."""
    date_order: str = "day-first"
    layout: str = "long"
    course: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    notes: list[str] = field(default_factory=list)
    problems: pd.DataFrame = field(default_factory=empty_problems)

    @property
    def usable(self) -> bool:
        return not bool((self.problems["severity"] == "fatal").any())

    def add(
        self,
        reason: str,
        *,
        severity: str = "error",
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
    ) -> None:
        """Record one problem. For many rows at once use :meth:`add_rows`."""
        self.add_rows(
            pd.DataFrame(
                {"row": [row], "column": [column], "value": [value], "reason": [reason]}
            ),
            severity=severity,
        )

    def add_rows(self, rows: pd.DataFrame, *, severity: str = "error") -> None:
        """Record many problems at once: ``rows`` has row, column, value, reason."""
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        if rows.empty:
            return
        new = rows.reindex(columns=["row", "column", "value", "reason"]).copy()
        new.insert(0, "file", self.file)
        new["severity"] = severity
        new["row"] = pd.array(new["row"], dtype="Int64")
        new["value"] = new["value"].map(_display_value).astype("object")
        frames = [f for f in (self.problems, new) if not f.empty]
        self.problems = pd.concat(frames, ignore_index=True)

    def refuse_empty(self) -> None:
        """Make a file that loaded no row unusable, saying why: no data at all, or the
        column most rows were refused for (with that reason), or nothing to load."""
        if self.rows_read == 0:
            below = f" below the header (row {self.header_row})" if self.header_row else ""
            self.add(
                f"no data rows{below}: export the file again with its data", severity="fatal"
            )
            return
        errors = self.problems[self.problems["severity"] == "error"]
        if errors.empty:
            self.add(
                f"none of the {self.rows_read} rows read holds anything to load (the notes "
                "say which rows were skipped): check that this is the right export",
                severity="fatal",
            )
            return
        column = errors["column"].value_counts(dropna=False).index[0]
        refused = errors[errors["column"].isna() if pd.isna(column) else errors["column"] == column]
        reason = refused["reason"].value_counts().index[0]
        self.add(
            f"none of the {self.rows_read} rows read could be loaded: {len(refused)} were "
            f"refused with '{reason}'; fix that and upload the file again",
            severity="fatal",
            column=None if pd.isna(column) else column,
        )

    def fatal_message(self) -> str | None:
        """The first fatal problem as one line naming file, row and column."""
        fatal = self.problems[self.problems["severity"] == "fatal"]
        if fatal.empty:
            return None
        return format_problem(fatal.iloc[0])

    def counts(self) -> dict[str, int]:
        return self.problems["severity"].value_counts().to_dict()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, kept with each import in the store."""
        data = asdict(self)
        problems = self.problems.astype("object").where(self.problems.notna(), None)
        data["problems"] = problems.to_dict(orient="records")
        data["usable"] = self.usable
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LoadReport:
        data = dict(data)
        data.pop("usable", None)
        problems = pd.DataFrame(data.pop("problems", []), columns=list(PROBLEM_COLUMNS))
        report = cls(**data)
        if not problems.empty:
            problems["row"] = pd.array(problems["row"], dtype="Int64")
            report.problems = problems
        return report

    def lines(self) -> list[str]:
        """Human-readable report, one finding per line (the CLI ``check`` output)."""
        out = [f"File: {self.file} ({self.file_type or 'unknown type'}), read as {self.kind}"]
        if self.sheet is not None:
            others = f" (of {', '.join(self.sheets)})" if len(self.sheets) > 1 else ""
            out.append(f"Sheet: {self.sheet}{others}")
        for name in self.ignored_sheets:
            out.append(f"Ignored hidden sheet: {name}")
        if self.header_row is not None:
            out.append(f"Header row: {self.header_row}")
        if self.mapping:
            pairs = "; ".join(f"{src} -> {dst}" for src, dst in self.mapping.items())
            out.append(f"Columns: {pairs}")
        out.append(f"Layout: {self.layout}" + (f" (course: {self.course})" if self.course else ""))
        out.append(f"Date order: {self.date_order}")
        out.extend(self.notes)
        out.append(f"Rows read: {self.rows_read}, loaded: {self.rows_loaded}")
        for _, problem in self.problems.iterrows():
            out.append(f"{problem['severity'].upper()}: {format_problem(problem)}")
        out.append("Usable: yes" if self.usable else "Usable: no")
        return out


def format_problem(problem: pd.Series) -> str:
    """One line: file, row, column: reason (value)."""
    where = [str(problem["file"])]
    if pd.notna(problem["row"]):
        where.append(f"row {int(problem['row'])}")
    if isinstance(problem["column"], str) and problem["column"]:
        where.append(f"column {problem['column']!r}")
    text = f"{', '.join(where)}: {problem['reason']}"
    value = problem["value"]
    if value is not None and not (isinstance(value, float) and pd.isna(value)) and value != "":
        text += f" (value: {value!r})"
    return text


def _display_value(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, (int, float, str)):
        return value
    return str(value)
