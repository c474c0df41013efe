"""Build spreadsheet and text file bytes from Python rows, for tests.

Rows are lists of cells: ``str``, ``int``, ``float``, ``datetime.datetime``,
``datetime.date`` or ``None`` (an empty cell). Everything is generated in memory so no
binary fixture is ever committed.

>>> data = xlsx_bytes({"Staff": [["Collar No", "Name"], [1234, "Ann Lee"]]})
>>> data[:2]
b'PK'
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
import pandas as pd
import xlwt

Rows = Sequence[Sequence[Any]]

XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def xlsx_bytes(
    sheets: dict[str, Rows],
    *,
    hidden: dict[str, str] | None = None,
    formulas: dict[str, dict[str, str]] | None = None,
    cached: dict[str, dict[str, float | str]] | None = None,
    date_format: str = "dd/mm/yyyy",
) -> bytes:
    """An .xlsx workbook, one sheet per entry of ``sheets`` (in order).

    ``hidden`` maps a sheet name to ``"hidden"`` or ``"veryHidden"``. ``formulas`` maps a
    sheet name to ``{"B2": "=A2*2"}``; openpyxl saves formulas with no cached value, as a
    file built by a script and never opened in Excel would be. ``cached`` gives cached
    values for some of those formula cells, as Excel would have saved them.
    Real date cells get ``date_format`` as their number format.
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, dt.date):
                    cell.number_format = date_format
        for ref, formula in (formulas or {}).get(name, {}).items():
            sheet[ref] = formula
        state = (hidden or {}).get(name)
        if state:
            sheet.sheet_state = state
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if cached:
        data = _with_cached_values(data, list(sheets), cached)
    return data


def xlsm_bytes(sheets: dict[str, Rows], **options: Any) -> bytes:
    """Same content as :func:`xlsx_bytes`, declared as a macro-enabled workbook."""
    data = xlsx_bytes(sheets, **options)
    def macro_enabled(xml: bytes) -> bytes:
        return xml.replace(XLSX_MAIN.encode(), XLSM_MAIN.encode())

    return rewrite_zip(data, {"[Content_Types].xml": macro_enabled})


def xls_bytes(sheets: dict[str, Rows], *, date_format: str = "dd/mm/yyyy") -> bytes:
    """A legacy .xls (BIFF8) workbook written with xlwt; dates as real date cells."""
    book = xlwt.Workbook()
    date_style = xlwt.easyxf(num_format_str=date_format)
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    sheet.write(r, c, value, date_style)
                else:
                    sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ods_bytes(sheets: dict[str, Rows]) -> bytes:
    """An OpenDocument spreadsheet written by pandas with the odf engine."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="odf") as writer:
        for name, rows in sheets.items():
            frame = pd.DataFrame([list(r) for r in rows], dtype=object)
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    return buffer.getvalue()


def csv_bytes(rows: Rows, *, sep: str = ",", encoding: str = "utf-8") -> bytes:
    """Delimited text in ``encoding`` (``utf-8-sig`` and ``utf-16`` write a BOM).

    Dates are written the UK way (``26/08/2024``, with ``14:32`` for datetimes); ``None``
    is an empty field. Lines end with CRLF, as Excel writes them.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerows([[_text(v) for v in row] for row in rows])
    return buffer.getvalue().encode(encoding)


def rewrite_zip(
    data: bytes,
    edits: dict[str, Callable[[bytes], bytes]],
    *,
    add: dict[str, bytes] | None = None,
    drop: frozenset[str] = frozenset(),
) -> bytes:
    """Copy a zip, passing the named entries through an edit function, adding the entries
    of ``add`` at the end and leaving out those named in ``drop``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename in drop:
                continue
            content = source.read(info)
            if info.filename in edits:
                content = edits[info.filename](content)
            target.writestr(info.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def relocated_xlsx(rows: Rows, *, formulas: dict[str, str] | None = None) -> bytes:
    """An .xlsx whose parts have other names than Excel gives them, as some writers do.

    The workbook is ``book.xml`` at the root and its one sheet, "Staff", is
    ``data/staff.xml``; only the relationships and content types say so. Strings are
    inline; ``formulas`` (``{"B2": "A2*2"}``) are saved with no cached value. Up to 26
    columns.
    """
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType='
            '"application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Override PartName="/book.xml" ContentType="{XLSX_MAIN}"/>'
            '<Override PartName="/data/staff.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="book.xml"/></Relationships>'
        ),
        "_rels/book.xml.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{rel}/worksheet" Target="data/staff.xml"/></Relationships>'
        ),
        "book.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Staff" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "data/staff.xml": f'<worksheet xmlns="{main}"><sheetData>'
        + _sheet_rows(rows, formulas or {})
        + "</sheetData></worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + xml)
    return out.getvalue()


def _sheet_rows(rows: Rows, formulas: dict[str, str]) -> str:
    """``<row>`` elements for numbers and inline strings, then formula-only cells."""
    cells: dict[int, list[str]] = {}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if isinstance(value, str):
                cells.setdefault(r, []).append(
                    f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
                )
            elif value is not None:
                cells.setdefault(r, []).append(f'<c r="{ref}"><v>{value}</v></c>')
    for ref, formula in formulas.items():
        row = int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        cells.setdefault(row, []).append(f'<c r="{ref}"><f>{escape(formula)}</f></c>')
    return "".join(
        f'<row r="{r}">{"".join(sorted(found, key=_column_of))}</row>'
        for r, found in sorted(cells.items())
    )


def _column_of(cell: str) -> str:
    return re.search(r'r="([A-Z]+)', cell).group(1)


def _with_cached_values(
    data: bytes, names: list[str], cached: dict[str, dict[str, float | str]]
) -> bytes:
    """Fill the empty ``<v />`` openpyxl writes after a formula with a cached value."""
    edits = {}
    for index, name in enumerate(names, start=1):
        values = cached.get(name)
        if values:
            edits[f"xl/worksheets/sheet{index}.xml"] = _cache_editor(values)
    return rewrite_zip(data, edits)


def _cache_editor(values: dict[str, float | str]) -> Callable[[bytes], bytes]:
    def edit(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        for ref, value in values.items():
            kind = ' t="str"' if isinstance(value, str) else ""
            pattern = re.compile(rf'<c (r="{ref}"[^>]*)>(<f>.*?</f>)<v ?/>')
            cell = escape(str(value)).replace("\\", "\\\\")
            text, count = pattern.subn(rf"<c \1{kind}>\2<v>{cell}</v>", text)
            if count != 1:
                raise ValueError(f"no formula cell {ref} to give a cached value")
        return text.encode("utf-8")

    return edit


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)
