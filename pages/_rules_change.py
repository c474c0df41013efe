"""What a new rules version would change: each field old -> new, and who moves status.

The Rules editor and a requirements file on the Upload page show the same, before
anything is saved.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from compliance import import_diff, rules_table
from compliance.rules import Rules
from pages import _data, _format


def show_changes(old: Rules | None, new: Rules, as_of: pd.Timestamp) -> None:
    """The changed fields of each requirement, then the status moves on ``as_of``."""
    changes = rules_table.field_changes(old, new)
    changed = rules_table.changed_courses(old, new)
    st.markdown(f"**Changed requirements:** {_format.literal(', '.join(changed))}.")
    st.dataframe(
        changes, hide_index=True, width="stretch", placeholder="",
        column_config={"requirement": "Requirement", "field": "Field", "before": "Now",
                       "after": "After saving"},
    )
    pairs = _data.rules_preview(new, as_of)
    if pairs.empty:
        st.caption(f"No status would change on {as_of:%d %B %Y}.")
        return
    st.markdown(
        f"On {as_of:%d %B %Y}, **{len(pairs):,}** (person, course) pairs would change status: "
        "before (rows) and after (columns), and by requirement."
    )
    left, right = st.columns(2)
    left.dataframe(import_diff.moves_table(pairs), width="content", placeholder="")
    right.dataframe(
        import_diff.moves_by_course(pairs),
        hide_index=True,
        column_config={"course": "Requirement", "pairs": "Pairs moved"},
        placeholder="",
    )
