"""Reporting from a file, end to end: the preview of every row, then, once the focal point
confirms, every valid row sent for review as one batch in one transaction.

The confirmation reads the file again and builds the preview again: what is written is
what the focal point saw, or nothing. If the preview came out different (the data changed,
another update arrived), the confirmation is refused and the new preview shown.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.errors import Conflict, InvalidInput, NotFound, UserError
from dashboard.i18n import gettext as _
from dashboard.models import Evidence, ImportBatch, IndicatorSubmission, Measure, MeasureUpdate, StatisticSubmission
from dashboard.permissions import Actor, authorize
from dashboard.workflow import accounts, audit, evidence, review
from dashboard.workflow.imports import (
    RowPreview,
    preview_indicator_rows,
    preview_measure_rows,
    preview_statistic_rows,
)
from dashboard.workflow.reporting_files import ReportingFile, read_reporting_file
from dashboard.workflow.statistic_entries import approve_statistic, return_statistic, submit_statistic
from dashboard.workflow.submissions import (
    approve_indicator_value,
    approve_measure_update,
    return_indicator_value,
    return_measure_update,
    submit_indicator_value,
    submit_measure_update,
)


@dataclass
class FilePreview:
    file: ReportingFile
    measures: list[RowPreview]
    indicators: list[RowPreview]
    statistics: list[RowPreview]
    fingerprint: str  # the file and every row's outcome: the confirmation must find the same

    @property
    def rows(self) -> list[RowPreview]:
        return self.measures + self.indicators + self.statistics

    @property
    def ready(self) -> int:
        return sum(1 for row in self.rows if row.ok)

    @property
    def refused(self) -> int:
        return sum(1 for row in self.rows if not row.ok)


def _fingerprint(content: bytes, rows: list[RowPreview]) -> str:
    outcome = [(r.sheet, r.row, r.code, [(c.field, str(c.old), str(c.new)) for c in r.changes],
                [p.column for p in r.problems]) for r in rows]
    digest = hashlib.sha256(content)
    digest.update(json.dumps(outcome, ensure_ascii=False).encode())
    return digest.hexdigest()


def preview_file(session: Session, actor: Actor, filename: str, content: bytes, today: dt.date) -> FilePreview:
    """What the file would send, row by row, in the current language; nothing is written."""
    file = read_reporting_file(session, actor, filename, content, today)
    measures = preview_measure_rows(session, actor, file.measure_rows, today)
    indicators = preview_indicator_rows(session, actor, file.indicator_rows, today)
    figures = preview_statistic_rows(session, actor, file.statistic_rows, today)
    return FilePreview(file, measures, indicators, figures, _fingerprint(content, measures + indicators + figures))


def confirm_import(session: Session, actor: Actor, filename: str, content: bytes, fingerprint: str,
                   folder, today: dt.date, lang: str) -> ImportBatch:
    """Send every valid row of the file as one batch (the caller commits, or rolls back all)."""
    preview = preview_file(session, actor, filename, content, today)
    if preview.fingerprint != fingerprint:
        raise Conflict(_("The file or the data changed since the preview: check the new preview, then confirm "
                         "again."))
    if not preview.ready:
        raise InvalidInput(_("No row of this file can be sent: correct the rows marked in the preview."), "file")
    file = preview.file
    now = audit.utcnow()
    stored_name = evidence.store(session, folder, content, file.extension)
    batch = ImportBatch(entity_id=actor.entity_id, submitted_by_id=actor.user_id, created_at=now,
                        filename=file.filename, stored_name=stored_name, content_type=file.content_type,
                        size=len(content), sha256=hashlib.sha256(content).hexdigest(), lang=lang,
                        measure_rows=sum(1 for r in preview.measures if r.ok),
                        indicator_rows=sum(1 for r in preview.indicators if r.ok),
                        statistic_rows=sum(1 for r in preview.statistics if r.ok))
    session.add(batch)
    session.flush()
    for row in preview.measures:
        if row.ok:
            update = submit_measure_update(session, actor, row.code, _measure_version(session, row.code),
                                           row.form, folder, today, batch=batch)
            update.evidence.append(_file_evidence(batch, actor, now))
    for row in preview.indicators:
        if row.ok:
            item = submit_indicator_value(session, actor, row.code, row.form, folder, today, batch=batch)
            item.evidence.append(_file_evidence(batch, actor, now))
    for row in preview.statistics:  # a figure names its source document: no evidence files
        if row.ok:
            try:
                submit_statistic(session, actor, row.form, today, lang, batch=batch)
            except UserError as error:  # a figure that contradicts one sent on an earlier row
                raise type(error)(f"{row.sheet} {row.row}: {error.message}") from None
    audit.record(session, actor, "import.confirm", "import_batch", batch.id, None, {
        "file": file.filename, "sha256": batch.sha256, "size": batch.size, "stored_name": stored_name,
        "measure_updates": batch.measure_rows, "indicator_values": batch.indicator_rows,
        "national_figures": batch.statistic_rows,
        "rows_left_out": preview.refused,
    })
    session.flush()
    return batch


def _measure_version(session: Session, code: str) -> int:
    return session.scalar(select(Measure.version).where(Measure.code == code)) or 0


def _file_evidence(batch: ImportBatch, actor: Actor, now: dt.datetime) -> Evidence:
    """The batch's file, stored once, as one more piece of evidence of each of its rows."""
    return Evidence(kind="file", filename=batch.filename, stored_name=batch.stored_name,
                    content_type=batch.content_type, size=batch.size, sha256=batch.sha256,
                    uploaded_by_id=actor.user_id, uploaded_at=now)


# --- the review desk: a file's rows decided together ----------------------------------------------

DECISIONS = ("approve", "return")
MAX_CHOICES = 5000


@dataclass(frozen=True)
class RowChoice:
    """A row the reviewer ticked: "measure_update:12:3" (kind, id, the version they saw)."""

    kind: str
    id: int
    version: int

    @classmethod
    def parse(cls, value) -> RowChoice | None:
        parts = value.split(":") if isinstance(value, str) else []
        if len(parts) != 3 or parts[0] not in ROW_KINDS:
            return None
        number, version = accounts.as_id(parts[1]), accounts.as_id(parts[2])
        if number is None or version is None:
            return None
        return cls(parts[0], number, version)

    def value(self) -> str:
        return f"{self.kind}:{self.id}:{self.version}"


ROW_KINDS = {
    "measure_update": (MeasureUpdate, approve_measure_update, return_measure_update),
    "indicator_value": (IndicatorSubmission, approve_indicator_value, return_indicator_value),
    "statistic": (StatisticSubmission, approve_statistic, return_statistic),
}


def _row_name(kind: str, item) -> str:
    if kind == "measure_update":
        return item.measure.code
    if kind == "indicator_value":
        return item.indicator.code
    return f"{item.series} {item.year} {item.breakdown}".strip()


def decide_batch_rows(session: Session, actor: Actor, batch_id, decision: str, chosen, reason: str,
                      today: dt.date) -> int:
    """Approve, or return with one reason, the chosen rows of a file: all of them or none.

    Each row goes through the review engine as if it were decided alone (its version, its
    state, no self-approval); a refusal names the row, and the caller rolls back the rest."""
    authorize(actor, "review")
    batch = session.get(ImportBatch, accounts.as_id(batch_id) or 0)
    if batch is None:
        raise NotFound(_("There is no such file."))
    if decision not in DECISIONS:
        raise InvalidInput(_("Choose to approve or to return the rows."), "decision")
    values = chosen if isinstance(chosen, list) else []
    choices = [choice for choice in map(RowChoice.parse, values[:MAX_CHOICES]) if choice is not None]
    if not choices:
        raise InvalidInput(_("Tick at least one row."), "rows")
    if decision == "return":
        reason = review.check_reason(reason)
    for choice in choices:
        model, approve, send_back = ROW_KINDS[choice.kind]
        item = session.get(model, choice.id)
        if item is None or item.batch_id != batch.id:
            raise InvalidInput(_("A ticked row is not in this file: reload the page."), "rows")
        code = _row_name(choice.kind, item)
        try:
            if decision == "approve":
                approve(session, actor, choice.id, choice.version, today)
            else:
                send_back(session, actor, choice.id, choice.version, reason)
        except UserError as error:
            raise type(error)(f"{code}: {error.message}") from None
    audit.record(session, actor, f"import.{decision}", "import_batch", batch.id, None, {
        "file": batch.filename, "rows": [choice.value() for choice in choices],
        **({"reason": reason} if decision == "return" else {}),
    })
    return len(choices)
