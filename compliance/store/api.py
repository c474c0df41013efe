"""``Store``: the one object pages and the CLI use to import, undo and read back data."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Engine

import loaders
from compliance.errors import RulesError, StoreError
from compliance.rules import Rules, dump_rules, load_rules
from compliance.store import columnar, demo, frames, listing
from compliance.store import imports as records
from compliance.store import settings as stored_settings
from compliance.store.accounts import Accounts
from compliance.store.audit import export_frame, read_audit, verify_audit, write_audit
from compliance.store.chain import AuditCheck
from compliance.store.imports import ImportOutcome, NewImport
from compliance.store.opening import open_engine
from compliance.store.tables import ACTIVE, KINDS, WITHDRAWN
from loaders.report import LoadReport

_LOADERS = {
    "roster": "load_roster",
    "completions": "load_completions",
    "exemptions": "load_exemptions",
}


def _no_progress(_fraction: float, _message: str) -> None:
    """Progress sink for callers that do not show any."""


class Store:
    """Imports, their state, and the current frames, in SQLite or PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None, *, environ: Mapping[str, str] | None = None) -> Store:
        """Open (creating or migrating the schema) ``url``, else ``COMPLIANCE_DB``, else SQLite.

        With ``COMPLIANCE_DB_OWNER`` in ``environ`` (default: the process environment) the
        migrations run as that owner role, which grants this store's role what it needs.
        """
        return cls(open_engine(url, os.environ if environ is None else environ))

    def import_file(
        self,
        kind: str,
        data: bytes,
        filename: str,
        *,
        user: str,
        mapping: dict[str, str] | None = None,
        course: str | None = None,
        month_first: bool | None = None,
        as_at: date | None = None,
        sheet: str | None = None,
        progress: Callable[[float, str], None] | None = None,
        demo: bool = False,
    ) -> ImportOutcome:
        """Load ``data`` with the kind's loader and store it; StoreError if unusable, or if
        it would mix demo and real data (``demo``: part of the built-in demo force)."""
        _check_kind(kind)
        progress = progress or _no_progress
        sha256 = hashlib.sha256(data).hexdigest()
        already = records.existing_outcome(self.engine, kind, sha256)
        if already is not None:
            return already
        progress(0.0, f"Reading {filename}")
        if kind == "requirements":
            return self._import_requirements(data, filename, sha256, user, progress, demo)
        options: dict[str, Any] = {"mapping": mapping, "sheet": sheet, "month_first": month_first}
        if kind == "completions":
            rules = self.rules()
            options.update(course=course, match_course=rules.match_titles if rules else None)
        result = getattr(loaders, _LOADERS[kind])(data, filename, **options)
        return self._import_result(kind, result, filename, sha256, user, as_at, progress, demo)

    def import_frame(
        self,
        kind: str,
        result: Any,
        *,
        user: str,
        data: bytes | None = None,
        filename: str | None = None,
        as_at: date | None = None,
        progress: Callable[[float, str], None] | None = None,
        demo: bool = False,
    ) -> ImportOutcome:
        """Store an already loaded ``LoadResult`` (e.g. after the upload page's preview).

        Pass the file's ``data`` so re-importing the same bytes is recognised; without it
        the frame's content is hashed instead.
        """
        _check_kind(kind, frames_only=True)
        filename = filename or result.report.file
        sha256 = (
            hashlib.sha256(data).hexdigest()
            if data is not None
            else records.frame_sha256(result.frame)
        )
        progress = progress or _no_progress
        return self._import_result(kind, result, filename, sha256, user, as_at, progress, demo)

    def save_rules(self, rules: Rules, filename: str, *, user: str) -> ImportOutcome:
        """Store ``rules`` as the next requirements version (kept as the YAML they dump to).

        While the demo force is loaded an edit of its rules is part of the demo."""
        data = dump_rules(rules).encode("utf-8")
        return self.import_file("requirements", data, filename, user=user, demo=self.demo_active())

    @property
    def accounts(self) -> Accounts:
        """Who may sign in, and their sessions."""
        return Accounts(self.engine)

    def demo_active(self) -> bool:
        """Whether the built-in demo force is loaded (any demo import active)."""
        with self.engine.connect() as connection:
            return demo.demo_active(connection)

    def remove_demo(self, *, user: str) -> tuple[int, int]:
        """Withdraw every demo import and disable the demo accounts (one audited action);
        the numbers of imports withdrawn and accounts disabled."""
        return demo.remove_demo(self.engine, user=user)

    def already_imported(self, kind: str, data: bytes) -> ImportOutcome | None:
        """The "already imported" outcome when these bytes were imported as ``kind``."""
        return records.existing_outcome(self.engine, kind, hashlib.sha256(data).hexdigest())

    def imports(self) -> pd.DataFrame:
        """Every import, oldest first; ``report`` is a one-line summary of its load report."""
        return listing.import_history(self.engine)

    def import_report(self, import_id: int) -> LoadReport:
        return listing.import_report(self.engine, import_id)

    def withdraw(self, import_id: int, *, user: str) -> None:
        """Undo an import: its rows stay, marked withdrawn, and stop counting."""
        records.set_state(self.engine, import_id, WITHDRAWN, user=user)

    def restore(self, import_id: int, *, user: str) -> None:
        records.set_state(self.engine, import_id, ACTIVE, user=user)

    def roster(self, as_of: date | pd.Timestamp) -> pd.DataFrame:
        return frames.roster(self.engine, as_of)

    def rosters(self, days: list[date | pd.Timestamp]) -> list[pd.DataFrame]:
        return frames.rosters(self.engine, days)

    def roster_snapshots(self) -> pd.DataFrame:
        return frames.roster_snapshots(self.engine)

    def roster_snapshot(self, as_of: date | pd.Timestamp) -> pd.Series | None:
        """The roster import in force on ``as_of`` (id, effective_on, file, rows, state)."""
        chosen = frames.snapshots_in_force(self.engine, [as_of])
        return None if chosen.empty else chosen.iloc[0]

    def import_rows(self, import_id: int) -> pd.DataFrame:
        """The canonical rows one import holds (with ``source_file``), active or not."""
        return frames.import_rows(self.engine, import_id)

    def completions(self) -> pd.DataFrame:
        return frames.current(self.engine, "completions")

    def exemptions(self) -> pd.DataFrame:
        return frames.current(self.engine, "exemptions")

    def rules(self) -> Rules | None:
        return frames.rules(self.engine)

    def data_version(self) -> str:
        return records.data_version(self.engine)

    def get_setting(self, key: str) -> str | None:
        """A remembered value (e.g. a column mapping), None when nothing is stored."""
        return stored_settings.get_setting(self.engine, key)

    def set_setting(self, key: str, value: str, *, user: str) -> None:
        """Remember ``value`` under ``key``; audited, and a no-op when it is unchanged."""
        stored_settings.set_setting(self.engine, key, value, user=user)

    def audit(
        self,
        *,
        user: str,
        action: str,
        detail: str,
        purpose: str | None = None,
        recipient: str | None = None,
        sha256: str | None = None,
        rows: int | None = None,
    ) -> int:
        """Append one entry (an export, a sign-in, ...) to the hash chain; returns its id."""
        with self.engine.connect().execution_options(write=True) as connection, connection.begin():
            return write_audit(
                connection,
                user=user,
                action=action,
                detail=detail,
                purpose=purpose,
                recipient=recipient,
                sha256=sha256,
                rows=rows,
            )

    def audit_log(self, **filters: Any) -> pd.DataFrame:
        """Entries oldest first (``AUDIT_COLUMNS``); filters: ``user``, ``action``, ``since``,
        ``until`` (UTC days, inclusive)."""
        return read_audit(self.engine, **filters)

    def audit_frame(self, **filters: Any) -> pd.DataFrame:
        """``audit_log`` ready to write out: ``at`` is the UTC text the hashes cover."""
        return export_frame(read_audit(self.engine, **filters))

    def verify_audit(self) -> AuditCheck:
        """Recompute the hash chain; ``.ok``, ``.message`` (one line), ``.exit_code``."""
        return verify_audit(self.engine)

    def _import_requirements(
        self, data: bytes, filename: str, sha256: str, user: str, progress, demo_file: bool
    ) -> ImportOutcome:
        try:
            text = data.decode("utf-8-sig")
            rules = load_rules(text, filename)
        except UnicodeDecodeError as error:
            raise StoreError(f"{filename}: not UTF-8 text; save the YAML file as UTF-8") from error
        except RulesError as error:
            raise StoreError(str(error)) from error
        count = len(rules.requirements)
        report = LoadReport(
            file=filename,
            kind="requirements",
            file_type="yaml",
            rows_read=count,
            rows_loaded=count,
        )
        new = NewImport(
            "requirements", filename, sha256, report, user, count, content=text, demo=demo_file
        )
        return records.record(self.engine, new, progress)

    def _import_result(
        self, kind, result, filename, sha256, user, as_at, progress, demo_file
    ) -> ImportOutcome:
        report: LoadReport = result.report
        if not report.usable:
            raise StoreError(report.fatal_message() or f"{filename}: the file cannot be used")
        progress(0.3, "Preparing rows")
        frame = result.frame
        canonical = columnar.to_arrow(frame, frames.stored_columns(kind, frame.columns))
        new = NewImport(
            kind,
            filename,
            sha256,
            report,
            user,
            len(frame),
            canonical=canonical,
            effective_on=(as_at or date.today()) if kind == "roster" else None,
            demo=demo_file,
        )
        return records.record(self.engine, new, progress)


def _check_kind(kind: str, *, frames_only: bool = False) -> None:
    allowed = KINDS[:3] if frames_only else KINDS
    if kind not in allowed:
        raise StoreError(f"Unknown import kind {kind!r}: use one of {', '.join(allowed)}")
