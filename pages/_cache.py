"""The dashboard's one shared cache of reads: least recently used first out, bounded by bytes.

Streamlit's own caches bound the number of entries, so eight national snapshots of a
gigabyte each fit as easily as eight demo ones. Every cached read of ``pages._data`` goes
through :func:`shared` instead: one LRU for all of them, charged what each value holds
(``compliance.sizes``), at most ``COMPLIANCE_CACHE_MB`` in all. A value larger than the
whole budget is computed and handed back but not kept. Sessions share the values (keys
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
    """Cache ``func``'s results in the shared LRU, keyed by its name and arguments."""
    key = functools.partial(hashkey, func.__module__, func.__qualname__)
    return cachetools.cached(_LAZY, key=key, condition=_CONDITION)(func)


def held_bytes() -> int:
    """What the cache holds now (the benchmarks and tests read it)."""
    return int(_cache().currsize)


def budget() -> int:
    return int(_cache().maxsize)
