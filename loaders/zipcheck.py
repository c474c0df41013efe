"""Checks on zip-based workbooks (xlsx, xlsm, ods) before any parser sees them.

A zip can declare (or hide) gigabytes behind a few kilobytes, XML can expand entities
exponentially, and one cell at ``XFD1048576`` makes calamine allocate the whole sheet
and abort the process. Each is refused here with a message, from the zip directory and
fast byte scans over the decompressed XML, streamed in chunks within the size limits.
The same pass finds formula cells saved without a cached value. Only the parts a reader
parses are looked at (:mod:`loaders.package` says which); nothing opens the others. Each
pattern runs on a chunk only after a plain byte search (which finds a rare byte such as
``!`` at memory speed) has seen what it needs there: the same matches, without walking
every ``<`` of 250 MB of XML three times.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError, XMLPullParser

from defusedxml import DefusedXmlException

from loaders.errors import LoaderError
from loaders.limits import MB, Limits
from loaders.package import Parts
from loaders.sniff import zip_parts

CHUNK = 4 * MB
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DIMENSION = re.compile(rb'<dimension\s+ref="([^"]*)"')
_REF = re.compile(r"([A-Za-z]*)(\d*)")
_CELL_R = re.compile(rb'\sr="([A-Za-z]+)(\d+)"')
_NO_CACHED_VALUE = re.compile(
    rb"<c\b([^>]*)>\s*<f\b(?:[^>]*/>|[^>]*>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>"
)
ODS = {
    "table": "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}",
    "office": "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}",
}
ODS_TABLE = ODS["table"] + "table"
ODS_ROW = ODS["table"] + "table-row"
ODS_CELLS = (ODS["table"] + "table-cell", ODS["table"] + "covered-table-cell")
ODS_VALUE_TYPE = ODS["office"] + "value-type"
ODS_FORMULA = ODS["table"] + "formula"
ODS_ROWS_REPEATED = ODS["table"] + "number-rows-repeated"
ODS_COLUMNS_REPEATED = ODS["table"] + "number-columns-repeated"
ODS_NAME = ODS["table"] + "name"

BOMB_HINT = "export the data again from its system"
CORRUPT_HINT = "open it in Excel or LibreOffice, save a new copy and upload that"
SPREADSHEET_COMPRESSION = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})


@dataclass
class ZipScan:
    """What the checks learnt: the real file type and formulas lacking a cached value."""

    file_type: str
    missing_formula_values: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    """Sheet name -> (1-based file row, 0-based column) of each such formula cell."""


def check_zip(data: bytes, filename: str, limits: Limits) -> ZipScan:
    """Refuse a damaged or hostile zip-based workbook; otherwise say what it is."""
    with _refusals(filename), zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = _indexed(archive, filename, limits)
        scanner = _Scanner(filename, limits, parts)
        for info in archive.infolist():
            if info.filename in parts.used:
                scanner.scan(archive, info)
        missing = {parts.sheets.get(part, part): cells for part, cells in scanner.missing.items()}
    return ZipScan(parts.file_type, missing)


def zip_type(data: bytes, filename: str, limits: Limits) -> str:
    """The first checks of :func:`check_zip` (the zip directory, the index parts) and the
    type they find, in milliseconds: enough to start a parser in the sandbox while
    :func:`check_zip` streams the parts."""
    with _refusals(filename), zipfile.ZipFile(io.BytesIO(data)) as archive:
        return _indexed(archive, filename, limits).file_type


def _indexed(archive: zipfile.ZipFile, filename: str, limits: Limits) -> Parts:
    check_declared(archive.infolist(), filename, limits)
    return zip_parts(archive, filename)


@contextmanager
def _refusals(filename: str) -> Iterator[None]:
    """A damaged zip or XML, and entities in the index parts, as one-line refusals."""
    try:
        yield
    except DefusedXmlException:
        raise LoaderError(
            "the file's index parts declare XML entities (a known attack on readers): "
            f"the file is not a plain spreadsheet, {CORRUPT_HINT}",
            file=filename,
            reason="hostile_xml",
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, ParseError) as error:
        raise LoaderError(
            f"the file is damaged or incomplete ({error}): {CORRUPT_HINT}",
            file=filename,
            reason="corrupt",
        ) from None


def check_declared(infos: list[zipfile.ZipInfo], filename: str, limits: Limits) -> None:
    """Compression methods, entry count, declared total size and per-entry compression ratio.

    Office and OpenDocument packages are only ever stored or deflated; any other method
    means a damaged or made-up file, refused before anything is unpacked.
    """
    for info in infos:
        if info.compress_type not in SPREADSHEET_COMPRESSION:
            raise LoaderError(
                f"the file is damaged or incomplete (part {info.filename} uses compression "
                f"method {info.compress_type}, which spreadsheets never use): {CORRUPT_HINT}",
                file=filename,
                reason="corrupt",
            )
    if len(infos) > limits.max_entries:
        raise _bomb(f"it holds {len(infos)} parts (limit {limits.max_entries})", filename)
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed:
        raise _bomb(
            f"it unpacks to {total / MB:.0f} MB (limit {limits.max_uncompressed / MB:g} MB)",
            filename,
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            raise _bomb(f"part {info.filename} is compressed {ratio:.0f} to 1", filename)


def column_letters(number: int) -> str:
    """1 -> A, 1024 -> AMJ, 16384 -> XFD."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """A -> 1, XFD -> 16384 (0 for no letters)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


class _Scanner:
    """One streaming pass over the XML parts of a zip, within the size limits."""

    def __init__(self, filename: str, limits: Limits, parts: Parts) -> None:
        self.filename = filename
        self.limits = limits
        self.sheets = parts.sheets
        self.ods = parts.file_type == "ods"
        self.read = 0
        self.missing: dict[str, list[tuple[int, int]]] = {}
        digits = len(str(limits.max_rows))
        letters = len(column_letters(limits.max_columns))
        # A literal ' r="' keeps this scan fast (a class such as \s makes it ten times
        # slower); a file separating attributes with other white space escapes this
        # message but not the sandbox.
        self.suspect = re.compile(
            rb' r="([A-Za-z]{%d,}\d+|[A-Za-z]*\d{%d,})"' % (letters, digits)
        )

    def scan(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        name = info.filename
        if name in self.sheets:
            for text in self._chunks(archive, info, b"</row>"):
                self._check_sheet_xml(name, text)
        elif self.ods and name == "content.xml":
            self._scan_ods(archive, info)
        else:
            for _ in self._chunks(archive, info, b">"):
                pass

    def _chunks(
        self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, separator: bytes
    ) -> Iterator[bytes]:
        """Decompressed text of one part, cut after ``separator``, checked as it streams."""
        carry = b""
        with archive.open(info) as part:
            head = part.peek(4)[:4]
            if 0 in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise self._refuse(info.filename, "is not UTF-8 XML")
            while True:
                chunk = part.read(CHUNK)
                self.read += len(chunk)
                if self.read > self.limits.max_uncompressed:
                    raise _bomb("it unpacks to more than it declares", self.filename)
                buffer = carry + chunk
                cut = len(buffer) if not chunk else buffer.rfind(separator) + len(separator)
                text, carry = buffer[:cut], buffer[cut:]
                if b"!" in text and b"<!" in text and _DECLARATION.search(text):
                    raise self._refuse(
                        info.filename, "declares XML entities (a known attack on readers)"
                    )
                yield text
                if not chunk:
                    return

    def _check_sheet_xml(self, part: str, text: bytes) -> None:
        for match in _DIMENSION.finditer(text) if b"<dimension" in text else ():
            for ref in match.group(1).decode("ascii", "replace").split(":"):
                self._check_ref(ref)
        for match in self.suspect.finditer(text):
            self._check_ref(match.group(1).decode("ascii"))
        if b"<f" in text:
            for match in _NO_CACHED_VALUE.finditer(text):
                at = _CELL_R.search(match.group(1))
                if at:
                    row, column = int(at.group(2)), column_number(at.group(1).decode()) - 1
                    self.missing.setdefault(part, []).append((row, column))

    def _check_ref(self, ref: str) -> None:
        match = _REF.fullmatch(ref)
        letters, digits = match.groups() if match else ("", "")
        if column_number(letters) > self.limits.max_columns or (
            digits and int(digits) > self.limits.max_rows
        ):
            self._out_of_range(ref.upper() if letters else f"row {digits}")

    def _out_of_range(self, where: str) -> None:
        label = where if where.startswith("row ") else f"cell {where}"
        limit = f"{column_letters(self.limits.max_columns)}{self.limits.max_rows}"
        raise LoaderError(
            f"{label} is beyond the supported range (up to {limit}): delete the stray cells "
            "far from the data, save and upload again",
            file=self.filename,
            reason="out_of_range",
        )

    def _scan_ods(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        """Positions in ODS come from repeat counts, so follow the rows and cells."""
        parser = XMLPullParser(events=("start", "end"))
        table, row, rows, column = "", 0, 1, 0
        for text in self._chunks(archive, info, b">"):
            parser.feed(text)
            for event, element in parser.read_events():
                tag = element.tag
                if event == "start":
                    if tag == ODS_TABLE:
                        table, row = element.get(ODS_NAME, ""), 0
                    elif tag == ODS_ROW:
                        rows, column = int(element.get(ODS_ROWS_REPEATED, "1")), 0
                    continue
                if tag in ODS_CELLS:
                    repeat = int(element.get(ODS_COLUMNS_REPEATED, "1"))
                    formula, value_type = element.get(ODS_FORMULA), element.get(ODS_VALUE_TYPE)
                    if formula or value_type or len(element):
                        self._check_ods_block(row, column, rows, repeat)
                    if formula and not value_type:
                        self.missing.setdefault(table, []).append((row + 1, column))
                    column += repeat
                elif tag == ODS_ROW:
                    row += rows
                    element.clear()
        parser.close()

    def _check_ods_block(self, row: int, column: int, rows: int, columns: int) -> None:
        if column + columns > self.limits.max_columns:
            self._out_of_range(f"{column_letters(column + columns)}{row + 1}")
        if row + rows > self.limits.max_rows:
            self._out_of_range(f"row {row + rows}")

    def _refuse(self, part: str, why: str) -> LoaderError:
        return LoaderError(
            f"part {part} {why}: the file is not a plain spreadsheet, {CORRUPT_HINT}",
            file=self.filename,
            reason="hostile_xml",
        )


def _bomb(why: str, filename: str) -> LoaderError:
    return LoaderError(
        f"the file looks like a zip bomb ({why}): {BOMB_HINT}",
        file=filename,
        reason="zip_bomb",
    )
