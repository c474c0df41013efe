"""How the dashboard server's memory allocators behave: what an upload's load frees goes back.

Streamlit runs each session's script in a thread of its own. glibc's malloc gives
threads arenas of their own and, with its sliding mmap threshold, serves large arrays
from those arenas once the first one has been freed, keeping what it freed for that
arena; Arrow's default pool (mimalloc) keeps freed pages per thread too. Three sessions
uploading a million-row sheet at once then held a few hundred MB each that the server
had freed (``bench/upload_memory.py``: 1,193-1,420 MB).

:func:`configure` (``dashboard.py`` calls it, so every server, ``streamlit run`` or
``python -m compliance serve``, has it) puts Arrow on the system allocator, so Arrow's
buffers follow glibc's rules. While the Upload page draws its file cards in any session
(reading, loading and showing a file: :func:`large_blocks_returned`), every block of
:data:`LOAD_MMAP_BYTES` or more is a mapping of its own, unmapped when freed. Outside
that the threshold is where glibc's own sliding one ends up (:data:`WARM_MMAP_BYTES`):
mapping fresh memory for every column made the engine's statuses twice as slow, so it is
never left low.
"""

from __future__ import annotations

import ctypes
import functools
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
"""glibc's ``mallopt`` parameter numbers (``malloc.h``)."""
LOAD_MMAP_BYTES = 1024 * 1024
"""During a load: a column of a few thousand rows and up, never the small objects Python
and pandas allocate by the million."""
WARM_MMAP_BYTES = 32 * 1024 * 1024
"""glibc's ``DEFAULT_MMAP_THRESHOLD_MAX`` on 64-bit, where its sliding threshold stops;
the heap top is trimmed beyond twice that, as glibc's sliding rule sets it."""

_LOCK = threading.Lock()
_LOADS = [0]


@functools.cache
def configure() -> None:
    """Arrow on the system allocator, once per process."""
    pa.set_memory_pool(pa.system_memory_pool())


@contextmanager
def large_blocks_returned() -> Iterator[None]:
    """While the block runs (in this session or any other), blocks of
    :data:`LOAD_MMAP_BYTES` or more are mapped apart and go back to the system when freed."""
    with _LOCK:
        _LOADS[0] += 1
        if _LOADS[0] == 1:
            _thresholds(LOAD_MMAP_BYTES, LOAD_MMAP_BYTES)
    try:
        yield
    finally:
        with _LOCK:
            _LOADS[0] -= 1
            if _LOADS[0] == 0:
                _thresholds(WARM_MMAP_BYTES, 2 * WARM_MMAP_BYTES)


def _thresholds(mmap_bytes: int, trim_bytes: int) -> bool:
    """Set glibc's mmap and trim thresholds; False where the C library is not glibc."""
    mallopt = _mallopt()
    if mallopt is None:
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, mmap_bytes) and mallopt(M_TRIM_THRESHOLD, trim_bytes))


@functools.cache
def _mallopt() -> ctypes._CFuncPtr | None:
    """glibc's ``mallopt``, looked up once (every first and last upload of a burst sets it)."""
    if not sys.platform.startswith("linux"):
        return None
    return getattr(ctypes.CDLL(None), "mallopt", None)
