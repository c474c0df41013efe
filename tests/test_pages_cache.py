"""The shared read cache: bounded by bytes, least recently used out, one computation per key."""

from __future__ import annotations

import threading
import time

import cachetools
import numpy as np
import pandas as pd
import pytest

from compliance import sizes
from pages import _cache

MB = sizes.MB


@pytest.fixture
def budget(monkeypatch: pytest.MonkeyPatch) -> int:
    """A fresh 10 MB cache for the test (the real one is made from the setting)."""
    small = cachetools.LRUCache(maxsize=10 * MB, getsizeof=sizes.nbytes)
    monkeypatch.setattr(_cache, "_CACHES", [small])
    return 10 * MB


def _frame(megabytes: int, tag: int) -> pd.DataFrame:
    return pd.DataFrame({"x": np.full(megabytes * MB // 8, tag, dtype=np.int64)})


def test_what_is_kept_never_exceeds_the_budget_in_bytes(budget: int) -> None:
    calls: list[int] = []

    @_cache.shared
    def read(tag: int) -> pd.DataFrame:
        calls.append(tag)
        return _frame(3, tag)

    for tag in range(10):
        read(tag)
        assert _cache.held_bytes() <= budget
    assert len(calls) == 10
    read(9)
    assert len(calls) == 10, "the latest value is still kept"
    read(0)
    assert len(calls) == 11, "the oldest values made room"


def test_many_small_values_fit_where_a_count_bound_would_have_dropped_them(budget: int) -> None:
    calls: list[int] = []

    @_cache.shared
    def read(tag: int) -> pd.DataFrame:
        calls.append(tag)
        return pd.DataFrame({"x": [tag]})

    for _ in range(2):
        for tag in range(100):
            read(tag)
    assert len(calls) == 100


def test_a_value_over_the_whole_budget_is_handed_back_but_not_kept(budget: int) -> None:
    calls: list[int] = []

    @_cache.shared
    def read() -> pd.DataFrame:
        calls.append(1)
        return _frame(12, 1)

    assert len(read()) == len(read()) == 12 * MB // 8
    assert len(calls) == 2
    assert _cache.held_bytes() == 0


def test_a_value_over_the_budget_is_computed_once_per_page_run(budget: int) -> None:
    calls: list[int] = []

    @_cache.shared
    def read() -> pd.DataFrame:
        calls.append(1)
        return _frame(12, 1)

    def page_run() -> None:
        _cache.begin_run()
        assert read() is read()

    for _ in range(2):
        worker = threading.Thread(target=page_run)
        worker.start()
        worker.join()
    assert len(calls) == 2, "once in each run"
    assert _cache.held_bytes() == 0
    read()
    assert len(calls) == 3, "a thread that began no run keeps nothing"


def test_a_page_run_keeps_only_what_the_cache_could_not(budget: int) -> None:
    calls: list[int] = []

    @_cache.shared
    def read(tag: int) -> pd.DataFrame:
        calls.append(tag)
        return _frame(4, tag)

    def page_run() -> None:
        _cache.begin_run()
        for tag in (1, 2, 3, 1):
            read(tag)

    worker = threading.Thread(target=page_run)
    worker.start()
    worker.join()
    assert calls == [1, 2, 3, 1], "the evicted value was not held back for the run"


def test_sessions_asking_for_one_key_at_once_compute_it_once(budget: int) -> None:
    calls: list[int] = []

    @_cache.shared
    def slow(tag: int) -> pd.DataFrame:
        calls.append(tag)
        time.sleep(0.2)
        return _frame(1, tag)

    results: list[pd.DataFrame] = []
    threads = [threading.Thread(target=lambda: results.append(slow(7))) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [7]
    assert all(result is results[0] for result in results)


def test_functions_of_the_same_arguments_do_not_share_entries(budget: int) -> None:
    @_cache.shared
    def first(tag: int) -> str:
        return f"first {tag}"

    @_cache.shared
    def second(tag: int) -> str:
        return f"second {tag}"

    assert (first(1), second(1)) == ("first 1", "second 1")


def test_the_cache_takes_its_budget_from_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_cache, "_CACHES", [])
    monkeypatch.setenv("COMPLIANCE_CACHE_MB", "64")
    assert _cache.budget() == 64 * MB
