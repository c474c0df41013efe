"""Imports: every file that went in, who brought it and when; withdraw or restore one.

Nothing is ever deleted: withdrawing an import stops its rows counting (and recomputes
every status), restoring makes them count again. Both ask for confirmation and are
written to the audit log by the store.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from compliance.export import to_csv_bytes
from pages import _data, _downloads, _errors, _format, _frame, _records
from pages._sidebar import View

KIND_NAMES = {
    "roster": "Roster",
    "completions": "Completions",
    "exemptions": "Exemptions",
    "requirements": "Requirements",
}
# Session key of the (action, import id) waiting for confirmation.
PENDING = "imports_pending"


def label(row: pd.Series) -> str:
    return (
        f"#{row['id']} {KIND_NAMES.get(row['kind'], row['kind'])}: {row['file']} "
        f"({row['at']:%d %b %Y %H:%M}, {row['state']})"
    )


def history_table(imports: pd.DataFrame) -> None:
    st.dataframe(
        imports,
        hide_index=True,
        width="stretch",
        column_order=["id", "state", "kind", "file", "rows", "at", "by", "effective_on", "report"],
        column_config={
            "id": st.column_config.NumberColumn("Import", format="#%d", width="small"),
            "state": st.column_config.TextColumn("State", width="small"),
            "kind": st.column_config.TextColumn("Kind"),
            "file": st.column_config.TextColumn("File", width="medium"),
            "rows": st.column_config.NumberColumn("Rows", format="localized", width="small"),
            "at": st.column_config.DatetimeColumn("When", format="D MMM YYYY, HH:mm"),
            "by": st.column_config.TextColumn("By", width="small"),
            "effective_on": _format.date_column("Roster as at"),
            "report": st.column_config.TextColumn("Load report", width="medium"),
        },
        placeholder="",
    )


def show_report(row: pd.Series) -> None:
    """The load report kept with the import: what was detected and every problem."""
    report = _data.import_report(int(row["id"]))
    summary = [line for line in report.lines() if not _is_problem_line(line)]
    st.code("\n".join(summary), language=None)
    problems = report.problems
    if problems.empty:
        st.caption("No problems were reported for this file.")
        return
    st.dataframe(
        problems[["row", "column", "value", "reason", "severity"]],
        hide_index=True,
        width="stretch",
        height=min(400, 50 + 35 * len(problems)),
        placeholder="",
    )
    stated = _downloads.purpose_box(f"import_problems_{int(row['id'])}", "e.g. fixing the export")
    st.download_button(
        "Download the problems (csv)",
        data=_records.audited(
            partial(to_csv_bytes, problems), what=f"load problems of import {int(row['id'])}",
            rows=len(problems), purpose=stated,
        ),
        file_name=f"import-{int(row['id'])}-problems.csv",
        mime="text/csv",
        disabled=stated is None,
        on_click="ignore",
        icon=":material/download:",
        key=f"problems_{int(row['id'])}",
    )


def _is_problem_line(line: str) -> bool:
    return line.split(":", 1)[0] in {"FATAL", "ERROR", "WARNING", "INFO"}


def state_controls(row: pd.Series) -> None:
    """Withdraw or restore, with a confirmation step naming what will change."""
    import_id = int(row["id"])
    withdrawing = row["state"] == "active"
    action = "withdraw" if withdrawing else "restore"
    pending = st.session_state.get(PENDING)
    if pending != (action, import_id):
        st.button(
            "Withdraw this import..." if withdrawing else "Restore this import...",
            icon=":material/undo:" if withdrawing else ":material/restore:",
            key=f"ask_{action}",
            on_click=_ask,
            args=(action, import_id),
        )
        return
    effect = (
        f"its {row['rows']:,} rows stop counting and every status is recomputed without them"
        if withdrawing
        else f"its {row['rows']:,} rows count again and every status is recomputed with them"
    )
    st.warning(
        f"{action.capitalize()} import #{import_id} ({_format.literal(row['file'])})? "
        f"{effect.capitalize()}. "
        "Nothing is deleted, and this can be undone here.",
        icon=":material/warning:",
    )
    yes, no = st.columns([1, 4])
    if yes.button(f"Yes, {action}", type="primary", key=f"confirm_{action}"):
        st.session_state.pop(PENDING, None)
        with _errors.user_errors():
            _data.set_import_state(import_id, active=not withdrawing)
            past = "withdrawn" if withdrawing else "restored"
            st.session_state["imports_done"] = f"Import #{import_id} {past}."
            st.rerun()
    no.button("Cancel", key=f"cancel_{action}", on_click=_ask, args=(None, None))


def _ask(action: str | None, import_id: int | None) -> None:
    """Remember which change awaits confirmation (None: none)."""
    st.session_state[PENDING] = (action, import_id) if action else None


def render(view: View) -> None:
    done = st.session_state.pop("imports_done", None)
    if done:
        st.success(done, icon=":material/check_circle:")
    imports = _data.imports()
    if imports.empty:
        st.info(f"No imports yet. {_frame.UPLOAD_HINT}", icon=":material/upload_file:")
        return
    history_table(imports)
    st.subheader("One import")
    rows = {int(r["id"]): r for _, r in imports.iterrows()}
    chosen = st.selectbox(
        "Import", list(rows), format_func=lambda i: label(rows[i]), key="imports_chosen"
    )
    state_controls(rows[chosen])
    show_report(rows[chosen])


_frame.show(
    __file__,
    "Imports",
    "Every file imported, newest first: who, when, how many rows and what the loader "
    "reported. Withdraw an import to stop its rows counting; nothing is deleted.",
    render,
)
