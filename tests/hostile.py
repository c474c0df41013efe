"""Hostile and broken inputs built in code: bytes for the readers, functions for the sandbox.

Everything is small and quick to build: the 1 GB zip bomb is a 1 MB deflate stream
made by repeating one flushed block, so no test ever compresses a gigabyte.
"""

from __future__ import annotations

import functools
import io
import os
import struct
import time
import zipfile
import zlib

from msoffcrypto.format.ooxml import OOXMLFile

from loaders.errors import LoaderError
from tests.filemaker import rewrite_zip, xls_bytes, xlsx_bytes

GB = 1024**3
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol4;</t></is></c></row></sheetData></worksheet>"""
SHEET = "xl/worksheets/sheet1.xml"
ROWS = [["Collar No", "Name"], [1234, "Ann Lee"]]


def truncated_xlsx() -> bytes:
    """The first half of a real workbook, as an interrupted download leaves it."""
    data = xlsx_bytes({"Staff": ROWS})
    return data[: len(data) // 2]


def password_protected_xlsx() -> bytes:
    """A real workbook encrypted with a password, as Excel's "Encrypt with Password" saves it."""
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx_bytes({"Staff": ROWS}))).encrypt("secret", encrypted)
    return encrypted.getvalue()


def password_protected_xls() -> bytes:
    """A legacy .xls whose workbook stream starts with a FILEPASS record, as Excel writes it
    when a password protects the file (readers stop there; the rest need not be encrypted).

    xlwt's two-byte INTERFACEHDR record after the BOF becomes a two-byte FILEPASS.
    """
    data = xls_bytes({"Staff": ROWS})
    interface_header = struct.pack("<HH", 0x00E1, 2)
    at = data.index(interface_header)
    return data[:at] + struct.pack("<HH", 0x002F, 2) + data[at + 4 :]


def bare_biff(version: int) -> bytes:
    """The start of an Excel 2.x (``version`` 2), 3.0 or 4.0 worksheet: a BOF record."""
    record = {2: 0x0009, 3: 0x0209, 4: 0x0409}[version]
    body = struct.pack("<HH", 0x0007, 0x0010) + (b"" if version == 2 else bytes(2))
    return struct.pack("<HH", record, len(body)) + body + bytes(64)


def entity_expansion_xlsx() -> bytes:
    """A workbook whose sheet XML declares nested entities (billion laughs)."""
    return rewrite_zip(xlsx_bytes({"Staff": ROWS}), {SHEET: lambda _: BILLION_LAUGHS})


def far_cell_xlsx(*, lying_dimension: bool = False) -> bytes:
    """A workbook with one cell at XFD1048576 (calamine allocates 512 GB and aborts).

    With ``lying_dimension`` the ``<dimension>`` claims ``A1:B2``, as a hostile file would.
    """
    data = xlsx_bytes({"Staff": ROWS}, formulas={"Staff": {"XFD1048576": "x"}})
    if not lying_dimension:
        return data
    return rewrite_zip(
        data, {SHEET: lambda xml: xml.replace(b'ref="A1:XFD1048576"', b'ref="A1:B2"')}
    )


def zip_bomb_xlsx(*, size: int = GB, lie: bool = False) -> bytes:
    """A valid small workbook whose sheet part unpacks to ``size`` bytes of zeros.

    With ``lie`` the zip directory declares the part as 1 KB, so only reading the
    stream (or its CRC check) can tell.
    """
    parts = _parts_of(xlsx_bytes({"Staff": ROWS}))
    stream, crc = _zeros_deflated(size)
    declared = 1024 if lie else size
    parts[SHEET] = (stream, crc, declared)
    return zip_from_deflated(parts)


def cfb_bytes(streams: list[str]) -> bytes:
    """A minimal valid compound file (OLE2) whose directory lists empty ``streams``.

    ``cfb_bytes(["EncryptionInfo", "EncryptedPackage"])`` is what Office writes for a
    password-protected xlsx (contents aside); ``["WordDocument"]`` looks like a .doc.
    """
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    fat = struct.pack("<II", fat_sector, end) + struct.pack("<I", free) * 126
    names = ["Root Entry", *streams]
    entries = b""
    for index, name in enumerate(names):
        kind = 5 if index == 0 else 2
        child = 1 if index == 0 and streams else no_stream
        right = index + 1 if 0 < index < len(names) - 1 else no_stream
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entries += (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", no_stream, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", end, 0)
        )
    directory = entries.ljust(512, b"\x00")
    return header + fat + directory


def zip_from_deflated(parts: dict[str, tuple[bytes, int, int]]) -> bytes:
    """A zip from raw deflate streams: name -> (stream, crc32, declared size)."""
    local, central = b"", b""
    for name, (stream, crc, size) in parts.items():
        encoded = name.encode()
        fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0x21, crc, len(stream), size)
        central += (
            b"PK\x01\x02"
            + struct.pack("<H", 20)
            + fields
            + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, len(local))
            + encoded
        )
        local += b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded + stream
    end = b"PK\x05\x06" + struct.pack(
        "<HHHHIIH", 0, 0, len(parts), len(parts), len(central), len(local), 0
    )
    return local + central + end


def allocate_forever() -> int:
    """A sandboxed function that asks for memory until it dies."""
    hoard = []
    while True:
        hoard.append(bytearray(64 * 1024 * 1024))


def hold_memory(size: int) -> int:
    """A sandboxed function that fills ``size`` bytes and keeps them a moment (0.2 s)."""
    block = b"x" * size
    time.sleep(0.2)
    return len(block)


def sleep_forever() -> None:
    """A sandboxed function that never returns."""
    while True:
        time.sleep(1)


def abort_process() -> None:
    """A sandboxed function that kills its process the way a native reader does."""
    os.abort()


def refuse_file(filename: str) -> None:
    """A sandboxed function that refuses its input the ordinary way."""
    raise LoaderError("no header row found", file=filename, row=3, column="B", reason="no_header")


def fail_unexpectedly() -> None:
    """A sandboxed function with a bug."""
    raise ValueError("boom")


def _parts_of(data: bytes) -> dict[str, tuple[bytes, int, int]]:
    parts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            content = archive.read(info)
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            parts[info.filename] = (
                packer.compress(content) + packer.flush(),
                zlib.crc32(content),
                len(content),
            )
    return parts


@functools.cache
def _zeros_deflated(size: int) -> tuple[bytes, int]:
    """Raw deflate of ``size`` zero bytes (a multiple of 1 MB) and its CRC-32."""
    block = bytes(1024 * 1024)
    count = size // len(block)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    return first * count + packer.flush(), crc
