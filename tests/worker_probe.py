"""A function for the parsing worker to run in tests: which modules it has imported.

Standard library only, so that importing it in the worker adds nothing to the answer.
"""

from __future__ import annotations

import sys


def imported(names: list[str]) -> list[str]:
    """Those of ``names`` the process has imported."""
    return [name for name in names if name in sys.modules]
