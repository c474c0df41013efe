"""Where results go: a table to a CSV or XLSX file or to standard output, notes to stderr.

Every CSV goes through :func:`compliance.export.to_csv_bytes`, so no cell written here can
run as a formula in a spreadsheet. The export module (and xlsxwriter) is imported only
when a table is written.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from compliance.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

    from compliance.heading import Heading

OUTPUT_FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
UTF8_BOM = b"\xef\xbb\xbf"


def output_format(out: str) -> str:
    """``csv`` or ``xlsx`` from ``--out`` (``-`` is CSV on standard output)."""
    if out == "-":
        return "csv"
    fmt = OUTPUT_FORMATS.get(Path(out).suffix.lower())
    if fmt is None:
        raise UsageError(f"--out {out!r}: the file name must end in .csv or .xlsx (or be -)")
    return fmt


def write_output(
    table: pd.DataFrame, out: str, sheet_name: str, heading: Heading | None = None
) -> bytes:
    """``table`` to the file ``out`` (its suffix picks the format) or, for ``-``, stdout;
    the bytes written (an audited export records their sha256). An XLSX opens with
    ``heading``'s block when given."""
    if out == "-":
        return write_csv_stdout(table)
    from compliance.export import table_bytes

    data = table_bytes(table, output_format(out), sheet_name, heading)
    Path(out).write_bytes(data)
    print(f"Wrote {len(table)} rows to {out}", file=sys.stderr)
    return data


def write_csv_stdout(table: pd.DataFrame) -> bytes:
    """``table`` as formula-safe CSV on standard output (no BOM: a pipe feeds programs)."""
    from compliance.export import to_csv_bytes

    data = to_csv_bytes(table).removeprefix(UTF8_BOM)
    write_stdout(data)
    return data


def write_stdout(data: bytes) -> None:
    """UTF-8 bytes to standard output, also when it is a text-only stream."""
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        binary.write(data)
    sys.stdout.flush()


def print_lines(lines: list[str]) -> None:
    """Notes for the person running the command, on standard error."""
    if lines:
        print("\n".join(lines), file=sys.stderr)
