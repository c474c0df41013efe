"""Find the header row, choose the sheet, and map source columns to canonical fields.

The header is the row among the first 30 whose cells best match the kind's synonyms
(whole folded header equals a synonym), counting the user's mapped headers and, for
completions, headers that name a requirement (a wide layout). The chosen sheet is the
visible one whose header scores best, unless the user names another visible sheet. When
detection picks the wrong row (a title full of header-like words, a header below row 30)
the user names the header row instead, by the file's row number as the report shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from loaders.ids import holds_emails
from loaders.report import LoadReport
from loaders.schema import MatchCourse
from loaders.synonyms import FIELDS, IGNORE, KINDS, SYNONYMS, UNIT
from loaders.values import fold, fold_text, to_text
from loaders.workbook import Sheet, Workbook

HEADER_SEARCH_ROWS = 30
EXAMPLE_HEADERS: dict[str, str] = {
    "roster": "Collar Number, Name, Division, Rank, Start Date",
    "completions": "Collar Number, Email, Course, Completion Date",
    "exemptions": "Collar Number, Course, From, Until, Reason",
}


def no_header_message(kind: str, row: int | None = None, sheet: str | None = None) -> str:
    """Why no header was found (searched, or on the user's ``row`` of ``sheet``), with the
    columns this kind of file usually has."""
    where = (
        "no header row found in the first 30 rows"
        if row is None
        else f"row {row} of sheet {sheet!r} is not a header row"
    )
    return (
        f"{where}: expected columns such as "
        f"{EXAMPLE_HEADERS.get(kind, EXAMPLE_HEADERS['completions'])}"
    )
MULTI_FIELDS = frozenset({UNIT})



@dataclass
class HeaderRow:
    """Where a sheet's header is and how well it matched (kind score, any-kind score)."""

    position: int
    score: tuple[int, int]


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


@cache
def synonym_index(kind: str) -> dict[str, str]:
    """Folded synonym -> field for one kind (or ``"any"`` for all kinds together)."""
    kinds = KINDS if kind == "any" else (kind,)
    index: dict[str, str] = {}
    for each in kinds:
        for name, synonyms in SYNONYMS[each].items():
            for synonym in synonyms:
                index.setdefault(fold(synonym), name)
    return index


def detect_fields(headers: list[str], kind: str) -> dict[str, str]:
    """Source header -> field for every header equal (folded) to one of the kind's synonyms."""
    index = synonym_index(kind)
    folded = fold_text(pd.Series(headers, dtype="string")).fillna("")
    return {h: index[f] for h, f in zip(headers, folded, strict=True) if f in index}


def find_header(
    sheet: Sheet, kind: str, *, extra: frozenset[str] = frozenset(),
    match_course: MatchCourse | None = None,
) -> HeaderRow | None:
    """The best header row among the first 30, or None when no row looks like a header.

    A header names at least one of the kind's fields, and either two known fields of any
    kind or nothing but known fields (a lone ``Email`` column is a header).

    ``extra`` holds folded headers the user mapped; ``match_course`` (completions only)
    lets headers naming a requirement count, so a wide layout's header is found.
    """
    top = sheet.grid.iloc[:HEADER_SEARCH_ROWS]
    if top.empty:
        return None
    texts = _texts(top)
    known, folded = _known(texts, kind, extra, match_course)
    kind_score = known.sum(axis=1).to_numpy()
    any_score = (known | folded.isin(set(synonym_index("any")))).sum(axis=1).to_numpy()
    filled = texts.notna().sum(axis=1).to_numpy()
    header_like = (kind_score >= 1) & ((any_score >= 2) | (any_score == filled))
    if not header_like.any():
        return None
    ranking = np.where(header_like, kind_score * (HEADER_SEARCH_ROWS * 1000) + any_score, -1)
    position = int(ranking.argmax())
    return HeaderRow(position=position, score=(int(kind_score[position]), int(any_score[position])))


def _texts(rows: pd.DataFrame) -> pd.DataFrame:
    """Text cells only: a number or date is never a header name."""
    return rows.apply(lambda column: to_text(column.where(column.map(_is_text))))


def _known(
    texts: pd.DataFrame, kind: str, extra: frozenset[str], match_course: MatchCourse | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Which cells name one of the kind's fields (or a mapped header or a requirement),
    and the folded texts."""
    folded = texts.apply(fold_text)
    known = folded.isin(set(synonym_index(kind)) | extra)
    if match_course is not None:
        cells = texts.stack(future_stack=True).dropna()
        candidates = pd.Series(pd.unique(cells.to_numpy()), dtype="string")
        if len(candidates):
            matched = match_course(candidates, regex=False)
            names = set(candidates[matched.notna().to_numpy()])
            known |= texts.isin(names)
    return known, folded


def _is_text(value: object) -> bool:
    return isinstance(value, str)


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
    rows = sheet.grid.index
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
    known, _ = _known(_texts(sheet.grid.iloc[[position]]), kind, extra, match_course)
    if not known.to_numpy().any():
        report.add(no_header_message(kind, header_row, sheet.name), severity="fatal")
        return None
    return position


def _cut(sheet: Sheet, position: int) -> Table:
    grid = sheet.grid
    header_cells = to_text(grid.iloc[position]).astype(object)
    named = header_cells.notna().to_numpy()
    headers = _unique_names(
        [
            str(text) if has_name else f"(column {number + 1})"
            for number, (text, has_name) in enumerate(zip(header_cells, named, strict=True))
        ]
    )
    body = grid.iloc[position + 1 :].copy()
    body.columns = headers
    keep = named | body.notna().any().to_numpy()
    body = body.loc[:, keep]
    above = grid.iloc[:position].stack(future_stack=True).dropna().astype(str).str.strip()
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
    by_fold = {fold(h): h for h in reversed(headers)}
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
