"""What the last Import on the Upload page changed, shown until dismissed or the next one."""

from __future__ import annotations

import streamlit as st

from pages import _format

MESSAGE_ICONS = {
    "success": ":material/check_circle:",
    "info": ":material/info:",
    "error": ":material/error:",
}


def show_summary() -> None:
    """What the last Import changed, until dismissed or the next import."""
    summary = st.session_state.get("upload_summary")
    if summary is None:
        return
    with st.container(border=True):
        st.subheader("What the import changed")
        for level, message in summary.messages:
            show = {"success": st.success, "info": st.info, "error": st.error}[level]
            show(_format.literal(message), icon=MESSAGE_ICONS[level])
        for line in summary.lines():
            st.markdown(f"- {line}")
        diff = summary.diff
        if diff is not None and not diff.moves.empty:
            st.caption("Statuses before (rows) and after (columns), today:")
            st.dataframe(diff.moves, width="content", placeholder="")
        people_lists = {} if diff is None else {
            "People added": diff.people_added, "People left": diff.people_left
        }
        for label, people in people_lists.items():
            if len(people):
                with st.expander(f"{label} ({len(people):,})"):
                    st.dataframe(people, hide_index=True, width="stretch", placeholder="")
        st.button(
            "Dismiss", key="dismiss_summary", on_click=st.session_state.pop,
            args=("upload_summary", None),
        )
