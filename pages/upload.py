"""Upload: files from HR and the learning system -> checked, mapped, previewed, imported.

Each file is parsed once; changing the kind, sheet, header row, a column mapping, the date
order or the course loads the parsed sheets again with the new choices (``pages._uploads``
keeps one copy per file). Nothing is stored until Import. The file cards are drawn with
:func:`compliance.allocator.large_blocks_returned`: what reading, loading and showing a
million-row file frees goes back to the system, not to this session's heap.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace

import pandas as pd
import streamlit as st

from compliance import allocator, importing, mappings
from compliance.importing import ImportItem, rules_among
from compliance.rules import Rules, load_rules
from loaders import FIELDS
from loaders.inspect import Choices, Detection
from loaders.limits import MB, max_upload_mb
from loaders.suggest import SUGGESTED
from pages import (
    _data,
    _errors,
    _file_card,
    _format,
    _frame,
    _import_summary,
    _rules_change,
    _uploads,
)
from pages._sidebar import View

KIND_LABELS: dict[str, str] = {
    "roster": "Staff roster (HR)",
    "completions": "Course completions (learning system)",
    "exemptions": "Exemptions",
    "requirements": "Requirements (rules YAML)",
}
DATE_ORDERS: dict[str, bool | None] = {
    "Automatic (day first, as in the UK)": None,
    "Day first (26/08/2024)": False,
    "Month first (08/26/2024)": True,
}
YAML_SUFFIXES = (".yaml", ".yml")



def upload_limit() -> int:
    """The size cap in bytes: ``COMPLIANCE_MAX_UPLOAD_MB``, or the server's own upload
    limit (``server.maxUploadSize``) when that is lower, since the server refuses more."""
    return min(max_upload_mb(), int(st.get_option("server.maxUploadSize"))) * MB


def file_key(data: bytes) -> str:
    """Widget keys per file: the same bytes keep their choices across reruns."""
    return hashlib.sha256(data).hexdigest()[:12]


def show_requirements(upload_name: str, data: bytes) -> ImportItem:
    """A rules file: what it holds and what importing it (the next version) would change,
    field by field and in statuses today (a file that is not valid rules raises RulesError,
    shown in its card)."""
    new = load_rules(data, upload_name)
    st.success(
        f"{len(new.requirements)} requirements: {_format.literal(', '.join(new.courses))}.",
        icon=":material/rule:",
    )
    in_force = _data.rules()
    if new == in_force:
        st.caption("These are the rules already in force: importing them changes nothing.")
    else:
        _rules_change.show_changes(in_force, new, pd.Timestamp(dt.date.today()))
    return ImportItem("requirements", upload_name, data, None)


def choose_layout(key: str, rules: Rules | None) -> tuple[Detection, Choices]:
    """Kind, sheet, header row: each offered as detected, each changeable; returns the
    detection and the choices as they now stand."""
    state = st.session_state
    left, middle, row_column, _ = st.columns(4)
    kinds = list(FIELDS)
    chosen_kind = state.get(f"kind_{key}")
    chosen_sheet = state.get(f"sheet_{key}")
    header_key = f"header_{key}_{chosen_kind}_{chosen_sheet}"
    chosen = Choices(kind=chosen_kind, sheet=chosen_sheet, header_row=state.get(header_key))
    found = _uploads.detection(key, chosen, rules)
    left.selectbox(
        "This file holds",
        kinds,
        index=kinds.index(found.kind),
        format_func=KIND_LABELS.get,
        key=f"kind_{key}",
        help=f"Suggested from its columns: {KIND_LABELS[found.suggested_kind]}.",
    )
    middle.selectbox(
        "Sheet",
        found.sheets,
        index=found.sheets.index(found.sheet) if found.sheet in found.sheets else 0,
        key=f"sheet_{key}",
        disabled=len(found.sheets) < 2,
        help="Visible sheets only; hidden sheets are never read.",
    )
    row_column.number_input(
        "Header row",
        min_value=1,
        value=found.header_row,
        step=1,
        key=f"header_{key}_{found.kind}_{found.sheet}",
        help="The row holding the column names, as numbered in Excel. Change it if the "
        "preview shows a title or data row as the headers.",
    )
    header_row = chosen.header_row if found.kind == chosen_kind else None
    return found, Choices(found.kind, found.sheet, header_row or found.header_row)


def show_file(
    name: str, data: bytes, key: str, rules: Rules | None, max_bytes: int
) -> ImportItem | None:
    """Everything about one uploaded file (its bytes and their :func:`file_key`, taken
    once per run); returns it when it can be imported."""
    if name.lower().endswith(YAML_SUFFIXES):
        return show_requirements(name, data)
    workbook = _uploads.workbook(key, data, name, max_bytes)
    if isinstance(workbook, str):
        st.error(workbook, icon=":material/error:")
        return None
    found, layout = choose_layout(key, rules)
    order = st.columns(4)[3].selectbox(
        "Date order",
        list(DATE_ORDERS),
        key=f"dates_{key}",
        help="Numeric dates such as 05/03/2024 are read day first unless you say otherwise.",
    )
    remembered = _data.remembered_mapping(found.kind, found.headers) if found.headers else {}
    shown = mappings.apply_corrections(found.detected, remembered)
    offered = {
        header: field for header, field in found.suggestions.items()
        if header not in shown and field not in shown.values()
    }
    with st.expander(
        "Columns: what each one holds",
        expanded=bool(remembered or offered) or not found.detected or found.kind == "roster",
        icon=":material/view_column:",
    ):
        if remembered:
            st.caption("Using the mapping you corrected last time for a file with these headers.")
        if offered:
            st.caption(
                f"Columns marked *{SUGGESTED}* were not recognised by their names but look "
                "like the field chosen for them: check each one, or set it to *not used*."
            )
        chosen = _file_card.mapping_editor(
            key, found.kind, found.headers, found.detected, {**shown, **offered}, offered
        )
    if found.kind == "roster":
        for line in importing.unmapped_rule_fields(rules, set(chosen.values())):
            st.warning(line, icon=":material/rule:")
    fixes = mappings.corrections(found.detected, chosen)
    course = st.session_state.get(f"course_{key}")
    choices = replace(
        layout,
        mapping=tuple(fixes.items()),
        month_first=DATE_ORDERS[order],
        course=None if course in (None, _file_card.CHOOSE_COURSE) else course,
    )
    result = _uploads.inspection(key, choices, rules).result
    if found.kind == "completions" and result.report.layout == "per-course":
        _file_card.course_picker(key, result, rules)
    as_at = None
    if found.kind == "roster":
        as_at = st.columns(3)[0].date_input(
            "Roster as at",
            value=dt.date.today(),
            key=f"asat_{key}",
            format="DD/MM/YYYY",
            help="The date of the HR report: this roster applies from that date on.",
        )
    _file_card.show_report(key, result)
    if not result.usable:
        return None
    errors = int((result.report.problems["severity"] == "error").sum())
    if errors and not st.checkbox(
        f"Import the {len(result.frame):,} good rows and leave out the {errors:,} rows with "
        "problems",
        key=f"confirm_{key}",
    ):
        st.caption("Tick the box above, or fix the file and upload it again.")
        return None
    return ImportItem(found.kind, name, data, result, found.headers, fixes, as_at)


def import_all(items: list[ImportItem]) -> None:
    """Import the checked files with a progress bar, then show what changed."""
    bar = st.progress(0.0, text="Importing...")
    summary = _data.import_items(items, lambda fraction, text: bar.progress(fraction, text=text))
    bar.empty()
    st.session_state["upload_summary"] = summary
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
    st.rerun()


def demo_gate() -> bool:
    """While the demo force is loaded nothing of a real force may be imported: say so and
    offer to remove it (one audited action); True while it is loaded."""
    if not _data.demo_active():
        return False
    st.warning(
        "The demo force is loaded, and a real force's files never mix with it. Remove it to "
        "import your own files: its imports are withdrawn (kept, marked withdrawn) and its "
        "demo accounts disabled, so anyone signed in with one is signed out.",
        icon=":material/theater_comedy:",
    )
    if st.button("Remove the demo force", type="primary", icon=":material/delete_sweep:",
                 key="remove_demo"):
        st.session_state["upload_removed_demo"] = _data.remove_demo()
        st.rerun()
    return True


def render(view: View) -> None:
    removed = st.session_state.pop("upload_removed_demo", None)
    if removed:
        st.success(_format.literal(removed), icon=":material/check_circle:")
    if demo_gate():
        return
    _import_summary.show_summary()
    max_bytes = upload_limit()
    uploads = st.file_uploader(
        "Files (xlsx, xlsm, xls, ods, csv, txt; requirements as yaml)",
        accept_multiple_files=True,
        key=f"files_{st.session_state.get('upload_round', 0)}",
        max_upload_size=max_bytes // MB,
        help=f"Up to {max_bytes // MB} MB each. The type is read from the content, "
        "not the extension.",
    )
    files = [(upload.name, upload.getvalue()) for upload in uploads or []]
    keys = [file_key(data) for _, data in files]
    _uploads.keep_only(keys)
    if not uploads:
        st.info(
            "Upload the HR roster, the learning system's completion export and the "
            "requirements file to get started. Several files at once make several imports.",
            icon=":material/upload_file:",
        )
        return
    rules = uploaded_rules(files) or _data.rules()
    ready: list[ImportItem] = []
    with allocator.large_blocks_returned():
        for (name, data), key in zip(files, keys, strict=True):
            with st.container(border=True):
                st.subheader(_format.literal(name), divider="gray")
                with _errors.user_errors():
                    item = show_file(name, data, key, rules, max_bytes)
                    if item is not None:
                        ready.append(item)
    waiting = len(uploads) - len(ready)
    if waiting:
        st.caption(f"{waiting} file(s) above cannot be imported yet: see the messages there.")
    label = f"Import {len(ready)} file{'s' if len(ready) != 1 else ''}"
    if st.button(
        label, type="primary", disabled=not ready, icon=":material/publish:", key="import"
    ):
        import_all(ready)


def uploaded_rules(files: list[tuple[str, bytes]]) -> Rules | None:
    """Rules from a requirements file among the uploads (name, bytes): they will be in
    force when the other files land, so they name the courses of per-course and wide files."""
    return rules_among(
        [(name, data) for name, data in files if name.lower().endswith(YAML_SUFFIXES)]
    )


_frame.show(
    __file__,
    "Upload",
    "Drop the HR roster, the learning system's completion exports, exemptions or the "
    "requirements file. Check how each file is read, then import: nothing is stored until "
    "you press Import, and every import can be withdrawn on the Imports page.",
    render,
)
