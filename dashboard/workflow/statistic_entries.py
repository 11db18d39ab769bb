"""Yearly national figures entered by the focal points of the bodies that produce them (the
Public Prosecution, the CSPJ, the DGSN, the Royal Gendarmerie and the commission's
secretariat), through the same validation flow as measure updates (the review engine's, ``STATISTICS``).

A figure belongs to its producer: a focal point enters only their own body's figures, and an
approved entry becomes a ``Statistic`` of that publisher, never merged with another's.
A figure that would make its table (publisher, series, year) contradict itself is refused,
on entry and again on approval (``statistic_consistency``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TypedDict

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from dashboard import labels
from dashboard.errors import Conflict, InvalidInput
from dashboard.i18n import current_lang, fmt_number
from dashboard.i18n import gettext as _
from dashboard.models import (
    STATISTIC_BREAKDOWNS,
    STATISTIC_SERIES,
    Entity,
    Statistic,
    StatisticSubmission,
    breakdown_key,
)
from dashboard.national import statistic_consistency as consistency
from dashboard.national import statistics
from dashboard.permissions import Actor, authorize
from dashboard.plan.queries import entity_of
from dashboard.workflow import audit, review
from dashboard.workflow.review import int_or_none
from dashboard.workflow.submissions import MAX_NARRATIVE, Problems, parse_number

FIRST_YEAR = 2016  # Law 27.14 on trafficking in persons
MAX_BREAKDOWN_DIMENSIONS = 2
# National yearly counts run in the hundreds: a larger number is a typing error.
MAX_COUNT = 100_000
MAX_DOCUMENT = 500
# A change from the year before larger than this share is flagged for the reviewer.
CHANGE_FLAG = 0.5


@dataclass
class StatisticForm:
    """What a focal point fills in; values arrive as the browser sent them."""

    series: str | None = None
    year: object = None
    breakdown: dict[str, str] = field(default_factory=dict)  # dimension -> category; empty: total
    value: object = None
    document: str = ""  # the report or register the figure comes from
    note: str = ""


@dataclass(frozen=True)
class CheckedStatistic:
    series: str
    year: int
    breakdown: str
    value: float
    document: str
    note: str


def producer_of(session: Session, actor: Actor) -> Entity | None:
    """The body whose figures this user enters (None for other users)."""
    return entity_of(session, actor)


def check_statistic(form: StatisticForm, today: dt.date) -> CheckedStatistic:
    """Validate an entry; raises one ``InvalidInput`` listing every fault (``problems``),
    whose ``message`` and ``field`` are the first one's."""
    problems = Problems()
    series = form.series if isinstance(form.series, str) and form.series in STATISTIC_SERIES else None
    if series is None:
        problems.add(_("Choose what is counted."), "series")
    year = int_or_none(form.year)
    if year is None or not FIRST_YEAR <= year <= today.year:
        problems.add(_("The year must fall between %(start)d and %(end)d.", start=FIRST_YEAR, end=today.year),
                     "year")
    breakdown = form.breakdown if isinstance(form.breakdown, dict) else {}
    cells = {key: value for key, value in breakdown.items() if value}
    if len(cells) > MAX_BREAKDOWN_DIMENSIONS:
        problems.add(_("A figure can be broken down along two dimensions at most."), "breakdown")
    elif any(category not in STATISTIC_BREAKDOWNS.get(dimension, ()) for dimension, category in cells.items()):
        problems.add(_("There is no such breakdown."), "breakdown")
    text = str(form.value if form.value is not None else "").strip()
    count_rule = _("A count is a whole number from 0 to %(max)d.", max=MAX_COUNT)
    value = None
    if any(letter in text for letter in "eE"):  # "1e6" parses as a number: not for counts
        problems.add(count_rule, "value")
    else:
        value = problems.check(parse_number, form.value)
        if value is not None and (value < 0 or value != int(value) or value > MAX_COUNT):
            problems.add(count_rule, "value")
    document = (form.document if isinstance(form.document, str) else "").strip()
    if not document:
        problems.add(_("Name the report or register the figure comes from."), "document")
    elif len(document) > MAX_DOCUMENT:
        problems.add(_("The source has at most %(n)d characters.", n=MAX_DOCUMENT), "document")
    note = (form.note if isinstance(form.note, str) else "").strip()
    if len(note) > MAX_NARRATIVE:
        problems.add(_("A note has at most %(n)d characters.", n=MAX_NARRATIVE), "note")
    problems.raise_any()
    return CheckedStatistic(series, year, breakdown_key(cells), value, document, note)


def published_figure(session: Session, entity_id: int, series: str, year: int, key: str) -> Statistic | None:
    """The publisher's current count for that year and cell, if any."""
    return statistics.current_value(session, entity_id, series, str(year), key)


# Figures of one publisher, series and year form a table that must agree with itself
# (``statistic_consistency``): checked on entry against the published figures and those
# waiting for review, and again on approval against what is published then.


def origin_labels() -> dict[str, str]:
    return {consistency.PUBLISHED: _("published"), consistency.PENDING: _("waiting for review"),
            consistency.CANDIDATE: _("this figure")}


def cell_label(key: str, names: dict[str, str]) -> str:
    """"Sex: Female, Age group: Child"; "the total" for the total."""
    if not key:
        return _("the total")
    dimensions = labels.disaggregation()
    return ", ".join(f"{dimensions.get(dim, dim)}: {names.get(category, category)}"
                     for dim, _sep, category in (part.partition("=") for part in key.split(";")))


def finding_text(finding: consistency.Finding, year: int, names: dict[str, str], lang: str) -> str:
    """One contradiction in a sentence that names its figures, their values and standing."""
    origins = origin_labels()

    def figure(term: consistency.Term) -> str:
        return _("%(name)s %(value)s (%(origin)s)", name=cell_label(term.key, names),
                 value=fmt_number(term.value, lang), origin=origins.get(term.origin, term.origin))

    if finding.kind == "above":
        return _("%(figure)s is above %(parent)s for %(year)s.", figure=figure(finding.terms[0]),
                 parent=figure(finding.parent), year=year)
    return _("%(figures)s add up to %(sum)s, more than %(parent)s for %(year)s, yet these categories "
             "do not overlap.", figures=" + ".join(figure(term) for term in finding.terms),
             sum=fmt_number(finding.total, lang), parent=figure(finding.parent), year=year)


def findings_text(findings: list[consistency.Finding], year: int, names: dict[str, str], lang: str,
                  shown: int = 3) -> str:
    text = " ".join(finding_text(f, year, names, lang) for f in findings[:shown])
    if len(findings) > shown:
        text += " " + _("(and %(n)d more)", n=len(findings) - shown)
    return text


def _lock_publisher(session: Session, entity_id: int) -> None:
    """Entries and approvals of one publisher are checked one at a time: this no-op write
    holds the publisher's row (PostgreSQL) or the database's write lock (SQLite) until the
    transaction ends, so two figures checked at once cannot each miss the other."""
    session.execute(update(Entity).where(Entity.id == entity_id).values(kind=Entity.kind)
                    .execution_options(synchronize_session=False))


def published_table(session: Session, entity_id: int, series: str, year: int) -> dict[str, consistency.Entry]:
    """The counts now published for a publisher, series and year, by breakdown key."""
    rows = session.execute(select(Statistic.breakdown, Statistic.value).where(
        Statistic.entity_id == entity_id, Statistic.series == series, Statistic.period == str(year),
        Statistic.unit == "count"))
    return {key: consistency.Entry(value, consistency.PUBLISHED) for key, value in rows}


def _pending_table(session: Session, entity_id: int, series: str, year: int,
                   own_id: int | None) -> dict[str, consistency.Entry]:
    query = select(StatisticSubmission.breakdown, StatisticSubmission.value).where(
        StatisticSubmission.entity_id == entity_id, StatisticSubmission.series == series,
        StatisticSubmission.year == year, StatisticSubmission.state == "submitted")
    if own_id is not None:
        query = query.where(StatisticSubmission.id != own_id)
    return {key: consistency.Entry(value, consistency.PENDING) for key, value in session.execute(query)}


def _with(table: dict, key: str, value: float) -> dict:
    return {**table, key: consistency.Entry(value, consistency.CANDIDATE)}


def check_consistency(session: Session, entity_id: int, checked: CheckedStatistic, own_id: int | None,
                      lang: str) -> None:
    """Refuse an entry that contradicts the publisher's published figures, or those waiting
    for review (each as it would be published), for that series and year."""
    table = {**published_table(session, entity_id, checked.series, checked.year),
             **_pending_table(session, entity_id, checked.series, checked.year, own_id)}
    found = consistency.introduced(table, _with(table, checked.breakdown, checked.value),
                                   statistics.EXHAUSTIVE)
    if found:
        names = statistics.category_names(session, lang)
        raise InvalidInput(_("This figure contradicts your body's other figures. %(findings)s Correct this "
                             "figure, or the other one first.",
                             findings=findings_text(found, checked.year, names, lang)), "value")


def approval_findings(session: Session, item: StatisticSubmission) -> list[consistency.Finding]:
    """What publishing the submission would make the published table contradict."""
    table = published_table(session, item.entity_id, item.series, item.year)
    return consistency.introduced(table, _with(table, item.breakdown, item.value), statistics.EXHAUSTIVE)


class YearOnYear(TypedDict):
    previous_year: int
    previous_value: float | None  # None: nothing published for the year before
    change: float | None
    ratio: float | None  # change / previous value; None when there is nothing to divide by
    flagged: bool


def year_on_year(session: Session, item: StatisticSubmission) -> YearOnYear:
    """The change from the publisher's published figure of the year before, same series and
    breakdown; flagged above ``CHANGE_FLAG`` or when there is nothing to compare with."""
    previous = published_figure(session, item.entity_id, item.series, item.year - 1, item.breakdown)
    if previous is None:
        return {"previous_year": item.year - 1, "previous_value": None, "change": None, "ratio": None,
                "flagged": True}
    change = item.value - previous.value
    ratio = change / previous.value if previous.value else None
    flagged = abs(ratio) > CHANGE_FLAG if ratio is not None else change != 0
    return {"previous_year": item.year - 1, "previous_value": previous.value, "change": change,
            "ratio": ratio, "flagged": flagged}


def _object_id(entity: Entity, item: StatisticSubmission) -> str:
    return f"{entity.acronym}:{item.series}:{item.year}"[:80]


class Statistics(review.ReviewKind[StatisticSubmission]):
    """A producer's focal point enters a yearly figure of their own body."""

    name = action = "statistic"
    model = StatisticSubmission
    submit_permission = "submit_statistic"

    def submit_target(self, session: Session, actor: Actor, item: StatisticSubmission) -> Entity:
        return item.entity

    def audit_object(self, item: StatisticSubmission) -> tuple[str, str]:
        return "statistic", _object_id(item.entity, item)

    def snapshot(self, item: StatisticSubmission) -> dict:
        return {"submission": item.id, "series": item.series, "year": item.year, "breakdown": item.breakdown,
                "value": item.value, "previous_value": item.previous_value, "document": item.document,
                "state": item.state, "note": item.note or None, "version": item.version}

    def pending_exists(self) -> Conflict:
        return Conflict(_("A figure for this year and breakdown is already waiting for review."))

    def approved(self) -> str:
        return _("Approved: the figure is published under its producer.")

    def publish(self, session: Session, item: StatisticSubmission, today: dt.date, lang: str | None) -> dict:
        """Publish the figure under its producer; it replaces that producer's figure for the cell.
        Refused when the published table would then contradict itself."""
        _lock_publisher(session, item.entity_id)
        published = published_figure(session, item.entity_id, item.series, item.year, item.breakdown)
        current = published.value if published else None
        if current != item.previous_value:
            raise Conflict(_("The published value changed after this submission was written. Return it "
                             "so that the focal point can check it."), {"value": current})
        found = approval_findings(session, item)
        if found:
            lang = lang or current_lang()
            names = statistics.category_names(session, lang)
            raise Conflict(_("Approving this figure would publish figures that contradict each other. "
                             "%(findings)s Return it so that the focal point can correct it.",
                             findings=findings_text(found, item.year, names, lang)),
                           {"findings": [finding_text(f, item.year, names, lang) for f in found]})
        statistics.upsert(session, entity_id=item.entity_id, series=item.series, period=str(item.year),
                          breakdown=item.breakdown, value=item.value, document=item.document,
                          citation=item.document[:300], submission_id=item.id,
                          note=item.note)
        return {"breakdown": item.breakdown, "value": current}

    def published(self, session: Session, item: StatisticSubmission) -> dict:
        return {"breakdown": item.breakdown, "value": item.value, "submission": item.id, "document": item.document}


STATISTICS = Statistics()


def _raise_if_pending(session: Session, entity_id: int, checked: CheckedStatistic, own_id: int | None) -> None:
    query = select(StatisticSubmission.id).where(
        StatisticSubmission.entity_id == entity_id, StatisticSubmission.series == checked.series,
        StatisticSubmission.year == checked.year, StatisticSubmission.breakdown == checked.breakdown,
        StatisticSubmission.state == "submitted")
    if own_id is not None:
        query = query.where(StatisticSubmission.id != own_id)
    if session.scalar(query):
        raise STATISTICS.pending_exists()


def _fill(session: Session, item: StatisticSubmission, checked: CheckedStatistic) -> None:
    published = published_figure(session, item.entity_id, checked.series, checked.year, checked.breakdown)
    item.series, item.year, item.breakdown = checked.series, checked.year, checked.breakdown
    item.value, item.document, item.note = checked.value, checked.document, checked.note
    item.previous_value = published.value if published else None


def submit_statistic(session: Session, actor: Actor, form: StatisticForm, today: dt.date,
                     lang: str | None = None, batch=None) -> StatisticSubmission:
    """A producer's focal point sends a yearly figure of their own body for review
    (``batch``: the ``ImportBatch`` of the reporting file it came from)."""
    entity = producer_of(session, actor)
    authorize(actor, "submit_statistic", entity)
    checked = check_statistic(form, today)
    _lock_publisher(session, entity.id)
    check_consistency(session, entity.id, checked, None, lang or current_lang())
    _raise_if_pending(session, entity.id, checked, None)
    now = audit.utcnow()
    item = StatisticSubmission(entity_id=entity.id, submitted_by_id=actor.user_id, state="submitted",
                               submitted_at=now, batch_id=batch.id if batch is not None else None)
    _fill(session, item, checked)
    session.add(item)
    return review.send(STATISTICS, session, actor, item, "submit", None, now)


def resubmit_statistic(session: Session, actor: Actor, submission_id, expected_version,
                       form: StatisticForm, today: dt.date, lang: str | None = None) -> StatisticSubmission:
    """The focal point corrects a returned figure and sends it again."""
    item = review.editable(STATISTICS, session, actor, submission_id, expected_version)
    checked = check_statistic(form, today)
    _lock_publisher(session, item.entity_id)
    check_consistency(session, item.entity_id, checked, item.id, lang or current_lang())
    _raise_if_pending(session, item.entity_id, checked, item.id)
    before = STATISTICS.snapshot(item)
    _fill(session, item, checked)
    return review.resend(STATISTICS, session, actor, item, before)


def approve_statistic(session: Session, actor: Actor, submission_id, expected_version,
                      today: dt.date, lang: str | None = None) -> StatisticSubmission:
    """Publish the figure under its producer; refused when its table would contradict itself."""
    return review.approve(STATISTICS, session, actor, submission_id, expected_version, today, lang)


def return_statistic(session: Session, actor: Actor, submission_id, expected_version,
                     reason: str) -> StatisticSubmission:
    return review.send_back(STATISTICS, session, actor, submission_id, expected_version, reason)


def entries_of(session: Session, actor: Actor) -> list[StatisticSubmission]:
    """The entries of the actor's body, newest first (the focal point's own list)."""
    entity = producer_of(session, actor)
    authorize(actor, "submit_statistic", entity)
    return list(session.scalars(
        select(StatisticSubmission).where(StatisticSubmission.entity_id == entity.id)
        .options(selectinload(StatisticSubmission.submitted_by), selectinload(StatisticSubmission.reviewed_by))
        .order_by(StatisticSubmission.submitted_at.desc())))
