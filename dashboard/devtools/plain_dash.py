"""A plain Dash "hello world" page, served beside the dashboard to compare load tests with.

One ``html.Div("Hello")``, the scripts served locally (no CDN), no callback: its page load
is the document, ``/_dash-layout`` and ``/_dash-dependencies``. Serve it with the same
server software as the dashboard, on another port, then give its URL to the load test:

    python -m waitress --listen 127.0.0.1:8051 --threads 8 dashboard.devtools.plain_dash:server
    gunicorn --bind 127.0.0.1:8051 --workers 2 dashboard.devtools.plain_dash:server

    python -m dashboard loadtest --url http://127.0.0.1:8050 --plain-url http://127.0.0.1:8051

(the waitress line is what ``python -m dashboard serve`` runs: 8 threads in one process; with
gunicorn, give it the dashboard's own ``--workers`` and ``--threads``).
"""
from __future__ import annotations

from dash import Dash, html

app = Dash(__name__, serve_locally=True, title="Hello")
app.layout = html.Div("Hello")
server = app.server
