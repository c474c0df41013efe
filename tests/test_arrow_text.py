"""loaders.arrow_text: the Arrow folds give what the pandas folds give, value by value."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.ids import is_email, normalise_emails, normalise_ids
from loaders.values import to_text

VALUES = [
    " ab 12 ", "001234", "0000", "1234.0", "-12.00", "12.5", "\x1cAB\x1f", "a\x0bb", "N/A", " na ",
    "", "  ", "Zoë", "ÀB 12", "0١٢", "ann.lee@Police.UK ", "bad@ email", "x@y.z", "@y.z", "İ", None,
]


@pytest.mark.parametrize("fold", [to_text, normalise_ids, normalise_emails, is_email],
                         ids=["text", "ids", "emails", "is_email"])
def test_arrow_folds_match_the_pandas_folds(fold) -> None:
    before = fold(pd.Series(VALUES * 2, dtype=object))
    after = fold(pd.Series(VALUES * 2, dtype="string[pyarrow]"))
    assert after.astype(object).where(after.notna(), None).tolist() == (
        before.astype(object).where(before.notna(), None).tolist()
    )
