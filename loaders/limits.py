"""Caps on what an uploaded file may cost to read, in one place.

The defaults fit real exports (an LMS export of a few hundred thousand rows is a few
MB); anything beyond them is refused with a message before a parser sees it. Tests pass
tiny limits to exercise each refusal cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


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
    max_memory: int = 2048 * MB
    """Data-segment cap of the process that parses the file."""
    timeout_s: float = 120.0
    """Wall-clock time the parsing process may take before it is killed."""
    isolate: bool = True
    """Parse in a separate process; off only for unit tests of pure parsing."""


DEFAULT_LIMITS = Limits()
