"""Downloads of personal data: a purpose box, then files built on click and audited.

Every file is built only when its button is clicked, and building it writes the audit
entry (who, when, what, how many rows, purpose) through ``pages._data.audited``.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from compliance.export import pack_bytes, safe_file_name, table_bytes
from pages import _data

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PURPOSE_LABEL = "Purpose of this download (required; recorded with your name in the audit log)"


def export_controls(
    key: str, frame: pd.DataFrame, what: str, sheet_name: str, pack_by: dict[str, str]
) -> None:
    """Purpose box, then CSV, XLSX and "pack per unit/manager" downloads of ``frame``."""
    purpose = st.text_input(
        PURPOSE_LABEL,
        key=f"{key}_purpose",
        placeholder="e.g. monthly reminder to line managers in Crime Command",
    ).strip()
    ready = bool(purpose) and not frame.empty
    if not purpose:
        st.caption(
            "The download buttons unlock once you state a purpose: these lists are personal data."
        )
    stem = f"{safe_file_name(what)}-{dt.date.today():%Y-%m-%d}"
    audited = partial(_data.audited, rows=len(frame), purpose=purpose)
    left, middle, right = st.columns([1, 1, 2], vertical_alignment="bottom")
    for column, fmt, mime in ((left, "xlsx", XLSX_MIME), (middle, "csv", "text/csv")):
        column.download_button(
            f"Download {fmt}",
            data=partial(
                audited, partial(table_bytes, frame, fmt, sheet_name), what=f"{what} as {fmt}"
            ),
            file_name=f"{stem}.{fmt}",
            mime=mime,
            disabled=not ready,
            on_click="ignore",
            icon=":material/download:",
            key=f"{key}_{fmt}",
        )
    with right:
        split_label = st.selectbox("Pack: one file per", list(pack_by), key=f"{key}_pack_by")
        st.download_button(
            f"Download pack per {split_label} (zip)",
            data=partial(
                audited,
                partial(pack_bytes, frame, pack_by[split_label], sheet_name),
                what=f"{what} as zip, one xlsx per {split_label}",
            ),
            file_name=f"{stem}-per-{safe_file_name(split_label)}.zip",
            mime="application/zip",
            disabled=not ready,
            on_click="ignore",
            icon=":material/folder_zip:",
            key=f"{key}_pack",
        )


def text_export(key: str, text: str, what: str, file_name: str) -> None:
    """A purpose box and a download of ``text``, audited when the file is built."""
    purpose = st.text_input(
        PURPOSE_LABEL, key=f"{key}_purpose", placeholder="e.g. complaint reference PSD/2026/0142"
    ).strip()
    st.download_button(
        "Download as text",
        data=partial(
            _data.audited, partial(str.encode, text, "utf-8"), what=what, rows=1, purpose=purpose
        ),
        file_name=file_name,
        mime="text/plain",
        disabled=not purpose,
        on_click="ignore",
        icon=":material/download:",
        key=f"{key}_download",
    )
