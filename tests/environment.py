"""What to do when a service or tool the tests need is missing.

On a newcomer's laptop the affected tests skip with a clear reason; with ``CI=true``
they fail instead, so CI never skips them silently.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import pytest


def in_ci(environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get("CI", "").lower() == "true"


def unavailable(reason: str, environ: Mapping[str, str] = os.environ) -> None:
    """Skip (laptop) or fail (CI) the current test because ``reason``."""
    if in_ci(environ):
        pytest.fail(f"{reason} (CI=true: this must not be skipped)", pytrace=False)
    pytest.skip(reason)
