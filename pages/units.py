"""Units: drill down the hierarchy, compare counts by status, and go from a unit to its people."""

from __future__ import annotations

from functools import partial

import streamlit as st

from compliance import charts, lists, units
from compliance.scope import Filters, apply_filters
from pages import _data, _format, _frame, _sidebar
from pages._sidebar import View

UNIT_SUMMARY_COLUMNS = {
    "unit": partial(st.column_config.TextColumn, width="medium"),
    "in_scope": partial(st.column_config.NumberColumn, help="(person, course) pairs"),
    "compliance_rate": partial(
        st.column_config.ProgressColumn, format="percent", min_value=0.0, max_value=1.0
    ),
}
MATRIX_COLUMNS = {"overdue": partial(st.column_config.NumberColumn, help="Overdue requirements")}


def render(view: View) -> None:
    _frame.require_data()

    with st.spinner("Computing statuses..."):
        status = apply_filters(_data.status(view.as_of), view.filters)
        roster_filters = Filters(unit=view.filters.unit, staff_type=view.filters.staff_type)
        people = apply_filters(_data.roster(view.as_of), roster_filters)

    st.plotly_chart(
        charts.unit_treemap(units.unit_tree(status, people), view.target), width="stretch"
    )

    level = units.drill_level(status, view.filters.unit)
    st.subheader(f"Counts by status (unit level {level})")
    table = units.unit_summary(status, level)
    st.dataframe(
        table,
        column_config=_format.table_columns(table, UNIT_SUMMARY_COLUMNS),
        hide_index=True,
        width="stretch",
        placeholder="",
    )

    st.subheader("People in a unit")
    options = units.unit_options(people)
    if not options:
        st.info("No units to show for these filters.")
        _frame.status_help()
        st.stop()
    default = options.index(view.filters.unit) if view.filters.unit in options else 0
    chosen = st.selectbox(
        "Unit",
        options,
        index=default,
        key="units_open",
        help="Any level: a division lists everyone in all its teams.",
    )
    matrix = lists.people_matrix(apply_filters(status, Filters(unit=chosen)))
    st.caption(
        f"{len(matrix):,} people in {_format.literal(chosen)}, most overdue requirements first; "
        "one column per course."
    )
    courses = [c for c in matrix.columns if c in _data.courses()]
    st.dataframe(
        _format.badges(matrix, courses),
        column_config=_format.table_columns(matrix, MATRIX_COLUMNS),
        hide_index=True,
        width="stretch",
        placeholder="",
    )


    if st.button(
        f"Open the overdue list for {_format.literal(chosen)}",
        icon=":material/assignment_late:",
        on_click=_sidebar.choose,
        args=("unit", chosen),
    ):
        st.switch_page("pages/overdue.py")
    _frame.status_help()


_frame.show(
    __file__,
    "Units",
    "Drill down the force level by level: box size is the number of people, colour the "
    "compliance rate against the target. Then open any unit to see its people.",
    render,
)
