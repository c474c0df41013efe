"""Packs for line managers: one XLSX per unit or manager, no file lost to a name clash, and an
index saying which file holds whose rows."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd
import pytest

from compliance import columns, export_pack, lists
from compliance.export_pack import pack_bytes, safe_file_name, unique_file_names
from compliance.heading import Heading
from tests.exports import read_export
from tests.force import engine_status

HEADING = Heading(
    "Overdue list", dt.date(2024, 6, 30), "all units", "Reminders to line managers",
    "June reminders", "Insp. Hall", "tm (manager)", marking="OFFICIAL-SENSITIVE",
)


def unpack(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_one_xlsx_per_manager_with_its_block_and_an_index() -> None:
    table = columns.headed(lists.overdue_table(engine_status()))
    files = unpack(pack_bytes(table, "Manager", "Overdue", HEADING))
    expected = table["Manager"].value_counts()
    assert sorted(files) == sorted(
        ["index.xlsx", *(f"{safe_file_name(m)}.xlsx" for m in expected.index)]
    )
    index = read_export(files["index.xlsx"], first_header="File")
    assert index.block["Marking"] == "OFFICIAL-SENSITIVE"
    assert dict(zip(index.table["Manager"], index.table["Rows"], strict=True)) == expected.to_dict()
    for name, manager in zip(index.table["File"], index.table["Manager"], strict=True):
        part = read_export(files[name])
        assert set(part.table["Manager"]) == {manager}
        assert part.block["Title"] == f"Overdue list: Manager {manager}"
        assert part.block["Filters"] == f"all units; Manager {manager}"
        assert part.block["Recipient"] == "Insp. Hall"
    assert index.table["Rows"].sum() == len(table)


CLASHES = {
    "slash and space": ["Smith / J", "Smith J"],
    "case only (Windows)": ["Lee A", "LEE A", "lee a"],
    "a manager called index": ["Index", "Ann"],
    "a Windows device name": ["CON", "con"],
    "long names alike for 80 characters": ["x" * 90 + "1", "x" * 90 + "2"],
    "no manager": [None, "none", "(none)"],
}


@pytest.mark.parametrize("managers", CLASHES.values(), ids=list(CLASHES))
def test_names_that_clean_alike_never_lose_a_file(managers: list[str | None]) -> None:
    frame = pd.DataFrame({
        "ID": [str(i) for i in range(2 * len(managers))], "Manager": managers * 2,
    })
    files = unpack(pack_bytes(frame, "Manager", "Overdue"))
    folded = [name.casefold() for name in files]
    assert len(set(folded)) == len(folded) == len(managers) + 1
    assert not any(export_pack.WINDOWS_RESERVED.fullmatch(n.split(".")[0]) for n in files)
    index = read_export(files["index.xlsx"], first_header="File").table
    assert set(index["File"]) == set(files) - {"index.xlsx"}
    rows = pd.concat(read_export(files[name]).table for name in index["File"])
    assert sorted(rows["ID"]) == sorted(frame["ID"])
    for name, rows_in_file in zip(index["File"], index["Rows"], strict=True):
        assert len(read_export(files[name]).table) == rows_in_file == 2


def test_the_same_names_give_the_same_files_every_time() -> None:
    frame = pd.DataFrame({"ID": ["1", "2", "3"], "Manager": ["Smith J", "smith j", "Smith / J"]})
    runs = [sorted(unpack(pack_bytes(frame.sample(frac=1, random_state=s), "Manager", "O")))
            for s in range(3)]
    assert runs[0] == runs[1] == runs[2]
    assert runs[0] == sorted(["Smith-J.xlsx", "Smith-J (2).xlsx", "smith-j (3).xlsx", "index.xlsx"])


@pytest.mark.parametrize(
    ("texts", "names"),
    [
        (["Smith / J", "Smith J", "smith-j"], ["Smith-J", "Smith-J (2)", "smith-j (3)"]),
        (["A", "B"], ["A", "B"]),
        (["index", "INDEX"], ["index (2)", "INDEX (3)"]),
        (["", "?"], ["unnamed", "unnamed (2)"]),
    ],
)
def test_unique_file_names(texts: list[str], names: list[str]) -> None:
    assert unique_file_names(texts) == names


@pytest.mark.parametrize(
    ("text", "name"),
    [("North / Response", "North-Response"), ("../../etc", "etc"), ("", "unnamed"),
     ("Sgt O'Neill", "Sgt-O-Neill"), ("nul", "nul-"), ("LPT1", "LPT1-"),
     ("a" * 79 + " b", "a" * 79)],
)
def test_safe_file_name(text: str, name: str) -> None:
    assert safe_file_name(text) == name
