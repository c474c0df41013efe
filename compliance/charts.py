"""Frames in, plotly figures out: every chart the dashboard draws, testable without Streamlit.

Rates are fractions (0.0 .. 1.0) and are shown as percentages. Colours follow one
red/amber/green rule everywhere, so a unit looks the same on every page:
green at or above the target, amber within ``AMBER_BAND`` below it, red below that.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

GREEN = "#2e7d32"
AMBER = "#f0a202"
RED = "#c62828"
GREY = "#9e9e9e"
TARGET_COLOUR = "#1f4e79"
AMBER_BAND = 0.10
"""How far below the target (as a fraction) a rate is amber rather than red."""

_FONT = {"family": "Source Sans Pro, sans-serif", "size": 13}
LABEL_CHARACTERS = 80
"""Longer names (units, courses, files) are cut with an ellipsis on charts, never in tables."""


def plot_text(values: pd.Series | pd.Index | list) -> list[str]:
    """Text from files as plotly shows it literally: plotly reads ``<b>``, ``<a href>`` and
    ``<br>`` in labels and hovers as markup, so ``&``, ``<`` and ``>`` become entities."""
    text = pd.Series(list(values), dtype="string").fillna("")
    long = text.str.len() > LABEL_CHARACTERS
    return plot_escape(text.where(~long, text.str.slice(0, LABEL_CHARACTERS - 1) + "\u2026"))


def plot_escape(values: pd.Series | pd.Index | list) -> list[str]:
    """As :func:`plot_text` but whole (for ids, which must stay distinct)."""
    text = pd.Series(list(values), dtype="string").fillna("")
    escaped = text.str.replace("&", "&amp;").str.replace("<", "&lt;").str.replace(">", "&gt;")
    return escaped.tolist()


def rag_colours(rates: pd.Series, target: float) -> pd.Series:
    """Red/amber/green colour per rate; grey where the rate is empty (nobody in scope)."""
    values = pd.to_numeric(rates, errors="coerce").to_numpy(dtype=float)
    colours = np.select(
        [np.isnan(values), values >= target, values >= target - AMBER_BAND],
        [GREY, GREEN, AMBER],
        default=RED,
    )
    return pd.Series(colours, index=rates.index)


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 10, "r": 20, "t": 50, "b": 10},
        font=_FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel={"font_size": 13},
    )
    return fig


def _empty(title: str, message: str, height: int = 320) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font={"size": 15, "color": GREY})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, height)


def compliance_by_unit(units: pd.DataFrame, target: float) -> go.Figure:
    """Horizontal bars, worst unit at the top, coloured red/amber/green, with the target line.

    ``units`` has ``unit``, ``in_scope`` and ``compliance_rate`` (one row per unit).
    """
    title = "Compliance by unit"
    rated = units.dropna(subset=["compliance_rate"])
    if rated.empty:
        return _empty(title, "No one in scope for the current filters")
    ordered = rated.sort_values(["compliance_rate", "unit"], ascending=[False, False])
    height = max(320, 90 + 28 * len(ordered))
    fig = go.Figure(
        go.Bar(
            x=ordered["compliance_rate"],
            y=plot_text(ordered["unit"]),
            orientation="h",
            marker_color=rag_colours(ordered["compliance_rate"], target),
            text=ordered["compliance_rate"].map("{:.0%}".format),
            textposition="inside",
            insidetextanchor="end",
            textfont={"color": "white"},
            customdata=ordered[["in_scope"]].to_numpy(),
            hovertemplate="<b>%{y}</b><br>%{x:.1%} compliant"
            "<br>%{customdata[0]:,} requirements in scope<extra></extra>",
        )
    )
    fig.add_vline(
        x=target,
        line_dash="dash",
        line_color=TARGET_COLOUR,
        annotation_text=f"target {target:.0%}",
        annotation_position="top",
    )
    fig.update_xaxes(range=[0, 1.02], tickformat=".0%", gridcolor="#eeeeee")
    fig.update_yaxes(automargin=True)
    return _layout(fig, title, height)


BAND_COLOURS: tuple[str, ...] = ("#f6c343", "#f0a202", "#e0641b", "#c62828", "#7f1d1d")
"""Light to dark: the longer a requirement has been overdue, the darker its bar segment."""


def overdue_by_course(counts: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: overdue requirements per course, split by days-overdue band.

    ``counts`` has one row per course and one column per band, in band order (as
    ``compliance.access.overdue_counts`` returns it); the course with most is at the top.
    """
    title = "Overdue by course and days overdue"
    if counts.empty or not counts.to_numpy().sum():
        return _empty(title, "Nothing overdue for the current filters", height=220)
    ordered = counts.loc[counts.sum(axis=1).sort_values(ascending=True, kind="stable").index]
    fig = go.Figure()
    for band, colour in zip(ordered.columns, BAND_COLOURS, strict=False):
        if not ordered[band].any():
            continue
        fig.add_trace(
            go.Bar(
                x=ordered[band],
                y=plot_text(ordered.index),
                name=str(band),
                orientation="h",
                marker_color=colour,
                hovertemplate=f"<b>%{{y}}</b><br>{band}: %{{x:,}}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        legend={
            "orientation": "h", "traceorder": "normal",
            "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1,
        },
    )
    fig.update_xaxes(gridcolor="#eeeeee", title_text="overdue requirements", title_standoff=4)
    fig.update_yaxes(automargin=True)
    return _layout(fig, title, max(240, 130 + 30 * len(ordered)))


def course_unit_heatmap(matrix: pd.DataFrame, target: float) -> go.Figure:
    """Compliance rate for each course (rows) in each unit (columns); blank = not required."""
    title = "Compliance by course and unit"
    if matrix.empty:
        return _empty(title, "No one in scope for the current filters")
    values = matrix.to_numpy(dtype=float)
    text = np.where(np.isnan(values), "", np.char.mod("%.0f%%", np.nan_to_num(values) * 100))
    low = max(0.0, target - 2 * AMBER_BAND)
    fig = go.Figure(
        go.Heatmap(
            z=values,
            x=plot_text(matrix.columns),
            y=plot_text(matrix.index),
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=1,
            colorscale=[
                [0.0, RED],
                [low, RED],
                [max(low, target - AMBER_BAND), AMBER],
                [target, GREEN],
                [1.0, GREEN],
            ],
            colorbar={"tickformat": ".0%", "title": {"text": "rate"}},
            hovertemplate="<b>%{y}</b> in <b>%{x}</b><br>%{z:.1%} compliant<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    fig.update_xaxes(side="bottom", tickangle=-30, automargin=True)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, title, max(300, 120 + 45 * len(matrix.index)))


def trend_chart(actual: pd.DataFrame, projected: pd.DataFrame, target: float) -> go.Figure:
    """Monthly compliance rate, then the projection if nobody completes anything.

    Both frames have ``date`` and ``compliance_rate``; the projection starts at the as-of date.
    """
    title = "Compliance trend and 90-day projection"
    if actual["compliance_rate"].isna().all() and projected["compliance_rate"].isna().all():
        return _empty(title, "No history to show yet")
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=actual["date"],
            y=actual["compliance_rate"],
            mode="lines+markers",
            name="Actual (month end)",
            line={"color": TARGET_COLOUR, "width": 3},
            hovertemplate="%{x|%d %b %Y}: %{y:.1%}<extra>actual</extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=projected["date"],
            y=projected["compliance_rate"],
            mode="lines",
            name="Projected if nobody completes",
            line={"color": RED, "width": 2, "dash": "dot"},
            hovertemplate="%{x|%d %b %Y}: %{y:.1%}<extra>projected</extra>",
        )
    )
    fig.add_hline(
        y=target,
        line_dash="dash",
        line_color=GREEN,
        annotation_text=f"target {target:.0%}",
        annotation_position="bottom right",
    )
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%", gridcolor="#eeeeee")
    fig.update_xaxes(gridcolor="#f5f5f5")
    fig.update_layout(legend={"orientation": "h", "y": -0.15})
    return _layout(fig, title, 380)


def unit_treemap(tree: pd.DataFrame, target: float) -> go.Figure:
    """Units as nested boxes sized by people and coloured by compliance rate.

    ``tree`` has ``id`` (unit path), ``parent`` ("" for the top), ``label``, ``people``,
    ``in_scope`` and ``compliance_rate``.
    """
    title = "Units (size: people, colour: compliance rate); click a box to zoom in"
    if tree.empty:
        return _empty(title, "No units to show", height=480)
    rates = tree["compliance_rate"]
    fig = go.Figure(
        go.Treemap(
            ids=plot_escape(tree["id"]),
            parents=plot_escape(tree["parent"]),
            labels=plot_text(tree["label"]),
            values=tree["people"],
            branchvalues="total",
            marker={"colors": rag_colours(rates, target)},
            customdata=np.column_stack(
                [rates.map(_percent).to_numpy(), tree["in_scope"].to_numpy(),
                 plot_text(tree["id"])]
            ),
            texttemplate="<b>%{label}</b><br>%{customdata[0]}",
            hovertemplate="<b>%{customdata[2]}</b><br>%{value:,} people<br>%{customdata[0]} "
            "compliant (%{customdata[1]:,} requirements)<extra></extra>",
            maxdepth=3,
        )
    )
    return _layout(fig, title, 520)


def person_timeline(history: pd.DataFrame) -> go.Figure:
    """Each completion of one person as a dot on a date line, one row per course."""
    title = "Completions over time"
    if history.empty:
        return _empty(title, "No completions recorded for this person", height=220)
    fig = go.Figure(
        go.Scatter(
            x=history["completed_on"],
            y=plot_text(history["course"]),
            mode="markers",
            marker={"size": 12, "color": TARGET_COLOUR},
            customdata=np.column_stack(
                [plot_text(history["source_file"]), history["source_row"].astype(str)]
            ),
            hovertemplate="<b>%{y}</b><br>%{x|%d %b %Y}<br>"
            "%{customdata[0]} row %{customdata[1]}<extra></extra>",
        )
    )
    fig.update_yaxes(automargin=True, type="category")
    fig.update_xaxes(gridcolor="#eeeeee")
    return _layout(fig, title, max(220, 120 + 40 * history["course"].nunique()))


def _percent(rate: float) -> str:
    return "n/a" if pd.isna(rate) else f"{rate:.0%}"
