"""Upload: files from HR and the learning system -> checked, mapped, previewed, imported.

Each file is parsed from its bytes once (cached per session on the bytes and the size
cap); changing the kind, sheet, header row, a column mapping, the date order or the course
re-maps the cached workbook without reading the file again. Nothing is stored until Import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from compliance import import_diff, mappings
from compliance.errors import RulesError
from compliance.export import to_csv_bytes
from compliance.rules import Rules, load_rules
from loaders import FIELDS, IGNORE, LoadResult, load, suggest_kind
from loaders.errors import LoaderError
from loaders.limits import DEFAULT_LIMITS, MB, Limits
from loaders.readers import read_workbook
from loaders.values import to_text
from loaders.workbook import Workbook
from pages import _common as common

KIND_LABELS: dict[str, str] = {
    "roster": "Staff roster (HR)",
    "completions": "Course completions (learning system)",
    "exemptions": "Exemptions",
    "requirements": "Requirements (rules YAML)",
}
FIELD_LABELS: dict[str, str] = {
    IGNORE: "- not used -",
    "person_id": "Staff ID",
    "name": "Full name",
    "first_name": "First name",
    "surname": "Surname",
    "email": "Email",
    "unit": "Unit level",
    "role": "Rank / role",
    "staff_type": "Staff type",
    "start_date": "Start date",
    "leave_date": "Leaving date",
    "manager": "Line manager",
    "course": "Course title",
    "course_code": "Course code",
    "completed_on": "Completion date",
    "status": "Completion status",
    "from": "Exempt from",
    "until": "Exempt until",
    "reason": "Reason",
}
DATE_ORDERS: dict[str, bool | None] = {
    "Automatic (day first, as in the UK)": None,
    "Day first (26/08/2024)": False,
    "Month first (08/26/2024)": True,
}
PREVIEW_LABELS: dict[str, str] = {"person_id": "Staff ID", "name": "Name", "unit": "Unit"}
YAML_SUFFIXES = (".yaml", ".yml")
IMPORT_ORDER = ("requirements", "roster", "completions", "exemptions")
PREVIEW_ROWS = 20
SEVERITY_WORDS = ("fatal", "error", "warning", "info")
CHOOSE_COURSE = "- choose the course -"
MESSAGE_ICONS = {
    "success": ":material/check_circle:",
    "info": ":material/info:",
    "error": ":material/error:",
}


@dataclass
class Ready:
    """One checked file the user can import, with everything the store needs."""

    kind: str
    name: str
    data: bytes
    result: LoadResult | None
    headers: list[str]
    fixes: dict[str, str]
    as_at: dt.date | None


def upload_limits() -> Limits:
    """The parser's size cap follows the server's upload limit (``server.maxUploadSize``)."""
    return replace(DEFAULT_LIMITS, max_bytes=int(st.get_option("server.maxUploadSize")) * MB)


@st.cache_data(show_spinner="Reading the file...", max_entries=16, scope="session")
def read_file(data: bytes, name: str, max_bytes: int) -> Workbook | str:
    """The workbook, or the one-line reason it cannot be read (cached: errors included)."""
    try:
        return read_workbook(data, name, limits=replace(DEFAULT_LIMITS, max_bytes=max_bytes))
    except LoaderError as error:
        return str(error)


@st.cache_data(show_spinner="Checking the columns...", max_entries=64, scope="session")
def load_file(
    data: bytes,
    name: str,
    max_bytes: int,
    kind: str,
    fixes: tuple[tuple[str, str], ...],
    sheet: str | None,
    month_first: bool | None,
    course: str | None,
    rules: Rules | None,
    header_row: int | None = None,
) -> LoadResult:
    """Map the cached workbook with these options (the bytes are not read again)."""
    workbook = read_file(data, name, max_bytes)
    return load(
        kind,
        workbook if isinstance(workbook, Workbook) else data,
        name,
        mapping=dict(fixes) or None,
        sheet=sheet,
        header_row=header_row,
        month_first=month_first,
        course=course,
        match_course=rules.match_titles if rules is not None else None,
    )


def file_key(data: bytes) -> str:
    """Widget keys per file: the same bytes keep their choices across reruns."""
    return hashlib.sha256(data).hexdigest()[:12]


def sheet_headers(workbook: Workbook, result: LoadResult) -> list[str]:
    """The named cells of the detected header row, spelled as the loader names columns
    (a repeated header gets `` (2)``): the select boxes and the header signature."""
    report = result.report
    sheet = next((s for s in workbook.sheets if s.name == report.sheet), None)
    if sheet is None or report.header_row is None or report.header_row not in sheet.grid.index:
        return []
    cells = to_text(sheet.grid.loc[report.header_row]).dropna().astype(str).tolist()
    seen: dict[str, int] = {}
    headers = []
    for cell in cells:
        seen[cell] = seen.get(cell, 0) + 1
        headers.append(cell if seen[cell] == 1 else f"{cell} ({seen[cell]})")
    return headers


def problems_frame(result: LoadResult) -> pd.DataFrame:
    problems = result.report.problems
    return problems[["row", "column", "value", "reason", "severity"]].reset_index(drop=True)


def show_requirements(upload_name: str, data: bytes) -> Ready | None:
    """A rules file: check it and show what it holds; importing makes it the new version."""
    try:
        new = load_rules(data, upload_name)
    except RulesError as error:
        st.error(str(error), icon=":material/error:")
        return None
    st.success(
        f"{len(new.requirements)} requirements: {', '.join(new.courses)}.",
        icon=":material/rule:",
    )
    if new == common.rules():
        st.caption("These are the rules already in force: importing them changes nothing.")
    return Ready("requirements", upload_name, data, None, [], {}, None)


def mapping_editor(
    key: str, kind: str, headers: list[str], detected: dict[str, str], shown: dict[str, str]
) -> dict[str, str]:
    """One select box per source column; returns the chosen source header -> field."""
    options = [IGNORE, *FIELDS[kind]]
    chosen: dict[str, str] = {}
    columns = st.columns(4)
    for position, header in enumerate(headers):
        current = shown.get(header, IGNORE)
        options_here = options if current in options else [*options, current]
        with columns[position % 4]:
            field = st.selectbox(
                header,
                options_here,
                index=options_here.index(current),
                format_func=lambda f: FIELD_LABELS.get(f, f),
                key=f"map_{key}_{kind}_{header}",
                help=f"Detected: {FIELD_LABELS.get(detected.get(header, IGNORE), '')}",
            )
        if field != IGNORE:
            chosen[header] = field
    return chosen


def show_file(upload: UploadedFile, rules: Rules | None, limits: Limits) -> Ready | None:
    """Everything about one uploaded file; returns it when it can be imported."""
    data = upload.getvalue()
    name = upload.name
    key = file_key(data)
    if len(data) > limits.max_bytes:
        st.error(
            f"{name}: the file is {len(data) / MB:.1f} MB, over the {limits.max_bytes // MB} MB "
            "limit: export fewer columns or a shorter period and upload that.",
            icon=":material/error:",
        )
        return None
    if name.lower().endswith(YAML_SUFFIXES):
        return show_requirements(name, data)
    workbook = read_file(data, name, limits.max_bytes)
    if isinstance(workbook, str):
        st.error(workbook, icon=":material/error:")
        return None

    left, middle, row_column, right = st.columns(4)
    kinds = list(FIELDS)
    suggested = suggest_kind(workbook)
    kind = left.selectbox(
        "This file holds",
        kinds,
        index=kinds.index(suggested),
        format_func=KIND_LABELS.get,
        key=f"kind_{key}",
        help=f"Suggested from its columns: {KIND_LABELS[suggested]}.",
    )
    sheet_names = [s.name for s in workbook.sheets]
    probe = load_file(data, name, limits.max_bytes, kind, (), None, None, None, rules)
    detected_sheet = probe.report.sheet if probe.report.sheet in sheet_names else sheet_names[0]
    sheet = middle.selectbox(
        "Sheet",
        sheet_names,
        index=sheet_names.index(detected_sheet),
        key=f"sheet_{key}",
        disabled=len(sheet_names) < 2,
        help="Visible sheets only; hidden sheets are never read.",
    )
    sheet_option = None if sheet == detected_sheet else sheet
    found = load_file(data, name, limits.max_bytes, kind, (), sheet_option, None, None, rules)
    header_row = row_column.number_input(
        "Header row",
        min_value=1,
        value=found.report.header_row,
        step=1,
        key=f"header_{key}_{kind}_{sheet}",
        help="The row holding the column names, as numbered in Excel. Change it if the "
        "preview shows a title or data row as the headers.",
    )
    order = right.selectbox(
        "Date order",
        list(DATE_ORDERS),
        key=f"dates_{key}",
        help="Numeric dates such as 05/03/2024 are read day first unless you say otherwise.",
    )
    month_first = DATE_ORDERS[order]

    detected = load_file(
        data, name, limits.max_bytes, kind, (), sheet_option, month_first, None, rules,
        header_row,
    )
    headers = sheet_headers(workbook, detected)
    remembered = common.remembered_mapping(kind, headers) if headers else {}
    shown = mappings.apply_corrections(detected.report.mapping, remembered)
    with st.expander(
        "Columns: what each one holds",
        expanded=not detected.usable or bool(remembered),
        icon=":material/view_column:",
    ):
        if remembered:
            st.caption("Using the mapping you corrected last time for a file with these headers.")
        chosen = mapping_editor(key, kind, headers, detected.report.mapping, shown)
    fixes = mappings.corrections(detected.report.mapping, chosen)

    course = None
    result = load_file(
        data, name, limits.max_bytes, kind, tuple(fixes.items()), sheet_option, month_first, None,
        rules, header_row,
    )
    if kind == "completions" and result.report.layout == "per-course":
        course = course_picker(key, result, rules)
        if course is not None and course != result.report.course:
            result = load_file(
                data,
                name,
                limits.max_bytes,
                kind,
                tuple(fixes.items()),
                sheet_option,
                month_first,
                course,
                rules,
                header_row,
            )

    as_at = None
    if kind == "roster":
        as_at = st.columns(3)[0].date_input(
            "Roster as at",
            value=dt.date.today(),
            key=f"asat_{key}",
            format="DD/MM/YYYY",
            help="The date of the HR report: this roster applies from that date on.",
        )
    show_report(key, result)
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
    return Ready(kind, name, data, result, headers, fixes, as_at)


def course_picker(key: str, result: LoadResult, rules: Rules | None) -> str | None:
    """Per-course exports: the course comes from the title or file name, or the user."""
    courses = list(rules.courses) if rules is not None else []
    if not courses:
        st.warning(
            "This file has no course column and there are no requirements yet: import the "
            "requirements file first so the course can be named.",
            icon=":material/warning:",
        )
        return None
    detected = result.report.course
    options = [CHOOSE_COURSE, *courses]
    index = options.index(detected) if detected in options else 0
    choice = st.selectbox(
        "Course for every row of this file",
        options,
        index=index,
        key=f"course_{key}",
        help="This export has no course column: it is one course's completion report.",
    )
    return None if choice == CHOOSE_COURSE else choice


def show_report(key: str, result: LoadResult) -> None:
    """What was detected, the preview as it will be read, and the problems with a download."""
    report = result.report
    if not result.usable:
        st.error(report.fatal_message() or "This file cannot be used.", icon=":material/error:")
        st.caption(
            "If the file does hold what is missing, say which column it is under *Columns* "
            "above; otherwise export the file again from its system."
        )
    detected = [f"Sheet **{report.sheet}**"] if report.sheet else []
    if report.header_row is not None:
        detected.append(f"header on row **{report.header_row}**")
    course = f" ({report.course})" if report.course else ""
    detected.append(f"layout **{report.layout}**{course}")
    detected.append(f"dates **{report.date_order}**")
    detected.append(f"**{report.rows_loaded:,}** of {report.rows_read:,} rows loaded")
    st.markdown(", ".join(detected) + ".")
    for note in report.notes:
        st.caption(note)
    for hidden in report.ignored_sheets:
        st.caption(f"Hidden sheet not read: {hidden}")
    if result.usable and not result.frame.empty:
        show_preview(result.frame)
    show_problems(key, result)


def show_preview(frame: pd.DataFrame) -> None:
    """The first rows with the names people know, as they will be stored."""
    shown = frame.drop(columns=["source_file"], errors="ignore").head(PREVIEW_ROWS)
    config: dict[str, object] = {"source_row": st.column_config.NumberColumn("Row", format="%d")}
    for column in shown.columns:
        label = PREVIEW_LABELS.get(column) or FIELD_LABELS.get(column, column)
        if column.startswith("unit_"):
            label = f"Unit level {column.split('_', 1)[1]}"
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            config[column] = common.date_column(label)
        elif column != "source_row":
            config[column] = st.column_config.TextColumn(label)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config, placeholder="")
    st.caption(f"The first {len(shown)} of {len(frame):,} rows as they will be stored.")


def show_problems(key: str, result: LoadResult) -> None:
    """Every row-level problem (the fatal one is already shown above) and a download."""
    problems = problems_frame(result)
    problems = problems[problems["severity"] != "fatal"]
    if problems.empty:
        return
    counts = problems["severity"].value_counts()
    summary = ", ".join(
        f"{counts[s]:,} {s}{'s' if counts[s] != 1 else ''}" for s in SEVERITY_WORDS if s in counts
    )
    if counts.get("error", 0) or counts.get("warning", 0):
        st.warning(
            f"Problems: {summary}. Rows with an error are not imported; rows with a warning "
            "are imported but deserve a look.",
            icon=":material/report:",
        )
    else:
        st.info(f"Findings: {summary}. Nothing was left out.", icon=":material/info:")
    st.dataframe(
        problems,
        hide_index=True,
        width="stretch",
        height=min(400, 50 + 35 * len(problems)),
        column_config={
            "row": st.column_config.NumberColumn("Row", format="%d", width="small"),
            "column": st.column_config.TextColumn("Column"),
            "value": st.column_config.TextColumn("Value"),
            "reason": st.column_config.TextColumn("Reason", width="large"),
            "severity": st.column_config.TextColumn("Severity", width="small"),
        },
        placeholder="",
    )
    st.download_button(
        "Download the problems (csv)",
        data=to_csv_bytes(problems.assign(file=result.report.file)),
        file_name=f"problems-{key}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"problems_{key}",
    )


def import_all(ready: list[Ready]) -> None:
    """Import each ready file in turn, with a progress bar, then summarise what changed."""
    as_of = pd.Timestamp(dt.date.today())
    before = common.import_snapshot(as_of)
    bar = st.progress(0.0, text="Importing...")
    messages: list[tuple[str, str]] = []
    imported: list[Ready] = []
    for number, item in enumerate(ready):

        def progress(fraction: float, text: str, number: int = number, name: str = item.name):
            bar.progress((number + fraction) / len(ready), text=f"{name}: {text}")

        try:
            outcome = store_import(item, progress)
        except common.TYPED_ERRORS as error:
            messages.append(("error", str(error)))
            continue
        messages.append(("success" if outcome.created else "info", outcome.message))
        imported.append(item)
        if item.headers:
            common.remember_mapping(item.kind, item.headers, item.fixes)
    bar.empty()
    after = common.import_snapshot(as_of)
    loaded = [r.result.frame for r in imported if r.kind == "completions" and r.result is not None]
    diff = import_diff.diff_import(
        roster_before=before.roster,
        roster_after=after.roster,
        status_before=before.status,
        status_after=after.status,
        loaded_completions=pd.concat(loaded, ignore_index=True) if loaded else None,
        completions_before=before.completions,
    )
    st.session_state["upload_summary"] = (messages, diff)
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
    st.rerun()


def store_import(item: Ready, progress: Callable[[float, str], None]) -> common.ImportOutcome:
    """One file into the store: rules by their bytes, others as the checked load result."""
    if item.kind == "requirements":
        return common.import_file("requirements", item.data, item.name, progress=progress)
    return common.import_loaded(item.kind, item.result, item.data, item.name, item.as_at, progress)


def show_summary() -> None:
    """What the last Import changed, until dismissed or the next import."""
    summary = st.session_state.get("upload_summary")
    if summary is None:
        return
    messages, diff = summary
    with st.container(border=True):
        st.subheader("What the import changed")
        for level, message in messages:
            show = {"success": st.success, "info": st.info, "error": st.error}[level]
            show(message, icon=MESSAGE_ICONS[level])
        for line in diff.lines():
            st.markdown(f"- {line}")
        if not diff.moves.empty:
            st.caption("Statuses before (rows) and after (columns), today:")
            st.dataframe(diff.moves, width="content", placeholder="")
        people_lists = {"People added": diff.people_added, "People left": diff.people_left}
        for label, people in people_lists.items():
            if len(people):
                with st.expander(f"{label} ({len(people):,})"):
                    st.dataframe(people, hide_index=True, width="stretch", placeholder="")
        st.button(
            "Dismiss", key="dismiss_summary", on_click=st.session_state.pop,
            args=("upload_summary", None),
        )


def render(view: common.View) -> None:
    show_summary()
    limits = upload_limits()
    uploads = st.file_uploader(
        "Files (xlsx, xlsm, xls, ods, csv, txt; requirements as yaml)",
        accept_multiple_files=True,
        key=f"files_{st.session_state.get('upload_round', 0)}",
        max_upload_size=limits.max_bytes // MB,
        help=f"Up to {limits.max_bytes // MB} MB each. The type is read from the content, "
        "not the extension.",
    )
    if not uploads:
        st.info(
            "Upload the HR roster, the learning system's completion export and the "
            "requirements file to get started. Several files at once make several imports.",
            icon=":material/upload_file:",
        )
        return
    in_force = common.rules()
    rules = uploaded_rules(uploads) or in_force
    ready: list[Ready] = []
    for upload in uploads:
        with st.container(border=True):
            st.subheader(upload.name, divider="gray")
            with common.user_errors():
                item = show_file(upload, rules, limits)
                if item is not None:
                    ready.append(item)
    waiting = len(uploads) - len(ready)
    if waiting:
        st.caption(f"{waiting} file(s) above cannot be imported yet: see the messages there.")
    label = f"Import {len(ready)} file{'s' if len(ready) != 1 else ''}"
    if st.button(
        label, type="primary", disabled=not ready, icon=":material/publish:", key="import"
    ):
        import_all(sorted(ready, key=lambda item: IMPORT_ORDER.index(item.kind)))


def uploaded_rules(uploads: list[UploadedFile]) -> Rules | None:
    """Rules from a requirements file among the uploads: they will be in force when the
    other files land, so they name the courses of per-course and wide files."""
    for upload in uploads:
        if upload.name.lower().endswith(YAML_SUFFIXES):
            try:
                return load_rules(upload.getvalue(), upload.name)
            except RulesError:
                return None
    return None


common.show(
    "Upload",
    "Drop the HR roster, the learning system's completion exports, exemptions or the "
    "requirements file. Check how each file is read, then import: nothing is stored until "
    "you press Import, and every import can be withdrawn on the Imports page.",
    render,
)
