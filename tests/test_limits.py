"""loaders.limits: the size cap setting and the sheet-shape check."""

from __future__ import annotations

import pytest

from loaders.errors import LoaderError
from loaders.limits import (
    DEFAULT_LIMITS,
    MB,
    SettingError,
    check_shape,
    current_limits,
    max_upload_mb,
)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [({}, 50), ({"COMPLIANCE_MAX_UPLOAD_MB": ""}, 50), ({"COMPLIANCE_MAX_UPLOAD_MB": " 200 "}, 200),
     ({"COMPLIANCE_MAX_UPLOAD_MB": "1"}, 1)],
)
def test_the_upload_cap_comes_from_the_environment(environ: dict, expected: int) -> None:
    assert max_upload_mb(environ) == expected
    limits = current_limits(environ)
    assert limits.max_bytes == expected * MB
    assert limits.max_rows == DEFAULT_LIMITS.max_rows


@pytest.mark.parametrize("value", ["0", "-5", "1.5", "fifty", "50MB"])
def test_a_bad_upload_cap_is_refused_naming_the_setting(value: str) -> None:
    with pytest.raises(SettingError) as raised:
        max_upload_mb({"COMPLIANCE_MAX_UPLOAD_MB": value})
    assert str(raised.value) == (
        f"COMPLIANCE_MAX_UPLOAD_MB={value!r} is not a size: give a whole number of MB, such as 50"
    )


@pytest.mark.parametrize(("rows", "columns", "reason"), [(11, 1, "too_many_rows"),
                                                         (1, 3, "too_many_columns")])
def test_check_shape_refuses_past_either_cap(rows: int, columns: int, reason: str) -> None:
    limits = DEFAULT_LIMITS.__class__(max_rows=10, max_columns=2)
    with pytest.raises(LoaderError) as raised:
        check_shape(rows, columns, "the file", "f.csv", limits)
    assert raised.value.reason == reason
