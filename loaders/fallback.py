"""openpyxl as the second reader, for an xlsx or xlsm that calamine refuses.

Some writers produce packages calamine rejects and openpyxl reads (a UTF-16 workbook
part, a sheet relationship with no target, macro and dialog sheets). The caller has run
the same zip checks and runs this in the same capped process. Read-only mode streams
each sheet; ``data_only`` returns the cached value of a formula (None where none was
saved, which the zip checks report). Hidden and very hidden sheets are listed, never
read; chart, macro and dialog sheets are skipped, as calamine skips them.
"""

from __future__ import annotations

import warnings
import zipfile

import openpyxl

from loaders.cells import cells_from_objects
from loaders.limits import Limits, check_shape
from loaders.package import office_parts
from loaders.workbook import Sheet, Workbook


def read_with_openpyxl(path: str, filename: str, file_type: str, limits: Limits) -> Workbook:
    """Every visible worksheet of the workbook at ``path``; raises whatever openpyxl raises."""
    with zipfile.ZipFile(path) as archive:
        parts = office_parts(archive, filename)
    worksheets = {parts.sheets[part] for part in parts.worksheets} if parts else set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # about parts openpyxl drops, which are not read here
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        try:
            sheets, hidden = [], []
            for sheet in book.worksheets:
                if sheet.title not in worksheets:
                    continue
                if sheet.sheet_state != "visible":
                    hidden.append(sheet.title)
                    continue
                sheet.reset_dimensions()
                cells = cells_from_objects(list(sheet.iter_rows(values_only=True)))
                check_shape(*cells.shape, f"sheet {sheet.title!r}", filename, limits)
                sheets.append(Sheet(sheet.title, cells=cells, spreadsheet=True))
        finally:
            book.close()
    return Workbook(file=filename, file_type=file_type, sheets=sheets, hidden_sheets=hidden)
