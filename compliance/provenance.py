"""Where an incident check's evidence came from: the import behind each completion row and
the nearest roster snapshot that lists someone absent from the one in force.

``compliance.access.incident_check`` cites them; they live apart because they walk the
import history and open old imports, which none of the dashboard's other reads do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from compliance import evidence
from compliance.evidence_model import Sighting
from compliance.scope import Scope, keep_values

if TYPE_CHECKING:
    from compliance.access import StoreReader

EVENT_COLUMNS: tuple[str, ...] = (
    "person_id", "email", "course", "course_code", "completed_on", "source_row",
)
"""What makes two completion rows the same event at the same place in a file."""


def completion_imports(
    store: StoreReader, rows: pd.DataFrame, history: pd.DataFrame
) -> pd.Series:
    """The active import each completion row came from (by row label).

    A file name held by one active import names it. Several active imports of the same
    name (a learning system's monthly ``export.csv``) are read in import order and the
    row is the first that holds the same event at the same source row: the store keeps
    the earliest of identical events, so that is the one counted.
    """
    out = pd.Series(pd.NA, index=rows.index, dtype="Int64")
    active = history[history["kind"].eq("completions") & history["state"].eq("active")]
    keys = [c for c in EVENT_COLUMNS if c in rows.columns]
    for file, group in rows.groupby("source_file", sort=False):
        candidates = sorted(active.loc[active["file"].eq(file), "id"].astype(int))
        if len(candidates) == 1:
            out[group.index] = candidates[0]
            continue
        for candidate in candidates:
            waiting = group[out[group.index].isna().to_numpy()]
            if waiting.empty:
                break
            held = store.import_rows(candidate)[keys].drop_duplicates()
            hits = waiting[keys].reset_index().merge(held, on=keys)["index"]
            out[hits.to_numpy()] = candidate
    return out


def nearest_sightings(
    store: StoreReader, asked: list[str], when: pd.Timestamp, scope: Scope,
    in_force: pd.Series | None,
) -> dict[str, Sighting]:
    """For each ID key: the active roster snapshot nearest ``when`` (either side) whose
    rows in ``scope`` list the person; snapshots are read nearest first, until all found.

    Someone on the roster in force but outside ``scope`` is not sought: for that user they
    are unknown, never "not on the roster in force"."""
    waiting = {key: query for query in asked if (key := evidence.key_of(query)) is not None}
    snapshots = store.roster_snapshots()
    active = snapshots[snapshots["state"].eq("active")]
    if in_force is not None and waiting:
        whole = store.import_rows(int(in_force["id"]))
        listed = evidence.resolve(whole, tuple(waiting.values()))
        waiting = {k: q for k, q in waiting.items() if listed[q] is None}
        active = active[active["id"].ne(in_force["id"])]
    distance = (active["effective_on"] - pd.Timestamp(when)).abs()
    found: dict[str, Sighting] = {}
    for row in active.assign(_distance=distance).sort_values(["_distance", "id"]).itertuples():
        if not waiting:
            break
        roster = scope.roster(store.import_rows(int(row.id)))
        for query, person_id in evidence.resolve(roster, tuple(waiting.values())).items():
            if person_id is not None:
                person = keep_values(roster, "person_id", [person_id]).iloc[0]
                key = str(evidence.key_of(query))
                found[key] = Sighting(person, int(row.id), str(row.file), row.effective_on)
                waiting.pop(key)
    return found
