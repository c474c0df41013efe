"""Column mappings a user corrected, remembered for the next file with the same headers.

Learning and HR systems export the same headers every month, so a correction made once
(say "Ref" is the staff number) should not be made again. A file is recognised by its
header signature: the kind and its header cells folded as the loaders fold them, in order.
Only the corrections are kept (source header -> field, ``"ignore"`` for a column the user
chose not to read), so a later improvement to detection still helps the columns the user
never touched. The corrections are passed back to the loaders as their ``mapping`` option.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Protocol

import pandas as pd

from loaders.synonyms import IGNORE
from loaders.values import fold_text


class SettingsBackend(Protocol):
    """Where remembered mappings live: ``compliance.store.Store`` or any key-value stand-in."""

    def get_setting(self, key: str) -> str | None: ...

    def set_setting(self, key: str, value: str, *, user: str) -> None: ...


def fold_headers(headers: Iterable[object]) -> list[str]:
    """``E-mail Address`` -> ``email address``: the folding the loaders match headers on."""
    cells = pd.Series([None if h is None else str(h) for h in headers], dtype="string")
    return fold_text(cells).fillna("").tolist()


def header_signature(kind: str, headers: Iterable[object]) -> str:
    """Stable key for a file layout: kind plus its folded, non-empty headers in order."""
    folded = [h for h in fold_headers(headers) if h]
    digest = hashlib.sha256("\x1f".join([kind, *folded]).encode("utf-8")).hexdigest()
    return f"mapping:{kind}:{digest[:32]}"


def corrections(detected: Mapping[str, str], chosen: Mapping[str, str]) -> dict[str, str]:
    """Source header -> field for each header whose field the user changed.

    ``detected`` and ``chosen`` both map source headers to fields; a header missing from
    one side reads as "ignored" there.
    """
    headers = dict.fromkeys([*detected, *chosen])
    changed = {h: chosen.get(h, IGNORE) for h in headers}
    return {h: f for h, f in changed.items() if f != detected.get(h, IGNORE)}


def apply_corrections(detected: Mapping[str, str], remembered: Mapping[str, str]) -> dict[str, str]:
    """The detected mapping with remembered corrections laid over it.

    A remembered field replaces any other header detected for that field, as a user
    mapping does in the loaders; a header remembered as ignored is dropped.
    """
    taken = {f for f in remembered.values() if f != IGNORE}
    merged = {h: f for h, f in detected.items() if f not in taken and h not in remembered}
    merged.update({h: f for h, f in remembered.items() if f != IGNORE})
    return merged


def recall(backend: SettingsBackend, kind: str, headers: Iterable[object]) -> dict[str, str]:
    """The corrections remembered for this layout, keyed by this file's own header spelling.

    ``{}`` when none are remembered or the entry is unreadable.
    """
    headers = [str(h) for h in headers if h is not None]
    raw = backend.get_setting(header_signature(kind, headers))
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    spelled = dict(zip(fold_headers(headers), headers, strict=True))
    remembered = dict(zip(fold_headers(data), data.values(), strict=True))
    return {spelled[h]: str(f) for h, f in remembered.items() if h in spelled}


def remember(
    backend: SettingsBackend,
    kind: str,
    headers: Iterable[object],
    fixes: Mapping[str, str],
    *,
    user: str,
) -> None:
    """Keep ``fixes`` (from :func:`corrections`) for this layout, replacing earlier ones.

    Empty ``fixes`` forget what was remembered: the user accepted the detection. A layout
    never corrected stays without a setting, so accepting detection stores (and audits)
    nothing.
    """
    key = header_signature(kind, headers)
    if not fixes and backend.get_setting(key) is None:
        return
    backend.set_setting(key, json.dumps(dict(fixes), sort_keys=True), user=user)
