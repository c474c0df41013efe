"""Board report: the monthly compliance report for a month end, as PDF or Excel, counts only."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from compliance import auth, report_build, report_charts, report_figures
from compliance.marking import handling_marking
from compliance.purpose import Purpose
from compliance.report_tables import BoardReport, Cover, labelled
from pages import _data, _downloads, _format, _frame, _records, _session
from pages._sidebar import View

RATE_FORMAT = st.column_config.NumberColumn(format="percent")
BUTTONS = {"pdf": ("Download PDF", ":material/picture_as_pdf:"),
           "xlsx": ("Download Excel", ":material/table_view:")}


def render(view: View) -> None:
    _frame.require_data()
    choices = report_figures.month_end_choices(pd.Timestamp(dt.date.today()))
    default = next((i for i, day in enumerate(choices) if day <= view.as_of), 0)
    as_of = st.selectbox(
        "Month end", choices, index=default, key="report_month_end",
        format_func=lambda day: f"{day:%d %B %Y}",
        help="The report counts everyone on the roster in force on that day.",
    )
    st.caption("The report covers every unit you may see: the sidebar's unit, course and "
               "staff type filters do not apply to it.")
    signed = _session.account()
    may_edit = signed is not None and auth.may(signed.role, "data")
    target = _target(may_edit)
    with st.spinner("Computing the month, the comparisons and the 24-month trend..."):
        report = _report(as_of, target, names=False)
    _headline(report)
    for warning in report.sources.warnings:
        st.warning(_format.literal(warning), icon=":material/warning:")
    _downloads_row("report", report, None)
    st.image(report_charts.trend_png(report.figures.trend, target))
    units = report.figures.units[1]
    st.image(report_charts.units_png(units[units["unit"] != "ALL"], target))
    _tables(report)
    if signed is not None and auth.may(signed.role, "export"):
        _names(as_of, target)


def _target(may_edit: bool) -> float:
    """The stored target (a manager may change it for every report); as a fraction."""
    percent = _records.report_target()
    if may_edit:
        with st.expander(f"Target: {percent}% compliance", icon=":material/flag:"):
            chosen = st.number_input(
                "Board target %", *report_figures.TARGET_RANGE, value=percent, step=1,
                key="report_target_input",
                help="Kept in the store: the page and the scheduled report use it.",
            )
            if st.button("Save target", key="report_target_save", disabled=chosen == percent):
                _records.set_report_target(int(chosen))
                st.rerun()
    else:
        st.caption(f"Target: {percent}% compliance (set by a training manager).")
    return percent / 100


def _report(as_of: pd.Timestamp, target: float, *, names: bool) -> BoardReport:
    cover = Cover(
        as_of=as_of, scope=report_build.scope_text(_data.current_scope()),
        generated_by=_data.current_user(), generated_at=dt.datetime.now(dt.UTC).replace(
            tzinfo=None), marking=handling_marking(), demo=_data.demo_active(),
    )
    return report_build.board_report(
        _data.snapshot, _data.trend(as_of), _data.imports(), cover, target=target,
        names=names, today=pd.Timestamp(dt.date.today()),
    )


def _headline(report: BoardReport) -> None:
    figures = report.figures
    rows = figures.headline.set_index("period")
    rate, month, year, overdue, pending = st.columns(5)
    rate.metric("Compliance rate", _format.percent(figures.rate("this month")),
                help=f"Target {figures.target:.0%}.", border=True)
    for column, period in ((month, "last month"), (year, "last year")):
        change = figures.change(period)
        column.metric(
            f"Since {period}", "n/a" if change is None else f"{change * 100:+.1f} pts",
            help=f"Against {_format.percent(figures.rate(period))} on "
            f"{rows.loc[period, 'date']:%d %B %Y}.", border=True,
        )
    overdue.metric("Overdue", f"{rows.loc['this month', 'overdue']:,}", border=True)
    pending.metric("Pending", f"{rows.loc['this month', 'pending']:,}", border=True)


def _tables(report: BoardReport) -> None:
    figures = report.figures
    shown = [
        ("Compliance by unit (level 1)", figures.units[1]),
        ("Compliance by unit (level 2)", figures.units[2]),
        ("Compliance by course", figures.courses),
        ("Overdue by days overdue", figures.bands),
        ("Longest-overdue units (level 2)", figures.longest),
        ("New starters and deadlines pending", figures.pending),
        ("Exemptions in force", figures.exemptions),
        ("Data behind the figures", report.sources.used),
    ]
    for heading, table in shown:
        st.subheader(heading)
        st.dataframe(
            labelled(table), hide_index=True, width="stretch",
            column_config={"Compliance rate": RATE_FORMAT, "Target": RATE_FORMAT},
        )
    for note in report.sources.notes:
        st.caption(_format.literal(note))


def _names(as_of: pd.Timestamp, target: float) -> None:
    st.subheader("Appendix of names")
    st.caption("The report names nobody. An appendix of the overdue people makes it personal "
               "data: it needs a purpose and is recorded with your name.")
    if not st.toggle("Add the names of overdue people", key="report_names"):
        return
    stated = _downloads.purpose_box("report_names", "e.g. Board meeting 12 Nov 2026")
    _downloads_row("report_names", _report(as_of, target, names=True), stated)


def _downloads_row(key: str, report: BoardReport, purpose: Purpose | None) -> None:
    """PDF and Excel of ``report``, built and recorded on click."""
    columns = st.columns(len(report_build.FORMATS))
    for column, fmt in zip(columns, report_build.FORMATS, strict=True):
        label, icon = BUTTONS[fmt]
        column.download_button(
            label if report.names is None else f"{label} with names",
            data=_records.report_file(report, fmt, purpose),
            file_name=report_build.file_name(report, fmt),
            mime=report_build.MIME[fmt],
            disabled=report.names is not None and purpose is None,
            on_click="ignore",
            icon=icon,
            key=f"{key}_{fmt}",
        )


_frame.show(
    __file__,
    "Board report",
    "The monthly compliance report for the board: counts only, as PDF or Excel, with the "
    "data behind it. Every download is recorded.",
    render,
)
