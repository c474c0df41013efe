"""Streamlit entry point: page navigation only.

Run with ``streamlit run dashboard.py``. The pages are listed in ``pages/_navigation.py``
(``pages/`` is not auto-discovered). Each page draws the shared sidebar itself through
``pages._frame.show``. The allocators are set once per server process first
(``compliance.allocator``), so what a session's load frees goes back to the system.
"""

from __future__ import annotations

import streamlit as st

from compliance import allocator
from pages import _navigation

allocator.configure()

st.set_page_config(
    page_title="Training compliance", page_icon=":material/verified_user:", layout="wide"
)
_navigation.run()
