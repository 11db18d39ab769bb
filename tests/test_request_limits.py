"""Session cookie and request-size settings as they take effect (production mode included), and
routes outside Dash that must never answer 5xx: /evidence/<id> and /admin/audit.csv."""
from __future__ import annotations

import datetime as dt
import io
import json
from email.utils import parsedate_to_datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.devtools.testing import DashClient
from dashboard.workflow import evidence
from helpers import PASSWORD, email_of

SECRET = "a-production-secret-key-of-some-length"


def https_client(app) -> DashClient:
    """A browser on https, as in production behind TLS (the Referer satisfies CSRF's SSL check)."""
    client = app.test_client()
    client.environ_base.update({"wsgi.url_scheme": "https", "HTTP_REFERER": "https://localhost/login"})
    client.get("/login?lang=en")
    return DashClient(client)


def log_in(dash: DashClient, key: str = "admin"):
    response = dash.call("login-redirect.href", inputs={"login-submit.n_clicks": 1},
                         state={"login-email.value": email_of(key), "login-password.value": PASSWORD})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert "login-redirect" in response.get_json()["response"]
    return response


def session_cookie(response) -> dict:
    """The attributes of the session cookie the response sets."""
    for header in response.headers.getlist("Set-Cookie"):
        name, _sep, rest = header.partition("=")
        if name == "dashboard_session":
            parts = [p.strip() for p in rest.split(";")]
            attributes = {p.split("=", 1)[0].lower(): (p.split("=", 1)[1] if "=" in p else True) for p in parts[1:]}
            return attributes
    raise AssertionError(f"no dashboard_session cookie in {response.headers.getlist('Set-Cookie')}")


@pytest.mark.parametrize("idle", [30, 10])
def test_the_session_cookie_in_production(make_app, writable_url, idle):
    app = make_app(DATABASE_URL=writable_url, ENV="production", SECRET_KEY=SECRET, SESSION_IDLE_MINUTES=idle)
    dash = https_client(app)
    cookie = session_cookie(log_in(dash))
    assert cookie["httponly"] is True and cookie["secure"] is True and cookie["samesite"] == "Lax"
    lifetime = parsedate_to_datetime(cookie["expires"]) - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=idle) - dt.timedelta(minutes=1) < lifetime <= dt.timedelta(minutes=idle)
    # Not Flask's "session" cookie of 31 days.
    assert dash.client.get_cookie("session") is None
    assert app.config["WTF_CSRF_SSL_STRICT"] is True


def test_the_session_cookie_in_development_is_not_secure_only(make_app, writable_url):
    app = make_app(DATABASE_URL=writable_url)
    dash = DashClient.in_language(app, "en")
    cookie = session_cookie(log_in(dash))
    assert "secure" not in cookie and cookie["httponly"] is True and cookie["samesite"] == "Lax"


def test_the_settings_can_be_overridden_through_create_app(make_app):
    app = make_app(ENV="production", SECRET_KEY=SECRET, SESSION_COOKIE_SECURE=False,
                   PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=5), MAX_CONTENT_LENGTH=1000)
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["PERMANENT_SESSION_LIFETIME"] == dt.timedelta(minutes=5)
    assert app.config["MAX_CONTENT_LENGTH"] == 1000
    assert app.config["SESSION_COOKIE_NAME"] == "dashboard_session"


# --- request size ---------------------------------------------------------------------------


class Body(io.RawIOBase):
    """A request body of ``size`` spaces that counts what the server reads of it."""

    def __init__(self, size: int):
        self.size, self.position, self.read_bytes = size, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True  # the test client measures the body this way, without reading it

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = {0: offset, 1: self.position + offset, 2: self.size + offset}[whence]
        return self.position

    def readinto(self, buffer) -> int:
        n = max(0, min(len(buffer), self.size - self.position))
        buffer[:n] = b" " * n
        self.position += n
        self.read_bytes += n
        return n


def test_an_oversized_body_is_refused_before_it_is_read(app, login):
    client = login(app.test_client(), "focal_mj")
    dash = DashClient(client)
    body = Body(300 * 1024 * 1024)
    response = client.post("/_dash-update-component?lang=en", input_stream=body,
                           headers={"Content-Type": "application/json", "Content-Length": str(body.size),
                                    "X-CSRFToken": dash.csrf_token()})
    assert response.status_code == 413
    assert body.read_bytes == 0
    assert "too large" in response.get_data(as_text=True)


def test_a_chunked_body_is_cut_off_at_the_limit(make_app, login):
    """No length to check beforehand: MAX_CONTENT_LENGTH bounds what is read (gunicorn
    passes chunked bodies through to Werkzeug, which stops there; see test_server.py)."""
    limit = 2 * 1024 * 1024
    app = make_app(MAX_CONTENT_LENGTH=limit)
    client = login(app.test_client(), "focal_mj")
    dash = DashClient(client)
    body = Body(50 * 1024 * 1024)
    response = client.post("/_dash-update-component", input_stream=body,
                           headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked",
                                    "X-CSRFToken": dash.csrf_token()},
                           environ_overrides={"wsgi.input_terminated": True})
    # Werkzeug stops reading at the limit: what was read is cut short (not JSON) or refused.
    assert response.status_code in (400, 413)
    assert body.read_bytes <= limit


def test_the_largest_evidence_file_the_browser_sends_still_gets_its_message(writable_app, login, writable_engine):
    """A 45 MB file (the upload widget's limit) reaches the server, which says why it is refused."""
    from tests.test_measure_updates import as_user, data_url, feedback, form, submit

    big = b"%PDF-" + b"\x00" * (evidence.BROWSER_MAX_BYTES - 5)
    state = form(writable_engine, files=[data_url(big)], filename=["big.pdf"])
    assert len(json.dumps(state)) < writable_app.config["MAX_CONTENT_LENGTH"]
    response = submit(as_user(writable_app, login, "focal_mj"), state)
    assert feedback(response) == "The file big.pdf is larger than 10 MB."


# --- routes outside Dash never fail ----------------------------------------------------------


@pytest.mark.parametrize("evidence_id", ["99999999999999999999", str(2**31), str(2**63), "0", "-1", "1e3",
                                         "١٢", "x", "%00", "9" * 5000])
def test_an_evidence_id_out_of_range_is_not_found(app, login, evidence_id):
    client = login(app.test_client(), "committee")
    response = client.get(f"/evidence/{evidence_id}")
    assert response.status_code == 404


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from(["actor", "object", "action", "from", "to", "other"]),
                              st.one_of(st.text(max_size=300), st.sampled_from(
                                  ["9999-12-31", "0001-01-01", "2026-02-30", "\x00", "a\x00b", "%", "_",
                                   "user:" + "9" * 30, "measure:", ":", "2026-01-01T25:00"])),
                              max_size=6))
def test_the_audit_export_never_fails(app, login, values):
    client = login(app.test_client(), "admin")
    response = client.get("/admin/audit.csv", query_string=values)
    assert response.status_code == 200, (values, response.status_code)


@pytest.mark.parametrize("query", ["to=9999-12-31", "from=9999-12-31", "actor=%00", "object=user%3A%00",
                                   "action=%00%00", "from=0001-01-01&to=0001-01-01"])
def test_audit_export_edge_values(app, login, query):
    client = login(app.test_client(), "admin")
    assert client.get(f"/admin/audit.csv?{query}").status_code == 200
