"""Zip-based workbooks are checked before any parser sees them."""

from __future__ import annotations

import io
import zipfile

import pytest

from loaders.errors import LoaderError
from loaders.limits import Limits
from loaders.zipcheck import check_declared, check_zip, column_letters, column_number
from tests.filemaker import ods_bytes, relocated_xlsx, rewrite_zip, xlsm_bytes, xlsx_bytes
from tests.hostile import (
    SHEET,
    entity_expansion_xlsx,
    far_cell_xlsx,
    truncated_xlsx,
    zip_bomb_xlsx,
)

ROWS = [["ID", "Name", "Double"], [1, "Ann", None], [2, "Bob", None]]
LIMITS = Limits()


def _refusal(data: bytes, limits: Limits = LIMITS) -> LoaderError:
    with pytest.raises(LoaderError) as raised:
        check_zip(data, "upload.xlsx", limits)
    assert str(raised.value).startswith("upload.xlsx: ")
    return raised.value


def _ods_content(data: bytes, old: bytes, new: bytes) -> bytes:
    def edit(xml: bytes) -> bytes:
        assert old in xml
        return xml.replace(old, new)

    return rewrite_zip(data, {"content.xml": edit})


@pytest.mark.parametrize(
    ("number", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (1024, "AMJ"), (16384, "XFD")]
)
def test_column_letters_round_trip(number: int, letters: str) -> None:
    assert column_letters(number) == letters
    assert column_number(letters) == number
    assert column_number(letters.lower()) == number


@pytest.mark.parametrize(
    ("data", "file_type"),
    [
        (xlsx_bytes({"S": ROWS}), "xlsx"),
        (xlsm_bytes({"S": ROWS}), "xlsm"),
        (ods_bytes({"S": ROWS}), "ods"),
    ],
)
def test_plain_workbooks_pass(data: bytes, file_type: str) -> None:
    scan = check_zip(data, "upload.xlsx", LIMITS)
    assert scan.file_type == file_type
    assert scan.missing_formula_values == {}


def test_formulas_without_cached_values_are_found_by_sheet_name() -> None:
    data = xlsx_bytes(
        {"Cover": [["Report"]], "Staff": ROWS},
        formulas={"Staff": {"C2": "=A2*2", "C3": "=A3*2"}, "Cover": {"B1": "=NOW()"}},
        cached={"Staff": {"C2": 2}},
    )
    scan = check_zip(data, "upload.xlsx", LIMITS)
    assert scan.missing_formula_values == {"Staff": [(3, 2)], "Cover": [(1, 1)]}


def test_formulas_with_cached_values_are_not_reported() -> None:
    data = xlsx_bytes({"S": ROWS}, formulas={"S": {"C2": "=A2*2"}}, cached={"S": {"C2": 2}})
    assert check_zip(data, "upload.xlsx", LIMITS).missing_formula_values == {}


def test_ods_formula_without_value_is_found() -> None:
    data = _ods_content(
        ods_bytes({"Staff": [["ID", 1]]}),
        b'<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p>'
        b"</table:table-cell>",
        b'<table:table-cell table:formula="of:=1+1"/>',
    )
    assert check_zip(data, "upload.ods", LIMITS).missing_formula_values == {"Staff": [(1, 1)]}


@pytest.mark.parametrize(
    ("data", "reason", "words"),
    [
        (truncated_xlsx(), "corrupt", "damaged or incomplete"),
        (zip_bomb_xlsx(), "zip_bomb", "zip bomb"),
        (zip_bomb_xlsx(lie=True), "corrupt", "Bad CRC-32"),
        (entity_expansion_xlsx(), "hostile_xml", "declares XML entities"),
        (far_cell_xlsx(), "out_of_range", "cell XFD1048576 is beyond the supported range"),
        (
            far_cell_xlsx(lying_dimension=True),
            "out_of_range",
            "cell XFD1048576 is beyond the supported range",
        ),
        (
            rewrite_zip(
                xlsx_bytes({"S": ROWS}),
                {SHEET: lambda xml: xml.replace(b'<row r="3">', b'<row r="2000000">')},
            ),
            "out_of_range",
            "row 2000000 is beyond",
        ),
        (
            rewrite_zip(
                xlsx_bytes({"S": ROWS}), {SHEET: lambda xml: xml.decode().encode("utf-16")}
            ),
            "hostile_xml",
            "is not UTF-8 XML",
        ),
        (
            rewrite_zip(
                xlsx_bytes({"S": ROWS}),
                {"xl/styles.xml": lambda xml: b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                 + xml},
            ),
            "hostile_xml",
            "xl/styles.xml",
        ),
    ],
)
def test_hostile_or_broken_zips_are_refused(data: bytes, reason: str, words: str) -> None:
    error = _refusal(data)
    assert error.reason == reason
    assert words in str(error)


@pytest.mark.parametrize(
    ("new", "words"),
    [
        (
            b'<table:table-row table:number-rows-repeated="2000000"><table:table-cell '
            b'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>',
            "row 2000001 is beyond",
        ),
        (
            b'<table:table-row><table:table-cell table:number-columns-repeated="5000" '
            b'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>',
            "cell GJH2 is beyond",
        ),
    ],
)
def test_ods_repeats_past_the_caps_are_refused(new: bytes, words: str) -> None:
    data = _ods_content(ods_bytes({"S": [["x"]]}), b"</table:table>", new + b"</table:table>")
    error = _refusal(data)
    assert error.reason == "out_of_range"
    assert words in str(error)


def test_ods_trailing_empty_repeats_are_fine() -> None:
    tail = (
        b'<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
        b'table:number-columns-repeated="16384"/></table:table-row></table:table>'
    )
    data = _ods_content(ods_bytes({"S": [["x"]]}), b"</table:table>", tail)
    assert check_zip(data, "upload.ods", LIMITS).file_type == "ods"


def test_caps_follow_the_limits() -> None:
    data = xlsx_bytes({"S": [["a"] * 12] * 30})
    assert check_zip(data, "upload.xlsx", Limits(max_rows=30, max_columns=12)).file_type == "xlsx"
    assert "cell A31" in str(_refusal(xlsx_bytes({"S": [["a"]] * 31}), Limits(max_rows=30)))
    assert "cell M1" in str(_refusal(xlsx_bytes({"S": [["a"] * 13]}), Limits(max_columns=12)))


def _info(name: str, size: int, compressed: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.file_size, info.compress_size = size, compressed
    return info


@pytest.mark.parametrize(
    ("infos", "words"),
    [
        ([_info(f"p{i}.xml", 10, 10) for i in range(11)], "holds 11 parts"),
        ([_info("a.xml", 600, 600), _info("b.xml", 600, 600)], "unpacks to"),
        ([_info("a.xml", 900, 2)], "compressed 450 to 1"),
    ],
)
def test_declared_sizes_counts_and_ratios(infos: list[zipfile.ZipInfo], words: str) -> None:
    limits = Limits(max_entries=10, max_uncompressed=1000, max_ratio=100, ratio_floor=500)
    with pytest.raises(LoaderError) as raised:
        check_declared(infos, "upload.xlsx", limits)
    assert raised.value.reason == "zip_bomb"
    assert words in str(raised.value)


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA, 9, 99])
def test_compression_methods_spreadsheets_never_use_are_refused(method: int) -> None:
    info = _info("xl/workbook.xml", 10, 10)
    info.compress_type = method
    with pytest.raises(LoaderError) as raised:
        check_declared([info], "upload.xlsx", Limits())
    assert raised.value.reason == "corrupt"
    assert f"compression method {method}" in str(raised.value)


def test_a_bzip2_packed_workbook_is_refused_before_unpacking() -> None:
    packed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes({"S": ROWS}))) as source, zipfile.ZipFile(
        packed, "w", compression=zipfile.ZIP_BZIP2
    ) as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item))
    error = _refusal(packed.getvalue())
    assert error.reason == "corrupt" and "which spreadsheets never use" in str(error)


def test_small_highly_compressed_parts_are_fine() -> None:
    limits = Limits(max_ratio=100, ratio_floor=500)
    check_declared([_info("a.xml", 400, 1), _info("b.xml", 900, 10)], "upload.xlsx", limits)


DOCTYPE = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
SHAREPOINT_ITEM = '<?xml version="1.0" encoding="utf-16"?><b:Sources xmlns:b="x"/>'.encode(
    "utf-16"
)
MACRO_LIBRARY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE script:module PUBLIC '
    b'"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n<script:module/>'
)

BILLION_LAUGHS_RELS = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b"&b;</Relationships>"
)


@pytest.mark.parametrize(
    "data",
    [
        rewrite_zip(xlsx_bytes({"S": ROWS}), {}, add={"customXml/item1.xml": SHAREPOINT_ITEM}),
        rewrite_zip(xlsx_bytes({"S": ROWS}), {}, add={"xl/theme/theme2.xml": DOCTYPE}),
        rewrite_zip(ods_bytes({"S": ROWS}), {}, add={"Basic/Standard/Module1.xml": MACRO_LIBRARY}),
    ],
    ids=["utf16-customxml", "doctype-unused-part", "ods-macro-library"],
)
def test_parts_no_reader_opens_are_not_refused(data: bytes) -> None:
    assert check_zip(data, "upload.xlsx", LIMITS).missing_formula_values == {}


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (
            rewrite_zip(xlsx_bytes({"S": ROWS}), {"xl/styles.xml": lambda xml: DOCTYPE + xml}),
            "part xl/styles.xml declares XML entities",
        ),
        (
            rewrite_zip(
                xlsx_bytes({"S": ROWS}),
                {},
                add={"xl/worksheets/_rels/sheet1.xml.rels": DOCTYPE + b"<Relationships/>"},
            ),
            "part xl/worksheets/_rels/sheet1.xml.rels declares XML entities",
        ),
        (
            rewrite_zip(relocated_xlsx([["ID"]]), {"data/staff.xml": lambda xml: DOCTYPE + xml}),
            "part data/staff.xml declares XML entities",
        ),
        (
            rewrite_zip(ods_bytes({"S": ROWS}), {"content.xml": lambda xml: DOCTYPE + xml}),
            "part content.xml declares XML entities",
        ),
        (
            rewrite_zip(
                xlsx_bytes({"S": ROWS}),
                {"xl/_rels/workbook.xml.rels": lambda xml: BILLION_LAUGHS_RELS},
            ),
            "the file's index parts declare XML entities",
        ),
    ],
    ids=["styles", "sheet-rels", "relocated-sheet", "ods-content", "workbook-rels"],
)
def test_entities_in_parts_a_reader_opens_are_refused(data: bytes, words: str) -> None:
    error = _refusal(data)
    assert error.reason == "hostile_xml"
    assert words in str(error)


def test_relocated_parts_are_checked_where_the_relationships_put_them() -> None:
    rows = [["ID", "Double"], [1, None], [2, None]]
    scan = check_zip(relocated_xlsx(rows, formulas={"B3": "A3*2"}), "upload.xlsx", LIMITS)
    assert (scan.file_type, scan.missing_formula_values) == ("xlsx", {"Staff": [(3, 1)]})
    far = rewrite_zip(
        relocated_xlsx(rows),
        {"data/staff.xml": lambda xml: xml.replace(b'r="B1"', b'r="XFD1048576"')},
    )
    assert "cell XFD1048576 is beyond" in str(_refusal(far))
