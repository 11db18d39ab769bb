"""The validation flow: focal points submit measure updates and indicator values, the
secretariat approves them or returns them with a reason.

Every function takes the session and the acting user, checks permissions through
``permissions.authorize`` before touching anything, validates the input, and writes the
change with its audit record in the caller's transaction. Versions guard against lost
updates: a write based on something that changed since it was read raises ``Conflict``.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from dashboard.workflow import accounts, audit, evidence
from dashboard import labels
from dashboard.errors import Conflict, Forbidden, InvalidInput, NotFound
from dashboard.models import (
    DISAGGREGATION_COLUMNS,
    DISAGGREGATIONS,
    MEASURE_STATUSES,
    Indicator,
    IndicatorSubmission,
    IndicatorValue,
    Measure,
    MeasureProgressEvent,
    MeasureUpdate,
    Plan,
    breakdown_key,
)
from dashboard.permissions import Actor, authorize
from dashboard.plan.rollups import refresh_indicator_latest

MAX_NARRATIVE = 5000
MAX_REASON = 2000
NARRATIVE_LANGS = ("ar", "fr", "en")


# --- measure updates -----------------------------------------------------------------------


@dataclass
class UpdateForm:
    """What a focal point fills in; values arrive as the browser sent them."""

    status: str | None = None
    progress: object = None
    narrative: dict[str, str] = field(default_factory=dict)  # lang -> text
    period_start: object = None
    period_end: object = None
    links: str = ""  # one web address per line
    files: list[evidence.Upload] = field(default_factory=list)


@dataclass(frozen=True)
class CheckedUpdate:
    status: str
    progress: int
    narrative: dict[str, str]
    period_start: dt.date
    period_end: dt.date
    links: list[str]
    files: list


def measure_by_code(session: Session, code: str) -> Measure:
    measure = session.scalar(select(Measure).where(Measure.code == (code or "").strip()))
    if measure is None:
        raise NotFound(_("There is no measure with this code."))
    return measure


def as_date(value, field_name: str, message: str | None = None) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "")[:10])
    except ValueError:
        raise InvalidInput(message or _("Enter the reporting period as two dates."), field_name) from None


def _plan_years(session: Session, plan_id: int) -> tuple[int, int]:
    plan = session.get(Plan, plan_id)
    return plan.start_year, plan.end_year


def check_update(session: Session, measure: Measure, form: UpdateForm, today: dt.date,
                 attached: int = 0) -> CheckedUpdate:
    """Validate an update form against the measure; raises ``InvalidInput`` on the first fault.

    ``attached`` counts the evidence a returned update already has (it stays attached).
    """
    if form.status not in MEASURE_STATUSES:
        raise InvalidInput(_("Choose a status."), "status")
    try:
        progress_value = float(str(form.progress).strip().replace(",", "."))
    except (TypeError, ValueError):
        progress_value = math.nan
    if not math.isfinite(progress_value) or progress_value != int(progress_value) \
            or not 0 <= progress_value <= 100:
        raise InvalidInput(_("Progress must be a whole number from 0 to 100."), "progress")
    progress = int(progress_value)
    if form.status == "completed" and progress != 100:
        raise InvalidInput(_("A completed measure has a progress of 100%."), "progress")
    if form.status == "not_started" and progress != 0:
        raise InvalidInput(_("A measure that has not started has a progress of 0%."), "progress")
    narrative = {lang: (form.narrative.get(lang) or "").strip() for lang in NARRATIVE_LANGS}
    if not any(narrative.values()):
        raise InvalidInput(_("Describe what was done, in at least one language."), "narrative")
    if any(len(text) > MAX_NARRATIVE for text in narrative.values()):
        raise InvalidInput(_("A narrative has at most %(n)d characters.", n=MAX_NARRATIVE), "narrative")
    start = as_date(form.period_start, "period")
    end = as_date(form.period_end, "period")
    first_year, last_year = _plan_years(session, measure.plan_id)
    if start > end:
        raise InvalidInput(_("The reporting period ends before it starts."), "period")
    if start.year < first_year or end.year > last_year:
        raise InvalidInput(_("The reporting period must fall within the plan, %(start)d to %(end)d.",
                             start=first_year, end=last_year), "period")
    if end > today:
        raise InvalidInput(_("The reporting period cannot end in the future."), "period")
    links = evidence.parse_links(form.links)
    files = evidence.check_uploads(form.files)
    if not links and not files and not attached:
        raise InvalidInput(_("Give at least one piece of evidence: a link or a file."), "evidence")
    return CheckedUpdate(form.status, progress, narrative, start, end, links, files)


def _measure_state(measure: Measure) -> dict:
    return {"status": measure.status, "progress": measure.progress,
            "last_updated": measure.last_updated.isoformat(), "version": measure.version}


def _measure_changed(measure: Measure) -> Conflict:
    return Conflict(
        _("This measure was updated by someone else since you opened it. It now reads: "
          "%(status)s, %(progress)d%%, updated on %(date)s. Reload the page, check the new "
          "values, then submit again.",
          status=_status_label(measure.status), progress=measure.progress,
          date=measure.last_updated.isoformat()),
        _measure_state(measure),
    )


def _status_label(status: str) -> str:
    return labels.measure_status().get(status, status)


def _pending_exists() -> Conflict:
    return Conflict(_("An update of this measure is already waiting for review. Wait for the "
                      "secretariat's decision, or ask them to return it."))


def flush_or_conflict(session: Session, conflict: Conflict) -> None:
    """Flush; a lost version race or a second pending submission becomes ``conflict``."""
    try:
        session.flush()
    except (StaleDataError, IntegrityError):
        session.rollback()
        raise conflict from None


def submit_measure_update(session: Session, actor: Actor, measure_code: str, base_version,
                          form: UpdateForm, folder, today: dt.date) -> MeasureUpdate:
    """A focal point of the lead entity reports on a measure; the update waits for review."""
    measure = measure_by_code(session, measure_code)
    authorize(actor, "submit_measure_update", measure)
    if int_or_none(base_version) != measure.version:
        raise _measure_changed(measure)
    checked = check_update(session, measure, form, today)
    if session.scalar(select(MeasureUpdate.id).where(MeasureUpdate.measure_id == measure.id,
                                                     MeasureUpdate.state == "submitted")):
        raise _pending_exists()
    now = audit.utcnow()
    update = MeasureUpdate(
        measure=measure, submitted_by_id=actor.user_id, state="submitted", submitted_at=now,
        base_version=measure.version, previous_status=measure.status,
        previous_progress=measure.progress,
    )
    _apply(update, checked)
    session.add(update)
    flush_or_conflict(session, _pending_exists())
    evidence.attach(session, folder, actor, update, checked.links, checked.files, now)
    audit.record(session, actor, "measure_update.submit", "measure", measure.code,
                 _measure_state(measure), _update_snapshot(update, measure.code))
    return update


def _apply(update: MeasureUpdate, checked: CheckedUpdate) -> None:
    update.status = checked.status
    update.progress = checked.progress
    for lang in NARRATIVE_LANGS:
        setattr(update, f"narrative_{lang}", checked.narrative[lang])
    update.period_start = checked.period_start
    update.period_end = checked.period_end


def _update_snapshot(update: MeasureUpdate, code: str) -> dict:
    return {
        "update": update.id, "measure": code, "state": update.state, "status": update.status, "progress": update.progress,
        "period": f"{update.period_start.isoformat()}/{update.period_end.isoformat()}",
        "narrative": {lang: getattr(update, f"narrative_{lang}") for lang in NARRATIVE_LANGS
                      if getattr(update, f"narrative_{lang}")},
        "return_reason": update.return_reason or None, "version": update.version,
    }


def int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def get_update(session: Session, update_id) -> MeasureUpdate:
    update = session.get(MeasureUpdate, int_or_none(update_id) or 0)
    if update is None:
        raise NotFound(_("There is no such update."))
    return update


def check_version(update: MeasureUpdate, expected_version) -> None:
    if int_or_none(expected_version) != update.version:
        raise Conflict(
            _("This update was changed in the meantime: it is now %(state)s. Reload the page to see it.",
              state=_state_label(update.state)),
            {"state": update.state, "version": update.version},
        )


def _state_label(state: str) -> str:
    return {"submitted": _("waiting for review"), "returned": _("returned"),
            "approved": _("approved")}.get(state, state)


def resubmit_measure_update(session: Session, actor: Actor, update_id, expected_version, base_version,
                            form: UpdateForm, folder, today: dt.date) -> MeasureUpdate:
    """Edit a returned update and send it again; it is based on the measure as it is now."""
    update = get_update(session, update_id)
    measure = update.measure
    authorize(actor, "submit_measure_update", measure)
    check_version(update, expected_version)
    if update.state != "returned":
        raise InvalidInput(_("Only a returned update can be edited."))
    if int_or_none(base_version) != measure.version:
        raise _measure_changed(measure)
    checked = check_update(session, measure, form, today, attached=len(update.evidence))
    before = _update_snapshot(update, measure.code)
    now = audit.utcnow()
    _apply(update, checked)
    update.state = "submitted"
    update.submitted_at = now
    update.submitted_by_id = actor.user_id
    update.base_version = measure.version
    update.previous_status, update.previous_progress = measure.status, measure.progress
    flush_or_conflict(session, _pending_exists())
    evidence.attach(session, folder, actor, update, checked.links, checked.files, now)
    audit.record(session, actor, "measure_update.resubmit", "measure", measure.code,
                 before, _update_snapshot(update, measure.code))
    return update


def approve_measure_update(session: Session, actor: Actor, update_id, expected_version,
                           today: dt.date) -> MeasureUpdate:
    """The secretariat accepts an update: it becomes the measure's current state."""
    update = reviewable(session, actor, get_update, update_id, expected_version,
                         _("Only an update waiting for review can be approved."))
    measure = update.measure
    if measure.version != update.base_version:
        raise Conflict(
            _("The measure changed after this update was written (it now reads %(status)s, "
              "%(progress)d%%). Return the update so that the focal point can check it against "
              "the new values.", status=_status_label(measure.status), progress=measure.progress),
            _measure_state(measure),
        )
    before = _measure_state(measure)
    measure.status, measure.progress = update.status, update.progress
    measure.last_updated = today
    session.add(MeasureProgressEvent(measure=measure, recorded_on=today, status=update.status,
                                     progress=update.progress, note="", is_demo=False, update_id=update.id))
    decide(session, actor, update, "approved", "",
            _("Someone else reviewed this update at the same time. Reload the page to see their decision."))
    audit.record(session, actor, "measure_update.approve", "measure", measure.code, before,
                 {**_measure_state(measure), "update": update.id})
    return update


def reviewable(session: Session, actor: Actor, get, item_id, expected_version, not_pending: str):
    """The submission the secretariat decides on, after the role, version and state checks."""
    authorize(actor, "review")
    item = get(session, item_id)
    check_version(item, expected_version)
    if item.state != "submitted":
        raise InvalidInput(not_pending)
    return item


def decide(session: Session, actor: Actor, item, state: str, reason: str, raced: str) -> None:
    """Record the decision; a concurrent decision on the same version becomes ``Conflict``.

    Every kind of approval passes here, so this is where self-approval is refused: nobody
    approves their own submission, nor one from an account they reset (see accounts).
    The caller's transaction, with whatever the approval had changed, is then rolled back.
    """
    if state == "approved":
        refusal = accounts.approval_refusal(session, actor, item.submitted_by_id)
        if refusal:
            raise Forbidden(refusal)
    item.state, item.reviewed_by_id, item.reviewed_at = state, actor.user_id, audit.utcnow()
    item.return_reason = reason
    flush_or_conflict(session, Conflict(raced))


def check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for returning it, so the focal point knows what to fix."),
                           "reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("The reason has at most %(n)d characters.", n=MAX_REASON), "reason")
    return reason


def send_back(session: Session, actor: Actor, get, item_id, expected_version, reason: str, *,
              action: str, object_of, is_update: bool = False):
    """Return any kind of submission to its sender with the reviewer's reason, and audit it.

    ``object_of(item)`` gives the audit object (type, id); ``is_update`` picks the wording
    of measure updates and rollout stages ("update") over the others' ("submission").
    """
    if is_update:
        not_pending = _("Only an update waiting for review can be returned.")
        raced = _("Someone else reviewed this update at the same time. Reload the page to see their decision.")
    else:
        not_pending = _("Only a submission waiting for review can be returned.")
        raced = _("Someone else reviewed this submission at the same time. Reload the page to see their decision.")
    item = reviewable(session, actor, get, item_id, expected_version, not_pending)
    decide(session, actor, item, "returned", check_reason(reason), raced)
    key = "update" if is_update else "submission"
    audit.record(session, actor, action, *object_of(item), {key: item.id, "state": "submitted"},
                 {key: item.id, "state": "returned", "reason": item.return_reason})
    return item


def return_measure_update(session: Session, actor: Actor, update_id, expected_version,
                          reason: str) -> MeasureUpdate:
    """The secretariat sends an update back to its focal point with a reason."""
    return send_back(session, actor, get_update, update_id, expected_version, reason,
                     action="measure_update.return", object_of=lambda u: ("measure", u.measure.code),
                     is_update=True)


# --- indicator values ----------------------------------------------------------------------

PERIOD_PATTERNS = {
    "annual": re.compile(r"^(\d{4})$"),
    "semiannual": re.compile(r"^(\d{4})-S[12]$"),
    "quarterly": re.compile(r"^(\d{4})-Q[1-4]$"),
}
# Periods finer than the indicator's frequency are refused; the annual total is always allowed.
ALLOWED_PERIODS = {
    "annual": ("annual",),
    "semiannual": ("annual", "semiannual"),
    "quarterly": ("annual", "quarterly"),
}


@dataclass
class ValueForm:
    period: str = ""
    value: object = None
    breakdown: dict[str, str] = field(default_factory=dict)  # dimension -> category; empty: total
    note: str = ""
    links: str = ""
    files: list[evidence.Upload] = field(default_factory=list)


def indicator_by_code(session: Session, code: str) -> Indicator:
    indicator = session.scalar(select(Indicator).where(Indicator.code == (code or "").strip()))
    if indicator is None:
        raise NotFound(_("There is no indicator with this code."))
    return indicator


def parse_number(value) -> float:
    text = str(value if value is not None else "").strip().replace("\u00a0", "").replace(" ", "")
    text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        raise InvalidInput(_("Enter the value as a number, such as 120 or 12.5."), "value") from None
    if not math.isfinite(number):
        raise InvalidInput(_("Enter the value as a number, such as 120 or 12.5."), "value")
    return number


def check_value(session: Session, indicator: Indicator, form: ValueForm, today: dt.date
                ) -> tuple[str, int, str, dict[str, str], float]:
    """Validate a value entry: returns (period, year, breakdown key, cells, value)."""
    period = (form.period or "").strip().upper()
    year = None
    for kind in ALLOWED_PERIODS[indicator.frequency]:
        match = PERIOD_PATTERNS[kind].match(period)
        if match:
            year = int(match.group(1))
    if year is None:
        raise InvalidInput(_("Enter the period as a year (2024), or as 2024-S1 or 2024-Q3 when the "
                             "indicator is reported more often."), "period")
    plan = session.scalar(select(Plan).where(Plan.kind == "strategic").order_by(Plan.start_year))
    first_year, last_year = (plan.start_year, plan.end_year) if plan else (2023, 2030)
    if indicator.baseline_year:
        first_year = min(first_year, indicator.baseline_year)
    if not first_year <= year <= min(last_year, today.year):
        raise InvalidInput(_("The period must fall between %(start)d and %(end)d.", start=first_year,
                             end=min(last_year, today.year)), "period")
    cells = {k: v for k, v in (form.breakdown or {}).items() if v}
    for dimension, category in cells.items():
        if dimension not in (indicator.disaggregations or []) or category not in DISAGGREGATIONS.get(dimension, ()):
            raise InvalidInput(_("This indicator has no such disaggregation."), "breakdown")
    value = parse_number(form.value)
    if value < 0:
        raise InvalidInput(_("The value cannot be negative."), "value")
    if indicator.unit == "percent" and value > 100:
        raise InvalidInput(_("A percentage cannot be above 100."), "value")
    if indicator.unit == "number" and value != int(value):
        raise InvalidInput(_("A count is a whole number."), "value")
    if len(form.note or "") > MAX_NARRATIVE:
        raise InvalidInput(_("A note has at most %(n)d characters.", n=MAX_NARRATIVE), "note")
    return period, year, breakdown_key(cells), cells, value


def _published_value(session: Session, indicator_id: int, period: str, key: str) -> IndicatorValue | None:
    return session.scalar(select(IndicatorValue).where(
        IndicatorValue.indicator_id == indicator_id, IndicatorValue.period == period,
        IndicatorValue.breakdown == key))


def _pending_value() -> Conflict:
    return Conflict(_("A value for this period and disaggregation is already waiting for review."))


def _value_snapshot(item: IndicatorSubmission) -> dict:
    return {"submission": item.id, "indicator": item.indicator.code, "period": item.period, "breakdown": item.breakdown,
            "value": item.value, "previous_value": item.previous_value, "state": item.state,
            "note": item.note or None, "version": item.version}


def submit_indicator_value(session: Session, actor: Actor, indicator_code: str, form: ValueForm,
                           folder, today: dt.date) -> IndicatorSubmission:
    indicator = indicator_by_code(session, indicator_code)
    authorize(actor, "submit_indicator_value", indicator)
    period, year, key, _cells, value = check_value(session, indicator, form, today)
    links = evidence.parse_links(form.links)
    files = evidence.check_uploads(form.files)
    if session.scalar(select(IndicatorSubmission.id).where(
            IndicatorSubmission.indicator_id == indicator.id, IndicatorSubmission.period == period,
            IndicatorSubmission.breakdown == key, IndicatorSubmission.state == "submitted")):
        raise _pending_value()
    published = _published_value(session, indicator.id, period, key)
    now = audit.utcnow()
    item = IndicatorSubmission(
        indicator=indicator, submitted_by_id=actor.user_id, state="submitted", submitted_at=now,
        period=period, year=year, breakdown=key, value=value,
        previous_value=published.value if published else None, note=(form.note or "").strip(),
    )
    session.add(item)
    flush_or_conflict(session, _pending_value())
    evidence.attach(session, folder, actor, item, links, files, now)
    audit.record(session, actor, "indicator_value.submit", "indicator", indicator.code, None,
                 _value_snapshot(item))
    return item


def get_value_submission(session: Session, submission_id) -> IndicatorSubmission:
    item = session.get(IndicatorSubmission, int_or_none(submission_id) or 0)
    if item is None:
        raise NotFound(_("There is no such submission."))
    return item


def resubmit_indicator_value(session: Session, actor: Actor, submission_id, expected_version,
                             form: ValueForm, folder, today: dt.date) -> IndicatorSubmission:
    item = get_value_submission(session, submission_id)
    authorize(actor, "submit_indicator_value", item.indicator)
    check_version(item, expected_version)
    if item.state != "returned":
        raise InvalidInput(_("Only a returned submission can be edited."))
    period, year, key, _cells, value = check_value(session, item.indicator, form, today)
    links = evidence.parse_links(form.links)
    files = evidence.check_uploads(form.files)
    before = _value_snapshot(item)
    published = _published_value(session, item.indicator_id, period, key)
    now = audit.utcnow()
    item.period, item.year, item.breakdown, item.value = period, year, key, value
    item.previous_value = published.value if published else None
    item.note = (form.note or "").strip()
    item.state, item.submitted_at, item.submitted_by_id = "submitted", now, actor.user_id
    flush_or_conflict(session, _pending_value())
    evidence.attach(session, folder, actor, item, links, files, now)
    audit.record(session, actor, "indicator_value.resubmit", "indicator", item.indicator.code, before,
                 _value_snapshot(item))
    return item


def approve_indicator_value(session: Session, actor: Actor, submission_id, expected_version,
                            today: dt.date) -> IndicatorSubmission:
    """Publish a submitted value: it replaces the value of its period and cell, if any."""
    item = reviewable(session, actor, get_value_submission, submission_id, expected_version,
                       _("Only a submission waiting for review can be approved."))
    indicator = item.indicator
    published = _published_value(session, indicator.id, item.period, item.breakdown)
    current = published.value if published else None
    if current != item.previous_value:
        raise Conflict(_("The published value changed after this submission was written. Return it "
                         "so that the focal point can check it."), {"value": current})
    cells = dict(part.split("=", 1) for part in item.breakdown.split(";") if part)
    columns = {DISAGGREGATION_COLUMNS[k]: v for k, v in cells.items()}
    if published is None:
        published = IndicatorValue(indicator_id=indicator.id, period=item.period, year=item.year,
                                   breakdown=item.breakdown, value=item.value, **columns)
        session.add(published)
    published.value = item.value
    published.is_demo = False
    published.reported_on = today
    for lang in NARRATIVE_LANGS:
        setattr(published, f"source_{lang}", indicator.source(lang))
    decide(session, actor, item, "approved", "",
            _("Someone else reviewed this submission at the same time. Reload the page to see their decision."))
    refresh_indicator_latest(session, [indicator.id])
    audit.record(session, actor, "indicator_value.approve", "indicator", indicator.code,
                 {"period": item.period, "breakdown": item.breakdown, "value": current},
                 {"period": item.period, "breakdown": item.breakdown, "value": item.value,
                  "submission": item.id})
    return item


def return_indicator_value(session: Session, actor: Actor, submission_id, expected_version,
                           reason: str) -> IndicatorSubmission:
    return send_back(session, actor, get_value_submission, submission_id, expected_version, reason,
                     action="indicator_value.return", object_of=lambda i: ("indicator", i.indicator.code))
