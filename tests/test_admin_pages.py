"""The admin pages over HTTP: /admin/users (accounts) and /admin/audit (the audit trail),
with /admin/audit.csv. Every write callback is tried by callers who may not write, and the
database must be left exactly as it was."""
from __future__ import annotations

import csv
import io

import pytest
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from dashboard.devtools.testing import DashClient
from dashboard.models import AuditEvent, User
from helpers import PASSWORD, email_of, snapshot

LOG_IN_FIRST = "Please log in to do this."
NOT_ALLOWED = "Your account is not allowed to do this."


def translated(app, text: str, lang: str = "en") -> str:
    with app.test_request_context(f"/?lang={lang}"):
        return gettext(text)


@pytest.fixture
def writable_app(make_app, writable_url, tmp_path):
    return make_app(DATABASE_URL=writable_url, UPLOAD_DIR=str(tmp_path))


def as_user(app, login, key: str | None) -> DashClient:
    dash = DashClient.in_language(app, "en")
    login(dash.client, key)
    return dash


def page(dash: DashClient, path: str, search: str = ""):
    response = dash.page(path, search)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"]["_pages_content"]["children"]


def text_by_id(tree, component_id: str) -> str:
    return DashClient.text_of(DashClient.find(tree, component_id)["children"])


def shell_user(dash: DashClient) -> dict | None:
    return DashClient.find(dash.client.get("/_dash-layout").get_json(), "user-name")


def user_row(app, key_or_email: str) -> User:
    email = key_or_email if "@" in key_or_email else email_of(key_or_email)
    with app.extensions["db_sessionmaker"]() as session:
        return session.scalar(select(User).options(joinedload(User.entity)).where(User.email == email))


# --- the write callbacks of /admin/users -------------------------------------------------------


def create_call(dash: DashClient, email="new.focal@test.cnclteh.ma", role="focal_point", entity="MJ"):
    return dash.call(
        "user-create-message.children",
        inputs={"user-create.n_clicks": 1},
        state={"user-new-email.value": email, "user-new-name.value": "New Focal",
               "user-new-role.value": role, "user-new-entity.value": entity},
    )


def action_call(dash: DashClient, button: str, target: User, role=None, entity=None, is_active=True):
    return dash.call(
        "user-action-message.children",
        inputs={f"{button}.n_clicks": 1},
        state={"user-selected.data": {"id": target.id, "version": target.version, "is_active": is_active},
               "user-edit-role.value": role, "user-edit-entity.value": entity},
        changed=[f"{button}.n_clicks"],
    )


WRITES = {
    "create": lambda dash, target: create_call(dash),
    "update": lambda dash, target: action_call(dash, "user-save", target, role="committee", entity=""),
    "deactivate": lambda dash, target: action_call(dash, "user-toggle-active", target),
    "reactivate": lambda dash, target: action_call(dash, "user-toggle-active", target, is_active=False),
    "reset_password": lambda dash, target: action_call(dash, "user-reset-password", target),
}
MESSAGE_OF = {"create": "user-create-message"}


def outputs(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"]


@pytest.mark.parametrize("write", list(WRITES))
def test_write_callbacks_refuse_callers_without_the_right(writable_app, writable_url, engine_for, login, write):
    engine = engine_for(writable_url)
    target = user_row(writable_app, "focal_pmp")
    message_id = MESSAGE_OF.get(write, "user-action-message")
    with engine.connect() as conn:
        before = snapshot(conn)

    # (a) No session and no CSRF header: refused before any code of ours runs.
    bare = DashClient(writable_app.test_client(), send_csrf=False)
    assert WRITES[write](bare, target).status_code == 400

    # (b) anonymous, (c) focal point, (d) committee member: the service refuses.
    for key, expected in ((None, LOG_IN_FIRST), ("focal_mj", NOT_ALLOWED), ("committee", NOT_ALLOWED)):
        result = outputs(WRITES[write](as_user(writable_app, login, key), target))
        assert DashClient.text_of(result[message_id]["children"]) == translated(writable_app, expected), key
        assert "users-grid" not in result  # nothing to refresh

    with engine.connect() as conn:
        assert snapshot(conn) == before


def logged_link(caplog, email: str) -> str:
    """The set-password link the server logged for ``email`` (no mail server in the tests)."""
    lines = [r.getMessage() for r in caplog.records if r.name == "dashboard.mail" and email in r.getMessage()]
    assert lines, "no link was logged"
    return lines[-1].rsplit(" ", 1)[-1]


def set_password_with(app, link: str, password: str) -> DashClient:
    """Open the link and choose ``password``, as its owner would; returns that browser."""
    path = link.split("://", 1)[-1].split("/", 1)[-1]
    token = dict(part.split("=", 1) for part in path.split("?", 1)[1].split("&"))["token"]
    owner = DashClient.in_language(app, "en")
    content = page(owner, "/set-password", f"?token={token}")
    assert DashClient.find(content, "set-password-new") is not None
    result = outputs(owner.call("set-password-redirect.href", inputs={"set-password-submit.n_clicks": 1},
                                state={"set-password-token.data": token, "set-password-new.value": password,
                                       "set-password-confirm.value": password}))
    assert "set-password-redirect" in result, result
    return owner


def test_admin_creates_a_focal_point_who_chooses_their_password(writable_app, login, caplog):
    caplog.set_level("INFO", logger="dashboard.mail")
    admin = as_user(writable_app, login, "admin")
    result = outputs(create_call(admin, email="New.Focal@Test.cnclteh.ma"))
    message = result["user-create-message"]["children"]
    assert "server log" in text_by_id(message, "user-link-sent")
    assert DashClient.find(message, "user-password-shown") is None
    assert "new.focal@test.cnclteh.ma" in [row["email"] for row in result["users-grid"]["rowData"]]
    assert "user-new-password" not in result
    created = user_row(writable_app, "new.focal@test.cnclteh.ma")
    assert (created.role, created.entity.acronym, created.is_active) == ("focal_point", "MJ", True)
    # Neither the page nor the audit trail holds the link; the server log does (development).
    link = logged_link(caplog, "new.focal@test.cnclteh.ma")
    token = link.rsplit("token=", 1)[1]
    assert token not in str(result)
    owner = set_password_with(writable_app, link, "my own secret phrase")
    assert DashClient.text_of(DashClient.find(owner.client.get("/_dash-layout").get_json(),
                                              "user-name")["children"]) == "New Focal"
    # The link worked once.
    again = page(DashClient.in_language(writable_app, "en"), "/set-password", f"?token={token}")
    assert DashClient.find(again, "set-password-invalid") is not None


def test_the_create_form_has_no_password_field(app, login):
    content = page(as_user(app, login, "admin"), "/admin/users")
    assert DashClient.find(content, "user-new-password") is None
    assert "72 hours" in text_by_id(content, "user-new-link-note")


def test_secretariat_cannot_create_an_admin(writable_app, writable_url, engine_for, login):
    engine = engine_for(writable_url)
    with engine.connect() as conn:
        before = snapshot(conn)
    secretariat = as_user(writable_app, login, "secretariat")
    result = outputs(create_call(secretariat, email="boss@test.cnclteh.ma", role="admin", entity=""))
    assert DashClient.text_of(result["user-create-message"]["children"]) == translated(writable_app, NOT_ALLOWED)
    with engine.connect() as conn:
        assert snapshot(conn) == before
    # A focal point, though, it can create.
    result = outputs(create_call(secretariat, email="focal.two@test.cnclteh.ma"))
    assert user_row(writable_app, "focal.two@test.cnclteh.ma") is not None


def test_admin_changes_role_and_entity(writable_app, login):
    admin = as_user(writable_app, login, "admin")
    target = user_row(writable_app, "focal_pmp")
    result = outputs(action_call(admin, "user-save", target, role="focal_point", entity="MJ"))
    assert result["user-selected"]["data"]["version"] == target.version + 1
    assert user_row(writable_app, "focal_pmp").entity.acronym == "MJ"
    # The same, stale version again: a conflict, as a message.
    conflict = outputs(action_call(admin, "user-save", target, role="committee", entity=""))
    assert "changed by someone else" in DashClient.text_of(conflict["user-action-message"]["children"])
    assert user_row(writable_app, "focal_pmp").role == "focal_point"


def test_deactivating_keeps_the_history(writable_app, login):
    focal = DashClient.in_language(writable_app, "en")
    focal.call("login-redirect.href", inputs={"login-submit.n_clicks": 1},
               state={"login-email.value": email_of("focal_mj"), "login-password.value": PASSWORD})
    target = user_row(writable_app, "focal_mj")

    def history():
        with writable_app.extensions["db_sessionmaker"]() as session:
            return list(session.execute(
                select(AuditEvent.id, AuditEvent.action).where(
                    (AuditEvent.actor_id == target.id)
                    | ((AuditEvent.object_type == "user") & (AuditEvent.object_id == str(target.id))))
                .order_by(AuditEvent.id)))

    before = history()
    assert ("login.succeeded" in [action for _id, action in before]) and shell_user(focal) is not None

    admin = as_user(writable_app, login, "admin")
    result = outputs(action_call(admin, "user-toggle-active", target))
    assert "deactivated" in DashClient.text_of(result["user-action-message"]["children"])
    assert result["user-selected"]["data"]["is_active"] is False
    assert result["user-toggle-active"]["children"] == translated(writable_app, "Reactivate")
    after = history()
    assert after[:len(before)] == before and after[-1][1] == "user.deactivate"
    assert user_row(writable_app, "focal_mj").is_active is False
    assert shell_user(focal) is None  # their session has ended

    result = outputs(action_call(admin, "user-toggle-active", user_row(writable_app, "focal_mj"), is_active=False))
    assert user_row(writable_app, "focal_mj").is_active is True


def test_reset_password_ends_the_user_session_and_sends_a_link(writable_app, login, caplog):
    caplog.set_level("INFO", logger="dashboard.mail")
    focal = as_user(writable_app, login, "focal_pmp")
    assert shell_user(focal) is not None
    admin = as_user(writable_app, login, "admin")
    result = outputs(action_call(admin, "user-reset-password", user_row(writable_app, "focal_pmp")))
    message = result["user-action-message"]["children"]
    assert DashClient.find(message, "user-password-shown") is None
    assert "server log" in text_by_id(message, "user-link-sent")
    assert shell_user(focal) is None
    # The old password no longer works; the one chosen through the link does.
    again = DashClient.in_language(writable_app, "en")
    response = again.call("login-redirect.href", inputs={"login-submit.n_clicks": 1},
                          state={"login-email.value": email_of("focal_pmp"), "login-password.value": PASSWORD})
    assert "login-redirect" not in outputs(response)
    set_password_with(writable_app, logged_link(caplog, email_of("focal_pmp")), "the owner's new phrase")
    response = again.call("login-redirect.href", inputs={"login-submit.n_clicks": 1},
                          state={"login-email.value": email_of("focal_pmp"),
                                 "login-password.value": "the owner's new phrase"})
    assert outputs(response)["login-redirect"]["href"] == "/my"


def test_picking_a_user_reads_its_version(app, login):
    admin = as_user(app, login, "admin")
    target = user_row(app, "focal_mj")
    result = outputs(admin.call("user-edit-role.value", inputs={"user-pick.value": str(target.id)}))
    assert result["user-selected"]["data"] == {"id": target.id, "version": target.version, "is_active": True}
    assert result["user-edit-role"]["value"] == "focal_point"
    assert result["user-edit-entity"]["value"] == "MJ"
    # Nobody else learns anything through it.
    refused = outputs(as_user(app, login, "focal_mj").call("user-edit-role.value",
                                                          inputs={"user-pick.value": str(target.id)}))
    assert refused["user-selected"]["data"] is None


# --- /admin/users page -----------------------------------------------------------------------


def test_users_page_by_role(app, login):
    anonymous = page(as_user(app, login, None), "/admin/users")
    assert DashClient.find(anonymous, "login-prompt-link")["href"] == "/login?next=/admin/users"
    assert DashClient.find(anonymous, "users-grid") is None
    for key in ("focal_mj", "committee"):
        refused = page(as_user(app, login, key), "/admin/users")
        assert text_by_id(refused, "users-refused") == translated(app, NOT_ALLOWED)
        assert DashClient.find(refused, "users-grid") is None

    admin = page(as_user(app, login, "admin"), "/admin/users")
    rows = DashClient.find(admin, "users-grid")["rowData"]
    assert {row["email"] for row in rows} >= {email_of(k) for k in ("admin", "focal_mj", "committee")}
    focal = next(row for row in rows if row["email"] == email_of("focal_mj"))
    assert (focal["role"], focal["entity"], focal["active"]) == ("Focal point", "MJ", "Yes")
    assert [o["value"] for o in DashClient.find(admin, "user-new-role")["options"]] == [
        "focal_point", "committee", "secretariat", "admin"]
    assert "MJ" in [o["value"] for o in DashClient.find(admin, "user-new-entity")["options"]]

    secretariat = page(as_user(app, login, "secretariat"), "/admin/users")
    assert [o["value"] for o in DashClient.find(secretariat, "user-new-role")["options"]] == ["focal_point"]


# --- /admin/audit ------------------------------------------------------------------------------


def audit_call(dash: DashClient, **filters):
    values = {f"audit-{key}.value": filters.get(key, "") for key in ("actor", "object", "action", "from", "to")}
    return outputs(dash.call("audit-grid.rowData", inputs=values))


def test_audit_page_is_refused_to_others(app, login):
    anonymous = page(as_user(app, login, None), "/admin/audit")
    assert DashClient.find(anonymous, "login-prompt-link")["href"] == "/login?next=/admin/audit"
    for key in ("focal_mj", "committee"):
        dash = as_user(app, login, key)
        refused = page(dash, "/admin/audit")
        assert text_by_id(refused, "audit-refused") == translated(app, NOT_ALLOWED)
        assert DashClient.find(refused, "audit-grid") is None
        assert audit_call(dash)["audit-grid"]["rowData"] == []


def test_audit_filters_narrow_the_rows(writable_app, login):
    admin = as_user(writable_app, login, "admin")
    admin_user = user_row(writable_app, "admin")
    everything = audit_call(admin)["audit-grid"]["rowData"]
    created = audit_call(admin, action="user.create")
    assert len(created["audit-grid"]["rowData"]) == 5 <= len(everything)  # the seeded accounts
    assert {row["code"] for row in created["audit-grid"]["rowData"]} == {"user.create"}
    assert created["audit-export"]["href"] == "/admin/audit.csv?action=user.create"
    one = audit_call(admin, object=f"user:{admin_user.id}")["audit-grid"]["rowData"]
    assert [row["object"] for row in one] == [f"user:{admin_user.id}"]
    assert audit_call(admin, actor="nobody-like-this")["audit-grid"]["rowData"] == []
    assert audit_call(admin, **{"from": "2999-01-01"})["audit-grid"]["rowData"] == []

    # Newest first, Morocco time, before/after as plain JSON text.
    admin_call = as_user(writable_app, login, "admin")
    action_call(admin_call, "user-save", user_row(writable_app, "focal_pmp"), role="focal_point", entity="MJ")
    rows = audit_call(admin, action="user.update")["audit-grid"]["rowData"]
    assert rows[0]["before"] == '{"entity": "PMP"}' and rows[0]["after"] == '{"entity": "MJ"}'
    assert rows[0]["actor"] == email_of("admin") and rows[0]["role"] == "Administrator"


def test_audit_page_takes_its_filters_from_the_url(app, login):
    content = page(as_user(app, login, "secretariat"), "/admin/audit", "?action=user.create&from=bogus")
    assert DashClient.find(content, "audit-action")["value"] == "user.create"
    assert DashClient.find(content, "audit-from")["value"] == ""
    assert DashClient.find(content, "audit-export")["href"] == "/admin/audit.csv?action=user.create"
    assert {row["code"] for row in DashClient.find(content, "audit-grid")["rowData"]} == {"user.create"}


def test_audit_csv_export(app, login):
    assert app.test_client().get("/admin/audit.csv").status_code == 401
    assert login(app.test_client(), "focal_mj").get("/admin/audit.csv").status_code == 403
    response = login(app.test_client(), "admin").get("/admin/audit.csv?action=user.create")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:5] == ["id", "occurred_at_utc", "actor_email", "actor_role", "action"]
    assert len(rows) > 1 and {row[4] for row in rows[1:]} == {"user.create"}
