"""The dashboard's one shared cache of reads: least recently used first out, bounded by bytes.

Streamlit's own caches bound the number of entries, so eight national snapshots of a
gigabyte each fit as easily as eight demo ones. Every cached read of ``pages._data`` goes
through :func:`shared` instead: one LRU for all of them, charged what each value holds
(``compliance.sizes``), at most ``COMPLIANCE_CACHE_MB`` in all. A value larger than the
whole budget is not kept either, except for the rest of the page run that computed it
(:func:`begin_run`): a national snapshot over a small budget is then computed once per
run, not once per read. Sessions share the values (keys
carry the data version, the date and the user's scope): callers never modify them. While
one session computes a value, others asking for the same key wait for it instead of
computing it again.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import cachetools
from cachetools.keys import hashkey

from compliance import sizes

P = ParamSpec("P")
R = TypeVar("R")

_CONDITION = threading.Condition()
_CACHES: list[cachetools.LRUCache] = []
_RUN = threading.local()
"""The page run on this thread: ``values`` it computed that the LRU did not keep."""


def _cache() -> cachetools.LRUCache:
    """The LRU, made on first use so a bad ``COMPLIANCE_CACHE_MB`` is reported on a page."""
    with _CONDITION:
        if not _CACHES:
            _CACHES.append(
                cachetools.LRUCache(maxsize=sizes.budget_bytes(), getsizeof=sizes.nbytes)
            )
        return _CACHES[0]


class _Lazy:
    """What ``cachetools.cached`` reads and writes: the shared LRU, made when first used."""

    def __getitem__(self, key: object) -> object:
        return _cache()[key]

    def __setitem__(self, key: object, value: object) -> None:
        _cache()[key] = value

    def clear(self) -> None:
        _cache().clear()


_LAZY = _Lazy()


def shared(func: Callable[P, R]) -> Callable[P, R]:
    """Cache ``func``'s results in the shared LRU, keyed by its name and arguments; what
    the LRU cannot keep is kept until the page run on this thread ends."""
    key = functools.partial(hashkey, func.__module__, func.__qualname__)
    cached = cachetools.cached(_LAZY, key=key, condition=_CONDITION)(func)

    @functools.wraps(func)
    def read(*args: P.args, **kwargs: P.kwargs) -> R:
        run = getattr(_RUN, "values", None)
        if run is None:
            return cached(*args, **kwargs)
        wanted = key(*args, **kwargs)
        if wanted not in run:
            value = cached(*args, **kwargs)
            with _CONDITION:
                if wanted in _cache():
                    return value
            run[wanted] = value
        return run[wanted]

    return read


def begin_run() -> None:
    """Start a page run on this thread: values too large for the LRU are kept until the
    next run starts here or the thread ends (Streamlit runs each session's script on a
    thread of its own)."""
    _RUN.values = {}


def held_bytes() -> int:
    """What the cache holds now (the benchmarks and tests read it)."""
    return int(_cache().currsize)


def budget() -> int:
    return int(_cache().maxsize)
