"""Audit log (admins, auditors): who did what and when, and why personal data left.

Every sign-in, failed sign-in, lockout, account change, import, withdrawal, rule change,
mapping change and export is an entry, each chained to the one before by its hash; the
page checks the chain on every visit. Its own download is an export like any other.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import streamlit as st

from compliance.export import to_csv_bytes
from pages import _downloads, _format, _frame, _records
from pages._sidebar import View

ALL = "All"


def filters() -> tuple[str | None, str | None, dt.date, dt.date]:
    log = _records.audit_log()
    user_column, action_column, since_column, until_column = st.columns(4)
    users = [ALL, *sorted(log["user"].dropna().unique())]
    actions = [ALL, *sorted(log["action"].dropna().unique())]
    user = user_column.selectbox("User", users, key="audit_user")
    action = action_column.selectbox("Action", actions, key="audit_action")
    since = since_column.date_input("From", value=dt.date.today() - dt.timedelta(days=30),
                                    format="DD/MM/YYYY", key="audit_since")
    until = until_column.date_input("Until", value=dt.date.today(), format="DD/MM/YYYY",
                                    key="audit_until")
    return (None if user == ALL else user, None if action == ALL else action, since, until)


def render(view: View) -> None:
    check = _records.audit_check()
    intact = check.startswith("The audit trail is intact")
    (st.success if intact else st.error)(_format.literal(check), icon=":material/link:")
    user, action, since, until = filters()
    entries = _records.audit_log(user=user, action=action, since=since, until=until)
    st.caption(f"{len(entries):,} entries, newest first. Times are UTC.")
    st.dataframe(
        entries,
        hide_index=True,
        width="stretch",
        column_order=["id", "at", "user", "action", "detail", "purpose", "recipient", "rows",
                      "sha256"],
        column_config={
            "id": st.column_config.NumberColumn("Entry", format="%d", width="small"),
            "at": st.column_config.DatetimeColumn("When (UTC)", format="D MMM YYYY, HH:mm:ss"),
            "user": st.column_config.TextColumn("User"),
            "action": st.column_config.TextColumn("Action"),
            "detail": st.column_config.TextColumn("Detail", width="large"),
            "purpose": st.column_config.TextColumn("Purpose"),
            "recipient": st.column_config.TextColumn("Recipient"),
            "rows": st.column_config.NumberColumn("Rows", format="%d"),
            "sha256": st.column_config.TextColumn("sha256 of the file"),
        },
        placeholder="",
    )
    stated = _downloads.purpose_box("audit_export", "e.g. IOPC request 2026/117")
    entries_file = _records.audit_frame(user=user, action=action, since=since, until=until)
    st.download_button(
        "Download these entries (csv)",
        data=_records.audited(
            partial(to_csv_bytes, entries_file),
            what="audit log as csv", rows=len(entries), purpose=stated,
            filters=f"user {user or 'any'}; action {action or 'any'}; {since} to {until}",
        ),
        file_name=f"audit-log-{dt.date.today():%Y-%m-%d}.csv",
        mime="text/csv",
        disabled=stated is None or entries.empty,
        on_click="ignore",
        icon=":material/download:",
        key="audit_download",
    )


_frame.show(
    __file__,
    "Audit log",
    "Every sign-in, change and export, chained so that no entry can be altered, removed or "
    "slipped in unseen.",
    render,
)
