"""Measure updates and indicator values: what a focal point may send, and what approving
one changes. The flow they share with the other kinds (versions, review, decisions, audit)
is the review engine's (``review``); ``MEASURE_UPDATES`` and ``INDICATOR_VALUES`` are their
adapters.

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

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import labels
from dashboard.errors import Conflict, InvalidInput, NotFound
from dashboard.i18n import gettext as _
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
from dashboard.workflow import audit, evidence, review
from dashboard.workflow.review import Attachments, int_or_none

MAX_NARRATIVE = 5000
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


class Problems:
    """Every fault of a form, collected so that the user reads them all at once."""

    def __init__(self):
        self.items: list[tuple[str, str]] = []

    def add(self, message: str, field_name: str) -> None:
        self.items.append((field_name, message))

    def check(self, check, *args):
        """``check(*args)``, or None after noting the ``InvalidInput`` it raised."""
        try:
            return check(*args)
        except InvalidInput as error:
            self.items.extend(error.problems)
            return None

    def raise_any(self) -> None:
        if self.items:
            raise InvalidInput.of(self.items)


def check_update(session: Session, measure: Measure, form: UpdateForm, today: dt.date,
                 attached: int = 0) -> CheckedUpdate:
    """Validate an update form against the measure; raises one ``InvalidInput`` listing every
    fault (``problems``), whose ``message`` and ``field`` are the first one's.

    ``attached`` counts the evidence a returned update already has (it stays attached).
    """
    problems = Problems()
    status = form.status if isinstance(form.status, str) and form.status in MEASURE_STATUSES else None
    if status is None:
        problems.add(_("Choose a status."), "status")
    try:
        progress_value = float(str(form.progress).strip().replace(",", "."))
    except (TypeError, ValueError):
        progress_value = math.nan
    progress = None
    if not math.isfinite(progress_value) or progress_value != int(progress_value) \
            or not 0 <= progress_value <= 100:
        problems.add(_("Progress must be a whole number from 0 to 100."), "progress")
    else:
        progress = int(progress_value)
        if status == "completed" and progress != 100:
            problems.add(_("A completed measure has a progress of 100%."), "progress")
        if status == "not_started" and progress != 0:
            problems.add(_("A measure that has not started has a progress of 0%."), "progress")
    narrative = {lang: (text if isinstance(text := form.narrative.get(lang), str) else "").strip()
                 for lang in NARRATIVE_LANGS}
    if not any(narrative.values()):
        problems.add(_("Describe what was done, in at least one language."), "narrative")
    if any(len(text) > MAX_NARRATIVE for text in narrative.values()):
        problems.add(_("A narrative has at most %(n)d characters.", n=MAX_NARRATIVE), "narrative")
    start = problems.check(as_date, form.period_start, "period")
    end = problems.check(as_date, form.period_end, "period") if start is not None else None
    if start is not None and end is not None:
        first_year, last_year = _plan_years(session, measure.plan_id)
        if start > end:
            problems.add(_("The reporting period ends before it starts."), "period")
        elif start.year < first_year or end.year > last_year:
            problems.add(_("The reporting period must fall within the plan, %(start)d to %(end)d.",
                           start=first_year, end=last_year), "period")
        elif end > today:
            problems.add(_("The reporting period cannot end in the future."), "period")
    links = problems.check(evidence.parse_links, form.links if isinstance(form.links, str) else "")
    files = problems.check(evidence.check_uploads, form.files)
    if links is not None and files is not None and not links and not files and not attached:
        problems.add(_("Give at least one piece of evidence: a link or a file."), "evidence")
    problems.raise_any()
    return CheckedUpdate(status, progress, narrative, start, end, links, files)


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


class MeasureUpdates(review.ReviewKind[MeasureUpdate]):
    """A focal point of the lead entity reports a measure's status and progress, with evidence."""

    name = action = "measure_update"
    model = MeasureUpdate
    submit_permission = "submit_measure_update"
    is_update = True

    def submit_target(self, session: Session, actor: Actor, item: MeasureUpdate) -> Measure:
        return item.measure

    def audit_object(self, item: MeasureUpdate) -> tuple[str, str]:
        return "measure", item.measure.code

    def snapshot(self, item: MeasureUpdate) -> dict:
        return {
            "update": item.id, "measure": item.measure.code, "state": item.state, "status": item.status,
            "progress": item.progress,
            "period": f"{item.period_start.isoformat()}/{item.period_end.isoformat()}",
            "narrative": {lang: getattr(item, f"narrative_{lang}") for lang in NARRATIVE_LANGS
                          if getattr(item, f"narrative_{lang}")},
            "return_reason": item.return_reason or None, "version": item.version,
        }

    def pending_exists(self) -> Conflict:
        return Conflict(_("An update of this measure is already waiting for review. Wait for the "
                          "secretariat's decision, or ask them to return it."))

    def approved(self) -> str:
        return _("Approved: the measure's status and progress are updated.")

    def publish(self, session: Session, item: MeasureUpdate, today: dt.date, lang: str | None) -> dict:
        """The update becomes the measure's current state, and a dated step of its history."""
        measure = item.measure
        if measure.version != item.base_version:
            raise Conflict(
                _("The measure changed after this update was written (it now reads %(status)s, "
                  "%(progress)d%%). Return the update so that the focal point can check it against "
                  "the new values.", status=_status_label(measure.status), progress=measure.progress),
                _measure_state(measure),
            )
        before = _measure_state(measure)
        measure.status, measure.progress = item.status, item.progress
        measure.last_updated = today
        session.add(MeasureProgressEvent(measure=measure, recorded_on=today, status=item.status,
                                         progress=item.progress, note="", is_demo=False, update_id=item.id))
        return before

    def published(self, session: Session, item: MeasureUpdate) -> dict:
        return {**_measure_state(item.measure), "update": item.id}


MEASURE_UPDATES = MeasureUpdates()


def submit_measure_update(session: Session, actor: Actor, measure_code: str, base_version,
                          form: UpdateForm, folder, today: dt.date, batch=None) -> MeasureUpdate:
    """A focal point of the lead entity reports on a measure; the update waits for review.

    ``batch``: the ``ImportBatch`` of the file it came from, which counts as its evidence."""
    measure = measure_by_code(session, measure_code)
    authorize(actor, "submit_measure_update", measure)
    if int_or_none(base_version) != measure.version:
        raise _measure_changed(measure)
    checked = check_update(session, measure, form, today, attached=1 if batch is not None else 0)
    if session.scalar(select(MeasureUpdate.id).where(MeasureUpdate.measure_id == measure.id,
                                                     MeasureUpdate.state == "submitted")):
        raise MEASURE_UPDATES.pending_exists()
    now = audit.utcnow()
    update = MeasureUpdate(
        measure=measure, submitted_by_id=actor.user_id, state="submitted", submitted_at=now,
        base_version=measure.version, previous_status=measure.status,
        previous_progress=measure.progress, batch=batch,
    )
    _apply(update, checked)
    session.add(update)
    return review.send(MEASURE_UPDATES, session, actor, update, "submit", _measure_state(measure), now,
                       Attachments(folder, checked.links, checked.files))


def _apply(update: MeasureUpdate, checked: CheckedUpdate) -> None:
    update.status = checked.status
    update.progress = checked.progress
    for lang in NARRATIVE_LANGS:
        setattr(update, f"narrative_{lang}", checked.narrative[lang])
    update.period_start = checked.period_start
    update.period_end = checked.period_end


def resubmit_measure_update(session: Session, actor: Actor, update_id, expected_version, base_version,
                            form: UpdateForm, folder, today: dt.date, remove_evidence=()) -> MeasureUpdate:
    """Edit a returned update and send it again; it is based on the measure as it is now.

    ``remove_evidence``: ids of its evidence to take off first (in the same transaction)."""
    update = review.editable(MEASURE_UPDATES, session, actor, update_id, expected_version)
    measure = update.measure
    if int_or_none(base_version) != measure.version:
        raise _measure_changed(measure)
    before = MEASURE_UPDATES.snapshot(update)
    review.remove_evidence(MEASURE_UPDATES, session, actor, update, folder, remove_evidence)
    checked = check_update(session, measure, form, today, attached=len(update.evidence))
    _apply(update, checked)
    update.base_version = measure.version
    update.previous_status, update.previous_progress = measure.status, measure.progress
    return review.resend(MEASURE_UPDATES, session, actor, update, before,
                         Attachments(folder, checked.links, checked.files))


def withdraw_measure_update(session: Session, actor: Actor, update_id, expected_version) -> MeasureUpdate:
    """A focal point of the lead entity takes back an update that waits for review."""
    return review.withdraw(MEASURE_UPDATES, session, actor, update_id, expected_version)


def approve_measure_update(session: Session, actor: Actor, update_id, expected_version,
                           today: dt.date) -> MeasureUpdate:
    """The secretariat accepts an update: it becomes the measure's current state."""
    return review.approve(MEASURE_UPDATES, session, actor, update_id, expected_version, today)


def return_measure_update(session: Session, actor: Actor, update_id, expected_version,
                          reason: str) -> MeasureUpdate:
    """The secretariat sends an update back to its focal point with a reason."""
    return review.send_back(MEASURE_UPDATES, session, actor, update_id, expected_version, reason)


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
    """Validate a value entry: returns (period, year, breakdown key, cells, value).

    Raises one ``InvalidInput`` listing every fault (``problems``); its ``message`` and
    ``field`` are the first one's."""
    problems = Problems()
    period = (form.period if isinstance(form.period, str) else "").strip().upper()
    year = None
    for kind in ALLOWED_PERIODS[indicator.frequency]:
        match = PERIOD_PATTERNS[kind].match(period)
        if match:
            year = int(match.group(1))
    if year is None:
        problems.add(_("Enter the period as a year (2024), or as 2024-S1 or 2024-Q3 when the "
                       "indicator is reported more often."), "period")
    else:
        plan = session.scalar(select(Plan).where(Plan.kind == "strategic").order_by(Plan.start_year))
        first_year, last_year = (plan.start_year, plan.end_year) if plan else (2023, 2030)
        if indicator.baseline_year:
            first_year = min(first_year, indicator.baseline_year)
        if not first_year <= year <= min(last_year, today.year):
            problems.add(_("The period must fall between %(start)d and %(end)d.", start=first_year,
                           end=min(last_year, today.year)), "period")
    breakdown = form.breakdown if isinstance(form.breakdown, dict) else {}
    cells = {k: v for k, v in breakdown.items() if v}
    for dimension, category in cells.items():
        if dimension not in (indicator.disaggregations or []) or category not in DISAGGREGATIONS.get(dimension, ()):
            problems.add(_("This indicator has no such disaggregation."), "breakdown")
            break
    value = problems.check(parse_number, form.value)
    if value is not None:
        if value < 0:
            problems.add(_("The value cannot be negative."), "value")
        elif indicator.unit == "percent" and value > 100:
            problems.add(_("A percentage cannot be above 100."), "value")
        elif indicator.unit == "number" and value != int(value):
            problems.add(_("A count is a whole number."), "value")
    if len(form.note if isinstance(form.note, str) else "") > MAX_NARRATIVE:
        problems.add(_("A note has at most %(n)d characters.", n=MAX_NARRATIVE), "note")
    problems.raise_any()
    return period, year, breakdown_key(cells), cells, value


def _checked_value(session: Session, indicator: Indicator, form: ValueForm, today: dt.date):
    """``check_value`` and the evidence of the form, every fault reported at once."""
    problems = Problems()
    checked = problems.check(check_value, session, indicator, form, today)
    links = problems.check(evidence.parse_links, form.links if isinstance(form.links, str) else "")
    files = problems.check(evidence.check_uploads, form.files)
    problems.raise_any()
    return checked, links, files


def published_value(session: Session, indicator_id: int, period: str, key: str) -> IndicatorValue | None:
    return session.scalar(select(IndicatorValue).where(
        IndicatorValue.indicator_id == indicator_id, IndicatorValue.period == period,
        IndicatorValue.breakdown == key))


class IndicatorValues(review.ReviewKind[IndicatorSubmission]):
    """A focal point of the responsible entity reports an indicator's value for a period and cell."""

    name = action = "indicator_value"
    model = IndicatorSubmission
    submit_permission = "submit_indicator_value"

    def submit_target(self, session: Session, actor: Actor, item: IndicatorSubmission) -> Indicator:
        return item.indicator

    def audit_object(self, item: IndicatorSubmission) -> tuple[str, str]:
        return "indicator", item.indicator.code

    def snapshot(self, item: IndicatorSubmission) -> dict:
        return {"submission": item.id, "indicator": item.indicator.code, "period": item.period,
                "breakdown": item.breakdown, "value": item.value, "previous_value": item.previous_value,
                "state": item.state, "note": item.note or None, "version": item.version}

    def pending_exists(self) -> Conflict:
        return Conflict(_("A value for this period and disaggregation is already waiting for review."))

    def approved(self) -> str:
        return _("Approved: the value is published.")

    def publish(self, session: Session, item: IndicatorSubmission, today: dt.date, lang: str | None) -> dict:
        """The value replaces the published value of its period and cell, if any."""
        indicator = item.indicator
        published = published_value(session, indicator.id, item.period, item.breakdown)
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
        for lang_code in NARRATIVE_LANGS:
            setattr(published, f"source_{lang_code}", indicator.source(lang_code))
        return {"period": item.period, "breakdown": item.breakdown, "value": current}

    def published(self, session: Session, item: IndicatorSubmission) -> dict:
        # After the decision's flush, which writes the new value: a race on it is a Conflict there.
        refresh_indicator_latest(session, [item.indicator_id])
        return {"period": item.period, "breakdown": item.breakdown, "value": item.value, "submission": item.id}


INDICATOR_VALUES = IndicatorValues()


def submit_indicator_value(session: Session, actor: Actor, indicator_code: str, form: ValueForm,
                           folder, today: dt.date, batch=None) -> IndicatorSubmission:
    indicator = indicator_by_code(session, indicator_code)
    authorize(actor, "submit_indicator_value", indicator)
    (period, year, key, _cells, value), links, files = _checked_value(session, indicator, form, today)
    if session.scalar(select(IndicatorSubmission.id).where(
            IndicatorSubmission.indicator_id == indicator.id, IndicatorSubmission.period == period,
            IndicatorSubmission.breakdown == key, IndicatorSubmission.state == "submitted")):
        raise INDICATOR_VALUES.pending_exists()
    published = published_value(session, indicator.id, period, key)
    now = audit.utcnow()
    item = IndicatorSubmission(
        indicator=indicator, submitted_by_id=actor.user_id, state="submitted", submitted_at=now,
        period=period, year=year, breakdown=key, value=value,
        previous_value=published.value if published else None, note=(form.note or "").strip(), batch=batch,
    )
    session.add(item)
    return review.send(INDICATOR_VALUES, session, actor, item, "submit", None, now,
                       Attachments(folder, links, files))


def resubmit_indicator_value(session: Session, actor: Actor, submission_id, expected_version,
                             form: ValueForm, folder, today: dt.date, remove_evidence=()) -> IndicatorSubmission:
    """Edit a returned value and send it again, after taking off the evidence ``remove_evidence`` names."""
    item = review.editable(INDICATOR_VALUES, session, actor, submission_id, expected_version)
    review.remove_evidence(INDICATOR_VALUES, session, actor, item, folder, remove_evidence)
    (period, year, key, _cells, value), links, files = _checked_value(session, item.indicator, form, today)
    before = INDICATOR_VALUES.snapshot(item)
    published = published_value(session, item.indicator_id, period, key)
    item.period, item.year, item.breakdown, item.value = period, year, key, value
    item.previous_value = published.value if published else None
    item.note = (form.note or "").strip()
    return review.resend(INDICATOR_VALUES, session, actor, item, before, Attachments(folder, links, files))


def withdraw_indicator_value(session: Session, actor: Actor, submission_id,
                             expected_version) -> IndicatorSubmission:
    """A focal point of the responsible entity takes back a value that waits for review."""
    return review.withdraw(INDICATOR_VALUES, session, actor, submission_id, expected_version)


def approve_indicator_value(session: Session, actor: Actor, submission_id, expected_version,
                            today: dt.date) -> IndicatorSubmission:
    """Publish a submitted value: it replaces the value of its period and cell, if any."""
    return review.approve(INDICATOR_VALUES, session, actor, submission_id, expected_version, today)


def return_indicator_value(session: Session, actor: Actor, submission_id, expected_version,
                           reason: str) -> IndicatorSubmission:
    return review.send_back(INDICATOR_VALUES, session, actor, submission_id, expected_version, reason)
