"""A stated purpose: a reason from the configured list, a real reference, a recipient."""

from __future__ import annotations

import pytest

from compliance import purpose
from compliance.errors import ExportError
from compliance.purpose import Purpose


@pytest.mark.parametrize(
    ("reason", "reference", "recipient", "message"),
    [
        ("", "PSD/2026/0142", "Insp. Hall", "choose the reason"),
        ("Audit or inspection", ".", "Insp. Hall", "at least 4 letters or digits"),
        ("Audit or inspection", "a.b.c", "Insp. Hall", "at least 4 letters or digits"),
        ("Audit or inspection", "PSD/2026/0142", " - ", "say who the file is for"),
    ],
)
def test_a_purpose_needs_a_reason_a_real_reference_and_a_recipient(
    reason: str, reference: str, recipient: str, message: str
) -> None:
    with pytest.raises(ExportError, match=message):
        Purpose(reason, reference, recipient)


def test_reasons_come_from_the_setting_else_the_defaults() -> None:
    assert purpose.reasons({}) == purpose.DEFAULT_REASONS
    setting = {"COMPLIANCE_EXPORT_PURPOSES": " Vetting ; ; Board report "}
    assert purpose.reasons(setting) == ("Vetting", "Board report")


def test_the_audit_text_joins_reason_and_reference() -> None:
    stated = Purpose("Audit or inspection", " HMICFRS 2026 ", "HMICFRS")
    assert stated.text == "Audit or inspection: HMICFRS 2026"
    assert purpose.problem("Audit or inspection", "HMICFRS 2026", "HMICFRS") is None
