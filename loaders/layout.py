"""Where the data ends, and how a completions file is laid out.

Exports end with notes and totals ("Total: 1,234", "Report generated 01/02/2025 by ...",
blank lines then a note); those rows are reported as info and not loaded, so they never
show up as rows with a missing ID.

Completions layout precedence: a completion-date column makes a **long** layout
(**per-course** when there is no course column); only a file with no completion-date
column and columns whose headers name a requirement is **wide**.
"""

from __future__ import annotations

import re
from pathlib import PurePath

import numpy as np
import pandas as pd

from loaders.report import LoadReport
from loaders.schema import MatchCourse
from loaders.values import rows_where, to_text

NOTE_PATTERN = re.compile(
    r"^(?:grand\s+)?totals?\b|^(?:report\s+)?(?:generated|printed|produced|created|run|"
    r"exported|extracted)\b|^(?:page\s+\d|source\b|notes?\b|filters?\b|end of report|"
    r"official|confidential|records?\b|rows?\b|count\b|\*+\s*[a-z])",
    re.IGNORECASE,
)
NOTE_REASON = "note or total below the data: not loaded"
_TITLE_NOISE = re.compile(
    r"\b(?:course\s+)?(?:completions?|compliance)\s+(?:report|list|export)\b|\breport\b|"
    r"\bcourse\s*:",
    re.IGNORECASE,
)
_TITLE_SPLIT = re.compile(r"\s*(?::|\||\s[-\u2013\u2014]\s)\s*")


def trim_notes(body: pd.DataFrame, report: LoadReport) -> pd.DataFrame:
    """Drop blank rows, and the notes/totals block at the end (reported as info)."""
    count = body.notna().sum(axis=1)
    sparse = body[count.between(1, 2)]
    cells = sparse.to_numpy(dtype=object)
    first_filled = pd.notna(cells).argmax(axis=1) if cells.size else np.zeros(0, dtype=int)
    first = pd.Series(cells[np.arange(len(cells)), first_filled], index=sparse.index)
    text = to_text(first).fillna("")
    lone_phrase = (count[sparse.index] == 1) & text.str.contains(r"\s")
    noted = text.str.contains(NOTE_PATTERN) | lone_phrase
    note_like = (count == 0) | noted.reindex(body.index, fill_value=False)
    first_text = text.reindex(body.index)
    trailing = pd.Series(
        np.flip(np.cumprod(np.flip(note_like.to_numpy(dtype=bool)))).astype(bool),
        index=body.index,
    )
    notes = trailing & (count > 0)
    report.add_rows(
        pd.DataFrame(
            {
                "row": body.index[notes.to_numpy()],
                "column": None,
                "value": first_text[notes].to_numpy(dtype=object),
                "reason": NOTE_REASON,
            }
        ),
        severity="info",
    )
    return rows_where(body, (count > 0) & ~trailing)


def clean_file_name(filename: str) -> str:
    """``completion-managing_information (1).csv`` -> ``managing information``."""
    stem = PurePath(filename.replace("\\", "/")).name
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", stem)
    stem = re.sub(r"\s*\(\d+\)$", "", stem)
    stem = re.sub(r"^completions?-", "", stem, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", re.sub(r"[_-]", " ", stem)).strip()


def title_candidates(texts: list[str]) -> list[str]:
    """Title-row texts, their parts (split at ':', '|', ' - ') and report words removed."""
    out: list[str] = []
    for text in texts:
        for part in [text, *_TITLE_SPLIT.split(text)]:
            for variant in (part, _TITLE_NOISE.sub(" ", part)):
                cleaned = re.sub(r"\s+", " ", variant).strip(" -:|")
                if cleaned and cleaned not in out:
                    out.append(cleaned)
    return out


def first_match(candidates: list[str], match_course: MatchCourse) -> str | None:
    """The requirement matched by the first candidate that matches one."""
    if not candidates:
        return None
    matched = match_course(pd.Series(candidates, dtype="string")).dropna()
    return None if matched.empty else str(matched.iloc[0])


def per_course_course(
    above: list[str],
    filename: str,
    *,
    course: str | None,
    match_course: MatchCourse | None,
) -> tuple[str | None, str]:
    """The course of a per-course export and where it came from (for the report)."""
    if course:
        return course, "given by the user"
    if match_course is None:
        return None, ""
    from_title = first_match(title_candidates(above), match_course)
    if from_title is not None:
        return from_title, "title row"
    from_name = first_match([clean_file_name(filename)], match_course)
    if from_name is not None:
        return from_name, "file name"
    return None, ""


def wide_columns(
    headers: list[str], taken: set[str], match_course: MatchCourse | None
) -> dict[str, str]:
    """Headers not taken by a field (or ignored) that name a requirement -> its course."""
    free = [h for h in headers if h not in taken]
    if match_course is None or not free:
        return {}
    matched = match_course(pd.Series(free, dtype="string"), regex=False)
    return {h: str(c) for h, c in zip(free, matched, strict=True) if pd.notna(c)}


def choose_layout(fields: set[str], wide: dict[str, str]) -> str:
    """``long``, ``per-course`` or ``wide`` by DESIGN's precedence."""
    if "completed_on" in fields:
        return "long" if fields & {"course", "course_code"} else "per-course"
    return "wide" if wide else "long"
