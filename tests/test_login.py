"""Logging in and out over HTTP: the /login page and its callback, the user menu in the page
shell, CSRF on every POST, the rate limit, idle sessions and the ``next`` guard."""
from __future__ import annotations

import time

import pytest
from flask_babel import gettext
from sqlalchemy import select

import layouts.shell
from callbacks.login import safe_next
from dashboard.devtools.testing import DashClient
from dashboard.models import AuditEvent
from helpers import PASSWORD, email_of

WRONG = "The e-mail address or the password is not correct."


def translated(app, text: str, lang: str = "en") -> str:
    with app.test_request_context(f"/?lang={lang}"):
        return gettext(text)


def english_client(app) -> DashClient:
    return DashClient.in_language(app, "en")


def submit(dash: DashClient, email: str, password: str, next_path: str | None = None) -> dict:
    """Press "Log in" on /login; returns the callback's outputs."""
    response = dash.call(
        "login-redirect.href",
        inputs={"login-submit.n_clicks": 1},
        state={"login-email.value": email, "login-password.value": password, "login-next.data": next_path},
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"]


def shell(dash: DashClient) -> dict:
    """The page shell as the browser loads it (it says who is logged in)."""
    response = dash.client.get("/_dash-layout")
    assert response.status_code == 200
    return response.get_json()


def page(dash: DashClient, path: str, search: str = ""):
    response = dash.page(path, search)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"]["_pages_content"]["children"]


def text_by_id(tree, component_id: str) -> str:
    return DashClient.text_of(DashClient.find(tree, component_id)["children"])


def message_text(outputs: dict) -> str:
    return DashClient.text_of(outputs["login-message"]["children"])


@pytest.fixture
def writable_app(make_app, writable_url, tmp_path):
    return make_app(DATABASE_URL=writable_url, UPLOAD_DIR=str(tmp_path))


def audit_actions_of(app, email: str) -> list[str]:
    with app.extensions["db_sessionmaker"]() as session:
        return list(session.scalars(select(AuditEvent.action).where(AuditEvent.actor_email == email)
                                    .order_by(AuditEvent.id)))


# --- logging in ----------------------------------------------------------------------------


@pytest.mark.parametrize("key,home", [
    ("focal_mj", "/my"), ("secretariat", "/review"), ("committee", "/"), ("admin", "/admin/users"),
])
def test_log_in_opens_the_role_start_page_and_the_shell_shows_the_user(writable_app, key, home):
    dash = english_client(writable_app)
    anonymous = shell(dash)
    assert DashClient.find(anonymous, "login-link")["href"] == "/login"
    assert DashClient.find(anonymous, "logout-button") is None

    outputs = submit(dash, email_of(key), PASSWORD)
    assert outputs["login-redirect"]["href"] == home
    assert "login-message" not in outputs  # no error shown

    tree = shell(dash)
    name = key.replace("_", " ").title()
    assert text_by_id(tree, "user-name") == name
    assert DashClient.find(tree, "user-account-link")["href"] == "/account/password"
    assert DashClient.find(tree, "login-link") is None
    assert DashClient.find(tree, "logout-button") is not None
    # The navigation entries of the main menu are still there, with their ids.
    assert [DashClient.find(tree, f"nav-{i}")["href"] for i in range(5)] == [
        "/", "/plan", "/implementation", "/indicators", "/entities"]
    assert DashClient.find(tree, "lang-ar") is not None


@pytest.mark.parametrize("key,links,role", [
    ("focal_mj", ["/my", "/account/notifications"], "Focal point"),
    ("committee", ["/review", "/account/tokens"], "Committee member"),
    ("secretariat", ["/review", "/admin/users", "/admin/audit", "/account/tokens", "/account/notifications"],
     "Secretariat"),
    ("admin", ["/admin/users", "/admin/audit", "/account/tokens"], "Administrator"),
])
def test_user_menu_links_by_role(app, login, key, links, role):
    dash = english_client(app)
    login(dash.client, key)
    tree = shell(dash)
    menu = DashClient.find(tree, "user-menu")
    hrefs = [node["props"]["href"] for node in DashClient.components(
        menu, lambda n: isinstance(n["props"].get("id"), dict) and n["props"]["id"].get("type") == "user-nav")]
    assert hrefs == links
    assert text_by_id(tree, "user-role") == translated(app, role)
    # Logging out is a form POST carrying the CSRF token.
    form = DashClient.components(menu, lambda n: n.get("type") == "Form")[0]["props"]
    assert form["method"] == "POST" and form["action"] == "/logout"
    token = DashClient.components(form, lambda n: n["props"].get("name") == "csrf_token")
    assert token and token[0]["props"]["value"]


def test_review_link_shows_the_pending_count(app, login, monkeypatch):
    monkeypatch.setattr(layouts.shell.worklists, "pending_count", lambda _session, _actor: 3)
    dash = english_client(app)
    login(dash.client, "secretariat")
    assert text_by_id(shell(dash), "review-pending-count").startswith("3")


def test_wrong_password_and_unknown_email_get_the_same_message(writable_app):
    dash = english_client(writable_app)
    wrong = submit(dash, email_of("admin"), "not the password")
    unknown = submit(dash, "nobody@test.cnclteh.ma", PASSWORD)
    assert message_text(wrong) == message_text(unknown) == translated(writable_app, WRONG)
    assert "login-redirect" not in wrong and "login-redirect" not in unknown
    assert wrong["login-password"]["value"] == ""  # the password field is cleared
    assert DashClient.find(shell(dash), "login-link") is not None


def test_five_failures_block_even_the_right_password(writable_app):
    dash = english_client(writable_app)
    for _attempt in range(5):
        assert message_text(submit(dash, email_of("focal_mj"), "wrong password")) == translated(writable_app, WRONG)
    blocked = submit(dash, email_of("focal_mj"), PASSWORD)
    assert "Too many failed log-in attempts" in message_text(blocked)
    assert "login-redirect" not in blocked
    assert DashClient.find(shell(dash), "user-name") is None
    # Another account is not blocked by them.
    assert submit(dash, email_of("committee"), PASSWORD)["login-redirect"]["href"] == "/"


def test_log_ins_are_audited(writable_app):
    dash = english_client(writable_app)
    submit(dash, email_of("committee"), "wrong password")
    submit(dash, email_of("committee"), PASSWORD)
    assert audit_actions_of(writable_app, email_of("committee"))[-2:] == ["login.failed", "login.succeeded"]


def test_login_page_says_when_already_logged_in(app, login):
    dash = english_client(app)
    login(dash.client, "committee")
    content = page(dash, "/login")
    assert DashClient.find(content, "login-already") is not None
    assert DashClient.find(content, "login-email") is None


def test_login_page_form_and_expired_notice(app):
    dash = english_client(app)
    content = page(dash, "/login")
    email, password = DashClient.find(content, "login-email"), DashClient.find(content, "login-password")
    assert (email["type"], email["autocomplete"]) == ("email", "username")
    assert (password["type"], password["autocomplete"]) == ("password", "current-password")
    assert DashClient.find(content, "login-expired") is None
    expired = page(dash, "/login", "?expired=1")
    assert text_by_id(expired, "login-expired") == translated(
        app, "Your session ended after a period of inactivity. Please log in again.")


# --- CSRF and logging out ------------------------------------------------------------------


def test_logout_needs_the_csrf_token(writable_app):
    dash = english_client(writable_app)
    submit(dash, email_of("admin"), PASSWORD)
    assert dash.client.post("/logout").status_code == 400
    assert DashClient.find(shell(dash), "user-name") is not None  # still logged in

    response = dash.client.post("/logout", data={"csrf_token": dash.csrf_token()})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert DashClient.find(shell(dash), "login-link") is not None
    assert audit_actions_of(writable_app, email_of("admin"))[-1] == "logout"


def test_dash_callback_without_the_csrf_header_is_refused(app, client, login):
    login(client, "admin")
    assert DashClient(client, send_csrf=False).page("/").status_code == 400
    assert DashClient(client).page("/").status_code == 200


def test_log_in_without_the_csrf_header_is_refused(writable_app):
    client = writable_app.test_client()
    client.get("/?lang=en")
    response = DashClient(client, send_csrf=False).call(
        "login-redirect.href", inputs={"login-submit.n_clicks": 1},
        state={"login-email.value": email_of("admin"), "login-password.value": PASSWORD})
    assert response.status_code == 400
    assert audit_actions_of(writable_app, email_of("admin")) == []


# --- idle sessions ---------------------------------------------------------------------------


def test_an_idle_session_ends(make_app, login):
    app = make_app(SESSION_IDLE_MINUTES=1)
    dash = english_client(app)
    login(dash.client, "secretariat")
    assert DashClient.find(shell(dash), "user-name") is not None
    with dash.client.session_transaction() as flask_session:
        flask_session["seen_at"] = int(time.time()) - 120
    tree = shell(dash)
    assert DashClient.find(tree, "user-name") is None
    assert DashClient.find(tree, "login-link") is not None
    assert DashClient.find(shell(dash), "user-name") is None  # and stays ended


def test_an_active_session_stays(make_app, login):
    app = make_app(SESSION_IDLE_MINUTES=1)
    dash = english_client(app)
    login(dash.client, "secretariat")
    with dash.client.session_transaction() as flask_session:
        flask_session["seen_at"] = int(time.time()) - 30
    assert DashClient.find(shell(dash), "user-name") is not None


# --- where to go after logging in -----------------------------------------------------------


@pytest.mark.parametrize("target,expected", [
    ("/plan?axis=A1", "/plan?axis=A1"),
    ("/admin/users", "/admin/users"),
    ("//evil.example", None),
    ("//evil.example/admin/users", None),
    ("/\\evil.example", None),
    ("https://evil.example/", None),
    ("javascript:alert(1)", None),
    ("evil.example", None),
    ("/\nevil", None),
    ("", None),
    (None, None),
])
def test_safe_next(target, expected):
    assert safe_next(target) == expected


def test_next_is_followed_only_when_local(writable_app):
    dash = english_client(writable_app)
    assert submit(dash, email_of("focal_mj"), PASSWORD, "/plan?axis=A1")["login-redirect"]["href"] == "/plan?axis=A1"
    other = english_client(writable_app)
    assert submit(other, email_of("focal_mj"), PASSWORD, "//evil.example")["login-redirect"]["href"] == "/my"
    # The page does not even keep a foreign target.
    content = page(english_client(writable_app), "/login", "?next=//evil.example")
    assert DashClient.find(content, "login-next")["data"] is None
    content = page(english_client(writable_app), "/login", "?next=/indicators")
    assert DashClient.find(content, "login-next")["data"] == "/indicators"


# --- the end of a session is the end of every copy of it -------------------------------------


COOKIE = "dashboard_session"


def copy_of(app, dash: DashClient) -> DashClient:
    """Another browser holding a copy of ``dash``'s session cookie."""
    other = english_client(app)
    other.client.set_cookie(COOKIE, dash.client.get_cookie(COOKIE).value)
    return other


def logged_in_name(dash: DashClient) -> str | None:
    node = DashClient.find(shell(dash), "user-name")
    return DashClient.text_of(node["children"]) if node else None


def test_logout_ends_every_session_of_the_account(writable_app):
    dash = english_client(writable_app)
    submit(dash, email_of("committee"), PASSWORD)
    stolen = copy_of(writable_app, dash)
    elsewhere = english_client(writable_app)  # the same person on another device
    submit(elsewhere, email_of("committee"), PASSWORD)
    assert logged_in_name(stolen) == logged_in_name(elsewhere) == "Committee"
    version = user_version(writable_app, "committee")

    dash.client.post("/logout", data={"csrf_token": dash.csrf_token()})
    assert logged_in_name(dash) is None
    assert logged_in_name(stolen) is None  # the copied cookie no longer works
    assert logged_in_name(elsewhere) is None
    # Logging out is not a change of the account: an administrator's open form stays valid.
    assert user_version(writable_app, "committee") == version
    # Logging in again works, with a new session.
    assert submit(stolen, email_of("committee"), PASSWORD)["login-redirect"]["href"] == "/"


def user_version(app, key: str) -> int:
    from dashboard.models import User

    with app.extensions["db_sessionmaker"]() as session:
        return session.scalar(select(User.version).where(User.email == email_of(key)))


def change_password_call(dash: DashClient, current: str, new: str, again: str | None = None) -> dict:
    response = dash.call("change-password-message.children", inputs={"change-password-submit.n_clicks": 1},
                         state={"change-password-current.value": current, "change-password-new.value": new,
                                "change-password-confirm.value": new if again is None else again})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"]


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(writable_app):
    dash = english_client(writable_app)
    submit(dash, email_of("focal_mj"), PASSWORD)
    stolen = copy_of(writable_app, dash)
    assert logged_in_name(stolen) == "Focal Mj"

    refused = change_password_call(dash, "not my password", "a completely new phrase")
    assert "current password is not correct" in DashClient.text_of(refused["change-password-message"]["children"])
    weak = change_password_call(dash, PASSWORD, "password1234")
    assert "most common" in DashClient.text_of(weak["change-password-message"]["children"])
    differ = change_password_call(dash, PASSWORD, "a completely new phrase", "a completely new phrase!")
    assert "differ" in DashClient.text_of(differ["change-password-message"]["children"])
    assert logged_in_name(stolen) == "Focal Mj"  # nothing changed yet

    done = change_password_call(dash, PASSWORD, "a completely new phrase")
    assert DashClient.find(done["change-password-message"]["children"], "change-password-done") is not None
    assert logged_in_name(dash) == "Focal Mj"  # this session goes on, renewed
    assert logged_in_name(stolen) is None
    assert audit_actions_of(writable_app, email_of("focal_mj"))[-1] == "user.password_change"
    other = english_client(writable_app)
    assert "login-redirect" not in submit(other, email_of("focal_mj"), PASSWORD)
    assert submit(other, email_of("focal_mj"), "a completely new phrase")["login-redirect"]["href"] == "/my"


def test_the_change_password_page(writable_app, login):
    anonymous = page(english_client(writable_app), "/account/password")
    assert DashClient.find(anonymous, "login-prompt-link")["href"] == "/login?next=/account/password"
    dash = english_client(writable_app)
    login(dash.client, "committee")
    content = page(dash, "/account/password")
    assert DashClient.find(content, "change-password-current")["autocomplete"] == "current-password"
    assert DashClient.find(content, "change-password-new")["autocomplete"] == "new-password"
    assert "12 characters" in text_by_id(content, "change-password-hint")
    # Anonymous callers cannot change anything.
    outputs = change_password_call(english_client(writable_app), PASSWORD, "a completely new phrase")
    assert "log in" in DashClient.text_of(outputs["change-password-message"]["children"])


@pytest.mark.parametrize("change", ["role", "deactivate", "reset"])
def test_an_account_change_ends_every_copy_of_its_session(writable_app, login, change):
    from dashboard.models import User
    from dashboard.workflow import accounts
    from helpers import actor_of

    dash = english_client(writable_app)
    submit(dash, email_of("focal_pmp"), PASSWORD)
    stolen = copy_of(writable_app, dash)
    assert logged_in_name(stolen) == "Focal Pmp"
    with writable_app.extensions["db_sessionmaker"]() as session:
        admin = actor_of(session, "admin")
        target = session.scalar(select(User).where(User.email == email_of("focal_pmp")))
        {"role": lambda: accounts.update_user(session, admin, target.id, target.version, role="committee"),
         "deactivate": lambda: accounts.set_active(session, admin, target.id, target.version, False),
         "reset": lambda: accounts.reset_password(session, admin, target.id, target.version)}[change]()
        session.commit()
    assert logged_in_name(dash) is None and logged_in_name(stolen) is None


# --- limits by account and address ----------------------------------------------------------


def client_at(app, address: str) -> DashClient:
    dash = english_client(app)
    dash.client.environ_base["REMOTE_ADDR"] = address
    return dash


def test_an_attack_from_one_address_does_not_lock_the_owner_out(writable_app):
    attacker = client_at(writable_app, "203.0.113.66")
    for _attempt in range(5):
        submit(attacker, email_of("secretariat"), "a wrong guess")
    for _attempt in range(45):  # a burst of refusals...
        assert "Too many failed" in message_text(submit(attacker, email_of("secretariat"), PASSWORD))
    owner = client_at(writable_app, "198.51.100.20")
    assert submit(owner, email_of("secretariat"), PASSWORD)["login-redirect"]["href"] == "/review"
    # ... audited once.
    assert audit_actions_of(writable_app, email_of("secretariat")).count("login.throttled") == 1
