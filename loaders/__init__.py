"""Uploaded files -> canonical frames plus a load report: the package of the loaders.

Its public names (:func:`load`, :class:`LoadResult`, ...) live in :mod:`loaders.api` and
are imported from there on first use: importing any ``loaders.*`` module imports this
package first, and the command line starts the parsing worker
(:func:`loaders.sandbox.start_worker`) before it imports pandas, so that both import at
once on two cores.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loaders.api import (
        FIELDS,
        IGNORE,
        KINDS,
        LoadResult,
        MatchCourse,
        load,
        load_completions,
        load_exemptions,
        load_roster,
        suggest_kind,
    )

__all__ = [
    "FIELDS",
    "IGNORE",
    "KINDS",
    "LoadResult",
    "MatchCourse",
    "load",
    "load_completions",
    "load_exemptions",
    "load_roster",
    "suggest_kind",
]


def __getattr__(name: str) -> object:
    """A public name, from :mod:`loaders.api` (imported the first time one is asked for)."""
    if name not in __all__:
        raise AttributeError(f"module 'loaders' has no attribute {name!r}")
    from loaders import api

    return getattr(api, name)
