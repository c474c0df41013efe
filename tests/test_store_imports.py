import multiprocessing
from datetime import date

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select

from compliance.errors import StoreError
from compliance.store import Store, bulk
from compliance.store.tables import metadata, roster_rows
from loaders import LoadResult
from loaders.report import LoadReport
from tests.conftest import REQUIREMENTS_YAML, completion_frame, loaded, roster_frame

COMPLETIONS = completion_frame(
    [("1", "Managing Information", "2024-01-10"), ("2", "Managing Information", "2024-02-01")]
)


def _counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in metadata.tables.items()
        }


def test_same_bytes_twice_is_one_import(store):
    first = store.import_frame(
        "completions", loaded(COMPLETIONS, "lms.csv", "completions"), user="ann", data=b"x"
    )
    counts = _counts(store)
    again = store.import_frame(
        "completions", loaded(COMPLETIONS, "lms.csv", "completions"), user="bob", data=b"x"
    )
    assert first.created and first.message == "Imported lms.csv as import 1: 2 completions"
    assert not again.created and again.import_id == first.import_id
    assert again.message.startswith("Already imported as import 1 on ")
    assert again.message.endswith(": nothing changed")
    assert _counts(store) == counts


def test_same_bytes_as_another_kind_is_a_new_import(store):
    store.import_frame(
        "roster", loaded(roster_frame(["1"]), "a.csv", "roster"), user="u", data=b"x"
    )
    outcome = store.import_frame(
        "completions", loaded(COMPLETIONS, "a.csv", "completions"), user="u", data=b"x"
    )
    assert outcome.created and outcome.import_id == 2


def test_frame_without_bytes_is_hashed_by_content(store):
    result = loaded(COMPLETIONS, "lms.csv", "completions")
    assert store.import_frame("completions", result, user="u").created
    assert not store.import_frame("completions", result, user="u").created


def test_failing_last_rows_leave_store_exactly_as_it_was(store, monkeypatch):
    store.import_frame("roster", loaded(roster_frame(["1", "2"]), "r.csv", "roster"), user="u")
    before, version = _counts(store), store.data_version()
    real_insert = bulk.insert_rows

    def insert_then_fail(connection, kind, rows, progress):
        real_insert(connection, kind, rows.slice(0, rows.num_rows - 1), progress)
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk, "insert_rows", insert_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        store.import_frame("completions", loaded(COMPLETIONS, "lms.csv", "completions"), user="u")
    assert _counts(store) == before
    assert store.data_version() == version
    assert store.completions().empty


def test_unusable_result_raises_and_changes_nothing(store):
    report = LoadReport(file="bad.xlsx", kind="roster")
    report.add("no header row found: add a header row", severity="fatal")
    before = _counts(store)
    with pytest.raises(StoreError, match="bad.xlsx: no header row found"):
        store.import_frame("roster", LoadResult(roster_frame([]), report), user="u")
    assert _counts(store) == before


def test_unusable_file_raises_store_error(store):
    with pytest.raises(StoreError, match="notes.csv"):
        store.import_file("roster", b"\x00\x01\x02 not a spreadsheet", "notes.csv", user="u")
    assert store.imports().empty


@pytest.mark.parametrize("kind", ["payroll", "requirements"])
def test_import_frame_refuses_other_kinds(store, kind):
    with pytest.raises(StoreError, match="Unknown import kind"):
        store.import_frame(kind, loaded(COMPLETIONS, "x.csv", "completions"), user="u")


def test_withdraw_and_restore_change_state_and_version(store):
    outcome = store.import_frame(
        "completions", loaded(COMPLETIONS, "lms.csv", "completions"), user="u"
    )
    versions = [store.data_version()]
    store.withdraw(outcome.import_id, user="u")
    versions.append(store.data_version())
    assert store.imports()["state"].tolist() == ["withdrawn"]
    assert store.completions().empty
    store.restore(outcome.import_id, user="u")
    versions.append(store.data_version())
    assert store.imports()["state"].tolist() == ["active"]
    assert len(store.completions()) == 2
    assert len(set(versions)) == 3


@pytest.mark.parametrize(
    ("action", "import_id", "message"),
    [
        ("withdraw", 99, "There is no import 99"),
        ("restore", 1, "already active"),
    ],
)
def test_withdraw_restore_refusals(store, action, import_id, message):
    store.import_frame("completions", loaded(COMPLETIONS, "lms.csv", "completions"), user="u")
    with pytest.raises(StoreError, match=message):
        getattr(store, action)(import_id, user="u")


def test_reimporting_withdrawn_bytes_says_how_to_restore(store):
    result = loaded(COMPLETIONS, "lms.csv", "completions")
    store.import_frame("completions", result, user="u", data=b"same")
    store.withdraw(1, user="u")
    again = store.import_frame("completions", result, user="u", data=b"same")
    assert not again.created
    assert "withdrawn: restore import 1" in again.message


def test_imports_listing_and_report(store):
    result = loaded(COMPLETIONS, "lms.csv", "completions")
    result.report.add("date in the future", severity="warning", row=3, column="Date")
    store.import_frame("completions", result, user="ann", data=b"abc")
    listing = store.imports()
    assert listing.columns[:8].tolist() == [
        "id",
        "kind",
        "file",
        "rows",
        "sha256",
        "by",
        "at",
        "state",
    ]
    row = listing.iloc[0]
    assert (row["kind"], row["file"], row["rows"], row["by"]) == (
        "completions",
        "lms.csv",
        2,
        "ann",
    )
    assert row["sha256"] == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert row["report"] == "loaded 2 of 2 rows; 1 warning"
    report = store.import_report(1)
    assert report.problems["reason"].tolist() == ["date in the future"]
    assert report.problems["row"].tolist() == [3]


def test_requirements_import_file(store):
    outcome = store.import_file("requirements", REQUIREMENTS_YAML, "rules.yaml", user="u")
    assert outcome.message == "Imported rules.yaml as import 1: 2 requirements"
    assert store.rules().courses == ("Managing Information", "Information Security Awareness")


def test_bad_requirements_raise_store_error(store):
    with pytest.raises(StoreError, match="rules.yaml"):
        store.import_file(
            "requirements", b"requirements: [{renewal_months: 3}]", "rules.yaml", user="u"
        )
    assert store.imports().empty


def test_progress_reaches_one(store):
    seen = []
    store.import_frame(
        "completions",
        loaded(COMPLETIONS, "lms.csv", "completions"),
        user="u",
        progress=lambda fraction, text: seen.append(fraction),
    )
    assert seen == sorted(seen) and seen[-1] == 1.0


def _import_at_barrier(url, barrier, person):
    store = Store.open(url)
    frame = completion_frame(
        [(f"{person}-{i}", "Managing Information", "2024-01-01") for i in range(5_000)]
    )
    barrier.wait()
    store.import_frame("completions", loaded(frame, f"{person}.csv", "completions"), user=person)


def test_two_processes_import_into_one_sqlite_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    Store.open(url).engine.dispose()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    workers = [
        context.Process(target=_import_at_barrier, args=(url, barrier, name))
        for name in ("ann", "bob")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    store = Store.open(url)
    assert sorted(store.imports()["by"]) == ["ann", "bob"]
    completions = store.completions()
    assert len(completions) == 10_000
    assert completions["person_id"].str.split("-").str[0].value_counts().to_dict() == {
        "ann": 5_000,
        "bob": 5_000,
    }


def test_open_unreachable_database_says_where():
    with pytest.raises(StoreError, match="Cannot open the store at postgresql") as raised:
        Store.open("postgresql+psycopg://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
    assert "nobody:***@127.0.0.1:1/none" in str(raised.value)
    assert "secret" not in str(raised.value)


def test_roster_frame_is_kept_whole(store):
    frame = roster_frame(["1", "2"], unit="Crime Command / CID / Team A")
    store.import_frame("roster", loaded(frame, "hr.xlsx", "roster"), user="u")
    pd.testing.assert_frame_equal(
        store.roster(pd.Timestamp.today()), frame.assign(source_file="hr.xlsx")
    )


def test_row_tables_hold_values_exactly(store):
    """NULL vs empty text, COPY's special characters and dates either side of 2000 survive."""
    frame = roster_frame(["1", "2", "3", "4"], unit="North / Response")
    frame["person_id"] = pd.Series([7, "A,1", "", None], dtype=object)
    frame["name"] = ['O\'Brien, "Jo"', "line\nbreak\r\n", "tab\t\\N back\\slash", "Zoë 🚓"]
    frame["unit_2"] = pd.Series(["Response", "", None, "Team ™"], dtype=object)
    frame["start_date"] = pd.to_datetime(["1999-12-31", "2000-01-01", "1900-03-01", None])
    frame["leave_date"] = pd.to_datetime([None, "2038-01-19", None, "2024-02-29"])
    frame["manager"] = pd.Series([None, "", "NULL", "\\."], dtype=object)
    frame["source_row"] = np.array([2, 3, 2_147_483_647, 5], dtype=np.int64)
    store.import_frame("roster", loaded(frame, "hr.csv", "roster"), user="u")
    with store.engine.connect() as connection:
        rows = connection.execute(select(roster_rows).order_by(roster_rows.c.pos)).all()
    expected = [
        (1, 0, 2, "7", 'O\'Brien, "Jo"', "North / Response", "North\x1fResponse"),
        (1, 1, 3, "A,1", "line\nbreak\r\n", "North / Response", "North\x1f"),
        (1, 2, 2_147_483_647, "", "tab\t\\N back\\slash", "North / Response", "North\x1f"),
        (1, 3, 5, None, "Zoë 🚓", "North / Response", "North\x1fTeam ™"),
    ]
    assert [
        (r.import_id, r.pos, r.source_row, r.person_id, r.name, r.unit, r.unit_levels) for r in rows
    ] == expected
    assert [(r.start_date, r.leave_date, r.manager) for r in rows] == [
        (date(1999, 12, 31), None, None),
        (date(2000, 1, 1), date(2038, 1, 19), ""),
        (date(1900, 3, 1), None, "NULL"),
        (None, date(2024, 2, 29), "\\."),
    ]
