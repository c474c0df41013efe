"""Packs for line managers: a zip of one XLSX per unit or manager, and an index of the files.

Two names can clean to one file name ("Smith / J" and "Smith J" both give ``Smith-J``), and
Windows and macOS compare file names without case, so names are made unique case-blind,
in sorted order, with " (2)", " (3)"...: no manager's file overwrites another's. The index
(``index.xlsx``) says which file holds whose rows and how many.

>>> unique_file_names(["Smith / J", "Smith J", "smith-j"])
['Smith-J', 'Smith-J (2)', 'smith-j (3)']
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from compliance.export import to_xlsx_bytes

if TYPE_CHECKING:
    from compliance.heading import Heading

INDEX_NAME = "index"
NO_VALUE = "(none)"
"""The name of the group of rows with no unit or manager (its index cell stays empty, so a
manager really called "(none)" stays apart)."""
MAX_NAME = 80
WINDOWS_RESERVED = re.compile(r"(?i)(con|prn|aux|nul|com\d|lpt\d)")
"""Names Windows will not open as a file, whatever the extension."""


def pack_bytes(
    frame: pd.DataFrame, by: str, sheet_name: str, heading: Heading | None = None
) -> bytes:
    """A zip of one XLSX per value of ``by`` (a unit or a manager), and its index."""
    text = frame[by].astype("string")
    missing = text.isna()
    groups: list[tuple[str | None, pd.DataFrame]] = [
        (str(key), group) for key, group in frame[~missing].groupby(text[~missing], sort=True)
    ]
    if missing.any():
        groups.append((None, frame[missing]))
    keys = [key for key, _ in groups]
    labels = [NO_VALUE if key is None else key for key in keys]
    names = [f"{name}.xlsx" for name in unique_file_names(labels)]
    index = pd.DataFrame({"File": names, by: keys, "Rows": [len(g) for _, g in groups]})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{INDEX_NAME}.xlsx", to_xlsx_bytes(index, "Index", heading))
        for name, label, (_, group) in zip(names, labels, groups, strict=True):
            part = None if heading is None else heading.part(by, label)
            archive.writestr(name, to_xlsx_bytes(group, sheet_name, part))
    return buffer.getvalue()


def unique_file_names(texts: Sequence[str]) -> list[str]:
    """:func:`safe_file_name` of each text, in order, made unique without regard to case
    (the index's name is taken already)."""
    taken = {INDEX_NAME}
    names = []
    for text in texts:
        base = safe_file_name(text)
        name, count = base, 1
        while name.casefold() in taken:
            count += 1
            name = f"{base} ({count})"
        taken.add(name.casefold())
        names.append(name)
    return names


def safe_file_name(text: str) -> str:
    """A file name made from a unit or manager name (no path separators or odd characters)."""
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:MAX_NAME].strip("-")
    if WINDOWS_RESERVED.fullmatch(cleaned):
        return f"{cleaned}-"
    return cleaned or "unnamed"
