"""Write a one-sheet .xlsx from Arrow columns in seconds: the sheet XML is built by Arrow.

Benchmarks need million-row workbooks; XlsxWriter writes them cell by cell in Python
(minutes). Here every cell of a column is formatted at once with Arrow compute: text as
shared strings (one entry per distinct value), date-times as real date cells (serial
numbers with the built-in ``dd/mm/yyyy hh:mm``-like format 22), numbers as numbers.
Title rows above the header are written as shared strings too, as exports have them.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

EPOCH_US = int(np.datetime64("1899-12-30T00:00:00", "us").astype(np.int64))
US_PER_DAY = 86_400_000_000.0
_OOXML = "http://schemas.openxmlformats.org"
_MAIN = f"{_OOXML}/spreadsheetml/2006/main"
_PKG_REL = f"{_OOXML}/package/2006/relationships"
_DOC_REL = f"{_OOXML}/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_XML = _DECLARATION.encode()
_SHEET = f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode()
_SST = f'<sst xmlns="{_MAIN}" count="{{count}}" uniqueCount="{{count}}">'
_WORKBOOK = (
    f'{_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_REL}">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_PARTS = {
    "[Content_Types].xml": (
        f'{_DECLARATION}<Types xmlns="{_OOXML}/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="{_RELS_TYPE}"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'{_DECLARATION}<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/_rels/workbook.xml.rels": (
        f'{_DECLARATION}<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId3" Type="{_DOC_REL}/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        f'{_DECLARATION}<styleSheet xmlns="{_MAIN}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
        '<cellXfs count="2"><xf/><xf numFmtId="22" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}


def write_xlsx(
    path: Path, sheet: str, columns: dict[str, pa.Array | pa.ChunkedArray], titles: list[str]
) -> None:
    """``titles`` (one a row in column A, then a blank row), the header, then ``columns``."""
    strings: list[pa.Array] = []

    def shared(values: pa.Array) -> pa.Array:
        """Each text cell's index in the shared strings (nulls stay null)."""
        encoded = pc.dictionary_encode(values)
        index = pc.add(encoded.indices.cast(pa.int64()), sum(map(len, strings)))
        strings.append(encoded.dictionary)
        return index

    header = len(titles) + 2 if titles else 1
    letters = [_letter(n) for n in range(len(columns))]
    height = len(next(iter(columns.values())))
    row_text = pc.cast(pa.array(np.arange(header + 1, header + 1 + height)), pa.string())
    cells = []
    for letter, values in zip(letters, columns.values(), strict=True):
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        if pa.types.is_timestamp(values.type):
            micros = pc.subtract(values.cast(pa.timestamp("us")).cast(pa.int64()), EPOCH_US)
            attrs, text = ' s="1"', pc.divide(pc.cast(micros, pa.float64()), US_PER_DAY)
        elif pa.types.is_string(values.type):
            attrs, text = ' t="s"', shared(values)
        else:
            attrs, text = "", values
        opened = pc.binary_join_element_wise(f'<c r="{letter}', row_text, f'"{attrs}><v>', "")
        cell = pc.binary_join_element_wise(opened, pc.cast(text, pa.string()), "</v></c>", "")
        cells.append(pc.fill_null(cell, ""))
    opened = pc.binary_join_element_wise('<row r="', row_text, '">', "")
    lines = pc.binary_join_element_wise(opened, *cells, "</row>", "")
    head = [
        f'<row r="{n}"><c r="A{n}" t="s"><v>{shared(pa.array([title]))[0]}</v></c></row>'
        for n, title in enumerate(titles, start=1)
    ]
    names = shared(pa.array(list(columns))).to_pylist()
    head.append(
        f'<row r="{header}">'
        + "".join(
            f'<c r="{c}{header}" t="s"><v>{i}</v></c>' for c, i in zip(letters, names, strict=True)
        )
        + "</row>"
    )
    every = pa.concat_arrays(strings)
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        every = pc.replace_substring(every, raw, entity)
    items = pc.binary_join_element_wise("<si><t>", every, "</t></si>", "")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, xml in _PARTS.items():
            book.writestr(name, xml)
        book.writestr("xl/workbook.xml", _WORKBOOK.format(name=_escape(sheet)))
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(_XML + _SHEET + "".join(head).encode())
            part.write(_joined(lines))
            part.write(b"</sheetData></worksheet>")
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(_XML + _SST.format(count=len(every)).encode())
            part.write(_joined(items))
            part.write(b"</sst>")


def _joined(values: pa.Array) -> bytes:
    """The texts of a null-free string array back to back: its data buffer, sliced."""
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)
    first, last = offsets[values.offset], offsets[values.offset + len(values)]
    return values.buffers()[2].to_pybytes()[first:last]


def _letter(number: int) -> str:
    text = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(65 + rest) + text
    return text


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
