"""Delimited text -> one sheet of text cells, by Arrow's multi-threaded CSV parser.

A file's index is its line numbers, so a report can name the line a user opens. Arrow
parses records of the usual width; lines of another width (titles, notes, totals,
ragged rows) are set aside by it, found again by their text and read with the pandas C
parser, the one that reads every record of a file whose quoted fields span lines (or
that ends lines with a lone carriage return): records then no longer match lines, and
:func:`text_shape` counts them exactly.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from loaders.cells import Cells, cells_from_columns
from loaders.errors import LoaderError
from loaders.limits import Limits, check_shape
from loaders.text import DELIMITER_NAMES

QUOTE, NEWLINE, RETURN = ord('"'), ord("\n"), ord("\r")
WIDTH_SAMPLE = 256 * 1024
"""Bytes at the start of a file whose records give the width Arrow parses with."""
MOST_SET_ASIDE = 10_000
"""Lines of another width (or 1% of the lines) past which the exact reader is used."""


class _Irregular(Exception):
    """A record wider than the sample's: the exact reader takes the file."""


def read_cells(raw: bytes, delimiter: str, filename: str, limits: Limits) -> Cells:
    """UTF-8 ``raw`` -> cells, each row numbered with the file line it starts on."""
    codes = np.frombuffer(raw, dtype=np.uint8)
    newlines = np.flatnonzero(codes == NEWLINE)
    quoted_newline = _quotes_span_lines(codes, newlines)
    lone_return = np.count_nonzero(codes == RETURN) > np.count_nonzero(
        codes[newlines[newlines > 0] - 1] == RETURN
    )
    lines = len(newlines) + int(not len(codes) or codes[-1] != NEWLINE)
    if not (quoted_newline or lone_return):
        cut = int(np.searchsorted(newlines, WIDTH_SAMPLE))
        sample = raw[: int(newlines[cut]) + 1] if cut < len(newlines) else raw
        width = _record_width(sample, ord(delimiter))
        check_shape(lines, width, "the file", filename, limits)
        try:
            return _arrow_cells(raw, codes, newlines, lines, width, delimiter, filename)
        except _Irregular:
            pass
    width, starts = text_shape(raw, ord(delimiter))
    check_shape(len(starts), width, "the file", filename, limits)
    frame = _pandas_frame(raw, delimiter, width, filename)
    if len(starts) != len(frame):
        starts = np.arange(1, len(frame) + 1)
    return cells_from_columns(
        [_strings(frame[n]) for n in range(width)],
        starts,
    )


def _arrow_cells(
    raw: bytes,
    codes: np.ndarray,
    newlines: np.ndarray,
    lines: int,
    width: int,
    delimiter: str,
    filename: str,
) -> Cells:
    """Arrow parses the lines of ``width`` fields; the others are read apart and put back
    in their places."""
    names = [str(n) for n in range(width)]
    set_aside: list[str] = []
    most = max(MOST_SET_ASIDE, lines // 100)

    irregular: list[bool] = []

    def aside(row: pacsv.InvalidRow) -> str:
        if row.actual_columns > width or len(set_aside) >= most:
            irregular.append(True)
            return "error"
        set_aside.append(row.text)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(raw),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, ignore_empty_lines=False, invalid_row_handler=aside
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[""],
                strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as error:
        if irregular:
            raise _Irregular from None
        raise _bad_text(delimiter, filename, error) from None
    if not set_aside:
        if table.num_rows != lines:
            raise _Irregular
        return cells_from_columns(table.columns, np.arange(1, lines + 1))
    others = _lines_holding(raw, codes, newlines, lines, set(set_aside))
    if len(others) != len(set_aside) or table.num_rows + len(others) != lines:
        raise _Irregular
    spans = _spans(codes, newlines, others)
    text = "\n".join(raw[start:end].decode("utf-8") for start, end in spans)
    frame = _pandas_frame(text.encode("utf-8"), delimiter, width, filename)
    placed = np.argsort(np.concatenate([np.setdiff1d(np.arange(lines), others), others]))
    columns = [
        pa.concat_arrays(
            [table.column(n).combine_chunks(), _strings(frame[n])]
        ).take(pa.array(placed))
        for n in range(width)
    ]
    return cells_from_columns(columns, np.arange(1, lines + 1))


def _quotes_span_lines(codes: np.ndarray, newlines: np.ndarray) -> bool:
    """Whether some line holds an odd number of double quotes (a quoted field goes on).

    Each line's quotes are counted by their parity, a running XOR over the line: no array
    of every quote's position (ten million in a file quoting every field)."""
    starts = np.concatenate(([0], newlines + 1))
    starts = starts[starts < len(codes)]
    if not len(newlines):
        return False
    parity = np.bitwise_xor.reduceat((codes == QUOTE).view(np.uint8), starts)
    return bool(parity[: len(newlines)].any())


def _strings(column: pd.Series) -> pa.Array:
    return pa.array(column.to_numpy(dtype=object), type=pa.string())


def _spans(codes: np.ndarray, newlines: np.ndarray, indices: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) bytes of lines ``indices`` (0-based), without their line ending."""
    starts = np.concatenate(([0], newlines + 1))[indices]
    ends = np.append(newlines, len(codes))[indices]
    return [
        (int(start), int(end) - int(end > start and codes[end - 1] == RETURN))
        for start, end in zip(starts, ends, strict=True)
    ]


def _lines_holding(
    raw: bytes, codes: np.ndarray, newlines: np.ndarray, lines: int, texts: set[str]
) -> np.ndarray:
    """0-based indices of the lines whose text (without line ending) is one of ``texts``."""
    starts = np.concatenate(([0], newlines + 1))[:lines]
    ends = np.append(newlines, len(codes))[:lines]
    ends = ends - ((ends > starts) & (codes[np.maximum(ends - 1, 0)] == RETURN))
    lengths = ends - starts
    found = []
    for text in texts:
        wanted = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
        candidates = np.flatnonzero(lengths == len(wanted))
        if len(wanted) and len(candidates):
            window = codes[starts[candidates][:, None] + np.arange(len(wanted))]
            candidates = candidates[(window == wanted).all(axis=1)]
        found.append(candidates)
    return np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def _pandas_frame(raw: bytes, delimiter: str, width: int, filename: str) -> pd.DataFrame:
    try:
        return pd.read_csv(
            io.BytesIO(raw),
            sep=delimiter,
            header=None,
            names=range(width),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
            encoding="utf-8",
        )
    except (pd.errors.ParserError, ValueError) as error:
        raise _bad_text(delimiter, filename, error) from None


def _bad_text(delimiter: str, filename: str, error: Exception) -> LoaderError:
    first = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return LoaderError(
        f"the text cannot be read as {DELIMITER_NAMES[delimiter]}-separated values "
        f"({first}): check the quotes in it or save it again from Excel",
        file=filename,
        reason="bad_text",
    )


def _record_width(raw: bytes, delimiter: int) -> int:
    """Fields in the widest record of text whose quotes never span lines."""
    codes = np.frombuffer(raw, dtype=np.uint8)
    quotes = np.flatnonzero(codes == QUOTE)
    newlines = np.flatnonzero(codes == NEWLINE)
    delimiters = np.flatnonzero(codes == delimiter)
    outside = delimiters[np.searchsorted(quotes, delimiters) % 2 == 0]
    return int(np.bincount(np.searchsorted(newlines, outside), minlength=1).max()) + 1


def text_shape(raw: bytes, delimiter: int) -> tuple[int, np.ndarray]:
    """Widest record (in fields) and the first line number of each record.

    Delimiters and newlines inside double quotes do not count; the plain per-line count
    is a floor so a stray quote in a name cannot make the width too small.
    """
    codes = np.frombuffer(raw, dtype=np.uint8)
    quotes = np.flatnonzero(codes == QUOTE)
    newlines = np.flatnonzero(codes == NEWLINE)
    delimiters = np.flatnonzero(codes == delimiter)
    per_line = np.bincount(np.searchsorted(newlines, delimiters), minlength=1).max(initial=0)
    record_ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
    outside = delimiters[np.searchsorted(quotes, delimiters) % 2 == 0]
    per_record = np.bincount(np.searchsorted(record_ends, outside), minlength=1).max(initial=0)
    starts = np.concatenate(([1], np.searchsorted(newlines, record_ends) + 2))
    if len(codes) and codes[-1] == NEWLINE:
        starts = starts[:-1]
    return int(max(per_line, per_record)) + 1, starts
