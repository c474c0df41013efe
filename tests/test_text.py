"""Encoding and delimiter detection for delimited text."""

from __future__ import annotations

import codecs

import pytest

from loaders.errors import LoaderError
from loaders.text import decode_text, sniff_delimiter

TEXT = "Collar No,Name\r\n1234,Zoë O’Brien\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "UTF-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "UTF-8 with BOM"),
        (TEXT.encode("utf-16"), "UTF-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "UTF-16"),
        (TEXT.encode("utf-16-le"), "UTF-16 (no BOM)"),
        (TEXT.encode("utf-16-be"), "UTF-16 (no BOM)"),
        (TEXT.encode("utf-32"), "UTF-32"),
        (codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"), "UTF-32"),
        (TEXT.encode("utf-32-le"), "UTF-32 (no BOM)"),
        (TEXT.encode("utf-32-be"), "UTF-32 (no BOM)"),
        (TEXT.encode("cp1252"), "Windows-1252"),
    ],
)
def test_decode_text_finds_the_encoding(data: bytes, encoding: str) -> None:
    assert decode_text(data, "staff.csv") == (TEXT, encoding)


def test_undefined_windows_1252_bytes_do_not_fail() -> None:
    text, encoding = decode_text(b"ID,Name\r\n1,Ann\x81\r\n", "staff.csv")
    assert encoding == "Windows-1252"
    assert text.startswith("ID,Name\r\n1,Ann")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (bytes(range(256)) * 4, "not_text"),
        (b"ID,Name\x00\x01\x02\x03garbage\x04\x05", "not_text"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8A\x00", "bad_encoding"),
    ],
)
def test_binary_or_broken_text_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(LoaderError) as raised:
        decode_text(data, "upload.csv")
    assert raised.value.reason == reason
    assert str(raised.value).startswith("upload.csv: ")


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("ID,Name,Unit\n1,Ann,A\n2,Bob,B\n", ","),
        ("ID;Name;Unit\n1;Ann;A\n2;Bob;B\n", ";"),
        ("ID\tName\tUnit\n1\tAnn\tA\n2\tBob\tB\n", "\t"),
        ("Training report\n\nID;Name;Unit\n1;Ann;A\n2;Bob;B\n", ";"),
        ("Report, March 2024\nID;Name;Unit\n1;Lee, Ann;A\n2;Bob;B\n", ";"),
        ('ID,Name\n1,"Lee; Ann; Dr"\n2,"Bob; Jr"\n', ","),
        ("ID\tName, full\n1\tLee, Ann\n2\tBob\n", "\t"),
        ("Name\nAnn\nBob\n", ","),
        ("", ","),
    ],
)
def test_sniff_delimiter(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter
