"""The values of a rules file checked one by one: keys, name lists, counts and dates.

Each check raises :class:`RulesError` naming the file, the requirement and the key, and
saying how to write the value instead.
"""

from __future__ import annotations

import difflib
import math
from datetime import date, datetime
from typing import Any

import pandas as pd

from compliance.errors import RulesError


def check_keys(
    data: dict, allowed: tuple[str, ...], *, file: str, requirement: str | None
) -> None:
    for key in data:
        if key in allowed:
            continue
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"use one of {', '.join(allowed)}"
        raise RulesError(f"unknown key: {hint}", file=file, requirement=requirement, key=str(key))


def texts(value: Any, file: str, label: str, key: str) -> tuple[str, ...]:
    """A list of names (a single name is accepted as a one-item list)."""
    if value is None:
        return ()
    items = value if isinstance(value, (list, tuple)) else [value]
    out = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            raise RulesError(
                f"{item!r} is not a name: write each entry as text (in quotes if needed)",
                file=file,
                requirement=label,
                key=key,
            )
        text = str(item).strip()
        if not text:
            raise RulesError("empty entry: remove it", file=file, requirement=label, key=key)
        out.append(text)
    return tuple(out)


def count(value: Any, file: str, label: str | None, key: str) -> int | None:
    """A whole number of days or months >= 0; integral floats (from table editors) accepted."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesError(
            f"{value!r} is not a whole number", file=file, requirement=label, key=key
        )
    if value < 0:
        raise RulesError(
            f"{value} is negative: use 0 or more", file=file, requirement=label, key=key
        )
    return value


def date_value(value: Any, file: str, label: str, key: str) -> date | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise RulesError(
        f"{value!r} is not a date: write it as YYYY-MM-DD", file=file, requirement=label, key=key
    )
