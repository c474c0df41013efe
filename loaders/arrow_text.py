"""Arrow compute versions of the hot text folds, exact for ASCII text.

A column read from a file is Arrow-backed ``string``; its distinct values are found by
Arrow (:func:`distinct`) and the folds that run on many distinct values (IDs, emails,
plain text) run in Arrow's kernels on the ASCII ones. Python's ``str.strip`` and ``\\s``
count ``\\x1c``-``\\x1f`` as white space and RE2's ``\\s`` does not, so white space is
spelled out here: on ASCII text each fold gives exactly what its pandas version in
:mod:`loaders.values` and :mod:`loaders.ids` gives. Other values go through the pandas
version itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ASCII_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
"""The ASCII characters ``str.isspace`` (and so ``str.strip`` and ``re``'s ``\\s``) accept."""
SPACES = "[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f ]"
_NOT_AT_OR_SPACE = "[^@\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f ]"
EMAIL_PATTERN = f"^{_NOT_AT_OR_SPACE}+@{_NOT_AT_OR_SPACE}+\\.{_NOT_AT_OR_SPACE}+$"


def arrow_text(values: pd.Series) -> pa.Array | None:
    """The Arrow array behind an Arrow-backed ``string`` series, else None."""
    dtype = values.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return None
    array = pa.array(values.array)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def distinct(array: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Codes (``-1`` for null) into the distinct non-null values, in order of appearance."""
    encoded = pc.dictionary_encode(array)
    codes = pc.fill_null(encoded.indices.cast(pa.int64()), -1).to_numpy()
    return codes, encoded.dictionary


def text(values: pa.Array, nulls: frozenset[str]) -> pa.Array:
    """``to_text`` of ASCII text: trimmed, ``1234.0`` -> ``1234``, null-like texts null."""
    trimmed = drop_zero_fraction(pc.utf8_trim(values, characters=ASCII_SPACE))
    empty = pc.is_in(pc.ascii_lower(trimmed), value_set=pa.array(sorted(nulls), pa.string()))
    return pc.if_else(empty, pa.scalar(None, pa.string()), trimmed)


def drop_zero_fraction(values: pa.Array) -> pa.Array:
    return pc.replace_substring_regex(values, r"^(-?[0-9]+)\.0+$", r"\1")


def person_ids(values: pa.Array, nulls: frozenset[str]) -> pa.Array:
    """``normalise_ids`` of ASCII text."""
    folded = pc.replace_substring_regex(text(values, nulls), f"{SPACES}+", "")
    folded = drop_zero_fraction(pc.ascii_upper(folded))
    numeric = pc.match_substring_regex(folded, "^[0-9]+$")
    unpadded = pc.utf8_ltrim(folded, characters="0")
    unpadded = pc.if_else(pc.equal(unpadded, ""), pa.scalar("0"), unpadded)
    return pc.if_else(numeric, unpadded, folded)


def emails(values: pa.Array, nulls: frozenset[str]) -> pa.Array:
    """``normalise_emails`` of ASCII text."""
    return pc.ascii_lower(text(values, nulls))


def email_shaped(values: pa.Array) -> pa.Array:
    """``is_email`` of ASCII text (null stays null)."""
    return pc.match_substring_regex(values, EMAIL_PATTERN)
