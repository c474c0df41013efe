"""``python -m compliance audit verify|export``: the chain checked, the log taken with a reason."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest
from sqlalchemy import text

from compliance.cli import main
from compliance.store import Store


@pytest.fixture
def run(capsys):
    def invoke(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def _busy(url: str) -> Store:
    store = Store.open(url)
    for number in range(5):
        store.audit(user="ann", action="export", detail=f"list {number}", purpose="reminders")
    return store


def test_verify_passes_on_an_intact_log(run, store_url) -> None:
    _busy(store_url)
    code, out, _ = run("audit", "verify", "--db", store_url)
    assert code == 0 and out.startswith("The audit trail is intact: 5 entries, last hash ")


def test_verify_names_the_entry_changed_behind_the_triggers(run, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store = _busy(url)
    with store.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER audit_log_no_update"))
        connection.execute(text("UPDATE audit_log SET detail = 'nothing' WHERE id = 3"))
    code, out, _ = run("audit", "verify", "--db", url)
    assert code == 1
    assert out.strip() == ("The audit trail is broken: entry 3 was changed after it was "
                           "written (5 entries checked)")


def test_export_writes_the_log_and_records_itself(run, store_url, tmp_path) -> None:
    _busy(store_url)
    out_file = tmp_path / "audit.csv"
    code, _, err = run("audit", "export", "--purpose", "IOPC request 2026/117", "--out",
                       str(out_file), "--db", store_url, "--user", "auditor1")
    assert code == 0, err
    data = out_file.read_bytes()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["detail"] for r in rows] == [f"list {n}" for n in range(5)]
    entry = Store.open(store_url).audit_log().iloc[-1]
    assert (entry["user"], entry["purpose"], entry["rows"]) == (
        "auditor1", "IOPC request 2026/117", 5
    )
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert run("audit", "verify", "--db", store_url)[0] == 0


def test_export_without_a_real_purpose_is_refused(run, store_url, tmp_path) -> None:
    code, _, err = run("audit", "export", "--purpose", "-", "--out", str(tmp_path / "a.csv"),
                       "--db", store_url)
    assert code == 2 and "give --purpose TEXT" in err
    assert not (tmp_path / "a.csv").exists()
