"""Untrusted uploaded bytes -> raw sheets (:class:`loaders.workbook.Workbook`).

The one entry point is :func:`read_workbook`. It refuses what it cannot read safely
with a one-line :class:`LoaderError` naming the file, in this order: size, type from
the magic bytes, zip-based checks (the parts streamed while the worker already parses,
its outcome used only if they pass), then parsing in the capped worker: calamine opens the
file as the type the sniffing found (never guessing one of its own) and fastexcel reads
its visible sheets straight into Arrow (calamine's own cells when fastexcel cannot),
openpyxl reads an xlsx or xlsm that calamine refuses, Arrow's CSV parser reads delimited
text. Every sheet is held to the row and column caps before its cells are built. Cells
come back as text (:mod:`loaders.cells`); the canonical layer interprets them.
"""

from __future__ import annotations

import os
import tempfile

from loaders.delimited import read_cells
from loaders.errors import LoaderError
from loaders.limits import DEFAULT_LIMITS, MB, Limits, current_limits
from loaders.sandbox import run_isolated
from loaders.sniff import sniff_container
from loaders.text import DELIMITER_NAMES, decode_text, sniff_delimiter
from loaders.workbook import Sheet, Workbook, pack, unpack
from loaders.zipcheck import ZipScan, check_zip, zip_type


def read_workbook(data: bytes, filename: str, *, limits: Limits | None = None) -> Workbook:
    """Read every visible sheet of an uploaded file; list hidden ones without reading them.

    A zip-based workbook's parts are streamed through the checks while the worker parses
    it (the worker is capped and timed for exactly such files); a refusal from the checks
    stands whatever the worker did, so the refusals are those of checking first.
    """
    limits = limits or current_limits()
    check_size(data, filename, limits)
    file_type = sniff_container(data, filename)
    zipped = file_type == "zip"
    if zipped:
        file_type = zip_type(data, filename, limits)
    scans: list[ZipScan] = []

    def check_parts() -> None:
        if zipped:
            scans.append(check_zip(data, filename, limits))
    if limits.isolate:
        with tempfile.TemporaryDirectory(prefix="upload-") as folder:
            source = os.path.join(folder, "upload")
            with open(source, "wb") as file:
                file.write(data)
            meta = run_isolated(
                parse_packed, source, filename, file_type, limits,
                limits=limits, file=filename, meanwhile=check_parts,
            )
            book = unpack(meta, folder)
    else:
        check_parts()
        book = parse(data, filename, file_type, limits)
    missing = scans[0].missing_formula_values if scans else {}
    for sheet in book.sheets:
        sheet.missing_formula_values = sorted(missing.get(sheet.name, []))
    return book


def check_size(data: bytes, filename: str, limits: Limits) -> None:
    if not data:
        raise LoaderError("the file is empty: export it again", file=filename, reason="empty")
    if len(data) > limits.max_bytes:
        raise LoaderError(
            f"the file is {len(data) / MB:.1f} MB, over the {limits.max_bytes / MB:g} MB limit: "
            "export only the columns and rows needed",
            file=filename,
            reason="too_large",
        )


def parse_packed(source: str, filename: str, file_type: str, limits: Limits) -> dict:
    """:func:`parse` in the worker, on the upload saved at ``source``; the cells go back
    as Arrow IPC files beside it (:func:`loaders.workbook.pack`)."""
    with open(source, "rb") as file:
        data = file.read()
    return pack(parse(data, filename, file_type, limits), os.path.dirname(source))


def parse(
    data: bytes, filename: str, file_type: str, limits: Limits = DEFAULT_LIMITS
) -> Workbook:
    """Parse bytes whose type is known and which passed the safety checks."""
    if file_type == "text":
        return parse_text(data, filename, limits)
    from loaders.spreadsheets import parse_spreadsheet  # the readers' libraries: worker only

    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = os.path.join(folder, f"upload.{file_type}")
        with open(path, "wb") as file:
            file.write(data)
        return parse_spreadsheet(path, filename, file_type, limits)


def parse_text(data: bytes, filename: str, limits: Limits = DEFAULT_LIMITS) -> Workbook:
    """Delimited text into one sheet whose row numbers are the file's line numbers."""
    text, encoding = decode_text(data, filename)
    if not text.strip():
        raise LoaderError("the file is empty: export it again", file=filename, reason="empty")
    delimiter = sniff_delimiter(text)
    raw = {"UTF-8": data, "UTF-8 with BOM": data[3:]}.get(encoding) or text.encode("utf-8")
    del text
    cells = read_cells(raw, delimiter, filename, limits)
    notes = [f"Encoding: {encoding}; delimiter: {DELIMITER_NAMES[delimiter]}"]
    return Workbook(
        file=filename, file_type="csv", sheets=[Sheet(filename, cells=cells)], notes=notes
    )


