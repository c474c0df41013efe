"""An incident check on screen and as a document: its warnings, answers, sources, downloads.

The Incident check and Person pages draw a check through here, so the screen shows exactly
what the documents hold (``compliance.evidence_layout``): every warning on screen is in the
text, the workbook and the PDF. The documents are built on click and audited with the
stated purpose and the sha256 of their bytes (``pages._records.audited``).
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pandas as pd
import streamlit as st

from compliance import access, evidence_pdf, evidence_xlsx
from compliance.evidence_layout import Cover, person_pairs, summary_table
from compliance.evidence_model import Evidence, roster_words
from compliance.export_pack import safe_file_name
from compliance.marking import handling_marking
from compliance.purpose import Purpose
from pages import _data, _downloads, _format, _records

FORMATS = {
    "pdf": ("PDF", "application/pdf", evidence_pdf.evidence_pdf, ":material/picture_as_pdf:"),
    "xlsx": ("xlsx", _downloads.XLSX_MIME, evidence_xlsx.evidence_xlsx, ":material/table:"),
}
SUMMARY_COLUMNS = {
    name: st.column_config.TextColumn(name, width=width)
    for name, width in (("Course", "small"), ("Answer", "small"), ("Due date", "small"),
                        ("Why", "large"), ("Deciding completion", "medium"),
                        ("Later completion", "medium"))
}  # fmt: skip
SOURCE_COLUMNS = {
    "id": st.column_config.NumberColumn("Import", format="%d"),
    "kind": st.column_config.TextColumn("Kind"),
    "file": st.column_config.TextColumn("File"),
    "sha256": st.column_config.TextColumn("sha256 of the file"),
    "by": st.column_config.TextColumn("Imported by"),
    "at": st.column_config.DatetimeColumn("Imported at (UTC)", format="D MMM YYYY HH:mm"),
    "state": st.column_config.TextColumn("State"),
    "effective_on": _format.date_column("As at"),
}


def cover(stated: Purpose | None = None) -> Cover:
    """Who is generating the document, now, and (once given) why and for whom."""
    base = Cover(_data.current_user(), pd.Timestamp(access.utc_now()), handling_marking(),
                 _data.demo_active())
    if stated is None:
        return base
    return replace(base, reference=stated.reference.strip(), purpose=stated.reason.strip(),
                   requester=stated.recipient.strip())


def warnings(checked: Evidence) -> None:
    """Every warning the documents carry, as literal text."""
    for warning in checked.all_warnings:
        st.warning(_format.literal(warning), icon=":material/warning:")


def answers(checked: Evidence) -> None:
    """Per person: who they are (folded) and one line per course."""
    st.caption(f"Roster snapshot used: {_format.literal(roster_words(checked.roster))}.")
    for person in checked.people:
        st.markdown(f"##### {_format.literal(person.label)}")
        with st.expander("Who, as the roster records them", icon=":material/badge:"):
            st.dataframe(pd.DataFrame(person_pairs(person), columns=["Field", "Value"]),
                         hide_index=True, width="stretch")
        st.dataframe(summary_table(person), column_config=SUMMARY_COLUMNS, hide_index=True,
                     width="stretch")


def sources(checked: Evidence) -> None:
    """The imports the answers cite, with the sha256 of each file."""
    st.markdown("##### Imports cited")
    st.dataframe(checked.sources, column_config=SOURCE_COLUMNS, hide_index=True,
                 width="stretch")


def downloads(key: str, checked: Evidence) -> None:
    """A purpose, then the evidence as PDF and xlsx, built on click and audited."""
    stated = _downloads.purpose_box(key, "e.g. complaint reference PSD/2026/0142")
    ready = stated is not None and bool(checked.people)
    base = cover(stated)
    stem = safe_file_name(f"{'DEMO ' if base.demo else ''}incident check "
                          f"{checked.request.when:%Y-%m-%d}")
    who = ", ".join(person.label for person in checked.people)
    for column, (fmt, (label, mime, build, icon)) in zip(
        st.columns(len(FORMATS)), FORMATS.items(), strict=True
    ):
        column.download_button(
            f"Download the evidence ({label})",
            data=_records.audited(
                partial(_document, build, checked, base), rows=len(checked.people),
                purpose=stated,
                what=f"incident check evidence ({fmt}) of {who} on {checked.request.moment}",
            ),
            file_name=f"{stem}.{fmt}", mime=mime, disabled=not ready, on_click="ignore",
            icon=icon, key=f"{key}_{fmt}",
        )


def _document(build, checked: Evidence, base: Cover) -> bytes:
    """The document's bytes, stamped with the time it is built (the click)."""
    return build(checked, replace(base, generated_at=pd.Timestamp(access.utc_now())))
