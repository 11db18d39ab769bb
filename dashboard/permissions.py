"""Who may do what: the one place where roles and entity ownership are checked.

Every service that reads restricted data or writes anything calls ``authorize`` before it
touches the database. Layouts may hide controls with ``allowed``, but that is a
convenience: the service refuses regardless of what the browser sent.

Messages (refusals, notices) are in the current language of ``dashboard.i18n``: the
request's, or the one set with ``using_language`` outside a request.
"""
from __future__ import annotations

from dataclasses import dataclass

from dashboard.errors import Forbidden
from dashboard.i18n import gettext as _
from dashboard.models import ROLLOUT_REPORTERS, STATISTICS_PRODUCERS

PUBLIC_ROLE = "public"
READS_RESTRICTED = frozenset({"committee", "secretariat", "admin"})


@dataclass(frozen=True)
class Actor:
    """The user behind a request, as the services see them (anonymous: role "public")."""

    user_id: int | None = None
    email: str = ""
    name: str = ""
    role: str = PUBLIC_ROLE
    entity_id: int | None = None
    address: str = ""

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def reads_restricted(self) -> bool:
        """Committee, secretariat and admin see restricted indicators and pending updates."""
        return self.role in READS_RESTRICTED

    def leads(self, entity_id: int | None) -> bool:
        """A focal point acts for their own entity only."""
        return self.role == "focal_point" and entity_id is not None and self.entity_id == entity_id


PUBLIC = Actor()


def _entity_of(target) -> int | None:
    """The entity that owns a measure (its lead) or an indicator (its reporting entity)."""
    for attribute in ("lead_entity_id", "responsible_entity_id", "entity_id"):
        if hasattr(target, attribute):
            return getattr(target, attribute)
    if isinstance(target, int):
        return target
    return None


def _manages_role(actor: Actor, role) -> bool:
    # The secretariat manages focal points; only an admin creates other roles.
    if actor.role == "admin":
        return True
    return actor.role == "secretariat" and role == "focal_point"


# action -> rule(actor, target). The target is a measure, an indicator, an entity id or a role.
RULES = {
    "read_restricted": lambda actor, _t: actor.reads_restricted,
    # A restricted indicator exists for its readers and for the focal points who report it.
    "read_indicator": lambda actor, indicator: bool(indicator.is_public) or actor.reads_restricted
    or actor.leads(_entity_of(indicator)),
    "submit_measure_update": lambda actor, measure: actor.leads(_entity_of(measure)),
    "submit_indicator_value": lambda actor, indicator: actor.leads(_entity_of(indicator)),
    # Evidence and the returned or pending work of an entity: its focal points and readers.
    "read_entity_submissions": lambda actor, owner: actor.reads_restricted or actor.leads(_entity_of(owner)),
    "review": lambda actor, _t: actor.role == "secretariat",
    # Comments on a measure update or indicator value (the target is its owning entity):
    # written by that entity's focal points and the secretariat, read by them and the committee.
    "comment_submission": lambda actor, owner: actor.role == "secretariat" or actor.leads(_entity_of(owner)),
    "read_submission_comments": lambda actor, owner: actor.reads_restricted or actor.leads(_entity_of(owner)),
    "view_review_queue": lambda actor, _t: actor.role in ("secretariat", "committee"),
    "open_inbox": lambda actor, _t: actor.role == "focal_point",
    # When reports are due: a focal point for their body, the secretariat and committee for any.
    "read_reporting_calendar": lambda actor, _t: actor.role in ("focal_point", "secretariat", "committee"),
    # A workbook of updates and values: a focal point, for their own body (template and upload).
    "report_from_file": lambda actor, _t: actor.role == "focal_point" and actor.entity_id is not None,
    "list_users": lambda actor, _t: actor.role in ("admin", "secretariat"),
    "manage_user": _manages_role,
    "view_audit": lambda actor, _t: actor.role in ("admin", "secretariat"),
    # The target is the focal point's entity: only producing bodies enter national figures,
    # and only the commission and the ministry of justice report a region's rollout.
    "submit_statistic": lambda actor, entity: entity is not None and actor.leads(entity.id)
    and entity.acronym in STATISTICS_PRODUCERS,
    "submit_rollout_update": lambda actor, entity: entity is not None and actor.leads(entity.id)
    and entity.acronym in ROLLOUT_REPORTERS,
    # Exact (unsuppressed) statistics: the committee's readers, and a publisher's own focal points.
    "read_exact_statistics": lambda actor, publisher: actor.reads_restricted
    or actor.leads(_entity_of(publisher)),
    # Personal API tokens read the API as their owner: for the readers of restricted data.
    "hold_api_token": lambda actor, _t: actor.reads_restricted,
    # Contact details in the civil-society directory: any logged-in account.
    "read_contacts": lambda actor, _t: actor.is_authenticated,
}


def allowed(actor: Actor, action: str, target=None) -> bool:
    try:
        rule = RULES[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}") from None
    return bool(rule(actor, target))


def authorize(actor: Actor, action: str, target=None) -> None:
    """Raise ``Forbidden`` (with a message in the user's language) unless allowed."""
    if allowed(actor, action, target):
        return
    if not actor.is_authenticated:
        raise Forbidden(_("Please log in to do this."))
    raise Forbidden(_("Your account is not allowed to do this."))
