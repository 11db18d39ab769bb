"""plotly.js's "basic" bundle, served where Dash's graphs look for plotly.js, draws every
chart of every page (dashboard/web/dash_app.py)."""
from __future__ import annotations

from pathlib import Path

from dashboard.web.dash_app import PLOTLY_BASIC, PLOTLY_TRACES, PLOTLY_URL
from tests.test_headers import page_paths  # noqa: F401  the fixture: one path per page


def test_dash_graphs_get_the_basic_bundle(client):
    response = client.get(PLOTLY_URL, headers={"Accept-Encoding": ""})
    assert response.status_code == 200
    assert response.data == PLOTLY_BASIC.read_bytes()
    assert b"plotly.js (basic - minified)" in response.data[:200]
    assert (PLOTLY_BASIC.parent / "LICENSE").exists()


def test_the_bundle_is_the_version_plotly_py_ships():
    import plotly

    shipped = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    version = shipped.read_text(encoding="utf-8", errors="replace")[:200].split(" v", 1)[1].split()[0]
    assert f"v{version}" in PLOTLY_BASIC.read_text(encoding="utf-8", errors="replace")[:200]


def test_the_bundle_is_not_linked_by_pages(client):
    assert "plotly-basic" not in client.get("/").get_data(as_text=True)


def test_every_chart_on_every_page_uses_a_trace_type_of_the_bundle(login, app, page_paths, dash_client):  # noqa: F811
    login(dash_client.client, "secretariat")
    seen = set()
    for path in page_paths:
        response = dash_client.page(path, "?lang=fr")
        assert response.status_code == 200, path
        for graph in dash_client.components(response.get_json(), lambda n: n.get("type") == "Graph"):
            for trace in (graph["props"].get("figure") or {}).get("data", []):
                seen.add(trace.get("type", "scatter"))
    assert "bar" in seen  # figures were found
    assert seen <= PLOTLY_TRACES, seen - PLOTLY_TRACES
