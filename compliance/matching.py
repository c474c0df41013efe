"""Which roster person each completion belongs to: by ID, else by email, never by name.

A learning system's own user numbers often arrive in a column that looks like an ID. In
a file whose IDs match under a tenth as many roster IDs as the same rows' emails match
roster emails, the IDs are ignored for matching and the notes say so: matching on them
would credit training to the wrong people or to nobody.

The roster's IDs and emails are hashed once; each completion's ID is then one lookup in
that table, and its email only where the email can decide something. The matched frame is
built only when read: the status engine takes the row and roster positions instead.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas._libs import hashtable
from pandas.arrays import ArrowExtensionArray

from loaders.ids import normalise_ids
from loaders.synonyms import NULL_TEXTS

ID_TO_EMAIL_RATIO = 10
NO_FILE = "the completions"


@dataclass(eq=False)
class MatchResult:
    """Which completion rows belong to which roster person.

    The matched frame is built on first use: the status engine reads the matched rows of
    ``source`` through ``rows`` and ``roster_position`` instead (pass the whole result to
    ``compute_status``), which spares copying every column and hashing every ID again.
    """

    source: pd.DataFrame
    """The completions as given to :func:`match_completions` (not to be changed after)."""
    rows: np.ndarray
    """Positions in ``source`` of the matched rows, ascending."""
    roster_ids: np.ndarray
    """The roster's ``person_id`` values, in roster order."""
    roster_keys: np.ndarray
    """Their normalised keys (``loaders.ids.normalise_ids``), in roster order: the engine
    matches exemptions by them without normalising every roster ID again."""
    roster_position: np.ndarray
    """Per matched row: its person's position in ``roster_ids``."""
    unmatched: pd.DataFrame
    """Completion rows that matched nobody (``source_file``/``source_row`` kept)."""
    notes: list[str] = field(default_factory=list)

    @functools.cached_property
    def completions(self) -> pd.DataFrame:
        """Completion rows with ``person_id`` set to the roster person they belong to."""
        person_id = self.roster_ids[self.roster_position]
        return _take(self.source, self.rows, person_id=person_id)


def match_completions(roster: pd.DataFrame, completions: pd.DataFrame) -> MatchResult:
    """Give every completion the roster ``person_id`` it belongs to, or set it aside.

    Emails are looked up only where they can decide something: on rows whose ID matches
    nobody, and on the ID-matched rows of a file whose IDs might be ignored (a file where
    some row with an unknown ID matches by email); elsewhere the ID decides.
    """
    roster_ids, emails = _RosterKeys(roster, "person_id", True), _RosterKeys(roster, "email", False)
    ids = _lookup_values(completions, "person_id")
    id_pos = roster_ids.positions(ids)
    completion_emails = _lookup_values(completions, "email")
    email_pos = np.full(len(completions), -1)
    no_id = np.flatnonzero(id_pos < 0)
    email_pos[no_id] = emails.positions(completion_emails[no_id])
    rescued = no_id[_present(ids[no_id]) & (email_pos[no_id] >= 0)]
    notes: list[str] = []
    ignored = np.zeros(len(completions), dtype=bool)
    if len(rescued):
        files, file_names = pd.factorize(_values(completions, "source_file"), use_na_sentinel=False)
        suspect = np.bincount(files[rescued], minlength=len(file_names)) > 0
        checked = np.flatnonzero((id_pos >= 0) & suspect[files])
        email_pos[checked] = emails.positions(completion_emails[checked])
        id_hits = np.bincount(
            files[checked[_present(completion_emails[checked])]], minlength=len(file_names)
        )
        email_hits = np.bincount(files[rescued], minlength=len(file_names)) + np.bincount(
            files[checked[email_pos[checked] >= 0]], minlength=len(file_names)
        )
        ignored_files = id_hits * ID_TO_EMAIL_RATIO < email_hits
        notes += [
            _ignored_note(file_names[f], id_hits[f], email_hits[f])
            for f in np.flatnonzero(ignored_files)
        ]
        ignored = ignored_files[files]
    by_id = (id_pos >= 0) & ~ignored
    by_email = ~by_id & (email_pos >= 0)
    position = np.where(by_id, id_pos, email_pos)
    matched = by_id | by_email

    rows = np.flatnonzero(matched)
    emailed = int((by_email & ~ignored).sum())
    if emailed:
        notes.append(f"{emailed} completions matched by email (no matching ID)")
    unmatched = completions.take(np.flatnonzero(~matched))
    if len(unmatched):
        notes.append(f"{len(unmatched)} completions matched nobody on the roster (by ID or email)")
    return MatchResult(
        completions,
        rows,
        roster_ids.values,
        roster_ids.keys_in_order,
        position[rows],
        unmatched,
        notes,
    )


def _ignored_note(file: object, id_hits: int, email_hits: int) -> str:
    name = file if isinstance(file, str) else NO_FILE
    return (
        f"column person_id ignored for matching in {name}: its values match "
        f"{id_hits} roster IDs but the same rows' emails match {email_hits} roster "
        "emails, so they look like the learning system's own user numbers; matched by "
        "email instead"
    )


def _take(frame: pd.DataFrame, rows: np.ndarray, person_id: np.ndarray) -> pd.DataFrame:
    """``frame``'s ``rows`` with ``person_id`` replaced (and last when it was not there).

    Column by column into a frame that is not consolidated: ``DataFrame.take`` copies the
    whole text block and replacing a column in it copies the block again. Numpy columns go
    in as arrays (a ``NumpyExtensionArray`` makes the constructor inspect every value).
    """
    columns = {
        name: _array(frame[name]).take(rows) for name in frame.columns if name != "person_id"
    }
    columns["person_id"] = person_id
    order = list(frame.columns) if "person_id" in frame else [*frame.columns, "person_id"]
    index = frame.index.take(rows)
    return pd.DataFrame({name: columns[name] for name in order}, index=index, copy=False)


def _array(column: pd.Series) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """The column's values, not copied: a numpy array for numpy dtypes."""
    return column.to_numpy() if isinstance(column.dtype, np.dtype) else column.array


def _values(frame: pd.DataFrame, column: str) -> np.ndarray:
    """The column as an object array (all ``None`` when absent), not copied: ``np.asarray``
    of the pandas array skips the missing-value scan ``Series.to_numpy`` makes for text."""
    if column not in frame:
        return np.full(len(frame), None, dtype=object)
    return np.asarray(frame[column].array, dtype=object)


class _RosterKeys:
    """The roster's IDs or emails, hashed once, to look completion values up in.

    A key shared by several roster rows matches nobody (``keep_first``: the first of them
    is kept, for IDs the loaders already refuse); missing and empty keys match nobody.

    The distinct keys go straight into pandas' own hash table for Python objects: through
    ``Index.get_indexer`` every lookup of 3,000,000 values would first be scanned to infer
    their type and the index checked for uniqueness (together about a third of the lookup).
    """

    def __init__(self, roster: pd.DataFrame, column: str, keep_first: bool) -> None:
        self.values = _values(roster, column)
        keys = self.values
        if column == "person_id":  # the roster shows IDs as written; they match by key
            keys = id_keys(keys)
        self.keys_in_order = keys
        codes, uniques = pd.factorize(keys)
        keyed = np.flatnonzero(codes >= 0)
        _, first, count = np.unique(codes[keyed], return_index=True, return_counts=True)
        self.table = hashtable.PyObjectHashTable(len(uniques))
        # The table borrows its keys: they must live as long as it does.
        self.keys = np.asarray(uniques, dtype=object)
        self.table.map_locations(self.keys)
        self.position = np.append(np.where(keep_first | (count == 1), keyed[first], -1), -1)
        self.position[self.table.lookup(np.array([""], dtype=object))] = -1  # -1: none empty

    def positions(self, values: np.ndarray | pd.api.extensions.ExtensionArray) -> np.ndarray:
        """Roster position of each value, -1 when it matches nobody.

        Only the distinct values are looked up: a categorical's categories, Arrow's
        distinct values, else one of each distinct object (see :func:`factorize_text`),
        which is cheaper than looking every row up (rows repeat a person's ID, and the
        table of distinct values stays in cache). Equal text in several objects is just
        looked up more than once: hashing the objects' text to merge them costs more."""
        if isinstance(values, pd.Categorical):
            codes, uniques = values.codes, np.asarray(values.categories, dtype=object)
        elif isinstance(values, pd.api.extensions.ExtensionArray):
            codes, uniques = factorize_text(values)
        else:
            codes, uniques = distinct_objects(values)
        return np.append(self.position[self.table.lookup(uniques)], -1)[codes]


ALREADY_KEYS = r"^(?:[A-Z0-9]*[A-Z][A-Z0-9]*|[1-9][0-9]*|0)$"
"""IDs that ``normalise_ids`` returns as they are: upper-case ASCII letters and digits
only, and no leading zero on a number (tests/test_matching.py holds the two together)."""
NULL_KEYS = sorted(text.upper() for text in NULL_TEXTS)
"""Upper-cased "empty" texts, a plain list: an Arrow array made on import starts Arrow's
allocator in every process importing this module, and in the loaders' memory-capped
parsing children (which import it after the page tests) that left the CSV parser short."""


def id_keys(ids: np.ndarray) -> np.ndarray:
    """``normalise_ids`` of ``ids`` as an object array, calling it only on the IDs it
    could change: a roster of 300,000 IDs in their usual form (``AS100001``, ``1234``)
    is then checked by one Arrow pattern match in milliseconds instead of a second of
    string operations. IDs that are not all text go through ``normalise_ids`` whole."""
    keys = np.array(ids, dtype=object)
    try:
        text = pa.array(keys, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        todo = np.arange(len(keys))
    else:
        usual = pc.match_substring_regex(text, ALREADY_KEYS)
        usual = pc.fill_null(pc.and_(usual, pc.invert(pc.is_in(text, pa.array(NULL_KEYS)))), False)
        todo = np.flatnonzero(~usual.to_numpy(zero_copy_only=False))
    if len(todo):
        keys[todo] = np.asarray(normalise_ids(pd.Series(keys[todo], dtype=object)), dtype=object)
    return keys


def factorize_text(
    values: np.ndarray | pd.api.extensions.ExtensionArray,
) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` of text values: codes (-1 where missing) and the distinct values
    as an object array, each distinct value hashed once.

    Frames repeat one string object for every row with that text (the loaders, the store
    and a categorical all hand them over so); hashing the objects' addresses, plain
    integers, is several times faster than hashing 3,000,000 strings, which reads every
    one of them. Objects come in order of first appearance, so the values do too, and
    the result is ``pd.factorize``'s. Arrow text is dictionary-encoded by Arrow itself.
    """
    if isinstance(values, pd.api.extensions.ExtensionArray):
        codes, uniques = pd.factorize(values)
        return codes, np.asarray(uniques, dtype=object)
    by_object, objects = distinct_objects(values)
    codes, uniques = pd.factorize(objects)
    return codes[by_object], np.asarray(uniques, dtype=object)


def distinct_objects(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code per row, one of each distinct object) of an object array, in order of first
    appearance, by hashing the objects' addresses only (see :func:`factorize_text`).

    Addresses are hashed divided by 16: two live objects never overlap and each is at
    least 16 bytes, so that keeps them apart, and pandas' integer hash spreads multiples
    of 16 (what the allocator hands out) so badly that the division makes it 3x faster."""
    values = np.ascontiguousarray(values, dtype=object)
    addresses = np.frombuffer(memoryview(values).cast("B"), dtype=np.intp) >> 4
    by_object, distinct = pd.factorize(addresses)
    one_row = np.empty(len(distinct), dtype=np.intp)
    one_row[by_object] = np.arange(len(values))  # any row of an object holds that object
    return by_object, values[one_row]


def _lookup_values(
    frame: pd.DataFrame, column: str
) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """The column to look up in the roster's keys: categoricals (their categories are the
    distinct values) and Arrow text (Arrow finds the distinct values) as they are,
    anything else as an object array."""
    if column in frame and isinstance(frame[column].array, (pd.Categorical, ArrowExtensionArray)):
        return frame[column].array
    return _values(frame, column)


def _present(values: np.ndarray | pd.api.extensions.ExtensionArray) -> np.ndarray:
    """True where a value is neither missing nor empty text."""
    series = pd.Series(values, copy=False)
    return (series.notna() & series.ne("")).to_numpy(dtype=bool)
