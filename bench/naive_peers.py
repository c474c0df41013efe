"""Plain pandas peers for the engine benchmark: merges and a groupby, no prepared arrays.

``naive_status`` is what one would write without the engine: match completions by a
merge on ID then on email, find each pair's latest counting completion with a groupby,
and decide statuses with ``np.select``. It follows DESIGN.md's rules closely enough to
give the same status counts (the benchmark prints whether it does), so its time is a fair
peer for the engine's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from compliance.rules import Rules
from compliance.titles import fold_title

STATUS_NAMES = ("compliant", "expiring", "pending", "overdue", "exempt")


def naive_match(roster: pd.DataFrame, completions: pd.DataFrame) -> pd.DataFrame:
    """Completions with the roster ``person_id``: by ID, else by an email only one person has."""
    people = roster[["person_id"]]
    by_id = completions.merge(people, on="person_id", how="inner")
    rest = completions[~completions["person_id"].isin(people["person_id"])]
    emails = roster[["person_id", "email"]].dropna(subset=["email"])
    emails = emails[emails["email"] != ""].drop_duplicates("email", keep=False)
    by_email = rest.drop(columns="person_id").merge(emails, on="email", how="inner")
    return pd.concat([by_id, by_email], ignore_index=True)


def naive_status(
    roster: pd.DataFrame,
    matched: pd.DataFrame,
    rules: Rules,
    as_of: pd.Timestamp,
    exemptions: pd.DataFrame,
) -> pd.DataFrame:
    """(person_id, course, status) of every in-scope pair on ``as_of``."""
    d = pd.Timestamp(as_of)
    requirements = pd.DataFrame([_requirement_row(r, rules) for r in rules.requirements])
    on_date = roster[
        (roster["start_date"].isna() | (roster["start_date"] <= d))
        & (roster["leave_date"].isna() | (roster["leave_date"] >= d))
    ]
    pairs = on_date.merge(requirements, how="cross")
    pairs = pairs[_applies(pairs, rules)]
    titles = pd.concat(
        [rules.matches(matched["course"].astype("string")),
         rules.matches(matched["course_code"].astype("string"))]
    ).drop_duplicates()  # fmt: skip
    counting = titles.join(matched[["person_id", "completed_on"]], on="index")
    counting = counting.merge(requirements[["course", "not_before"]], on="course")
    counting = counting[
        (counting["completed_on"] <= d)
        & (counting["not_before"].isna() | (counting["completed_on"] >= counting["not_before"]))
    ]
    latest = counting.groupby(["person_id", "course"], as_index=False)["completed_on"].max()
    pairs = pairs.merge(latest, on=["person_id", "course"], how="left")
    renewal_due = pd.Series(pd.NaT, index=pairs.index, dtype="datetime64[ns]")
    for months, rows in pairs.groupby("renewal_months").groups.items():
        renewal_due[rows] = pairs.loc[rows, "completed_on"] + pd.DateOffset(months=int(months))
    grace_end = pairs["start_date"] + pd.to_timedelta(pairs["new_starter_days"], unit="D")
    waiting_due = pd.concat([grace_end, pairs["deadline"]], axis=1).max(axis=1)
    has = pairs["completed_on"].notna()
    due = renewal_due.where(has, waiting_due)
    renews = pairs["renewal_months"].notna()
    in_time = due >= d
    soon = (due - d).dt.days <= pairs["due_soon_days"]
    status = np.select(
        [has & ~renews, has & in_time & soon, has & in_time, has, in_time],
        ["compliant", "expiring", "compliant", "overdue", "pending"],
        "overdue",
    )
    exempt = _exempt_pairs(exemptions, rules, d)
    key = pairs["person_id"] + "\x1f" + pairs["course"]
    status = np.where(key.isin(exempt), "exempt", status)
    return pd.DataFrame(
        {"person_id": pairs["person_id"], "course": pairs["course"], "status": status}
    )


def _requirement_row(requirement, rules: Rules) -> dict:
    return {
        "course": requirement.course,
        "renewal_months": requirement.renewal_months,
        "new_starter_days": requirement.new_starter_days,
        "due_soon_days": rules.due_soon_for(requirement),
        "not_before": pd.Timestamp(requirement.not_before) if requirement.not_before else pd.NaT,
        "deadline": pd.Timestamp(requirement.deadline) if requirement.deadline else pd.NaT,
    }


def _applies(pairs: pd.DataFrame, rules: Rules) -> np.ndarray:
    keep = np.ones(len(pairs), dtype=bool)
    course = pairs["course"].to_numpy()
    for requirement in rules.requirements:
        scope, rows = requirement.applies_to, course == requirement.course
        if scope.staff_type:
            keep &= ~rows | pairs["staff_type"].str.casefold().isin(scope.staff_type).to_numpy()
        if scope.role:
            roles = [r.casefold() for r in scope.role]
            keep &= ~rows | pairs["role"].str.casefold().isin(roles).to_numpy()
        if scope.unit:
            unit = pairs["unit"].fillna("").str.casefold()
            under = np.zeros(len(pairs), dtype=bool)
            for prefix in (p.casefold() for p in scope.unit):
                under |= (unit.eq(prefix) | unit.str.startswith(prefix + " / ")).to_numpy()
            keep &= ~rows | under
    return keep


def _exempt_pairs(exemptions: pd.DataFrame, rules: Rules, d: pd.Timestamp) -> pd.Series:
    """``person_id + US + course`` of every pair an exemption covers on ``d``."""
    active = exemptions[
        (exemptions["from"].isna() | (exemptions["from"] <= d))
        & (exemptions["until"].isna() | (exemptions["until"] >= d))
    ]
    names = {fold_title(pd.Series([r.course])).iloc[0]: r.course for r in rules.requirements}
    folded = fold_title(active["course"].astype("string"))
    course = folded.map(names).fillna(rules.match_titles(active["course"].astype("string")))
    every = active[active["course"] == "*"].merge(
        pd.DataFrame({"all": list(rules.courses)}), how="cross"
    )
    named = active["person_id"] + "\x1f" + course.astype(object)
    return pd.concat([named, every["person_id"] + "\x1f" + every["all"]]).dropna()
