"""Services' results remembered by the data's version (dashboard/cache.py): computed once
per change, never stale, shared by the workers through Redis, bypassed by a transaction
that has written."""
from __future__ import annotations

import socket

from sqlalchemy import select, update

from dashboard.cache import Memo
from dashboard.models import Entity, Indicator
from dashboard.national import statistics
from dashboard.national.statistics import released_figures
from dashboard.plan import queries
from helpers import AS_OF_DATE, actor_of


def _figures(app, key=None, lang="fr"):
    session = app.extensions["db_sessionmaker"]()
    try:
        with app.test_request_context(f"/?lang={lang}"):
            return released_figures(session, actor_of(session, key), lang, 5)
    finally:
        session.close()


def _add_figure(session, value: float) -> None:
    pmp = session.scalar(select(Entity.id).where(Entity.acronym == "PMP"))
    statistics.upsert(session, entity_id=pmp, series="suspects", period="2031", breakdown="",
                      value=value, document="Test")


def _figure_2031(figures):
    return [f.value for f in figures if f.series == "suspects" and f.period == "2031" and not f.breakdown]


def test_the_figures_are_released_once_per_data_version(writable_app):
    memo = writable_app.extensions["memo"]
    first = _figures(writable_app)
    assert first and memo.computed == 1
    assert _figures(writable_app) is first and memo.computed == 1
    # Each language and each reader's access is its own result.
    assert _figures(writable_app, lang="ar") is not first and memo.computed == 2
    exact = _figures(writable_app, "committee")
    assert memo.computed == 3 and [f.exact for f in exact] != [f.exact for f in first]

    session = writable_app.extensions["db_sessionmaker"]()
    _add_figure(session, 41)
    with writable_app.test_request_context("/?lang=fr"):
        # The transaction that wrote reads its own change, not the remembered figures.
        assert _figure_2031(released_figures(session, actor_of(session, None), "fr", 5)) == [41]
    assert memo.computed == 3
    session.commit()
    session.close()
    after = _figure_2031(_figures(writable_app))
    assert after == [41] and memo.computed == 4


def test_a_rolled_back_change_leaves_the_version_and_the_figures(writable_app):
    memo = writable_app.extensions["memo"]
    before = _figures(writable_app)
    session = writable_app.extensions["db_sessionmaker"]()
    _add_figure(session, 41)
    session.rollback()
    session.close()
    assert _figures(writable_app) is before and memo.computed == 1


def test_workers_share_the_figures_through_redis(make_app, writable_url, redis_url):
    """Two apps stand for two worker processes: what one computed, the other reads."""
    first, second = (make_app(DATABASE_URL=writable_url, REDIS_URL=redis_url) for _ in range(2))
    computed = _figures(first)
    assert first.extensions["memo"].computed == 1
    shared = _figures(second)
    assert second.extensions["memo"].computed == 0
    assert shared == computed and shared is not computed


def test_figures_are_computed_when_redis_is_down(make_app, writable_url):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens there once the socket is closed
    app = make_app(DATABASE_URL=writable_url, REDIS_URL=f"redis://127.0.0.1:{port}/0")
    assert _figures(app) and _figures(app)
    assert app.extensions["memo"].computed == 1  # this process still remembers them


def test_indicator_rows_are_remembered_and_each_caller_gets_its_own(writable_app):
    memo = writable_app.extensions["memo"]
    make = writable_app.extensions["db_sessionmaker"]

    def rows(actor_key=None):
        session = make()
        try:
            with writable_app.test_request_context("/?lang=fr"):
                return queries.indicator_rows(session, "fr", AS_OF_DATE, 90, actor=actor_of(session, actor_key))
        finally:
            session.close()

    first = rows()
    assert first and memo.computed == 1
    first[0]["name"] = "changed by a caller"
    again = rows()
    assert memo.computed == 1 and again[0]["name"] != "changed by a caller"
    rows("committee")  # a reader of restricted data: another result
    assert memo.computed == 2
    session = make()
    session.execute(update(Indicator).where(Indicator.code == again[0]["code"]).values(name_fr="Nouveau nom"))
    session.commit()
    session.close()
    assert rows()[0]["name"] == "Nouveau nom" and memo.computed == 3


def test_one_kind_of_result_does_not_push_out_another():
    memo = Memo(local_entries=2)

    class FakeSession:
        new = dirty = deleted = ()

    memo._key = lambda _session, name, parts: f"{name} {parts}"  # the version is not what is tested here
    memo.get(FakeSession(), "figures", (), lambda: "released")
    for n in range(5):
        memo.get(FakeSession(), "rows", (n,), lambda n=n: n)
    assert memo.get(FakeSession(), "figures", (), lambda: "computed again") == "released"
    assert memo.get(FakeSession(), "rows", (0,), lambda: "computed again") == "computed again"  # only 2 kept
