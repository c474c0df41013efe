"""What an uploaded file really is, from its bytes, never from its name.

People rename files (a PDF saved as ``.xlsx``, an xlsx called ``.csv``) and systems
export HTML tables as ``.xls``. The kind decides which parser may look at the bytes, so
it comes from magic numbers and, for containers, from the parts inside.

>>> sniff_container(b"%PDF-1.7 ...", "report.xlsx")
Traceback (most recent call last):
...
loaders.errors.LoaderError: report.xlsx: this is a PDF document, not a spreadsheet: \
upload the .xlsx, .xls, .ods or .csv export
"""

from __future__ import annotations

import re
import struct
import zipfile

from loaders.errors import LoaderError

ZIP_MAGIC: tuple[bytes, ...] = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
NOT_SPREADSHEET_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
)
_MARKUP = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<(!doctype html|html|table|\?xml)", re.IGNORECASE)
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
XLSM_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
OTHER_ZIP_PARTS: tuple[tuple[str, str], ...] = (
    ("xl/workbook.bin", "an Excel binary workbook (.xlsb); save it as .xlsx and"),
    ("word/document.xml", "a Word document"),
    ("ppt/presentation.xml", "a PowerPoint presentation"),
)
CFB_STREAMS_OTHER: tuple[tuple[str, str], ...] = (
    ("WordDocument", "a Word document"),
    ("PowerPoint Document", "a PowerPoint presentation"),
)
SMALL_PART = 1024 * 1024
UPLOAD_HINT = "upload the .xlsx, .xls, .ods or .csv export"
PASSWORD_MESSAGE = (
    "the file is password-protected: open it, remove the password "
    "(File > Info > Protect Workbook), save an unprotected copy and upload that"
)


def sniff_container(data: bytes, filename: str) -> str:
    """``zip``, ``xls`` or ``text``; refuse known non-spreadsheets and encrypted files."""
    if data.startswith(ZIP_MAGIC):
        return "zip"
    if data.startswith(CFB_MAGIC):
        return _cfb_kind(data, filename)
    for magic, what in NOT_SPREADSHEET_MAGIC:
        if data.startswith(magic):
            raise not_spreadsheet(what, filename)
    markup = _MARKUP.match(data[:1024])
    if markup:
        what = "an XML file" if markup.group(1) == b"?xml" else "a web page (HTML)"
        raise LoaderError(
            f"this is {what}, not a spreadsheet: open it in Excel and save it as .xlsx",
            file=filename,
            reason="not_spreadsheet",
        )
    return "text"


def sniff_zip(archive: zipfile.ZipFile, filename: str) -> str:
    """``xlsx``, ``xlsm`` or ``ods`` from the parts inside an (already checked) zip."""
    names = set(archive.namelist())
    if "xl/workbook.xml" in names:
        types = _read_small(archive, "[Content_Types].xml", names)
        return "xlsm" if XLSM_MAIN in types else "xlsx"
    if "mimetype" in names:
        mimetype = _read_small(archive, "mimetype", names).strip()
        if mimetype == ODS_MIMETYPE and "content.xml" in names:
            if b"encryption-data" in _read_small(archive, "META-INF/manifest.xml", names):
                raise LoaderError(PASSWORD_MESSAGE, file=filename, reason="encrypted")
            return "ods"
        if mimetype.startswith(b"application/vnd.oasis.opendocument."):
            raise not_spreadsheet("an OpenDocument file of another kind", filename)
    for part, what in OTHER_ZIP_PARTS:
        if part in names:
            raise not_spreadsheet(what, filename)
    raise LoaderError(
        f"this is a zip archive of other files, not a spreadsheet: unzip it and {UPLOAD_HINT}",
        file=filename,
        reason="not_spreadsheet",
    )


def cfb_has_stream(data: bytes, name: str) -> bool:
    """Whether a compound file (OLE2) directory holds a stream called ``name``.

    Directory entries are 128-byte records at 128-byte aligned offsets, starting with
    the UTF-16LE name followed by its byte length (terminating NUL included) at offset
    64. Requiring both keeps the same text inside cell data from matching.
    """
    encoded = name.encode("utf-16-le")
    for match in re.finditer(re.escape(encoded + b"\x00\x00"), data):
        start = match.start()
        if start % 128 or start + 66 > len(data):
            continue
        (length,) = struct.unpack_from("<H", data, start + 64)
        if length == len(encoded) + 2:
            return True
    return False


def not_spreadsheet(what: str, filename: str) -> LoaderError:
    return LoaderError(
        f"this is {what}, not a spreadsheet: {UPLOAD_HINT}",
        file=filename,
        reason="not_spreadsheet",
    )


def _cfb_kind(data: bytes, filename: str) -> str:
    if cfb_has_stream(data, "EncryptedPackage"):
        raise LoaderError(PASSWORD_MESSAGE, file=filename, reason="encrypted")
    if cfb_has_stream(data, "Workbook") or cfb_has_stream(data, "Book"):
        return "xls"
    for stream, what in CFB_STREAMS_OTHER:
        if cfb_has_stream(data, stream):
            raise not_spreadsheet(what, filename)
    raise not_spreadsheet("an Office file of another kind", filename)


def _read_small(archive: zipfile.ZipFile, name: str, names: set[str]) -> bytes:
    """At most ``SMALL_PART`` bytes of a part: enough to sniff, never a bomb."""
    if name not in names:
        return b""
    with archive.open(name) as part:
        return part.read(SMALL_PART)
