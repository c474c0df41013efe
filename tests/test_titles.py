import pandas as pd
import pytest

from compliance.titles import fold_title


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Managing Information", "managing information"),
        ("  MANAGING   information\t", "managing information"),
        ("Managing\u00a0Information", "managing information"),
        ("Data Protection \u2013 Refresher", "data protection - refresher"),
        ("Data Protection \u2014 Refresher", "data protection - refresher"),
        ("Data Protection \u2212 Refresher", "data protection - refresher"),
        ("Officer\u2019s Duty", "officer's duty"),
        ("\u201cStop\u201d and Search", "'stop' and search"),
        ('"Stop" and Search', "'stop' and search"),
        ("Stra\u00dfe", "strasse"),
        ("MI\u200b-101", "mi-101"),
        ("", ""),
    ],
)
def test_fold_title(raw, folded):
    assert fold_title(pd.Series([raw])).tolist() == [folded]


def test_fold_title_keeps_missing_and_index():
    out = fold_title(pd.Series([None, "A"], index=[7, 9]))
    assert out.index.tolist() == [7, 9]
    assert pd.isna(out[7])
    assert out[9] == "a"


def test_fold_title_reads_numbers_as_text():
    assert fold_title(pd.Series([101, "MI-101"], dtype=object)).tolist() == ["101", "mi-101"]


def test_fold_title_does_not_merge_different_words():
    folded = fold_title(pd.Series(["Crime", "Crime Command", "crime-command"]))
    assert folded.tolist() == ["crime", "crime command", "crime-command"]
