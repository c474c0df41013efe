"""Streamlit entry point: page navigation only.

Run with ``streamlit run dashboard.py``. To add a page, add an ``st.Page`` to a section
of ``SECTIONS`` (pages are listed explicitly; ``pages/`` is not auto-discovered). Each
page draws the shared sidebar itself through ``pages._common.show``.
"""

from __future__ import annotations

import streamlit as st

SECTIONS: dict[str, list[st.Page]] = {
    "Compliance": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/units.py", title="Units", icon=":material/account_tree:"),
        st.Page("pages/overdue.py", title="Overdue", icon=":material/assignment_late:"),
        st.Page("pages/person.py", title="Person", icon=":material/person_search:"),
    ],
    "Data": [
        st.Page("pages/upload.py", title="Upload", icon=":material/upload_file:"),
        st.Page("pages/imports.py", title="Imports", icon=":material/history:"),
        st.Page("pages/rules.py", title="Rules", icon=":material/rule:"),
        st.Page("pages/data_quality.py", title="Data quality", icon=":material/fact_check:"),
    ],
}

st.set_page_config(
    page_title="Training compliance", page_icon=":material/verified_user:", layout="wide"
)
st.navigation(SECTIONS).run()
