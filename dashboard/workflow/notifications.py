"""E-mail notifications: reminders before a report is due and when it is overdue, a weekly
digest, and notices when a submission was returned or approved; and the digest opt-out.

``plan_notifications`` works out what each active account should receive and has not
received yet (``NotificationSent`` keeps one row per person, kind, item and date); the
caller sends each ``Outgoing`` message and then calls ``record_sent`` for it, so a failed
delivery is tried again on the next run and a second run on the same day sends nothing new.

Each message is in the language its reader last logged in with, or the site's default
(``DASHBOARD_DEFAULT_LANG``) for someone who never logged in.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.config import LANGUAGES
from dashboard.errors import Conflict, Forbidden, InvalidInput
from dashboard.i18n import fmt_date, ngettext, using_language
from dashboard.i18n import gettext as _
from dashboard.models import (
    AuditEvent,
    Indicator,
    IndicatorSubmission,
    Measure,
    MeasureUpdate,
    NotificationSent,
    RolloutUpdate,
    StatisticSubmission,
    User,
)
from dashboard.permissions import Actor
from dashboard.workflow import audit
from dashboard.workflow.calendar import CalendarItem, reporting_calendar, state_labels

KINDS = ("reminder", "overdue", "digest", "returned", "approved")
REVIEW_ACTIONS = {"measure_update.return": "returned", "measure_update.approve": "approved",
                  "indicator_value.return": "returned", "indicator_value.approve": "approved"}
NOTICE_LOOKBACK_DAYS = 14  # reviews older than this are not announced (a first run stays quiet)
QUEUE_MODELS = {"measure updates": MeasureUpdate, "indicator values": IndicatorSubmission,
                "statistics": StatisticSubmission, "rollout": RolloutUpdate}


@dataclass(frozen=True)
class Outgoing:
    """One e-mail to one person, and the rows that record it once sent."""

    user_id: int
    address: str
    kind: str
    lang: str
    subject: str
    body: str
    links: tuple[str, ...]
    keys: tuple[tuple[str, dt.date], ...]  # (item, due_on) for each NotificationSent row


@dataclass
class Plan:
    messages: list[Outgoing] = field(default_factory=list)

    def count(self) -> dict[str, int]:
        counts = dict.fromkeys(KINDS, 0)
        for message in self.messages:
            counts[message.kind] += 1
        return counts


def _actor(user: User) -> Actor:
    return Actor(user_id=user.id, email=user.email, name=user.name, role=user.role, entity_id=user.entity_id)


def _already(session: Session, user_id: int, kind: str) -> set[tuple[str, dt.date]]:
    return {(item, due) for item, due in session.execute(
        select(NotificationSent.item, NotificationSent.due_on).where(
            NotificationSent.user_id == user_id, NotificationSent.kind == kind))}


def week_key(today: dt.date) -> tuple[str, dt.date]:
    year, week, _day = today.isocalendar()
    return f"week:{year}-W{week:02d}", today - dt.timedelta(days=today.weekday())


def _line(item: CalendarItem, base: str, lang: str) -> str:
    what = item.code if item.kind == "measure" else f"{item.code} ({item.period})"
    return f"- {fmt_date(item.due_on, lang)} · {what} {item.name} · {state_labels()[item.state]}\n  {base}{item.path}"


def _message(user: User, kind: str, lang: str, subject: str, lead: str, lines: list[str], links: list[str],
             keys: list[tuple[str, dt.date]]) -> Outgoing:
    body = "\n\n".join([_("Hello %(name)s,", name=user.name), lead, "\n".join(lines),
                        _("This message was sent by the CNCLTEH dashboard.")])
    return Outgoing(user.id, user.email, kind, lang, subject, body, tuple(links), tuple(keys))


def plan_notifications(session: Session, lang: str, today: dt.date, freshness_days: int, reminder_days: int,
                       base: str) -> Plan:
    """What every active account is owed today and was not sent yet, each in the account's
    language (``lang`` for an account that never logged in)."""
    plan = Plan()
    users = list(session.scalars(select(User).where(User.is_active.is_(True), User.is_demo.is_(False))
                                 .order_by(User.id)))
    for user in users:
        own = user.lang if user.lang in LANGUAGES else lang  # the language they last logged in with
        with using_language(own):
            if user.role == "focal_point" and user.entity_id is not None:
                _focal_point(session, plan, user, own, today, freshness_days, reminder_days, base)
            elif user.role == "secretariat" and not user.digest_opt_out:
                _secretariat_digest(session, plan, user, own, today, base)
    return plan


def _focal_point(session, plan, user, lang, today, freshness_days, reminder_days, base) -> None:
    items = reporting_calendar(session, _actor(user), lang, today, freshness_days)
    for kind, chosen in (
        ("reminder", [i for i in items if i.state in ("due", "ok") and 0 <= (i.due_on - today).days <= reminder_days]),
        ("overdue", [i for i in items if i.state == "overdue"]),
    ):
        sent = _already(session, user.id, kind)
        new = [i for i in chosen if (i.uid_key, i.due_on) not in sent]
        if not new:
            continue
        if kind == "reminder":
            subject = ngettext("CNCLTEH dashboard: %(num)d report due soon",
                               "CNCLTEH dashboard: %(num)d reports due soon", len(new))
            lead = _("These reports of your body are due within %(days)d days:", days=reminder_days)
        else:
            subject = ngettext("CNCLTEH dashboard: %(num)d report overdue",
                               "CNCLTEH dashboard: %(num)d reports overdue", len(new))
            lead = _("These reports of your body are overdue:")
        plan.messages.append(_message(
            user, kind, lang, subject, lead, [_line(i, base, lang) for i in new],
            [f"{base}{i.path}" for i in new], [(i.uid_key, i.due_on) for i in new]))
    _notices(session, plan, user, lang, today, base)
    if user.digest_opt_out:
        return
    key = week_key(today)
    if key in _already(session, user.id, "digest"):
        return
    returned = _returned_items(session, user.entity_id)
    waiting = [i for i in items if i.state == "pending"]
    due = [i for i in items if i.state in ("overdue", "due")]
    lines = [_("Due or overdue: %(n)d", n=len(due)), *[_line(i, base, lang) for i in due[:20]],
             "", _("Returned to you: %(n)d", n=len(returned)), *[f"- {label}" for label in returned[:20]],
             "", _("Waiting for review: %(n)d", n=len(waiting)), *[_line(i, base, lang) for i in waiting[:20]],
             "", _("Your work: %(url)s", url=f"{base}/my")]
    plan.messages.append(_message(user, "digest", lang, _("CNCLTEH dashboard: your week"),
                                  _("Your body's reporting this week:"), lines, [f"{base}/my"], [key]))


def _returned_items(session: Session, entity_id: int) -> list[str]:
    updates = session.scalars(select(Measure.code).join(MeasureUpdate, MeasureUpdate.measure_id == Measure.id)
                              .where(Measure.lead_entity_id == entity_id, MeasureUpdate.state == "returned")
                              .order_by(Measure.code))
    values = session.execute(select(Indicator.code, IndicatorSubmission.period)
                             .join(IndicatorSubmission, IndicatorSubmission.indicator_id == Indicator.id)
                             .where(Indicator.responsible_entity_id == entity_id,
                                    IndicatorSubmission.state == "returned").order_by(Indicator.code))
    return [*updates, *[f"{code} ({period})" for code, period in values]]


def _notices(session, plan, user, lang, today, base) -> None:
    """A submission of the user's body returned or approved since the last run."""
    since = dt.datetime.combine(today - dt.timedelta(days=NOTICE_LOOKBACK_DAYS), dt.time())
    owned_measures = set(session.scalars(select(Measure.code).where(Measure.lead_entity_id == user.entity_id)))
    owned_indicators = set(session.scalars(select(Indicator.code)
                                           .where(Indicator.responsible_entity_id == user.entity_id)))
    events = session.scalars(select(AuditEvent).where(AuditEvent.action.in_(list(REVIEW_ACTIONS)),
                                                      AuditEvent.occurred_at >= since).order_by(AuditEvent.id))
    found: dict[str, list[AuditEvent]] = defaultdict(list)
    for event in events:
        owned = owned_measures if event.object_type == "measure" else owned_indicators
        if event.object_id in owned:
            found[REVIEW_ACTIONS[event.action]].append(event)
    for kind, chosen in found.items():
        sent = _already(session, user.id, kind)
        new = [e for e in chosen if (f"event:{e.id}", e.occurred_at.date()) not in sent]
        if not new:
            continue
        lines, links = [], []
        for event in new:
            folder = "measures" if event.object_type == "measure" else "indicators"
            path = f"/{folder}/{event.object_id}"
            reason = str((event.after or {}).get("reason") or "")
            lines.append(f"- {event.object_id} · {fmt_date(event.occurred_at.date(), lang)}"
                         + (f" · {reason}" if reason and kind == "returned" else "") + f"\n  {base}{path}")
            links.append(f"{base}{path}")
        if kind == "returned":
            subject = _("CNCLTEH dashboard: a submission was returned to you")
            lead = _("The secretariat returned these submissions of your body; edit them and send them again:")
        else:
            subject = _("CNCLTEH dashboard: a submission was approved")
            lead = _("The secretariat approved these submissions of your body:")
        plan.messages.append(_message(user, kind, lang, subject, lead, lines, links,
                                      [(f"event:{e.id}", e.occurred_at.date()) for e in new]))


def _secretariat_digest(session, plan, user, lang, today, base) -> None:
    key = week_key(today)
    if key in _already(session, user.id, "digest"):
        return
    now = dt.datetime.combine(today, dt.time())
    labels = {"measure updates": _("Measure updates"), "indicator values": _("Indicator values"),
              "statistics": _("National statistics"), "rollout": _("Regional rollout")}
    lines = []
    for section, model in QUEUE_MODELS.items():
        count, oldest = session.execute(select(func.count(), func.min(model.submitted_at))
                                        .where(model.state == "submitted")).one()
        age = (now - oldest).days if oldest else 0
        lines.append(_("%(section)s: %(n)d waiting, the oldest for %(days)d days",
                       section=labels[section], n=count, days=max(age, 0)) if count
                     else _("%(section)s: nothing waiting", section=labels[section]))
    lines += ["", _("The review queue: %(url)s", url=f"{base}/review")]
    plan.messages.append(_message(user, "digest", lang, _("CNCLTEH dashboard: the review queue this week"),
                                  _("What waits for review:"), lines, [f"{base}/review"], [key]))


def email_message(item: Outgoing, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = item.subject
    message["From"] = sender
    message["To"] = item.address
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(item.body)
    message["Content-Language"] = item.lang  # after set_content, which clears Content-* headers
    return message


def record_sent(session: Session, item: Outgoing, now: dt.datetime) -> None:
    """Remember that ``item`` went out (in the caller's transaction)."""
    for key, due_on in item.keys:
        session.add(NotificationSent(user_id=item.user_id, kind=item.kind, item=key[:80], due_on=due_on,
                                     sent_at=now, address=item.address))
    session.flush()


# --- the digest opt-out ----------------------------------------------------------------------

RECIPIENT_ROLES = ("focal_point", "secretariat")  # who `notify` writes to


def receives_mail(actor: Actor) -> bool:
    """Whether ``notify`` e-mails this account (its settings page is linked for them)."""
    return actor.is_authenticated and actor.role in RECIPIENT_ROLES


@dataclass(frozen=True)
class DigestSetting:
    receives_digest: bool
    version: int


def digest_setting(session: Session, actor: Actor) -> DigestSetting:
    """Whether the signed-in user receives the weekly digest."""
    user = session.get(User, actor.user_id) if actor.is_authenticated else None
    if user is None or not user.is_active:
        raise Forbidden(_("Please log in to do this."))
    return DigestSetting(not user.digest_opt_out, user.version)


def set_digest(session: Session, actor: Actor, receive: object, expected_version: object) -> DigestSetting:
    """Turn the weekly digest on (``True``) or off (``False``) for the signed-in user
    (audited, versioned)."""
    user = session.get(User, actor.user_id) if actor.is_authenticated else None
    if user is None or not user.is_active:
        raise Forbidden(_("Please log in to do this."))
    if not isinstance(receive, bool):
        raise InvalidInput(_("Choose whether to receive the weekly digest."), "digest")
    if not isinstance(expected_version, int) or isinstance(expected_version, bool) \
            or expected_version != user.version:
        raise Conflict(_("Your settings changed in another window. Reload the page and try again."))
    if receive != (not user.digest_opt_out):
        audit.record(session, actor, "user.digest", "user", user.id, {"digest_opt_out": user.digest_opt_out},
                     {"digest_opt_out": not receive})
        user.digest_opt_out = not receive
        session.flush()
    return DigestSetting(not user.digest_opt_out, user.version)
