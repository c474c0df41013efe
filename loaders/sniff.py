"""What an uploaded file really is, from its bytes, never from its name.

People rename files (a PDF saved as ``.xlsx``, an xlsx called ``.csv``) and systems
export HTML tables as ``.xls``. The kind decides which parser may look at the bytes, so
it comes from magic numbers and, for containers, from the parts inside. Spreadsheets of
a kind no reader here handles (xlsb, Excel 2-4, Numbers, XML spreadsheets) are named,
with how to save them in one that is.

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
from loaders.package import Parts, ods_parts, office_parts

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
MARKUP_SAMPLE = 64 * 1024
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
OTHER_ZIP_PARTS: tuple[tuple[str, str], ...] = (
    ("word/document.xml", "a Word document"),
    ("ppt/presentation.xml", "a PowerPoint presentation"),
)
_NUMBERS_PART = re.compile(r"(?:[^/]+\.numbers/)?Index(?:/|\.zip$)")
CFB_STREAMS_OTHER: tuple[tuple[str, str], ...] = (
    ("WordDocument", "a Word document"),
    ("PowerPoint Document", "a PowerPoint presentation"),
)
BIFF_BOF: dict[int, str] = {
    0x0009: "an Excel 2.x worksheet (from before 1995)",
    0x0209: "an Excel 3.0 worksheet (from before 1995)",
    0x0409: "an Excel 4.0 worksheet (from before 1995)",
    0x0809: "an Excel workbook stream saved without the container Excel keeps it in",
}
"""First record (BOF) of a bare BIFF stream -> what it is; Excel 5 and later wrap it in
a compound file, which :func:`sniff_container` reads as ``xls``."""
BIFF_BOF_LENGTHS = frozenset({4, 6, 8, 16})
SMALL_PART = 1024 * 1024
UPLOAD_HINT = "upload the .xlsx, .xls, .ods or .csv export"
SAVE_AS_XLSX = "open it in Excel or LibreOffice, save it as .xlsx and upload that"
XLSB = ("an Excel binary workbook (.xlsb)", "open it in Excel, save it as .xlsx and upload that")
NUMBERS = (
    "an Apple Numbers document",
    "export it from Numbers as Excel (File > Export To > Excel) and upload the .xlsx",
)
ODS_WITHOUT_MIMETYPE = (
    "an OpenDocument spreadsheet without its 'mimetype' entry",
    "open it in LibreOffice Calc, save it again and upload that",
)
XML_SPREADSHEETS: tuple[tuple[bytes, tuple[str, str]], ...] = (
    (
        b"urn:schemas-microsoft-com:office:spreadsheet",
        ("an Excel 2003 XML spreadsheet", SAVE_AS_XLSX),
    ),
    (
        b'office:mimetype="application/vnd.oasis.opendocument.spreadsheet"',
        ("a flat OpenDocument spreadsheet (.fods)", SAVE_AS_XLSX),
    ),
)
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
    if len(data) >= 4:
        record, length = struct.unpack_from("<HH", data)
        if record in BIFF_BOF and length in BIFF_BOF_LENGTHS:
            raise unreadable((BIFF_BOF[record], SAVE_AS_XLSX), filename)
    for magic, what in NOT_SPREADSHEET_MAGIC:
        if data.startswith(magic):
            raise not_spreadsheet(what, filename)
    markup = _MARKUP.match(data[:1024])
    if markup:
        if markup.group(1) == b"?xml":
            head = data[:MARKUP_SAMPLE]
            for marker, kind in XML_SPREADSHEETS:
                if marker in head:
                    raise unreadable(kind, filename)
        what = "an XML file" if markup.group(1) == b"?xml" else "a web page (HTML)"
        raise LoaderError(
            f"this is {what}, not a spreadsheet: open it in Excel and save it as .xlsx",
            file=filename,
            reason="not_spreadsheet",
        )
    return "text"


def sniff_zip(archive: zipfile.ZipFile, filename: str) -> str:
    """``xlsx``, ``xlsm`` or ``ods`` from the parts inside an (already checked) zip."""
    return zip_parts(archive, filename).file_type


def zip_parts(archive: zipfile.ZipFile, filename: str) -> Parts:
    """The workbook's type and the parts its readers parse; refuse any other zip."""
    names = set(archive.namelist())
    parts = office_parts(archive, filename)
    if parts is not None:
        if parts.file_type == "xlsb":
            raise unreadable(XLSB, filename)
        if parts.file_type in ("xlsx", "xlsm"):
            return parts
        raise not_spreadsheet(parts.file_type, filename)
    if "mimetype" in names:
        mimetype = _read_small(archive, "mimetype", names).strip()
        if mimetype == ODS_MIMETYPE and "content.xml" in names:
            if b"encryption-data" in _read_small(archive, "META-INF/manifest.xml", names):
                raise LoaderError(PASSWORD_MESSAGE, file=filename, reason="encrypted")
            return ods_parts()
        if mimetype.startswith(b"application/vnd.oasis.opendocument."):
            raise not_spreadsheet("an OpenDocument file of another kind", filename)
    elif "content.xml" in names and ODS_MIMETYPE in _read_small(
        archive, "META-INF/manifest.xml", names
    ):
        raise unreadable(ODS_WITHOUT_MIMETYPE, filename)
    if "xl/workbook.bin" in names:
        raise unreadable(XLSB, filename)
    if any(_NUMBERS_PART.match(name) for name in names):
        raise unreadable(NUMBERS, filename)
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
    64. Requiring both keeps the same text inside cell data from matching. Names compare
    without regard to case, as in the format (some writers say ``WORKBOOK``).
    """
    encoded = name.encode("utf-16-le")
    for match in re.finditer(re.escape(encoded + b"\x00\x00"), data, re.IGNORECASE):
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


def unreadable(kind: tuple[str, str], filename: str) -> LoaderError:
    """A spreadsheet of a kind no reader here handles: ``kind`` is (what it is, how to fix)."""
    what, fix = kind
    return LoaderError(
        f"this is {what}, which cannot be read here: {fix}",
        file=filename,
        reason="unsupported_format",
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
