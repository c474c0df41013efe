"""Course-title folding, so that exports from different systems compare equal.

Learning systems differ in case, spacing and typography ("Managing  Information –
Refresher" vs "managing information - refresher"); folding removes those differences
and nothing else.

>>> import pandas as pd
>>> titles = pd.Series(["  Managing\u00a0Information \u2013 Refresher ", "Officer\u2019s Duty"])
>>> fold_title(titles).tolist()
['managing information - refresher', "officer's duty"]
"""

from __future__ import annotations

import pandas as pd

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
QUOTES = "\"`\u00b4\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2032\u2033\uff02\uff07"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

_TABLE = str.maketrans(
    {
        **dict.fromkeys(DASHES, "-"),
        **dict.fromkeys(QUOTES, "'"),
        **dict.fromkeys(INVISIBLE, None),
    }
)


def fold_title(s: pd.Series) -> pd.Series:
    """Case-fold, make every dash ``-`` and every quote ``'``, collapse white space, trim.

    Missing values stay missing; numbers (course codes) are compared as their text.
    """
    text = s.astype("string")
    return (
        text.str.translate(_TABLE)
        .str.casefold()
        .str.replace(r"\s+", " ", regex=True)
        .str.strip()
    )
