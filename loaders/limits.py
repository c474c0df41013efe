"""Caps on what an uploaded file may cost to read, in one place, and the check of a sheet's size.

The defaults fit real exports (an LMS export of a few hundred thousand rows is a few
MB); anything beyond them is refused with a message before a parser sees it, or, for
the row and column caps, before any header is looked for. Tests pass tiny limits to
exercise each refusal cheaply.

The size cap is a setting, ``COMPLIANCE_MAX_UPLOAD_MB`` (default 50), read here and
nowhere else: :func:`current_limits` is what every load uses unless given limits, so
the command line, an import into the store and the Upload page all apply it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace

from loaders.errors import LoaderError, UserError

MB = 1024 * 1024
UPLOAD_SETTING = "COMPLIANCE_MAX_UPLOAD_MB"
DEFAULT_UPLOAD_MB = 50


class SettingError(UserError):
    """A setting in the environment has a value that cannot be used."""

    reason = "bad_setting"


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * MB
    """Size of the uploaded file itself."""
    max_uncompressed: int = 300 * MB
    """Total uncompressed size of the parts of a zip-based workbook (declared and actual)."""
    max_ratio: float = 200.0
    """Compression ratio of one zip entry, checked for entries over ``ratio_floor`` bytes."""
    ratio_floor: int = 1 * MB
    max_entries: int = 10_000
    """Number of entries in a zip-based workbook."""
    max_rows: int = 1_048_576
    max_columns: int = 1_024
    """Rows and columns of any one sheet, in every format (a text file is one sheet)."""
    max_memory: int = 1024 * MB
    """Data-segment cap of the process that parses the file: with the dashboard's own
    share this keeps one whole check under 1.5 GB."""
    timeout_s: float = 120.0
    """Wall-clock time the parsing process may take before it is killed."""
    isolate: bool = True
    """Parse in a separate process; off only for unit tests of pure parsing."""


DEFAULT_LIMITS = Limits()


def max_upload_mb(environ: Mapping[str, str] = os.environ) -> int:
    """``COMPLIANCE_MAX_UPLOAD_MB`` as a whole number of MB (default 50); anything else
    is refused with a message naming the setting."""
    text = environ.get(UPLOAD_SETTING, "").strip()
    if not text:
        return DEFAULT_UPLOAD_MB
    if not text.isdigit() or int(text) < 1:
        raise SettingError(
            f"{UPLOAD_SETTING}={text!r} is not a size: give a whole number of MB, "
            f"such as {DEFAULT_UPLOAD_MB}"
        )
    return int(text)


def current_limits(environ: Mapping[str, str] = os.environ) -> Limits:
    """The default limits with the size cap the environment sets."""
    return replace(DEFAULT_LIMITS, max_bytes=max_upload_mb(environ) * MB)


def check_shape(rows: int, columns: int, where: str, file: str, limits: Limits) -> None:
    """Refuse a sheet (``where``: ``sheet 'Staff'`` or ``the file``) over the row or column cap."""
    if columns > limits.max_columns:
        raise LoaderError(
            f"{where} has {columns:,} columns, over the limit of {limits.max_columns:,}: "
            "delete the columns that are not needed (or export only the ones needed) and "
            "upload it again",
            file=file,
            reason="too_many_columns",
        )
    if rows > limits.max_rows:
        raise LoaderError(
            f"{where} has {rows:,} rows, over the limit of {limits.max_rows:,}: "
            "split it into smaller files and upload them one by one",
            file=file,
            reason="too_many_rows",
        )
