"""File type from magic bytes and container contents, never from the name."""

from __future__ import annotations

import io
import zipfile

import pytest

from loaders.errors import LoaderError
from loaders.sniff import cfb_has_stream, sniff_container, sniff_zip
from tests.filemaker import csv_bytes, ods_bytes, xls_bytes, xlsm_bytes, xlsx_bytes
from tests.hostile import PDF, PNG, cfb_bytes

ROWS = [["ID", "Name"], [1, "Ann"]]


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (xlsx_bytes({"S": ROWS}), "zip"),
        (ods_bytes({"S": ROWS}), "zip"),
        (xls_bytes({"S": ROWS}), "xls"),
        (csv_bytes(ROWS), "text"),
        (csv_bytes(ROWS, encoding="utf-16"), "text"),
        (b"PK\x05\x06" + bytes(18), "zip"),
    ],
)
def test_sniff_container_kinds(data: bytes, kind: str) -> None:
    assert sniff_container(data, "renamed.txt") == kind


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (PDF, "this is a PDF document, not a spreadsheet"),
        (PNG, "this is a PNG image, not a spreadsheet"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"GIF89a\x01\x00", "GIF image"),
        (b"\x1f\x8b\x08\x00", "gzip archive"),
        (b"{\\rtf1\\ansi", "RTF document"),
        (b"  <html><table><tr><td>1</td></tr></table></html>", "web page (HTML)"),
        (b"<!DOCTYPE html>\n<html>", "web page (HTML)"),
        (b'<?xml version="1.0"?><Workbook/>', "an XML file"),
        (cfb_bytes(["WordDocument"]), "Word document"),
        (cfb_bytes(["Something"]), "Office file of another kind"),
    ],
)
def test_known_non_spreadsheets_are_named(data: bytes, words: str) -> None:
    with pytest.raises(LoaderError) as raised:
        sniff_container(data, "export.xlsx")
    assert str(raised.value).startswith("export.xlsx: ")
    assert words in str(raised.value)
    assert raised.value.reason == "not_spreadsheet"


def test_encrypted_office_file_asks_for_an_unprotected_copy() -> None:
    with pytest.raises(LoaderError) as raised:
        sniff_container(cfb_bytes(["EncryptionInfo", "EncryptedPackage"]), "training.xlsx")
    assert raised.value.reason == "encrypted"
    assert "password-protected" in str(raised.value)
    assert str(raised.value).startswith("training.xlsx: ")


def test_cfb_stream_names_must_be_directory_entries() -> None:
    data = cfb_bytes(["Workbook"])
    assert cfb_has_stream(data, "Workbook")
    assert not cfb_has_stream(data, "EncryptedPackage")
    in_cell_text = data + b"x" + "EncryptedPackage".encode("utf-16-le") + bytes(200)
    assert not cfb_has_stream(in_cell_text, "EncryptedPackage")


@pytest.mark.parametrize(
    ("data", "file_type"),
    [
        (xlsx_bytes({"S": ROWS}), "xlsx"),
        (xlsm_bytes({"S": ROWS}), "xlsm"),
        (ods_bytes({"S": ROWS}), "ods"),
    ],
)
def test_sniff_zip_types(data: bytes, file_type: str) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sniff_zip(archive, "x.csv") == file_type


@pytest.mark.parametrize(
    ("parts", "words"),
    [
        ({"word/document.xml": b"<w/>"}, "Word document"),
        ({"ppt/presentation.xml": b"<p/>"}, "PowerPoint presentation"),
        ({"xl/workbook.bin": b"\x00"}, ".xlsb"),
        (
            {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"},
            "OpenDocument file of another kind",
        ),
        ({"photos/cat.jpg": b"\xff\xd8\xff"}, "zip archive of other files"),
    ],
)
def test_zips_of_other_things_are_refused(parts: dict[str, bytes], words: str) -> None:
    with (
        zipfile.ZipFile(io.BytesIO(_zip(parts))) as archive,
        pytest.raises(LoaderError) as raised,
    ):
        sniff_zip(archive, "upload.xlsx")
    assert words in str(raised.value)
    assert str(raised.value).startswith("upload.xlsx: ")


def test_encrypted_ods_asks_for_an_unprotected_copy() -> None:
    manifest = b'<manifest:file-entry><manifest:encryption-data manifest:checksum="x"/>'
    data = _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": b"\x8f\x12 encrypted",
            "META-INF/manifest.xml": manifest,
        }
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive, pytest.raises(LoaderError) as raised:
        sniff_zip(archive, "rota.ods")
    assert raised.value.reason == "encrypted"
    assert str(raised.value).startswith("rota.ods: the file is password-protected")
