"""The PDF document: marked and numbered on every page, text drawn literally, tables paginated."""

from __future__ import annotations

import io

import matplotlib
import pandas as pd
import pytest
from pypdf import PdfReader

from compliance.pdf_document import PdfDocument

matplotlib.use("Agg")


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _long_document(demo: bool = False) -> bytes:
    document = PdfDocument("Incident check IC-1", marking="OFFICIAL-SENSITIVE", demo=demo)
    document.heading("People")
    document.key_values([("Reference", "PSD/2024/17"), ("Requested by", "DS Ortiz")])
    rows = pd.DataFrame({"ID": [f"{n:06d}" for n in range(150)], "Name": ["Zoë Łukasz"] * 150})
    document.table(rows)
    return document.to_bytes()


def test_every_page_carries_the_marking_the_title_and_its_number() -> None:
    pages = _pages(_long_document())
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") == 2
        assert "Incident check IC-1" in text
        assert f"Page {number} of {len(pages)}" in text


def test_table_headings_repeat_and_ids_keep_their_zeros() -> None:
    pages = _pages(_long_document())
    assert all("ID" in text and "Name" in text for text in pages)
    text = "\n".join(pages)
    assert "000000" in text and "000149" in text
    assert "Zoë Łukasz" in text


def test_a_demo_document_says_demo_on_every_page() -> None:
    for text in _pages(_long_document(demo=True)):
        assert "DEMO - fictional force - OFFICIAL-SENSITIVE" in text
        assert "DEMO Incident check IC-1" in text


@pytest.mark.parametrize(
    "hostile",
    ["**bold** and [link](http://x.test/a)", "<b>tag</b> <a href='http://x.test'>a</a>",
     "$\\LaTeX$ ![i](http://x.test/i.png)"],
)
def test_text_from_uploads_is_printed_literally_and_links_nothing(hostile: str) -> None:
    document = PdfDocument("Report", marking="OFFICIAL")
    document.paragraph(hostile)
    document.table(pd.DataFrame({"Unit": [hostile]}))
    document.warning(hostile)
    data = document.to_bytes()
    text = "\n".join(_pages(data)).replace("\n", " ")
    assert text.count(hostile) == 3
    assert b"/URI" not in data


def test_missing_values_print_as_empty_cells_and_images_are_embedded() -> None:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4, 2))
    figure.add_subplot().plot([1, 2, 3])
    png = io.BytesIO()
    figure.savefig(png, format="png")
    document = PdfDocument("Report", marking="OFFICIAL", landscape=True)
    document.table(pd.DataFrame({"Due": [pd.NaT, pd.Timestamp("2023-03-14")], "N": [None, 2]}))
    document.image(png.getvalue(), width=100)
    data = document.to_bytes()
    reader = PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    assert "NaT" not in text and "None" not in text and "nan" not in text
    assert list(reader.pages[0].images)
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height


def test_a_table_after_a_warning_is_not_filled_with_the_warning_colour() -> None:
    document = PdfDocument("Evidence", marking="OFFICIAL")
    document.warning("Not on the roster in force")
    assert document._pdf.fill_color == document._pdf.fill_color.__class__(1, 1, 1)
