"""Staff IDs and emails normalised so the same person compares equal across files.

IDs: trimmed, internal spaces removed, upper-cased, ``1234.0`` -> ``1234`` (Excel stores
numbers as floats), leading zeros removed from purely numeric IDs (``001234`` -> ``1234``).
Emails: trimmed and lower-cased.

>>> normalise_ids(pd.Series([" ab 12 ", 1234.0, "001234", None])).tolist()
['AB12', '1234', '1234', <NA>]
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from loaders import arrow_text
from loaders.synonyms import NULL_TEXTS
from loaders.values import as_string, drop_zero_fraction, on_uniques, to_text

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
EMAIL_SHARE = 0.5
"""A column "holds emails" when at least this share of its non-empty cells are emails."""


def normalise_ids(values: pd.Series) -> pd.Series:
    """Raw ID cells -> canonical ID text (``string`` dtype, <NA> where empty)."""

    def convert(unique: pd.Series) -> pd.Series:
        text = to_text(unique).str.replace(r"\s+", "", regex=True).str.upper()
        text = drop_zero_fraction(text)
        numeric = text.str.fullmatch(r"\d+").fillna(False).astype(bool)
        return text.mask(numeric, text.str.lstrip("0").replace("", "0"))

    return as_string(on_uniques(values, convert, partial(arrow_text.person_ids, nulls=NULL_TEXTS)))


def written_ids(values: pd.Series) -> pd.Series:
    """ID cells as the file wrote them, trimmed (``009917`` stays ``009917``; a float from
    Excel loses its ``.0``): what pages and exports show, while :func:`normalise_ids` is
    the key they are matched, kept unique and searched by."""
    return to_text(values)


def normalise_emails(values: pd.Series) -> pd.Series:
    """Raw email cells -> trimmed lower-case text (``string`` dtype, <NA> where empty)."""
    fast = partial(arrow_text.emails, nulls=NULL_TEXTS)
    return as_string(on_uniques(values, lambda unique: to_text(unique).str.lower(), fast))


def is_email(text: pd.Series) -> pd.Series:
    """True where the (normalised) text looks like an email address."""

    def convert(unique: pd.Series) -> pd.Series:
        return unique.astype("string").str.fullmatch(EMAIL_PATTERN).astype("boolean")

    shaped = on_uniques(text, convert, arrow_text.email_shaped)
    return shaped.fillna(False).astype(bool)


def holds_emails(values: pd.Series) -> bool:
    """Whether a column (e.g. ``Username``) holds email addresses rather than logins."""
    text = normalise_emails(values).dropna()
    return not text.empty and float(is_email(text).mean()) >= EMAIL_SHARE
