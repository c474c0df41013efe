"""Suggestions for a human: the closest requirement of an unknown title, known titles."""

import pandas as pd
import pytest

from compliance.likely import known_titles, suggest_requirements
from tests.test_quality import RULES


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Managing Info", "Managing Information"),
        ("MANAGEMENT OF INFORMATION ", "Managing Information"),
        ("Information Security Training", "Information Security"),
        ("Stop and Search Refresher", None),
        ("Fire Safety", None),
    ],
)
def test_suggest_requirements(title, expected):
    known = {
        "Managing Information": "Managing Information",
        "Management of Information": "Managing Information",
        "Information Security": "Information Security",
        "Info Sec Awareness": "Information Security",
        "Taser Refresher": "Taser Refresher",
    }
    suggested = suggest_requirements(pd.Series([title]), known).iloc[0]
    assert (suggested if pd.notna(suggested) else None) == expected


def test_known_titles_leave_out_regular_expressions():
    assert known_titles(RULES) == {
        "Managing Information": "Managing Information",
        "Management of Information": "Managing Information",
        "Information Security": "Information Security",
        "ISA": "Information Security",
    }
