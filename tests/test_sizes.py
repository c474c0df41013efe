"""Bytes charged to cached values: frames with their strings, shared parts once, statuses ahead."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from bench import national
from compliance import snapshot as snapshots
from compliance.errors import UsageError
from compliance.rules import Rules
from compliance.sizes import MB, budget_bytes, nbytes


def test_a_frame_is_charged_for_its_strings() -> None:
    short = pd.DataFrame({"name": [f"{i:01000d}"[:1] + str(i) for i in range(1_000)]})
    long = pd.DataFrame({"name": [f"{i:01000d}" for i in range(1_000)]})
    assert nbytes(long) == long.memory_usage(deep=True).sum()
    assert nbytes(long) > 1_000 * 1_000 > 10 * nbytes(short)


def _held(frame: pd.DataFrame) -> int:
    """What memory holds for ``frame``: its buffers and each distinct object once."""
    distinct = {id(value): value for value in frame["text"]}.values()
    return (
        frame.index.memory_usage(deep=True)
        + int(frame.memory_usage(index=False, deep=False).sum())
        + sum(map(sys.getsizeof, distinct))
    )


@pytest.mark.parametrize(
    "values",
    [
        ["000123"] * 1_000,
        [*(["x" * 50] * 600), None, float("nan"), 3, ("t", "u"), *(f"p{i}" for i in range(300))],
    ],
    ids=["one-object", "mixed"],
)
def test_a_repeated_string_is_charged_once(values: list) -> None:
    frame = pd.DataFrame({"text": values, "number": np.arange(len(values))})
    frame.index = [f"row {i}" for i in range(len(frame))]
    assert nbytes(frame) == _held(frame)
    assert nbytes(frame) < frame.memory_usage(deep=True).sum()


def test_mostly_distinct_text_is_charged_per_row() -> None:
    frame = pd.DataFrame({"text": [f"id{i}" for i in range(1_000)]})
    assert nbytes(frame) == frame.memory_usage(deep=True).sum()


def test_a_status_table_is_charged_for_pointers_to_its_rosters_strings() -> None:
    names = pd.Series([f"Officer {i:06d} of a long unit name" for i in range(2_000)])
    roster = pd.DataFrame({"name": names})
    statuses = pd.DataFrame({"name": names.repeat(10).to_numpy()})
    assert nbytes(statuses) < nbytes(roster) + 8 * len(statuses) + 1_000


def test_a_frame_reached_twice_is_charged_once() -> None:
    frame = pd.DataFrame({"x": np.arange(100_000)})
    assert nbytes((frame, frame, {"again": frame})) < 1.1 * nbytes(frame) + 2_000


@pytest.fixture(scope="module")
def force() -> national.National:
    return national.national_frames(seed=5, people=2_000, completions=20_000)


def test_a_snapshot_is_charged_for_its_statuses_before_they_are_computed(force) -> None:
    seen = snapshots.take(force.roster, force.completions, force.rules, force.exemptions,
                          force.as_of)
    inputs = sum(nbytes(frame) for frame in (seen.roster, seen.all_completions))
    ahead = nbytes(seen)
    assert seen.status is not None
    computed = nbytes(seen)
    assert ahead > inputs
    assert 0.5 * computed <= ahead <= 2 * computed


def _buffers(frame: pd.DataFrame) -> int:
    return int(frame.memory_usage(index=True, deep=False).sum())


@pytest.mark.parametrize("computed", [False, True], ids=["shared-match", "snapshot"])
def test_matched_rows_and_statuses_are_charged_for_their_buffers_not_their_strings(
    force, computed: bool
) -> None:
    shared = snapshots.match(force.roster, force.completions, force.rules, force.exemptions)
    value = snapshots.at(shared, force.as_of) if computed else shared
    parts = [value.roster, value.all_completions, value.exemptions, value.match]
    parts += [value.unmatched, value.shared] if computed else [value.model]
    held = nbytes(tuple(part for part in parts if part is not None)) - sys.getsizeof(())
    if computed:  # its shared match holds the matched rows
        held += _buffers(value.status)
    else:
        held += _buffers(value.completions)
    assert abs(nbytes(value) - held) <= 1_000
    assert _buffers(value.completions) < nbytes(value.completions)


def test_an_arrow_rosters_text_is_charged_where_the_engine_holds_it_as_strings(force) -> None:
    def model_bytes(pad: int) -> int:
        names = force.roster["name"].str.pad(pad, side="right", fillchar="x")
        roster = force.roster.assign(name=names.astype("string[pyarrow]"))
        seen = snapshots.take(roster, force.completions, force.rules, None, force.as_of)
        return nbytes(seen.shared.model)

    longer = len(force.roster) * 1_000
    # once in the model's Arrow copy of the roster, once as the strings it evaluates with
    assert model_bytes(1_000) - model_bytes(0) > 1.9 * longer


def test_a_snapshot_without_rules_holds_only_its_frames(force) -> None:
    seen = snapshots.take(force.roster, force.completions, Rules(requirements=()), None,
                          force.as_of)
    inputs = sum(nbytes(frame) for frame in (seen.roster, seen.all_completions))
    assert nbytes(seen) < 2 * inputs


@pytest.mark.parametrize(
    ("configured", "expected"),
    [(None, 512 * MB), ("", 512 * MB), ("64", 64 * MB), (" 2048 ", 2048 * MB)],
)
def test_the_budget_is_a_setting_in_megabytes(configured: str | None, expected: int) -> None:
    environ = {} if configured is None else {"COMPLIANCE_CACHE_MB": configured}
    assert budget_bytes(environ) == expected


@pytest.mark.parametrize("configured", ["0", "-5", "1.5", "lots", "64MB"])
def test_a_budget_that_is_not_a_whole_number_of_megabytes_is_refused(configured: str) -> None:
    with pytest.raises(UsageError, match="COMPLIANCE_CACHE_MB must be a whole number"):
        budget_bytes({"COMPLIANCE_CACHE_MB": configured})
