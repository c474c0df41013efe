"""The board report's chart images: PNGs of the trend and the units, text drawn as written."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from PIL import Image

from compliance import report_charts

PNG = b"\x89PNG\r\n\x1a\n"
HOSTILE = ["$\\frac{1}{$", "$x^{2}$ <b>bold</b>", "A" * 200, "North / Response"]


def _trend(rates: list[float | None]) -> pd.DataFrame:
    days = pd.date_range("2025-01-31", periods=len(rates), freq="ME")
    return pd.DataFrame({"date": days, "compliance_rate": pd.array(rates, dtype="Float64")})


@pytest.mark.parametrize("rates", [[0.5, 0.6, 0.72, 0.91], [None, 0.4], [], [None]])
def test_trend_png(rates: list[float | None]) -> None:
    data = report_charts.trend_png(_trend(rates).astype({"compliance_rate": float}), 0.9)
    assert data.startswith(PNG)
    width, height = Image.open(io.BytesIO(data)).size
    assert (width, height) == (report_charts.WIDTH_INCHES * report_charts.DPI, 3.0 * 150)


@pytest.mark.parametrize("count", [0, 1, 12])
def test_units_png_grows_with_the_units(count: int) -> None:
    units = pd.DataFrame({"unit": [f"Unit {i}" for i in range(count)],
                          "compliance_rate": [i / 12 for i in range(count)]})
    data = report_charts.units_png(units, 0.9)
    height = Image.open(io.BytesIO(data)).size[1]
    assert data.startswith(PNG)
    assert height == round(max(2.0, 0.8 + 0.3 * count) * report_charts.DPI)


def test_names_from_files_never_run_as_mathtext() -> None:
    """A ``$`` pair in a unit name would be parsed as mathtext (and a broken one raise)."""
    units = pd.DataFrame({"unit": HOSTILE, "compliance_rate": [0.2, 0.5, 0.95, None]})
    assert report_charts.units_png(units, 0.9).startswith(PNG)


@pytest.mark.parametrize(("text", "shown"), [("a  b\nc", "a b c"), ("x" * 81, "x" * 79 + "\u2026")])
def test_labels_are_cut_like_the_dashboards(text: str, shown: str) -> None:
    assert report_charts._label(text) == shown
