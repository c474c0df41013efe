"""How the dashboard server's memory allocators behave: what a load frees goes back to the system.

Streamlit runs each session's script in a thread of its own. glibc's malloc gives
threads arenas of their own and, with its sliding mmap threshold, serves large arrays
from those arenas once the first one has been freed; Arrow's default pool (mimalloc)
keeps freed pages per thread too. A million-row upload then left a few hundred MB per
session that the server had freed but still held (``bench/upload_memory.py``: 1,193 MB
with three sessions). :func:`configure` fixes glibc's mmap threshold, so every block of
:data:`MMAP_THRESHOLD_BYTES` or more is a mapping of its own, unmapped when freed, and
puts Arrow on the same system allocator, so both follow that rule. ``dashboard.py``
calls it, so every server (``streamlit run``, ``python -m compliance serve``) has it.
"""

from __future__ import annotations

import ctypes
import functools
import sys

import pyarrow as pa

M_MMAP_THRESHOLD = -3
"""glibc's ``mallopt`` parameter number (``malloc.h``)."""
MMAP_THRESHOLD_BYTES = 1024 * 1024
"""Blocks this large or larger get their own mapping: a column of a few thousand rows
and up, never the small objects Python and pandas allocate by the million."""


@functools.cache
def configure() -> bool:
    """Arrow on the system allocator and glibc's mmap threshold fixed, once per process;
    True when the threshold was set (False where the C library is not glibc)."""
    pa.set_memory_pool(pa.system_memory_pool())
    mallopt = _mallopt()
    return bool(mallopt is not None and mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))


def _mallopt() -> ctypes._CFuncPtr | None:
    if not sys.platform.startswith("linux"):
        return None
    return getattr(ctypes.CDLL(None), "mallopt", None)
