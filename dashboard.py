"""Streamlit entry point: page navigation only.

Run with ``streamlit run dashboard.py``. The pages are listed in ``pages/_navigation.py``
(``pages/`` is not auto-discovered). Each page draws the shared sidebar itself through
``pages._frame.show``. Arrow is put on the system allocator first, once per server
process (``compliance.allocator``), so an upload's load can hand back what it frees.
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
