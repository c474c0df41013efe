"""Delimited text: decode bytes of unknown encoding and find the delimiter.

Exports arrive as UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text", often
tab-separated), now and then UTF-32, or Windows-1252 (older Excel "CSV"). The encoding is
decided from the bytes, never asked of the user:

>>> decode_text("Zoë,O’Brien".encode("cp1252"), "staff.csv")
('Zoë,O’Brien', 'Windows-1252')
>>> sniff_delimiter("Training report\\nID;Name;Unit\\n1;Ann;A\\n2;Bob;B\\n")
';'
"""

from __future__ import annotations

import codecs
import re
from collections import Counter

import numpy as np

from loaders.errors import LoaderError

DELIMITERS: tuple[str, ...] = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
SAMPLE_BYTES = 64 * 1024
SAMPLE_LINES = 50

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"),
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# Bytes that never occur in text files: C0 controls other than tab, LF, FF, CR and SUB.
_BINARY_BYTES = np.array(
    [b for b in range(32) if b not in (9, 10, 12, 13, 26)], dtype=np.uint8
)
_QUOTED = re.compile(r'"[^"]*"')
NOT_TEXT = "this is not a spreadsheet or a text file: export it from its system as .xlsx or .csv"


def decode_text(data: bytes, filename: str) -> tuple[str, str]:
    """Decode ``data`` and name the encoding found; refuse binary garbage."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _decode(data, codec, filename), name
    wide = _wide_without_bom(data[:SAMPLE_BYTES])
    if wide:
        codec, name = wide
        return _decode(data, codec, filename), f"{name} (no BOM)"
    if _looks_binary(data[:SAMPLE_BYTES]):
        raise LoaderError(NOT_TEXT, file=filename, reason="not_text")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def sniff_delimiter(text: str) -> str:
    """The delimiter whose count per line is the most consistent over the first lines.

    Title lines above the header (no delimiter, or a different count) and quoted
    fields are ignored; a file with one column gets a comma.
    """
    lines = [_QUOTED.sub("", line) for line in text[:SAMPLE_BYTES].splitlines()[:SAMPLE_LINES]]
    lines = [line for line in lines if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = Counter(line.count(delimiter) for line in lines)
        counts.pop(0, None)
        if not counts:
            continue
        per_line, lines_agreeing = max(counts.items(), key=lambda item: (item[1], item[0]))
        score = (lines_agreeing, per_line)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _decode(data: bytes, codec: str, filename: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise LoaderError(
            f"the text is not valid {codec.upper()} (byte {error.start}): "
            "save it again as UTF-8 CSV",
            file=filename,
            reason="bad_encoding",
        ) from None
    return text.removeprefix("\ufeff")


def _wide_without_bom(sample: bytes) -> tuple[str, str] | None:
    """(codec, name) of UTF-32 or UTF-16 text of mostly ASCII characters, told apart by
    where the NUL bytes fall in each 4-byte group (ASCII in UTF-32 is three NULs and a
    character, in UTF-16 one NUL and a character)."""
    size = len(sample) // 4 * 4
    if size < 4:
        return None
    nul = (np.frombuffer(sample[:size], dtype=np.uint8).reshape(-1, 4) == 0).mean(axis=0)
    if nul[1:].min() > 0.8 and nul[0] < 0.05:
        return "utf-32-le", "UTF-32"
    if nul[:3].min() > 0.8 and nul[3] < 0.05:
        return "utf-32-be", "UTF-32"
    even, odd = nul[0::2].mean(), nul[1::2].mean()
    if odd > 0.4 and even < 0.05:
        return "utf-16-le", "UTF-16"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be", "UTF-16"
    return None


def _looks_binary(sample: bytes) -> bool:
    raw = np.frombuffer(sample, dtype=np.uint8)
    return bool(np.isin(raw, _BINARY_BYTES).any())
