import pandas as pd
import pytest

from loaders.ids import holds_emails, is_email, normalise_emails, normalise_ids


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234", "1234"),
        (" 1234 ", "1234"),
        (1234, "1234"),
        (1234.0, "1234"),
        ("1234.0", "1234"),
        ("001234", "1234"),
        (1234.00, "1234"),
        ("000", "0"),
        ("ab 12 3", "AB123"),
        ("ab\u00a012", "AB12"),
        ("00A12", "00A12"),
        ("pc-0012", "PC-0012"),
        ("12.5", "12.5"),
        (None, None),
        ("", None),
        ("N/A", None),
    ],
)
def test_normalise_ids(raw, expected):
    result = normalise_ids(pd.Series([raw], dtype=object))
    assert result.dtype == "string"
    assert (pd.isna(result.iloc[0]) and expected is None) or result.iloc[0] == expected


def test_normalise_ids_keeps_index_and_repeats():
    values = pd.Series(["007", 7.0, "7", None], index=[10, 11, 12, 13])
    result = normalise_ids(values)
    assert list(result.index) == [10, 11, 12, 13]
    assert result.iloc[:3].tolist() == ["7", "7", "7"]
    assert pd.isna(result.iloc[3])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(" Ann.Lee@Force.Police.UK ", "ann.lee@force.police.uk"), ("", None), (None, None)],
)
def test_normalise_emails(raw, expected):
    result = normalise_emails(pd.Series([raw], dtype=object)).iloc[0]
    assert (pd.isna(result) and expected is None) or result == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a@b.uk", True), ("a.b@c.police.uk", True), ("jdoe", False), ("a@b", False),
     ("a b@c.uk", False)],
)
def test_is_email(text, expected):
    assert bool(is_email(pd.Series([text], dtype="string")).iloc[0]) is expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["a@b.uk", "c@d.uk", None], True),
        (["a@b.uk", "jdoe"], True),
        (["jdoe", "asmith", "a@b.uk"], False),
        ([None, None], False),
    ],
)
def test_holds_emails(values, expected):
    assert holds_emails(pd.Series(values, dtype=object)) is expected
