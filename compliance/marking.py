"""The handling marking printed on every export, evidence document and report.

Government Security Classifications: personal data about officers is normally
``OFFICIAL-SENSITIVE``. A force that marks differently sets ``COMPLIANCE_HANDLING_MARKING``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
ENV_VARIABLE = "COMPLIANCE_HANDLING_MARKING"
MAX_LENGTH = 80


def handling_marking(environ: Mapping[str, str] = os.environ) -> str:
    """The configured marking (one line, at most 80 characters), else the default."""
    configured = " ".join(environ.get(ENV_VARIABLE, "").split())[:MAX_LENGTH]
    return configured or DEFAULT_MARKING
