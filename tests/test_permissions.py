"""The permission rules, as a table: role and entity ownership against each action."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from dashboard.errors import Forbidden
from dashboard.permissions import PUBLIC, Actor, allowed, authorize

MJ, PMP = 5, 9
MEASURE_OF_MJ = SimpleNamespace(lead_entity_id=MJ)
INDICATOR_OF_MJ = SimpleNamespace(responsible_entity_id=MJ)
ACTORS = {
    "public": PUBLIC,
    "focal_mj": Actor(user_id=1, role="focal_point", entity_id=MJ),
    "focal_pmp": Actor(user_id=2, role="focal_point", entity_id=PMP),
    "committee": Actor(user_id=3, role="committee"),
    "secretariat": Actor(user_id=4, role="secretariat"),
    "admin": Actor(user_id=5, role="admin"),
}
# action, target -> the actors allowed
RULES = [
    ("read_restricted", None, {"committee", "secretariat", "admin"}),
    ("read_indicator", SimpleNamespace(responsible_entity_id=MJ, is_public=False),
     {"focal_mj", "committee", "secretariat", "admin"}),
    ("read_indicator", SimpleNamespace(responsible_entity_id=MJ, is_public=True), set(ACTORS)),
    ("submit_measure_update", MEASURE_OF_MJ, {"focal_mj"}),
    ("submit_indicator_value", INDICATOR_OF_MJ, {"focal_mj"}),
    ("read_entity_submissions", MEASURE_OF_MJ, {"focal_mj", "committee", "secretariat", "admin"}),
    ("review", None, {"secretariat"}),
    ("view_review_queue", None, {"secretariat", "committee"}),
    ("open_inbox", None, {"focal_mj", "focal_pmp"}),
    ("list_users", None, {"secretariat", "admin"}),
    ("manage_user", "focal_point", {"secretariat", "admin"}),
    ("manage_user", "committee", {"admin"}),
    ("view_audit", None, {"secretariat", "admin"}),
]


@pytest.mark.parametrize(("action", "target", "expected"), RULES)
def test_rules(action, target, expected):
    assert {key for key, actor in ACTORS.items() if allowed(actor, action, target)} == expected


def test_a_focal_point_without_an_entity_owns_nothing():
    orphan = Actor(user_id=7, role="focal_point", entity_id=None)
    assert not allowed(orphan, "submit_measure_update", SimpleNamespace(lead_entity_id=None))


def test_refusals_say_whether_logging_in_would_help():
    with pytest.raises(Forbidden, match="log in"):
        authorize(PUBLIC, "review")
    with pytest.raises(Forbidden, match="not allowed"):
        authorize(ACTORS["committee"], "review")


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError):
        allowed(PUBLIC, "delete_everything")
