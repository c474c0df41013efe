"""Overview: the headline figures, the units and courses behind them, and where they are heading."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from compliance import access, charts
from pages import _common as common


def render(view: common.View) -> None:
    common.require_data()

    with st.spinner("Computing statuses..."):
        before_day = view.as_of - pd.Timedelta(days=common.DELTA_DAYS)
        status = access.apply_filters(common.status(view.as_of), view.filters)
        before = access.apply_filters(common.status(before_day), view.filters)

    now, then = access.headline(status), access.headline(before)
    since = f"since {before_day:%d %b %Y}"
    rate_change = access.change(now["compliance_rate"], then["compliance_rate"])
    rate, overdue, expiring, pending = st.columns(4)
    rate.metric(
        "Compliance rate",
        common.percent(now["compliance_rate"]),
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
        common.status_help()
        st.stop()

    level = access.drill_level(status, view.filters.unit)
    units = access.unit_summary(status, level)
    worst = access.worst_unit(units)
    if worst is not None:
        rate = common.percent(worst["compliance_rate"])
        st.markdown(
            f"Lowest compliance: **{worst['unit']}** at **{rate}** "
            f"with **{int(worst['overdue']):,}** overdue. Open the *Overdue* page to see who."
        )
    parent = view.filters.unit
    labelled = units.assign(unit=access.relative_unit(units["unit"], parent))
    matrix = access.rate_matrix(status, level)
    matrix.columns = access.relative_unit(pd.Series(matrix.columns, dtype="string"), parent)
    left, right = st.columns([5, 6])
    with left:
        st.plotly_chart(charts.compliance_by_unit(labelled, view.target), width="stretch")
    with right:
        st.plotly_chart(charts.course_unit_heatmap(matrix, view.target), width="stretch")

    with st.spinner("Computing the 24-month trend and the projection..."):
        actual = access.rates_by_date(common.trend(view.as_of), view.filters)
        projected = access.rates_by_date(common.projection(view.as_of), view.filters)
    st.plotly_chart(charts.trend_chart(actual, projected, view.target), width="stretch")
    st.caption(
        "Actual: the rate at each month end, with the roster in force then. Projected: the rate "
        "over the next 90 days with today's roster if nobody completes anything, so it only "
        "falls as completions run out and new starters' grace periods end."
    )
    common.status_help()


common.show(
    "Compliance overview",
    "How the force stands against its mandatory training, which units are furthest from "
    "the target, and where the figures are heading.",
    render,
)
