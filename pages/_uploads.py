"""The session's uploaded files: one parsed copy of each, dropped when it leaves the uploader.

Parsing runs once per file (in the loaders' capped worker), and only the latest detection
and load of each file are kept, so changing a choice replaces the previous load instead
of piling up copies (a million-row sheet costs its size once per session, not once per
option tried).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace

import streamlit as st

from compliance.errors import LoaderError
from compliance.rules import Rules
from loaders import MatchCourse
from loaders.inspect import Choices, Detection, Inspection, detect, inspect
from loaders.limits import DEFAULT_LIMITS
from loaders.readers import read_workbook
from loaders.workbook import Workbook

LOADS_AT_ONCE = threading.BoundedSemaphore(1)
"""Loads running at once in this server, across sessions. A million-row load needs about
twice what it keeps while it runs; three sessions loading together peaked the server at
1.1 GB, one after another at the sum of what they keep. Loads are CPU-bound Python and
Arrow, so on a few cores taking turns costs the waiting session little."""
MEMO = "uploads_memo"
"""Session key of the memo: file key -> :class:`_Entry`."""


@dataclass
class _Entry:
    workbook: Workbook | str
    """The parsed file, or the one line saying why it cannot be read."""
    detection: tuple[tuple, Detection] | None = None
    inspection: tuple[tuple, Inspection] | None = None


def _memo() -> dict[str, _Entry]:
    return st.session_state.setdefault(MEMO, {})


def keep_only(keys: Iterable[str]) -> None:
    """Forget every file not among ``keys`` (the files still in the uploader)."""
    wanted = set(keys)
    memo = _memo()
    for gone in [k for k in memo if k not in wanted]:
        del memo[gone]


def workbook(key: str, data: bytes, name: str, max_bytes: int) -> Workbook | str:
    """The file's sheets, or the one-line reason it cannot be read (read once per file)."""
    memo = _memo()
    if key not in memo:
        with st.spinner(f"Reading {name}..."):
            try:
                memo[key] = _Entry(
                    read_workbook(data, name, limits=replace(DEFAULT_LIMITS, max_bytes=max_bytes))
                )
            except LoaderError as error:
                memo[key] = _Entry(str(error))
    return memo[key].workbook


def detection(key: str, choices: Choices, rules: Rules | None) -> Detection:
    """Sheet, header row and column fields for ``choices`` (the latest one kept)."""
    entry = _memo()[key]
    wanted = (choices, rules)
    if entry.detection is None or entry.detection[0] != wanted:
        found = detect(entry.workbook, choices, match_course=_matcher(rules))
        entry.detection = (wanted, found)
    return entry.detection[1]


def inspection(key: str, choices: Choices, rules: Rules | None) -> Inspection:
    """The file loaded with ``choices``; the previous load of this file is dropped, and the
    sheet's mapped pages go back to the kernel once it is loaded."""
    entry = _memo()[key]
    wanted = (choices, rules)
    if entry.inspection is None or entry.inspection[0] != wanted:
        entry.inspection = None
        with st.spinner("Checking the rows..."), LOADS_AT_ONCE:
            entry.inspection = (
                wanted, inspect(entry.workbook, choices, match_course=_matcher(rules))
            )
        entry.workbook.release_pages()
    return entry.inspection[1]


def _matcher(rules: Rules | None) -> MatchCourse | None:
    return rules.match_titles if rules is not None else None
