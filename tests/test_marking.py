"""The handling marking: configured, cleaned to one short line, defaulting to OFFICIAL-SENSITIVE."""

import pytest

from compliance.marking import DEFAULT_MARKING, handling_marking


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        (None, "OFFICIAL-SENSITIVE"),
        ("", DEFAULT_MARKING),
        ("   ", DEFAULT_MARKING),
        ("OFFICIAL", "OFFICIAL"),
        ("OFFICIAL-SENSITIVE\n PERSONAL", "OFFICIAL-SENSITIVE PERSONAL"),
        ("X" * 200, "X" * 80),
    ],
)
def test_marking_is_the_configured_line_or_the_default(configured, expected):
    environ = {} if configured is None else {"COMPLIANCE_HANDLING_MARKING": configured}
    assert handling_marking(environ) == expected
