"""The load test (``python -m dashboard loadtest``) against real servers in threads.

What it plays and what it reports, never how fast: nothing here is timed.
"""
from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import Callable, Iterator

import pytest
from werkzeug.serving import make_server

from dashboard import cli
from dashboard.devtools import loadtest

ROUTER = "callback _pages_content.children, _pages_store.data"


@pytest.fixture
def serve() -> Iterator[Callable]:
    """``serve(wsgi_app)``: serve it with werkzeug in a thread; returns the base URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    running = []

    def _serve(wsgi_app) -> str:
        server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        running.append((server, thread))
        return f"http://127.0.0.1:{server.server_port}"

    yield _serve
    for server, thread in running:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def dashboard_url(make_app, serve) -> str:
    return serve(make_app())


def _play(url: str, pages: list[str], **options) -> loadtest.RunResult:
    settings = {"connections": 2, "duration": None, "loads": 6, **options}
    return asyncio.run(loadtest.play(url, pages, settings["connections"], settings["duration"], settings["loads"]))


def test_a_page_load_is_the_document_the_layout_the_dependencies_and_the_router(dashboard_url):
    result = _play(dashboard_url, ["/?lang=fr", "/plan?lang=fr"])

    home, plan = result.plans["/?lang=fr"], result.plans["/plan?lang=fr"]
    assert [(s.kind, s.method, s.path) for s in home.steps[:3]] == [
        ("document", "GET", "/?lang=fr"), ("layout", "GET", "/_dash-layout"),
        ("dependencies", "GET", "/_dash-dependencies")]
    assert [s.kind for s in home.steps[3:]] == [ROUTER]  # the summary starts no callback of its own
    # The plan explorer renders its first view in its layout; its grid's rows are asked by
    # the grid itself (AG Grid's infinite row model), which the renderer does not start.
    assert [s.kind for s in plan.steps[3:]] == [ROUTER]
    assert b'"value":"/plan"' in plan.steps[3].body and b'"value":"?lang=fr"' in plan.steps[3].body
    assert result.errors == 0 and result.loads == 6
    for page, steps in (("/?lang=fr", home.steps), ("/plan?lang=fr", plan.steps)):
        stats = result.pages[page]
        assert stats.loads == len(stats.load_ms) >= 1
        assert stats.requests == stats.loads * len(steps)
        assert all(len(stats.by_kind[s.kind]) == stats.loads for s in steps)


def test_the_callbacks_carry_the_csrf_token_of_each_visitor_and_the_end_id_of_each_page(make_app, serve):
    seen: list[tuple[str, str]] = []
    queries: list[str] = []
    app = make_app()
    inner = app.wsgi_app

    def recording(environ, start_response):
        if environ["REQUEST_METHOD"] == "POST":
            cookies = dict(part.strip().split("=", 1) for part in environ.get("HTTP_COOKIE", "").split(";") if part)
            seen.append((environ.get("HTTP_X_CSRFTOKEN", ""), cookies.get("_csrf_token", "")))
            queries.append(environ.get("QUERY_STRING", ""))
        return inner(environ, start_response)

    app.wsgi_app = recording
    result = _play(serve(app), ["/plan?lang=ar"], connections=3, loads=6)

    assert result.errors == 0
    assert len(seen) == 7  # the router's callback a load; the first load is the discovery's
    assert all(header and header == cookie for header, cookie in seen)
    assert len({header for header, _ in seen}) >= 3  # each visitor its own session and token
    # As the renderer does, the callbacks of a page load send the end_id of its document.
    assert all(q.startswith("endId=") for q in queries)


def test_the_command_prints_each_request_kind_and_exits_0(dashboard_url, capsys):
    code = cli.main(["loadtest", "--url", dashboard_url, "--pages", "/,/plan", "--lang", "en",
                     "--connections", "2", "--duration", "1"])

    out = capsys.readouterr().out
    assert code == 0, out
    assert "static JS/CSS files are left out" in out
    assert "page /?lang=en:" in out and "page /plan?lang=en:" in out
    for label in ("page load", "document", "layout", "dependencies", ROUTER):
        assert f"  {label} " in out
    assert "p50 ms" in out and "p99 ms" in out and "errors 0" in out


def test_the_plain_page_is_compared_with(dashboard_url, serve, capsys):
    from dashboard.devtools.plain_dash import server as plain_server

    code = loadtest.run(url=dashboard_url, pages=["/"], lang="ar", connections=2, duration=None, loads=4,
                        plain_url=serve(plain_server))

    out = capsys.readouterr().out
    assert code == 0, out
    plain = out.split("page /:")[1].split("total:")[0]
    assert "  document " in plain and "  dependencies " in plain and "  callback " not in plain
    assert "dashboard / plain Dash page: page loads/s" in out


def test_server_errors_are_counted_printed_and_exit_1(make_app, serve, capsys):
    app = make_app()
    inner = app.wsgi_app
    layouts = []

    def failing(environ, start_response):
        if environ["PATH_INFO"] == "/_dash-layout":
            layouts.append(1)
            if len(layouts) > 1:  # the discovery's passes, the load's fail
                start_response("500 INTERNAL SERVER ERROR", [("Content-Type", "text/plain")])
                return [b"boom"]
        return inner(environ, start_response)

    app.wsgi_app = failing
    url = serve(app)
    result = _play(url, ["/?lang=fr"], connections=2, loads=4)
    assert result.errors == 4 and result.loads == 0
    assert result.pages["/?lang=fr"].errors == {"layout": 4}

    layouts.clear()
    code = loadtest.run(url=url, pages=["/"], lang="fr", connections=1, duration=None, loads=2)
    out = capsys.readouterr().out
    assert code == 1
    assert "2 errors" in out and "error: layout on /?lang=fr: HTTP 500" in out


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("where", ["nothing listening", "wrong path"])
def test_a_wrong_url_is_reported_and_exits_1(where, dashboard_url, capsys):
    url = f"http://127.0.0.1:{_unused_port()}" if where == "nothing listening" else f"{dashboard_url}/nowhere"

    code = cli.main(["loadtest", "--url", url, "--pages", "/", "--connections", "1", "--loads", "1"])

    out = capsys.readouterr().out
    assert code == 1
    assert "error: " in out
    if where == "wrong path":
        assert "answered 404" in out
