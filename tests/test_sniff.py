"""File type from magic bytes and container contents, never from the name."""

from __future__ import annotations

import io
import zipfile

import pytest

from loaders.errors import LoaderError
from loaders.sniff import cfb_has_stream, sniff_container, sniff_zip, zip_parts
from tests.filemaker import (
    csv_bytes,
    ods_bytes,
    relocated_xlsx,
    xls_bytes,
    xlsm_bytes,
    xlsx_bytes,
)
from tests.hostile import PDF, PNG, bare_biff, cfb_bytes

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


WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSB_TYPE = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _package(document: str, content_type: str) -> bytes:
    """A package whose root relationship names ``document`` with ``content_type``."""
    return _zip(
        {
            "[Content_Types].xml": (
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                f'<Override PartName="/{document}" ContentType="{content_type}"/></Types>'
            ).encode(),
            "_rels/.rels": (
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                f'relationships"><Relationship Id="r1" Type="{REL}/officeDocument" '
                f'Target="{document}"/></Relationships>'
            ).encode(),
            document: b"<workbook/>",
        }
    )


def _sniff_zip_refusal(data: bytes) -> LoaderError:
    with zipfile.ZipFile(io.BytesIO(data)) as archive, pytest.raises(LoaderError) as raised:
        sniff_zip(archive, "upload.xlsx")
    return raised.value


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _zip({"xl/workbook.bin": b"\x00"}),
            "this is an Excel binary workbook (.xlsb), which cannot be read here: open it in "
            "Excel, save it as .xlsx and upload that",
        ),
        (
            _package("xl/book.bin", XLSB_TYPE),
            "this is an Excel binary workbook (.xlsb), which cannot be read here: open it in "
            "Excel, save it as .xlsx and upload that",
        ),
        (
            _zip({"Index/Document.iwa": b"\x00", "Metadata/Properties.plist": b""}),
            "this is an Apple Numbers document, which cannot be read here: export it from "
            "Numbers as Excel (File > Export To > Excel) and upload the .xlsx",
        ),
        (
            _zip(
                {
                    "content.xml": b"<office:document-content/>",
                    "META-INF/manifest.xml": b'<manifest:file-entry manifest:full-path="/" '
                    b'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>',
                }
            ),
            "this is an OpenDocument spreadsheet without its 'mimetype' entry, which cannot "
            "be read here: open it in LibreOffice Calc, save it again and upload that",
        ),
    ],
)
def test_spreadsheets_no_reader_handles_are_named_in_one_sentence(
    data: bytes, message: str
) -> None:
    error = _sniff_zip_refusal(data)
    assert str(error) == f"upload.xlsx: {message}"
    assert error.reason == "unsupported_format"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (bare_biff(2), "an Excel 2.x worksheet (from before 1995)"),
        (bare_biff(3), "an Excel 3.0 worksheet (from before 1995)"),
        (bare_biff(4), "an Excel 4.0 worksheet (from before 1995)"),
        (
            b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook '
            b'xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
            "an Excel 2003 XML spreadsheet",
        ),
        (
            b'<?xml version="1.0"?><office:document '
            b'office:mimetype="application/vnd.oasis.opendocument.spreadsheet"/>',
            "a flat OpenDocument spreadsheet (.fods)",
        ),
    ],
)
def test_old_and_xml_spreadsheets_are_named(data: bytes, what: str) -> None:
    with pytest.raises(LoaderError) as raised:
        sniff_container(data, "old.xls")
    assert str(raised.value) == (
        f"old.xls: this is {what}, which cannot be read here: open it in Excel or "
        "LibreOffice, save it as .xlsx and upload that"
    )
    assert raised.value.reason == "unsupported_format"


@pytest.mark.parametrize(
    "data",
    [
        PDF,
        cfb_bytes(["WordDocument"]),
        bare_biff(3),
        _zip({"xl/workbook.bin": b"\x00"}),
        _zip({"photos/cat.jpg": b"\xff\xd8\xff"}),
        _package("word/document.xml", "application/vnd.openxmlformats-officedocument."
                 "wordprocessingml.document.main+xml"),
    ],
)
def test_every_refusal_is_one_sentence(data: bytes) -> None:
    """What it is, then one colon, then what to do: no second template run into the first."""
    with pytest.raises(LoaderError) as raised:
        kind = sniff_container(data, "f.xlsx")
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sniff_zip(archive, "f.xlsx")
        pytest.fail(f"accepted as {kind}")
    message = raised.value.message
    assert message.count(": ") == 1 and ";" not in message and ", not" not in message.split(":")[1]
    assert message.startswith("this is ") and message.endswith(("export", "that", ".xlsx"))


def test_the_workbook_is_found_through_the_package_relationships() -> None:
    with zipfile.ZipFile(io.BytesIO(relocated_xlsx([["ID"]]))) as archive:
        assert sniff_zip(archive, "f.xlsx") == "xlsx"
        parts = zip_parts(archive, "f.xlsx")
    assert parts.sheets == {"data/staff.xml": "Staff"}
    assert parts.worksheets == frozenset({"data/staff.xml"})
    assert parts.used == frozenset(
        {"[Content_Types].xml", "_rels/.rels", "_rels/book.xml.rels", "book.xml", "data/staff.xml"}
    )


def test_a_word_package_is_named_from_its_content_type() -> None:
    data = _package(
        "doc/main.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    )
    error = _sniff_zip_refusal(data)
    assert error.message.startswith("this is a Word document, not a spreadsheet")


def test_stream_names_compare_without_regard_to_case() -> None:
    assert sniff_container(cfb_bytes(["WORKBOOK"]), "old.xls") == "xls"
    assert cfb_has_stream(cfb_bytes(["encryptedpackage"]), "EncryptedPackage")
