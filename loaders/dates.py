"""Dates as exported spreadsheets hold them, read to midnight ``datetime64[ns]``.

Accepted: real date cells, Excel serial numbers (1900 system, 1950-2099 only), ISO text
and UK text (``26/08/2024``, ``26/08/2024 14:32``, ``5/03/24, 14:07``, ``26-Aug-2024``,
``26 August 2024``, ``5 Mar 2024 at 14:07``, ``26.08.24``,
``Monday, 26 August 2024, 2:07 PM``). Time of day is dropped.

Numeric text is day first unless the caller says month first; a column in which day
first is impossible (``08/26/2024``) and month first fits every value is read month first,
and :attr:`ParsedDates.month_first_example` names the value that showed it.

Only the column's unique values are parsed and mapped back: exports repeat dates a lot.
An Arrow-backed text column first has a plain time of day cut off its ASCII values in
Arrow (``26/08/2024 14:32`` -> ``26/08/2024``, ``2024-08-26 14:32:00`` -> ``2024-08-26``,
exactly what the full rules would cut), so a million date-times are parsed as the few
thousand days they fall on.

>>> parse_dates(pd.Series(["26/08/2024", "5 Mar 2024 at 14:07", None])).dates.tolist()
[Timestamp('2024-08-26 00:00:00'), Timestamp('2024-03-05 00:00:00'), NaT]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders import arrow_text
from loaders.report import LoadReport
from loaders.synonyms import NULL_TEXTS

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
SERIAL_RANGE = (18264, 73050)
"""Excel serials accepted as dates: 1950-01-01 .. 2099-12-31."""

MONTHS: dict[str, int] = {
    **{name: number for number, name in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"], start=1)},
    **{name: number for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1)},
    "sept": 9,
}

_WEEKDAY = r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+"
_TIME = (
    r"(?:(?<=\d)t|[,\s]+(?:at\s+)?)\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*(?:am|pm)?"
    r"\s*(?:z|utc|gmt|bst|[+-]\d{2}:?\d{2})?$"
)
_ISO = r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})$"
_COMPACT = r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"
_NUMERIC = r"^(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})$"
_DAY_NAME = (
    r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*(?P<mon>[a-z]{3,9})\.?[\s\-/.,]*"
    r"(?P<y>\d{4}|\d{2})$"
)
_NAME_DAY = r"^(?P<mon>[a-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})$"
_SERIAL_TEXT = r"^\d{5}(?:\.\d+)?$"
PLAIN_DAY = r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
CLOCK = r"[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
PLAIN_TIME = f"^({PLAIN_DAY})[ Tt]{CLOCK}$"
"""A numeric date and a time of day whose cutting the full rules (``_TIME``) agree with."""


@dataclass
class ParsedDates:
    dates: pd.Series
    """``datetime64[ns]`` at midnight, NaT where empty or unparseable."""
    bad: pd.Series
    """True where the cell holds something that is not a date."""
    month_first: bool
    """Numeric text was read month first."""
    month_first_example: str | None = None
    """A value that cannot be day first, when that is why the column was read month first."""


def parse_dates(
    values: pd.Series, *, month_first: bool | None = None, nulls: frozenset[str] = NULL_TEXTS
) -> ParsedDates:
    """Parse one column of date cells (any mix of cell types)."""
    array = arrow_text.arrow_text(values)
    if array is not None:
        return _parse_arrow_text(values.index, array, month_first, nulls)
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    unique = pd.Series(uniques, dtype=object)
    kinds = unique.map(type)
    parsed = pd.Series(pd.NaT, index=unique.index, dtype="datetime64[ns]")

    is_date = kinds.map(lambda t: issubclass(t, dt.date))
    parsed[is_date] = _from_datetimes(unique[is_date])
    is_number = kinds.map(lambda t: issubclass(t, (int, float, np.number)) and t is not bool)
    parsed[is_number] = _from_serials(pd.to_numeric(unique[is_number], errors="coerce"))

    is_text = kinds.map(lambda t: issubclass(t, str))
    text = unique[is_text].astype("string").str.strip().str.lower()
    empty = pd.Series(False, index=unique.index)
    empty[is_text] = text.isin(nulls).to_numpy()
    text = text[~text.isin(nulls)]
    from_text, chosen_month_first, example = _from_text(text, month_first)
    parsed[from_text.index] = from_text

    # code -1 (an empty cell) picks the appended False
    bad_unique = np.append((parsed.isna() & ~empty).to_numpy(dtype=bool), False)
    dates = pd.Series(parsed.array.take(codes, allow_fill=True), index=values.index)
    bad = pd.Series(bad_unique[codes], index=values.index)
    return ParsedDates(dates.astype("datetime64[ns]"), bad, chosen_month_first, example)


def _parse_arrow_text(
    index: pd.Index, array: pa.Array, month_first: bool | None, nulls: frozenset[str]
) -> ParsedDates:
    """Text cells: their times of day cut in Arrow, then the distinct days parsed by the
    full rules (on the text as written, so the results are the same)."""
    rows, distinct_days = _day_codes(array)
    texts = pd.Series(distinct_days.to_numpy(zero_copy_only=False), dtype=object)
    parsed = parse_dates(texts, month_first=month_first, nulls=nulls)
    example = parsed.month_first_example
    if example is not None:
        first = int(np.flatnonzero(texts.str.strip().str.lower().to_numpy() == example)[0])
        example = array[int(np.flatnonzero(rows == first)[0])].as_py().strip().lower()
    dates = pd.Series(parsed.dates.array.take(rows, allow_fill=True), index=index)
    bad = np.append(parsed.bad.to_numpy(dtype=bool), False)[rows]
    return ParsedDates(
        dates.astype("datetime64[ns]"), pd.Series(bad, index=index), parsed.month_first, example
    )


def _day_codes(array: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Each cell's code (``-1``: empty) into the distinct texts left once :data:`PLAIN_TIME`
    has cut their time of day. A column of one width (its first space in the same place
    in every cell) is cut there, the two sides tested on their few distinct values: a
    cell matches the pattern exactly when its text before that space is a plain day and
    after it a clock time. Any other column is cut on its distinct values."""
    at = pc.min_max(pc.find_substring(array, " "))
    space = at["min"].as_py()
    if space is not None and space > 0 and space == at["max"].as_py() and (
        pc.all(pc.string_is_ascii(array)).as_py()
    ):
        days = pc.utf8_slice_codeunits(array, 0, space)
        day_codes, distinct_days = arrow_text.distinct(days)
        clock_codes, clocks = arrow_text.distinct(pc.utf8_slice_codeunits(array, space + 1))
        plain = _matching(distinct_days, f"^(?:{PLAIN_DAY})$")[day_codes] & _matching(
            clocks, f"^{CLOCK}$"
        )[clock_codes]
        if (plain | (day_codes < 0)).all():
            return day_codes, distinct_days
        return arrow_text.distinct(pc.if_else(pa.array(plain), days, array))
    codes, uniques = arrow_text.distinct(array)
    day_codes, distinct_days = arrow_text.distinct(
        pc.replace_substring_regex(uniques, PLAIN_TIME, r"\1")
    )
    return np.append(day_codes, -1)[codes], distinct_days


def _matching(distinct: pa.Array, pattern: str) -> np.ndarray:
    """Whether each distinct text matches ``pattern``, with False appended (code ``-1``)."""
    matched = pc.match_substring_regex(distinct, pattern).to_numpy(zero_copy_only=False)
    return np.append(matched.astype(bool), False)


def _from_datetimes(values: pd.Series) -> pd.Series:
    """Date cells at midnight, wall-clock date kept for zoned values; absurd years -> NaT."""
    sensible = values.map(lambda value: 1900 <= value.year <= 2200).astype(bool)
    naive = values[sensible].map(lambda value: pd.Timestamp(value).replace(tzinfo=None))
    stamps = pd.to_datetime(naive, errors="coerce").astype("datetime64[ns]")
    return stamps.dt.normalize().reindex(values.index)


def _from_serials(serials: pd.Series) -> pd.Series:
    low, high = SERIAL_RANGE
    sensible = serials.between(low, high)
    days = serials.where(sensible).floordiv(1)
    return (EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).astype("datetime64[ns]")


def _from_text(
    text: pd.Series, month_first: bool | None
) -> tuple[pd.Series, bool, str | None]:
    """Parse lower-cased, trimmed, non-empty text; returns dates, month-first used, example."""
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if text.empty:
        return result, bool(month_first), None
    plain = text.str.replace(_WEEKDAY, "", regex=True).str.replace(_TIME, "", regex=True)

    serial = plain.str.fullmatch(_SERIAL_TEXT).fillna(False)
    result[serial] = _from_serials(pd.to_numeric(plain[serial])).to_numpy()

    for pattern in (_ISO, _COMPACT):
        parts = plain.str.extract(pattern).dropna()
        result[parts.index] = _assemble(parts["y"], parts["m"], parts["d"]).to_numpy()

    for pattern in (_DAY_NAME, _NAME_DAY):
        parts = plain.str.extract(pattern).dropna()
        month = parts["mon"].map(MONTHS)
        result[parts.index] = _assemble(parts["y"], month, parts["d"]).to_numpy()

    parts = plain.str.extract(_NUMERIC).dropna()
    first = pd.to_numeric(parts["a"])
    second = pd.to_numeric(parts["b"])
    example = None
    if month_first is None:
        day_first_impossible = second > 12
        month_first_fits = not bool((first > 12).any())
        month_first = bool(day_first_impossible.any()) and month_first_fits
        if month_first:
            example = str(text[day_first_impossible[day_first_impossible].index[0]])
    day, month = (second, first) if month_first else (first, second)
    result[parts.index] = _assemble(parts["y"], month, day).to_numpy()
    return result, month_first, example


def _assemble(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    """Whole dates from parts; two-digit years are 2000-2069 or 1970-1999; invalid -> NaT."""
    if year.empty:
        return pd.Series(dtype="datetime64[ns]")
    year = pd.to_numeric(year, errors="coerce")
    year = year.where(year >= 100, year + np.where(year < 70, 2000, 1900))
    parts = pd.DataFrame(
        {
            "year": year,
            "month": pd.to_numeric(month, errors="coerce"),
            "day": pd.to_numeric(day, errors="coerce"),
        }
    )
    return pd.to_datetime(parts, errors="coerce").astype("datetime64[ns]")


def read_date_column(
    values: pd.Series,
    header: str,
    report: LoadReport,
    *,
    month_first: bool | None,
    nulls: frozenset[str] = NULL_TEXTS,
) -> ParsedDates:
    """Parse one file column and record its date order in the report."""
    parsed = parse_dates(values, month_first=month_first, nulls=nulls)
    if parsed.month_first:
        report.date_order = "month-first"
    if parsed.month_first_example is not None:
        report.notes.append(
            f"Column {header!r} read month first: {parsed.month_first_example!r} "
            "cannot be day first."
        )
    return parsed
