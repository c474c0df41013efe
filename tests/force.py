"""A six-person force in two divisions, its completions and an in-memory store, shared by
the tests of the dashboard's data layer (access, units, lists, sources, trend, snapshot).

The fake store has the methods ``compliance.access`` reads, over frames held in memory,
so those tests check shaping and scoping without a database; the page tests run the real
store.
"""

from __future__ import annotations

import pandas as pd

from compliance import engine, matching
from compliance.rules import rules_from_dict

AS_OF = pd.Timestamp("2024-06-30")
RULES = rules_from_dict(
    {
        "requirements": [
            {"course": "Managing Information", "renewal_months": 36, "new_starter_days": 90},
            {"course": "Taser", "renewal_months": 12, "applies_to": {"staff_type": ["officer"]}},
        ]
    }
)



def roster() -> pd.DataFrame:
    units = [
        ("North", "Response"), ("North", "Response"), ("North", "CID"),
        ("South", "Response"), ("South", "Custody"), ("South", "Custody"),
    ]
    frame = pd.DataFrame(
        {
            "person_id": ["1", "2", "3", "4", "5", "6"],
            "name": ["Ann", "Bob", "Cat", "Dan", "Eve", "Fay"],
            "email": [f"{n}@force.uk" for n in "abcdef"],
            "unit_1": [u[0] for u in units],
            "unit_2": [u[1] for u in units],
            "role": ["PC", "PS", "DC", "PC", "Detention Officer", "PC"],
            "staff_type": ["officer", "officer", "officer", "officer", "staff", "officer"],
            "start_date": pd.to_datetime(["2010-01-01"] * 5 + ["2024-06-01"]),
            "leave_date": pd.to_datetime([None] * 6),
            "manager": ["Sgt Grey", "Insp Hall", "DS Ives", "Sgt Jones", "Sgt Jones", "Sgt Jones"],
        }
    )
    frame.insert(3, "unit", frame["unit_1"] + " / " + frame["unit_2"])
    return frame


def completions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": ["1", "1", "2", "3", "4", "5"],
            "email": [None] * 6,
            "course": ["Managing Information", "Taser", "Managing Information",
                       "Managing Information", "Taser", "Managing Information"],
            "course_code": [None] * 6,
            "completed_on": pd.to_datetime(
                ["2023-01-10", "2024-01-10", "2020-01-10", "2021-07-15", "2023-03-01", "2024-02-01"]
            ),
            "source_file": ["lms.csv"] * 6,
            "source_row": [2, 3, 4, 5, 6, 7],
        }
    )


class FakeStore:
    """The store methods the dashboard uses, over frames held in memory."""

    def __init__(self, rules=RULES) -> None:
        self._rules = rules
        self.audits: list[dict] = []

    def roster(self, as_of):
        return roster()

    def rosters(self, days):
        frame = roster()
        return [frame for _ in days]

    def completions(self):
        return completions()

    def exemptions(self):
        return pd.DataFrame(
            {"person_id": ["3"], "course": ["Taser"], "from": pd.to_datetime([None]),
             "until": pd.to_datetime([None]), "reason": ["Medical"]}
        )

    def rules(self):
        return self._rules

    def imports(self):
        return pd.DataFrame(
            {
                "id": [1, 2, 3, 4],
                "kind": ["roster", "completions", "completions", "requirements"],
                "file": ["hr.xlsx", "old.csv", "lms.csv", "rules.yaml"],
                "rows": [6, 3, 6, 2],
                "at": pd.to_datetime(["2024-06-01", "2024-05-01", "2024-06-10", "2024-01-01"]),
                "state": ["active", "active", "active", "active"],
            }
        )

    def data_version(self):
        return "1"

    def import_report(self, import_id):
        raise KeyError(import_id)

    def audit(self, *, user, action, detail, purpose=None, recipient=None, sha256=None,
              rows=None):
        self.audits.append({"user": user, "action": action, "detail": detail, "purpose": purpose,
                            "recipient": recipient, "sha256": sha256, "rows": rows})


def engine_status(as_of: pd.Timestamp = AS_OF) -> pd.DataFrame:
    store = FakeStore()
    matched = matching.match_completions(roster(), completions()).completions
    return engine.compute_status(roster(), matched, RULES, as_of, store.exemptions())
