"""Overdue and due soon: who must do what, filtered and sorted, with audited downloads."""

from __future__ import annotations

import streamlit as st

from compliance import charts, lists
from compliance.scope import apply_filters, keep_values
from pages import _data, _downloads, _format, _frame
from pages._sidebar import View

PACK_BY = {"unit": "unit", "line manager": "manager"}


def render(view: View) -> None:
    _frame.require_data()

    with st.spinner("Computing statuses..."):
        status = apply_filters(_data.status(view.as_of), view.filters)

    overdue_tab, soon_tab = st.tabs(
        [":material/assignment_late: Overdue", ":material/event: Due soon"]
    )

    with overdue_tab:
        table = lists.overdue_table(status)
        band_filter, manager_filter = st.columns(2)
        bands = band_filter.multiselect(
            "Days overdue",
            list(lists.band_counts(table).index),
            key="overdue_bands",
            placeholder="All bands",
        )
        managers = sorted(table["manager"].dropna().astype(str).unique())
        chosen_managers = manager_filter.multiselect(
            "Manager", managers, key="overdue_managers", placeholder="All managers"
        )
        shown = keep_values(
            keep_values(table, "band", bands), "manager", chosen_managers
        )
        st.markdown(
            f"**{len(shown):,}** overdue requirements for **{shown['person_id'].nunique():,}** "
            "people. "
            + " | ".join(f"{band}: {count:,}" for band, count in lists.band_counts(shown).items())
        )
        st.plotly_chart(charts.overdue_by_course(lists.overdue_counts(shown)), width="stretch")
        st.dataframe(
            shown,
            column_config=_format.table_columns(shown),
            hide_index=True,
            width="stretch",
            placeholder="",
        )
        _downloads.export_controls(
            "overdue", shown, "overdue list", "Overdue", PACK_BY, view.as_of,
            lists.describe_filters(view.filters, bands=bands, managers=chosen_managers),
        )

    with soon_tab:
        soon = lists.due_soon_table(status, view.as_of)
        st.markdown(
            f"**{len(soon):,}** requirements expiring or pending (new starters and deadlines) for "
            f"**{soon['person_id'].nunique():,}** people, soonest first."
        )
        st.dataframe(
            soon,
            column_config=_format.table_columns(soon),
            hide_index=True,
            width="stretch",
            placeholder="",
        )
        _downloads.export_controls(
            "due_soon", soon, "due soon list", "Due soon", PACK_BY, view.as_of,
            lists.describe_filters(view.filters),
        )

    _frame.status_help()


_frame.show(
    __file__,
    "Overdue and due soon",
    "Who has a mandatory course overdue or coming due, to send to line managers. "
    "Click a column header to sort.",
    render,
)
