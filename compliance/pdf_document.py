"""Printable PDF documents (evidence, board report): marked on every page, numbered, text literal.

Evidence is filed and printed, so every page carries the handling marking at the top and
bottom, the document's title and "Page N of M"; a demo document says DEMO on every page.
All text is drawn as literal characters (no markdown, no HTML), so a name or a course title
from an upload can never turn into formatting or a link. The font is DejaVu Sans, which
matplotlib ships, so names such as "Zoë Ó Súilleabháin" or "Łukasz" print as written
without a font download.

>>> document = PdfDocument("Incident check", marking="OFFICIAL-SENSITIVE")
>>> document.heading("Answer")
>>> document.paragraph("Trained on 01/03/2022.")
>>> document.to_bytes()[:5]
b'%PDF-'
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from fpdf import FPDF, FontFace, XPos, YPos

FONT = "DejaVu"
MARGIN_MM = 15.0
BODY_SIZE = 9.5
TABLE_SIZE = 8.0
HEADING_SIZES = {1: 15.0, 2: 12.0, 3: 10.5}
GREY = (90, 90, 90)
WARNING_FILL = (255, 243, 205)
HEADING_FILL = (225, 230, 238)


def _font_files() -> dict[str, Path]:
    """DejaVu Sans regular and bold from matplotlib's own data (always installed here)."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {"": folder / "DejaVuSans.ttf", "B": folder / "DejaVuSans-Bold.ttf"}


class _MarkedPdf(FPDF):
    """FPDF with the marking and title in the header and the page number in the footer."""

    def __init__(self, title: str, marking: str, landscape: bool) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.document_title = title
        self.marking = marking
        for style, path in _font_files().items():
            self.add_font(FONT, style, str(path))
        self.set_margins(MARGIN_MM, MARGIN_MM + 4, MARGIN_MM)
        self.set_auto_page_break(auto=True, margin=MARGIN_MM + 4)
        self.set_title(title)
        self.set_creator("Training compliance monitor")

    def header(self) -> None:
        self.set_y(6)
        self.set_font(FONT, "B", 8)
        self.set_text_color(*GREY)
        self.cell(0, 4, self.marking, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 7.5)
        self.cell(0, 4, self.document_title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.set_y(MARGIN_MM + 4)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*GREY)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_x(self.l_margin)
        self.set_font(FONT, "B", 8)
        self.cell(0, 4, self.marking, align="C")
        self.set_text_color(0, 0, 0)


class PdfDocument:
    """A document built top to bottom: headings, paragraphs, key/value blocks, tables, images."""

    def __init__(
        self, title: str, marking: str, demo: bool = False, landscape: bool = False
    ) -> None:
        shown_marking = f"DEMO - fictional force - {marking}" if demo else marking
        self._pdf = _MarkedPdf(f"DEMO {title}" if demo else title, shown_marking, landscape)
        self._pdf.add_page()
        self._pdf.set_font(FONT, "", BODY_SIZE)

    @property
    def width(self) -> float:
        """The usable width of a page in mm (for images and column widths)."""
        return self._pdf.epw

    def heading(self, text: str, level: int = 1) -> None:
        """A heading; a level-1 heading after the first page's content starts a new page."""
        pdf = self._pdf
        pdf.ln(2 if level > 1 else 1)
        pdf.set_font(FONT, "B", HEADING_SIZES.get(level, BODY_SIZE))
        pdf.multi_cell(0, HEADING_SIZES.get(level, BODY_SIZE) * 0.5, text,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
        pdf.set_font(FONT, "", BODY_SIZE)

    def new_page(self) -> None:
        self._pdf.add_page()

    def paragraph(self, text: str, bold: bool = False) -> None:
        pdf = self._pdf
        pdf.set_font(FONT, "B" if bold else "", BODY_SIZE)
        pdf.multi_cell(0, 4.8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", BODY_SIZE)
        pdf.ln(1)

    def warning(self, text: str) -> None:
        """A highlighted box: warnings shown on screen are never left out of the document."""
        pdf = self._pdf
        pdf.set_fill_color(*WARNING_FILL)
        pdf.set_font(FONT, "B", BODY_SIZE)
        pdf.multi_cell(0, 4.8, f"Warning: {text}", fill=True, border=1, padding=1.5,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_fill_color(255, 255, 255)
        pdf.set_font(FONT, "", BODY_SIZE)
        pdf.ln(1.5)

    def key_values(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Label / value lines (a cover block), labels bold in a fixed column."""
        frame = pd.DataFrame(list(pairs), columns=["", " "])
        self.table(frame, widths=(1, 3), headings=False)

    def table(
        self,
        frame: pd.DataFrame,
        widths: Sequence[float] | None = None,
        headings: bool = True,
        size: float = TABLE_SIZE,
    ) -> None:
        """``frame`` as a bordered table; headings repeat on every page it runs over."""
        pdf = self._pdf
        pdf.set_font(FONT, "", size)
        texts = frame.astype(object).where(frame.notna(), "").astype(str)
        with pdf.table(
            col_widths=tuple(widths) if widths else None,
            first_row_as_headings=headings,
            headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL),
            repeat_headings=1,
            line_height=size * 0.55,
            text_align="LEFT",
            padding=1,
        ) as table:
            if headings:
                table.row([str(column) for column in frame.columns])
            for values in texts.itertuples(index=False, name=None):
                table.row(list(values))
        pdf.set_font(FONT, "", BODY_SIZE)
        pdf.ln(2)

    def image(self, png: bytes, width: float | None = None) -> None:
        """A PNG (a chart), ``width`` mm wide (the page width by default)."""
        self._pdf.image(io.BytesIO(png), w=width or self.width)
        self._pdf.ln(2)

    def to_bytes(self) -> bytes:
        return bytes(self._pdf.output())
