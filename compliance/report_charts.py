"""The board report's charts as PNG images for its PDF: the trend and units against the target.

Drawn with matplotlib's object API (no pyplot, no global backend: safe in a server thread)
in the dashboard's red/amber/green rule (:func:`compliance.charts.rag_colours`). Unit names
come from files, so mathtext is switched off: a ``$...$`` in a name is drawn as written.
"""

from __future__ import annotations

import io

import matplotlib
import pandas as pd
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from compliance import charts

DPI = 150
WIDTH_INCHES = 7.5
FONT = {"font.family": "DejaVu Sans", "font.size": 8.5, "text.parse_math": False}


def trend_png(trend: pd.DataFrame, target: float) -> bytes:
    """Month-end compliance rate with the target line (``trend``: date, compliance_rate)."""
    with matplotlib.rc_context(FONT):
        figure = Figure(figsize=(WIDTH_INCHES, 3.0), dpi=DPI)
        axes = figure.add_subplot()
        rated = trend.dropna(subset=["compliance_rate"])
        if rated.empty:
            axes.text(0.5, 0.5, "No history to show yet", ha="center", va="center",
                      color=charts.GREY, transform=axes.transAxes)
        else:
            axes.plot(rated["date"], rated["compliance_rate"], marker="o", markersize=3,
                      color=charts.TARGET_COLOUR, linewidth=2, label="Compliance rate (month end)")
        axes.axhline(target, color=charts.GREEN, linestyle="--", linewidth=1.2,
                     label=f"Target {target:.0%}")
        axes.set_ylim(0, 1.02)
        axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        axes.grid(axis="y", color="#e5e5e5")
        axes.set_title("Compliance rate at each month end", loc="left", fontsize=10)
        axes.legend(loc="lower left", frameon=False, ncols=2)
        axes.xaxis.set_major_formatter(DateFormatter("%b %Y"))
        figure.autofmt_xdate()
        return _png(figure)


def units_png(units: pd.DataFrame, target: float) -> bytes:
    """Horizontal bars per unit (worst at the top), coloured against the target.

    ``units`` is a unit summary without its ``ALL`` row: unit, compliance_rate.
    """
    rated = units.dropna(subset=["compliance_rate"]).sort_values(
        ["compliance_rate", "unit"], ascending=[False, False]
    )
    with matplotlib.rc_context(FONT):
        figure = Figure(figsize=(WIDTH_INCHES, max(2.0, 0.8 + 0.3 * len(rated))), dpi=DPI)
        axes = figure.add_subplot()
        if rated.empty:
            axes.text(0.5, 0.5, "No one in scope", ha="center", va="center",
                      color=charts.GREY, transform=axes.transAxes)
        labels = [_label(unit) for unit in rated["unit"]]
        rates = rated["compliance_rate"].to_numpy(dtype=float)
        bars = axes.barh(labels, rates, color=charts.rag_colours(rated["compliance_rate"],
                                                                 target).tolist())
        axes.bar_label(bars, labels=[f"{rate:.1%}" for rate in rates], padding=2, fontsize=7.5)
        axes.axvline(target, color=charts.TARGET_COLOUR, linestyle="--", linewidth=1.2)
        axes.text(target, 1.0, f" target {target:.0%}", color=charts.TARGET_COLOUR,
                  transform=axes.get_xaxis_transform(), va="bottom", fontsize=7.5)
        axes.set_xlim(0, 1.08)
        axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        axes.grid(axis="x", color="#e5e5e5")
        axes.set_title("Compliance by unit against the target", loc="left", fontsize=10,
                       pad=14)
        return _png(figure)


def _label(text: object) -> str:
    """A unit name cut as the dashboard's charts cut it (tables keep it whole)."""
    flat = " ".join(str(text).split())
    limit = charts.LABEL_CHARACTERS
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
