"""Anonymous visitors' page loads answered from a cache keyed by the data's version
(dashboard/web/page_cache.py, dashboard/cache.py, dashboard/db.py)."""
from __future__ import annotations

import datetime as dt
import socket

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from dashboard.cache import MemoryCache, RedisCache
from dashboard.db import data_version
from dashboard.devtools.testing import DashClient
from dashboard.models import LoginAttempt, Measure


class Spy:
    """Counts what a cache is asked and answers."""

    def __init__(self, cache):
        self.cache, self.hits, self.misses, self.stored = cache, 0, 0, 0

    def get(self, key):
        value = self.cache.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def set(self, key, value):
        if not key.endswith(":br"):  # each page is kept as is and in brotli
            self.stored += 1
        self.cache.set(key, value)


def spy_on(app) -> Spy:
    spy = Spy(app.extensions["page_cache"])
    app.extensions["page_cache"] = spy
    return spy


def page_text(dash: DashClient, path: str, search: str = "?lang=fr") -> str:
    response = dash.page(path, search)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_second_visitor_gets_the_same_page_from_the_cache(app):
    first = DashClient(app.test_client())
    second = DashClient(app.test_client())
    assert first.dependencies and second.dependencies  # read before the spy starts counting
    spy = spy_on(app)
    assert page_text(first, "/plan") == page_text(second, "/plan")
    assert (spy.stored, spy.hits) == (1, 1)
    # Another address, language or filter is another page.
    page_text(second, "/plan", "?lang=ar")
    page_text(second, "/indicators")
    assert spy.hits == 1


def test_the_document_layout_and_callback_list_too_with_cookies_and_headers_on_every_answer(app):
    spy = spy_on(app)
    for _ in range(2):
        client = app.test_client()
        document = client.get("/statistics?lang=ar")
        assert document.status_code == 200
        assert 'lang="ar"' in document.get_data(as_text=True)
        assert client.get_cookie("_csrf_token") is not None
        assert "script-src" in document.headers["Content-Security-Policy"]
        assert client.get("/_dash-layout").status_code == 200
        assert client.get("/_dash-dependencies").status_code == 200
    assert (spy.stored, spy.hits) == (3, 3)
    # An unknown address keeps its 404 when it comes from the cache.
    assert [app.test_client().get("/no-such-page").status_code for _ in range(2)] == [404, 404]


def test_a_committed_change_shows_at_the_next_request(writable_app, writable_engine):
    with Session(writable_engine) as session:
        code = session.scalar(select(Measure.code).order_by(Measure.code))
    dash = DashClient.in_language(writable_app, "fr")
    spy = spy_on(writable_app)
    before = page_text(dash, f"/measures/{code}")
    assert page_text(dash, f"/measures/{code}") == before
    hits = spy.hits
    with Session(writable_engine) as session:
        version = data_version(session)
        session.execute(update(Measure).where(Measure.code == code).values(name_fr="Mesure renommée XYZ"))
        session.commit()
        assert data_version(session) == version + 1
    after = page_text(dash, f"/measures/{code}")
    assert "Mesure renommée XYZ" not in before
    assert "Mesure renommée XYZ" in after
    assert spy.hits == hits


def test_signed_in_users_are_never_served_from_the_cache(app, login):
    spy = spy_on(app)
    dash = DashClient(login(app.test_client(), "secretariat"))
    page_text(dash, "/plan")
    page_text(dash, "/plan")
    assert app.test_client().get("/_dash-layout").status_code == 200
    assert (spy.hits, spy.stored) == (0, 1)  # only the anonymous layout


def test_other_callbacks_and_refused_requests_are_not_cached(app):
    spy = spy_on(app)
    client = app.test_client()
    dash = DashClient(client)
    response = client.post("/_dash-update-component", json={"output": "..", "inputs": "x"},
                           headers={"X-CSRFToken": dash.csrf_token()})
    assert response.status_code == 400
    no_token = client.post("/_dash-update-component", json={"output": ".._pages_content.children..."})
    assert no_token.status_code == 400
    assert spy.stored == 0


def test_the_cache_can_be_turned_off(make_app):
    app = make_app(PAGE_CACHE=False)
    assert "page_cache" not in app.extensions
    assert page_text(DashClient(app.test_client()), "/plan")


# --- the data's version -------------------------------------------------------------------------


def test_a_rollback_or_a_sign_in_record_leaves_the_version(writable_engine):
    with Session(writable_engine) as session:
        version = data_version(session)
        session.execute(update(Measure).values(progress=50))
        session.rollback()
        assert data_version(session) == version
        session.add(LoginAttempt(email="x@example.org", address="127.0.0.1", succeeded=False,
                                 attempted_at=dt.datetime(2026, 12, 4)))
        session.commit()
        assert data_version(session) == version
        session.execute(text("UPDATE measure SET progress = progress"))
        session.commit()
        assert data_version(session) == version + 1


def test_the_memory_cache_keeps_the_most_recent_entries():
    cache = MemoryCache(max_entries=2)
    cache.set("a", b"1")
    cache.set("b", b"2")
    assert cache.get("a") == b"1"
    cache.set("c", b"3")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (b"1", None, b"3")
    cache.set("big", b"x" * (5 * 1024 * 1024))
    assert cache.get("big") is None


# --- Redis: one cache for every worker -----------------------------------------------------------


def test_workers_share_the_pages_through_redis(make_app, redis_url):
    """Two apps stand for two worker processes: what one built, the other serves."""
    first, second = make_app(REDIS_URL=redis_url), make_app(REDIS_URL=redis_url)
    assert isinstance(first.extensions["page_cache"], RedisCache)
    spy = spy_on(second)
    built = page_text(DashClient(first.test_client()), "/indicators")
    assert page_text(DashClient(second.test_client()), "/indicators") == built
    assert spy.hits == 2  # the callback list and the page


def test_pages_are_served_when_redis_is_down(make_app):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens there once the socket is closed
    app = make_app(REDIS_URL=f"redis://127.0.0.1:{port}/0")
    dash = DashClient(app.test_client())
    assert page_text(dash, "/plan") == page_text(dash, "/plan")


def test_forms_are_never_cached(app):
    """What /login and /set-password show depends on accounts and links, which the data's
    version does not follow (a used link must say so at once)."""
    spy = spy_on(app)
    client = app.test_client()
    dash = DashClient(client)
    assert dash.dependencies
    stored = spy.stored
    for path in ("/login", "/set-password", "/account/password"):
        client.get(f"{path}?lang=fr")
        dash.page(path, "?token=abc")
    assert spy.stored == stored


def test_a_database_without_the_version_still_serves_pages(make_app, blank_db_url):
    app = make_app(DATABASE_URL=blank_db_url)  # not migrated: no table at all
    assert app.test_client().get("/?lang=fr").status_code == 200


def test_writes_to_bookkeeping_tables_in_sql_text_leave_the_version(writable_engine):
    with Session(writable_engine) as session:
        version = data_version(session)
        session.execute(text("UPDATE alembic_version SET version_num = version_num"))
        session.execute(text('DELETE FROM "login_attempt" WHERE 1 = 0'))
        session.commit()
        assert data_version(session) == version


def test_a_hit_for_a_browser_is_sent_in_brotli_compressed_once(app):
    import brotli

    spy = spy_on(app)
    headers = {"Accept-Encoding": "gzip, deflate, br"}
    first = app.test_client().get("/indicators?lang=fr", headers=headers)
    second = app.test_client().get("/indicators?lang=fr", headers=headers)
    plain = app.test_client().get("/indicators?lang=fr")
    assert spy.hits == 2
    assert second.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in second.headers["Vary"]
    assert brotli.decompress(second.data) == brotli.decompress(first.data) == plain.data
