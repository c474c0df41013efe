"""loaders.delimited: Arrow's parse of a CSV gives the rows the exact (pandas) reader gives."""

from __future__ import annotations

import numpy as np
import pytest

from loaders.cells import cells_from_columns
from loaders.delimited import (
    NEWLINE,
    QUOTE,
    _pandas_frame,
    _quotes_span_lines,
    read_cells,
    text_shape,
)
from loaders.limits import Limits

QUIRKS = {
    "plain": b"ID,Name\n1,Ann\n2,Bob\n",
    "titles-and-notes": b"Report\n\nID,Name,Date\n1,Ann,26/08/2024\n2,Bob,\n\nTotal: 2\n",
    "crlf-and-no-last-newline": b"Title\r\nID,Name\r\n1,Ann\r\n2,Bob",
    "ragged-and-quotes": b'ID,Name,Note\n1,"Lee, Ann",x\n2,"Say ""hi"""\n3,Zo\xc3\xab "Z",\n4\n',
    "trailing-blank-lines": b"ID,Name\n1,Ann\n\n\n",
    "same-text-twice": b"x\nID,Name\n1,Ann\nx\n2,Bob\nx\n",
    "quoted-newline": b'ID,Note\n1,"two\nlines"\n2,b\n',
    "lone-return": b"ID,Name\r1,Ann\r2,Bob\r",
    "wider-later": b"A,B\n" + b"1,2\n" * 3 + b"1,2,3,4\n",
}


def _exact(raw: bytes, delimiter: str = ","):
    width, starts = text_shape(raw, ord(delimiter))
    frame = _pandas_frame(raw, delimiter, width, "f.csv")
    if len(starts) != len(frame):
        starts = np.arange(1, len(frame) + 1)
    import pyarrow as pa

    return cells_from_columns(
        [pa.array(frame[n].to_numpy(dtype=object), pa.string()) for n in range(width)], starts
    )


@pytest.mark.parametrize("name", list(QUIRKS))
def test_arrow_reads_what_the_exact_reader_reads(name: str) -> None:
    raw = QUIRKS[name]
    cells = read_cells(raw, ",", "f.csv", Limits(isolate=False))
    exact = _exact(raw)
    assert cells.objects().tolist() == exact.objects().tolist()
    assert cells.rows.tolist() == exact.rows.tolist()


def test_many_odd_lines_still_read_right() -> None:
    """Past the set-aside limit the exact reader takes over; rows stay the same."""
    raw = b"ID,Name\n" + b"1,Ann\nnote\n" * 20_001
    cells = read_cells(raw, ",", "f.csv", Limits(isolate=False))
    assert cells.shape == (40_003, 2)
    assert cells.objects(1, 3).tolist() == [["1", "Ann"], ["note", None]]
    assert cells.rows[:3].tolist() == [1, 2, 3]


def test_a_quote_left_open_is_found_on_any_line() -> None:
    """The per-line parity of quotes says what counting the quotes before each newline
    says, on every short mix of quotes, newlines and returns."""
    rng = np.random.default_rng(5)
    for _ in range(3000):
        codes = rng.choice(np.frombuffer(b'a"\n,\r', dtype=np.uint8), size=rng.integers(0, 14))
        newlines = np.flatnonzero(codes == NEWLINE)
        quotes = np.flatnonzero(codes == QUOTE)
        counted = bool(len(quotes)) and bool((np.searchsorted(quotes, newlines) % 2).any())
        assert _quotes_span_lines(codes, newlines) == counted, codes.tobytes()
