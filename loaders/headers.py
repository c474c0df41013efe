"""Choose the sheet and its header, and map source columns to canonical fields.

The chosen sheet is the visible one whose header (:mod:`loaders.header_row`) scores best,
unless the user names another visible sheet. When detection picks the wrong row (a title
full of header-like words, a header below row 30) the user names the header row instead,
by the file's row number as the report shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from loaders.header_row import HeaderCells, HeaderRow, detect_fields, find_header, no_header_message
from loaders.ids import holds_emails
from loaders.report import LoadReport
from loaders.schema import MatchCourse
from loaders.suggest import annotate
from loaders.synonyms import FIELDS, IGNORE, UNIT
from loaders.values import fold, fold_text, to_text
from loaders.workbook import Sheet, Workbook

__all__ = ["HeaderRow", "Table", "detect_fields", "find_header", "locate", "no_header_message"]

MULTI_FIELDS = frozenset({UNIT})


@dataclass
class Table:
    """One sheet cut at its header: the data below, the titles above, the column fields."""

    sheet: str
    header_row: int
    headers: list[str]
    body: pd.DataFrame
    """Object cells, columns = headers, index = 1-based file rows."""
    above: list[str]
    """Texts of the cells above the header (report titles)."""
    positions: dict[int, str] = field(default_factory=dict)
    """0-based grid column -> header, for the columns kept."""
    fields: dict[str, str] = field(default_factory=dict)
    """Source header -> field, in column order (unit may repeat)."""
    ignored: set[str] = field(default_factory=set)
    """Headers the user mapped to ``ignore``."""

    def column(self, name: str) -> pd.Series | None:
        """The first column mapped to ``name``, or None."""
        for header, mapped in self.fields.items():
            if mapped == name:
                return self.body[header]
        return None

    def columns(self, name: str) -> list[str]:
        """Every header mapped to ``name``, left to right."""
        return [header for header, mapped in self.fields.items() if mapped == name]

    def header_of(self, name: str) -> str | None:
        found = self.columns(name)
        return found[0] if found else None


def locate(
    workbook: Workbook,
    kind: str,
    report: LoadReport,
    *,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    match_course: MatchCourse | None = None,
) -> Table | None:
    """Choose sheet and header, map columns; record it all in ``report``.

    ``header_row`` (a file row number, as in ``report.header_row``) replaces header
    detection on the chosen sheet, for files where detection picks the wrong row.
    Returns None after adding a fatal problem when the file cannot be used as it is.
    """
    report.sheets = [each.name for each in workbook.sheets]
    report.ignored_sheets = list(workbook.hidden_sheets)
    mapping = dict(mapping or {})
    extra = frozenset(fold(header) for header in mapping)
    chosen = _choose_sheet(workbook, kind, report, sheet, extra, match_course)
    if chosen is None:
        return None
    found_sheet, header = chosen
    report.sheet = found_sheet.name
    if header_row is not None:
        position = _given_header(found_sheet, header_row, kind, report, extra, match_course)
    elif header is None:
        report.add(no_header_message(kind), severity="fatal", column=None)
        position = None
    else:
        position = header.position
    if position is None:
        return None
    table = _cut(found_sheet, position)
    report.header_row = table.header_row
    report.headers = list(table.headers)
    table.fields, table.ignored = _map_columns(table, kind, mapping, report)
    report.mapping = dict(table.fields)
    annotate(report, table.headers, table.fields, table.ignored, kind)
    _report_missing_formulas(found_sheet, table, report)
    return table


def _choose_sheet(
    workbook: Workbook,
    kind: str,
    report: LoadReport,
    wanted: str | None,
    extra: frozenset[str],
    match_course: MatchCourse | None,
) -> tuple[Sheet, HeaderRow | None] | None:
    """The wanted (else best-scoring) visible sheet and its detected header; the first
    candidate with no header when none is found. None after a fatal problem."""
    if not workbook.sheets:
        report.add("the file has no visible sheet with data: unhide it or export it again",
                   severity="fatal")
        return None
    sheets = workbook.sheets
    if wanted is not None:
        sheets = [s for s in workbook.sheets if s.name == wanted] or [
            s for s in workbook.sheets if s.name.casefold() == wanted.casefold()
        ]
        if not sheets:
            hidden = wanted.casefold() in {h.casefold() for h in workbook.hidden_sheets}
            reason = (
                f"sheet {wanted!r} is hidden and hidden sheets are never read: "
                "unhide it in Excel if it is meant to be shared"
                if hidden
                else f"there is no sheet {wanted!r}: choose one of "
                + ", ".join(repr(s.name) for s in workbook.sheets)
            )
            report.add(reason, severity="fatal")
            return None
    found = [(s, find_header(s, kind, extra=extra, match_course=match_course)) for s in sheets]
    usable = [(s, h) for s, h in found if h is not None]
    if not usable:
        return sheets[0], None
    return max(usable, key=lambda pair: pair[1].score)


def _given_header(
    sheet: Sheet,
    header_row: int,
    kind: str,
    report: LoadReport,
    extra: frozenset[str],
    match_course: MatchCourse | None,
) -> int | None:
    """Grid position of the user's header row; None after a fatal problem when the sheet
    has no such row or the row names none of the kind's columns."""
    rows = sheet.rows
    if header_row not in rows:
        choose = (
            f"choose a header row from {rows[0]} to {rows[-1]}"
            if len(rows)
            else "the sheet is empty: choose another sheet"
        )
        report.add(f"sheet {sheet.name!r} has no row {header_row}: {choose}", severity="fatal")
        return None
    report.header_row = int(header_row)
    position = int(rows.get_loc(header_row))
    if not HeaderCells(sheet.top(position + 1).iloc[[position]]).known(
        kind, extra, match_course
    ).any():
        report.add(no_header_message(kind, header_row, sheet.name), severity="fatal")
        return None
    return position


def _cut(sheet: Sheet, position: int) -> Table:
    grid = sheet.top(position + 1)
    header_cells = to_text(grid.iloc[position]).astype(object)
    named = header_cells.notna().to_numpy()
    headers = _unique_names(
        [
            str(text) if has_name else f"(column {number + 1})"
            for number, (text, has_name) in enumerate(zip(header_cells, named, strict=True))
        ]
    )
    body = sheet.body(position)
    body.columns = headers
    keep = named | body.notna().any().to_numpy()
    body = body.loc[:, keep]
    cells_above = grid.iloc[:position].to_numpy(dtype=object).ravel()
    above = pd.Series(cells_above[pd.notna(cells_above)], dtype=object).astype(str).str.strip()
    return Table(
        sheet=sheet.name,
        header_row=int(grid.index[position]),
        headers=list(body.columns),
        body=body,
        above=[text for text in above.tolist() if text],
        positions={
            int(column): header
            for column, header, kept in zip(grid.columns, headers, keep, strict=True)
            if kept
        },
    )


def _unique_names(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        out.append(header if seen[header] == 1 else f"{header} ({seen[header]})")
    return out


def _map_columns(
    table: Table, kind: str, mapping: dict[str, str], report: LoadReport
) -> tuple[dict[str, str], set[str]]:
    """Detected fields, then the user's mapping replacing whatever it names."""
    detected = detect_fields(table.headers, kind)
    user = _resolve_mapping(table.headers, kind, mapping, report)
    replaced = set(user.values()) - {IGNORE}
    fields = {h: f for h, f in detected.items() if f not in replaced and h not in user}
    fields.update({h: f for h, f in user.items() if f != IGNORE})
    fields = _resolve_username(fields, table, report)
    ordered: dict[str, str] = {}
    taken: dict[str, str] = {}
    for header in table.headers:
        name = fields.get(header)
        if name is None:
            continue
        if name in taken and name not in MULTI_FIELDS:
            report.notes.append(
                f"Column {header!r} also looks like {name}; {taken[name]!r} is used."
            )
            continue
        taken.setdefault(name, header)
        ordered[header] = name
    return ordered, {h for h, f in user.items() if f == IGNORE}


def _resolve_mapping(
    headers: list[str], kind: str, mapping: dict[str, str], report: LoadReport
) -> dict[str, str]:
    """The user's mapping keyed by the file's own header text; bad entries reported."""
    allowed = set(FIELDS[kind]) | {IGNORE}
    folded = fold_text(pd.Series(headers, dtype="string")).fillna("").tolist()
    by_fold = dict(zip(reversed(folded), reversed(headers), strict=True))
    resolved: dict[str, str] = {}
    for source, target in mapping.items():
        header = source if source in headers else by_fold.get(fold(source))
        if target not in allowed:
            report.add(
                f"mapping {source!r}={target!r} ignored: map to one of "
                + ", ".join(sorted(allowed)),
                severity="warning",
                column=source,
            )
        elif header is None:
            report.add(
                f"mapping {source!r}={target!r} ignored: the file has no such column",
                severity="warning",
                column=source,
            )
        else:
            resolved[header] = target
    return resolved


def _resolve_username(
    fields: dict[str, str], table: Table, report: LoadReport
) -> dict[str, str]:
    """``username`` becomes ``email`` only when it holds emails and no email is mapped."""
    resolved = dict(fields)
    has_email = "email" in fields.values()
    for header in [h for h, f in fields.items() if f == "username"]:
        del resolved[header]
        if not has_email and holds_emails(table.body[header]):
            resolved[header] = "email"
            has_email = True
        else:
            report.notes.append(f"Column {header!r} not used: it does not hold email addresses.")
    return resolved


def _report_missing_formulas(sheet: Sheet, table: Table, report: LoadReport) -> None:
    """Formula cells with no cached value in the data: named, never read as empty."""
    cells = pd.DataFrame(sheet.missing_formula_values, columns=["row", "position"])
    cells = cells[cells["row"] > table.header_row]
    report.add_rows(
        pd.DataFrame(
            {
                "row": cells["row"],
                "column": cells["position"].map(table.positions),
                "value": None,
                "reason": "formula with no saved value: open and save the file in Excel, "
                "then upload it again",
            }
        ),
        severity="warning",
    )
