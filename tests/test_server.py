"""The production server (dashboard/web/server.py): gunicorn with several worker processes."""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from dashboard.web import server
from helpers import AS_OF, REPO_ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture
def running_server(seeded_url, tmp_path):
    port = free_port()
    env = {**os.environ, "DASHBOARD_DATABASE_URL": seeded_url, "DASHBOARD_AS_OF": AS_OF,
           "DASHBOARD_UPLOAD_DIR": str(tmp_path), "DASHBOARD_SECRET_KEY": "",
           "DASHBOARD_WORKERS": "2"}
    process = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--port", str(port), "--threads", "2"],
                               cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200 and len(children(process.pid)) == 2:
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        raise AssertionError(process.stdout.read().decode())
    yield process, port
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def request(port: int, method: str, path: str, body: dict | None = None, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)  # a new connection each time
    connection.request(method, path, body=json.dumps(body) if body else None, headers=headers or {})
    response = connection.getresponse()
    return response, response.read()


def test_serve_runs_one_worker_per_setting_and_they_share_the_secret_key(running_server):
    """Without DASHBOARD_SECRET_KEY (development) the key is made once, before the workers
    fork: a session cookie signed by one worker is accepted by the other. Every callback
    POST checks the CSRF token kept in that cookie, so a worker with another key would refuse
    about half of these."""
    process, port = running_server
    assert len(children(process.pid)) == 2
    response, _body = request(port, "GET", "/?lang=fr")
    assert response.status == 200
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie"):
        jar.load(header)
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())
    router = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/plan"},
                   {"id": "_pages_location", "property": "search", "value": "?lang=fr"}],
        "state": [],
        "changedPropIds": ["_pages_location.pathname"],
    }
    headers = {"Cookie": cookie, "X-CSRFToken": jar["_csrf_token"].value, "Content-Type": "application/json",
               "Accept-Encoding": "identity"}
    statuses = [request(port, "POST", "/_dash-update-component", router, headers)[0].status for _ in range(24)]
    assert statuses == [200] * 24
    # Compressed once in the master, before the workers forked.
    response, _body = request(port, "GET", "/_dash-component-suites/plotly/package_data/plotly.min.js",
                             headers={"Accept-Encoding": "br"})
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "br"


def test_gunicorn_options():
    options = server.gunicorn_options("0.0.0.0", 8000, workers=3, threads=4)
    assert options["bind"] == "0.0.0.0:8000"
    assert options["workers"] == 3
    assert options["threads"] == 4
    assert options["worker_class"] == "gthread"
    assert options["preload_app"] is True
    assert options["max_requests"] > 0


def test_default_workers_are_two_per_usable_core():
    assert server.default_workers() == 2 * len(os.sched_getaffinity(0))


def test_a_chunked_body_over_the_limit_is_cut_off_by_the_real_server(running_server):
    """An 80 MB chunked body (no Content-Length to check): refused without being read whole
    (Werkzeug stops at MAX_CONTENT_LENGTH, see test_request_limits.py), and the worker
    lives on."""
    _process, port = running_server
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    chunk = b"x" * (1024 * 1024)
    status = None
    try:
        connection.putrequest("POST", "/_dash-update-component")
        connection.putheader("Transfer-Encoding", "chunked")
        connection.putheader("Content-Type", "application/json")
        connection.endheaders()
        for _ in range(80):
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        connection.send(b"0\r\n\r\n")
        status = connection.getresponse().status
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server stopped reading and closed the connection
    assert status in (None, 400, 413)
    response, _body = request(port, "GET", "/healthz")
    assert response.status == 200
