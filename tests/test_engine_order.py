"""The engine orders people by ``person_id`` the same way whichever path sorts them, and
objects are told apart by address alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from compliance.engine import compute_status
from compliance.errors import UnusableInput
from compliance.matching import distinct_objects, match_completions
from compliance.rules import rules_from_dict
from tests.test_engine import MI, D, completions, requirement, roster

RULES = rules_from_dict({"requirements": [requirement()]})


def _general_order(ids: list) -> list:
    """The order of the general path: every ID as fixed-width text, stably sorted."""
    text = pd.Series(ids, dtype=object).fillna("").astype(str).to_numpy(dtype=str)
    return [ids[i] for i in np.argsort(text, kind="stable")]


@pytest.mark.parametrize(
    "ids",
    [
        ["B7", "A10", "A9", "a1", "Ä2", "A1"],
        ["10", "9", "1", "100", "09"],
        ["x\x00", "x", "w"],
        [3, "2", 1],
        ["2", None, "1"],
    ],
    ids=["text", "digits", "nul", "numbers", "missing"],
)
def test_people_come_in_the_order_of_their_ids_as_text(ids: list) -> None:
    people = roster([{"person_id": person_id} for person_id in ids])
    for given in (completions([]), match_completions(people, completions([]))):
        status = compute_status(people, given, RULES, D)
        assert status["person_id"].tolist() == _general_order(ids)


def test_a_duplicate_text_id_is_named_whichever_path_finds_it() -> None:
    people = roster([{"person_id": "B"}, {"person_id": "A"}, {"person_id": "B"}])
    with pytest.raises(UnusableInput, match="person_id 'B' more than once"):
        compute_status(people, completions([("A", MI, None, "2024-01-01")]), RULES, D)


def test_distinct_objects_are_the_objects_in_order_of_first_appearance() -> None:
    one, two = "".join(["a", "b"]), "".join(["a", "b"])  # equal text, two objects
    values = np.array([one, None, two, one, None, "c"], dtype=object)
    codes, distinct = distinct_objects(values)
    assert codes.tolist() == [0, 1, 2, 0, 1, 3]
    assert [id(v) for v in distinct] == [id(one), id(None), id(two), id("c")]
