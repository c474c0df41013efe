"""Overview: the headline figures, the units and courses behind them, and where they are heading."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from compliance import charts, lists, trend, units
from compliance.scope import apply_filters
from pages import _data, _format, _frame
from pages._sidebar import View

# The headline figures' change is against this many days before the chosen date.
DELTA_DAYS = 30


def render(view: View) -> None:
    _frame.require_data()

    with st.spinner("Computing statuses..."):
        before_day = view.as_of - pd.Timedelta(days=DELTA_DAYS)
        status = apply_filters(_data.status(view.as_of), view.filters)
        before = apply_filters(_data.counts(before_day), view.filters)

    now, then = lists.headline(status), lists.counted_headline(before)
    since = f"since {before_day:%d %b %Y}"
    rate_change = lists.change(now["compliance_rate"], then["compliance_rate"])
    rate, overdue, expiring, pending = st.columns(4)
    rate.metric(
        "Compliance rate",
        _format.percent(now["compliance_rate"]),
        delta=None if rate_change is None else f"{rate_change * 100:+.1f} pts {since}",
        help="(compliant + expiring) / (everyone in scope - exempt). Change: percentage "
        f"points against {before_day:%d %B %Y}.",
        border=True,
    )
    overdue.metric(
        "Overdue",
        f"{now['overdue']:,}",
        delta=f"{now['overdue'] - then['overdue']:+,} {since}",
        delta_color="inverse",
        help="Requirements whose completion has run out, or never done after the grace period.",
        border=True,
    )
    expiring.metric(
        "Expiring soon",
        f"{now['expiring']:,}",
        delta=f"{now['expiring'] - then['expiring']:+,} {since}",
        delta_color="inverse",
        help="Still compliant, but the completion runs out within the due-soon window "
        "(30 days unless the requirement says otherwise).",
        border=True,
    )
    pending.metric(
        "Pending new starters",
        f"{now['pending']:,}",
        delta=f"{now['pending'] - then['pending']:+,} {since}",
        delta_color="off",
        help="Not done yet, but still within the new-starter grace period or before the deadline.",
        border=True,
    )

    if status.empty:
        st.info(
            "No one is in scope for these filters on this date. Widen the filters in the sidebar."
        )
        _frame.status_help()
        st.stop()

    level = units.drill_level(status, view.filters.unit)
    by_unit = units.unit_summary(status, level)
    worst = units.worst_unit(by_unit)
    if worst is not None:
        rate = _format.percent(worst["compliance_rate"])
        st.markdown(
            f"Lowest compliance: **{_format.literal(worst['unit'])}** at **{rate}** "
            f"with **{int(worst['overdue']):,}** overdue. Open the *Overdue* page to see who."
        )
    parent = view.filters.unit
    labelled = by_unit.assign(unit=units.relative_unit(by_unit["unit"], parent))
    matrix = units.rate_matrix(status, level)
    matrix.columns = units.relative_unit(pd.Series(matrix.columns, dtype="string"), parent)
    left, right = st.columns([5, 6])
    with left:
        st.plotly_chart(charts.compliance_by_unit(labelled, view.target), width="stretch")
    with right:
        st.plotly_chart(charts.course_unit_heatmap(matrix, view.target), width="stretch")

    with st.spinner("Computing the 24-month trend and the projection..."):
        actual = trend.rates_by_date(_data.trend(view.as_of), view.filters)
        projected = trend.rates_by_date(_data.projection(view.as_of), view.filters)
    st.plotly_chart(charts.trend_chart(actual, projected, view.target), width="stretch")
    st.caption(
        "Actual: the rate at each month end, with the roster in force then. Projected: the rate "
        "over the next 90 days with today's roster if nobody completes anything, so it only "
        "falls as completions run out and new starters' grace periods end."
    )
    _frame.status_help()


_frame.show(
    __file__,
    "Compliance overview",
    "How the force stands against its mandatory training, which units are furthest from "
    "the target, and where the figures are heading.",
    render,
)
