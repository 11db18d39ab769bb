"""/account/notifications (the weekly digest on or off) and the /my page's reporting calendar
and reporting-file links."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from dashboard.devtools.testing import DashClient
from dashboard.errors import Conflict, Forbidden, InvalidInput
from dashboard.models import AuditEvent, User
from dashboard.permissions import PUBLIC
from dashboard.workflow import notifications
from helpers import actor_of, email_of, log_in_as

OUTPUT = "account-notifications-message.children"


def dash_as(app, key):
    client = log_in_as(app.test_client(), key)
    client.get("/?lang=en")
    return DashClient(client)


def content(dash: DashClient, path: str):
    response = dash.page(path)
    assert response.status_code == 200
    return response.get_json()["response"]["_pages_content"]["children"]


def opted_out(engine, key) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(User.digest_opt_out).where(User.email == email_of(key))).scalar_one()


def save(dash: DashClient, choice, version):
    return dash.call(OUTPUT, {"account-notifications-save.n_clicks": 1},
                     state={"account-notifications-digest.value": choice,
                            "account-notifications-version.data": version})


def test_a_focal_point_turns_the_digest_off_and_on(writable_app, writable_engine):
    dash = dash_as(writable_app, "focal_mj")
    tree = content(dash, "/account/notifications")
    radio = DashClient.find(tree, "account-notifications-digest")
    version = DashClient.find(tree, "account-notifications-version")["data"]
    assert radio["value"] == "on"
    response = save(dash, "off", version)
    assert response.status_code == 200
    outputs = response.get_json()["response"]
    assert "no longer" in json.dumps(outputs)
    assert opted_out(writable_engine, "focal_mj") is True
    new_version = outputs["account-notifications-version"]["data"]
    assert new_version == version + 1
    # The version seen before is stale now: refused, nothing changes.
    stale = save(dash, "on", version)
    assert stale.status_code == 200 and "another window" in stale.get_data(as_text=True)
    assert opted_out(writable_engine, "focal_mj") is True
    assert save(dash, "on", new_version).status_code == 200
    assert opted_out(writable_engine, "focal_mj") is False
    with writable_engine.connect() as conn:
        assert conn.execute(select(AuditEvent.action).where(AuditEvent.action == "user.digest")).all() \
            == [("user.digest",), ("user.digest",)]
    assert DashClient.find(content(dash, "/account/notifications"), "account-notifications-digest")["value"] == "on"


@pytest.mark.parametrize(("choice", "version"), [
    ("maybe", 1), ("on" * 500, 1), (["on"], 1), ({"a": 1}, 1), (None, 1), ("off", "1"), ("off", -1),
    ("off", 2**40), ("off", None), ("off", [1]), ("off", True), ("\x00", 1),
])
def test_hostile_values_never_give_a_server_error(writable_app, writable_engine, choice, version):
    dash = dash_as(writable_app, "focal_pmp")
    response = save(dash, choice, version)
    assert response.status_code in (200, 400)
    assert opted_out(writable_engine, "focal_pmp") is False


def test_anonymous_visitors_are_asked_to_log_in(writable_app, writable_engine):
    dash = dash_as(writable_app, None)
    tree = content(dash, "/account/notifications")
    assert DashClient.find(tree, "account-notifications-digest") is None
    response = save(dash, "off", 1)
    assert response.status_code in (200, 400, 403)
    assert "no longer" not in response.get_data(as_text=True)


def test_the_service_refuses(session):
    with pytest.raises(Forbidden):
        notifications.set_digest(session, PUBLIC, False, 1)
    actor = actor_of(session, "focal_mj")
    version = notifications.digest_setting(session, actor).version
    with pytest.raises(InvalidInput):
        notifications.set_digest(session, actor, "off", version)
    with pytest.raises(Conflict):
        notifications.set_digest(session, actor, False, version + 7)


# --- /my ----------------------------------------------------------------------------------


def test_my_page_shows_the_calendar_and_the_reporting_links(app):
    dash = dash_as(app, "focal_pmp")
    tree = content(dash, "/my")
    assert DashClient.find(tree, "my-template-link")["href"] == "/my/template.xlsx"
    assert DashClient.find(tree, "my-import-link")["href"] == "/my/import"
    assert DashClient.find(tree, "my-calendar-ics-link")["href"] == "/my/calendar.ics"
    calendar = " ".join(DashClient.text_of(DashClient.find(tree, "my-calendar")).split())
    assert "IND-01" in calendar and "A2.O2.M1" in calendar and "Overdue" in calendar
    assert calendar.index("IND-01") < calendar.index("A2.O2.M1")  # the overdue first
