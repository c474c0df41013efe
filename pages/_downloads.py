"""Downloads of personal data: a stated purpose, then files built on click and audited.

A download button stays disabled until the purpose is complete (a reason from the
configured list, a reference, a recipient); the file is built only when clicked, and
building it writes the one audit entry (who, when, what, filters, columns, rows, purpose,
recipient, sha256 of the bytes) through ``pages._records.audited``. A role without the
``export`` capability (an auditor) gets no bulk download at all.

A list downloads with the headers its table shows on screen (``compliance.columns``), and
its XLSX opens with the header block: what, as of when, filters, purpose, who, marking.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from compliance import auth, columns, purpose
from compliance.export import table_bytes
from compliance.export_pack import pack_bytes, safe_file_name
from compliance.heading import Heading, exported_by
from compliance.purpose import Purpose
from pages import _data, _records, _session

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def purpose_box(key: str, example: str) -> Purpose | None:
    """Why, which reference and for whom; the purpose once all three will do, else None."""
    st.markdown("**Why are you downloading personal data?** (recorded with your name)")
    reason_column, reference_column, recipient_column = st.columns(3)
    reason = reason_column.selectbox(
        "Purpose", purpose.reasons(), index=None, placeholder="Choose the reason",
        key=f"{key}_reason",
    )
    reference = reference_column.text_input(
        "Reference", key=f"{key}_reference", placeholder=example,
        help="A case number, meeting or ticket that says what this download is for.",
    )
    recipient = recipient_column.text_input(
        "Recipient", key=f"{key}_recipient", placeholder="e.g. Insp. Hall, South Response",
        help="Who the file is for: a person, a team or a body.",
    )
    missing = purpose.problem(reason, reference, recipient)
    if missing is not None:
        st.caption(f"The downloads unlock once the purpose is complete: {missing}.")
        return None
    return Purpose(str(reason), reference, recipient)


def export_controls(
    key: str, frame: pd.DataFrame, what: str, sheet_name: str, pack_by: dict[str, str],
    as_of: pd.Timestamp, filters: str,
) -> None:
    """Purpose, then CSV, XLSX and "pack per unit/manager" downloads of ``frame`` as shown
    as of ``as_of`` with ``filters`` (in words)."""
    signed = _session.account()
    if signed is None or not auth.may(signed.role, "export"):
        st.caption("Your role cannot download lists of people.")
        return
    stated = purpose_box(key, "e.g. March reminders, South Division")
    ready = stated is not None and not frame.empty
    what = f"DEMO {what}" if _data.demo_active() else what
    stem = f"{safe_file_name(what)}-{dt.date.today():%Y-%m-%d}"
    heading = None if stated is None else Heading(
        title=what[:1].upper() + what[1:], as_of=as_of.date(), filters=filters,
        purpose=stated.reason, reference=stated.reference.strip(),
        recipient=stated.recipient.strip(), exported_by=exported_by(signed.name, signed.role),
    )
    shown = columns.headed(frame)
    audited = partial(
        _records.audited, rows=len(frame), purpose=stated,
        filters=f"as of {as_of:%Y-%m-%d}; {filters}", columns=[str(c) for c in shown.columns],
    )
    left, middle, right = st.columns([1, 1, 2], vertical_alignment="bottom")
    for column, fmt, mime in ((left, "xlsx", XLSX_MIME), (middle, "csv", "text/csv")):
        column.download_button(
            f"Download {fmt}",
            data=audited(
                partial(table_bytes, shown, fmt, sheet_name, heading), what=f"{what} as {fmt}"
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
            data=audited(
                partial(
                    pack_bytes, shown, columns.header(pack_by[split_label]), sheet_name, heading
                ),
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
    """A purpose and a download of ``text`` (one person's check), audited when built."""
    stated = purpose_box(key, "e.g. complaint reference PSD/2026/0142")
    demo = "DEMO-" if _data.demo_active() else ""
    st.download_button(
        "Download as text",
        data=_records.audited(
            partial(str.encode, text, "utf-8"), what=f"{demo}{what}", rows=1, purpose=stated
        ),
        file_name=f"{demo}{file_name}",
        mime="text/plain",
        disabled=stated is None,
        on_click="ignore",
        icon=":material/download:",
        key=f"{key}_download",
    )
