r"""A plain Dash "hello world" page, served beside the dashboard to compare load tests with.

One ``html.Div("Hello")``, the scripts served locally (no CDN), no callback: its page load
is the document, ``/_dash-layout`` and ``/_dash-dependencies``. Serve it with the same
server software as the dashboard, on another port, then give its URL to the load test:

    gunicorn --bind 127.0.0.1:8051 --workers 2 --worker-class gthread --threads 4 --keep-alive 5 \
        --control-socket /tmp/plain-dash.ctl dashboard.devtools.plain_dash:server

    python -m dashboard loadtest --url http://127.0.0.1:8050 --plain-url http://127.0.0.1:8051

These are the settings of ``python -m dashboard serve`` (``dashboard.web.server``): give
``--workers`` and ``--threads`` the values the dashboard runs with (one worker per core by
default, 4 threads). The control socket keeps off any other gunicorn's (by default every
gunicorn of a user shares ``~/.gunicorn/gunicorn.ctl``; ``serve`` turns its own off).
"""
from __future__ import annotations

from dash import Dash, html

app = Dash(__name__, serve_locally=True, title="Hello")
app.layout = html.Div("Hello")
server = app.server
