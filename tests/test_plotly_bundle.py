"""plotly.js's "basic" bundle, served where Dash's graphs look for plotly.js, draws every
chart of every page (dashboard/web/dash_app.py)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.devtools.testing import DashClient
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


def test_the_vendored_bundle_holds_no_outside_address():
    """The dashboard works offline: plotly.js's defaults that point at Plotly's servers, and
    its links, were replaced (dashboard/devtools/vendor_plotly.py); only XML namespace names,
    which are never fetched, are left."""
    from dashboard.devtools import vendor_plotly

    text = PLOTLY_BASIC.read_text(encoding="utf-8")
    assert vendor_plotly.outside_addresses(text) == []
    assert vendor_plotly.make_offline(text) == text  # made by the same rules: nothing left to do
    assert "http://www.w3.org/2000/svg" in text  # the namespace names plotly.js needs


def test_the_offline_copy_is_made_by_rules_that_name_no_host():
    from dashboard.devtools import vendor_plotly

    sample = ('a={dflt:"https://example.invalid/un/"};r.href="https://example.invalid/";'
              '"see https://example.invalid/doc for more; MIT License: http://example.invalid";'
              'document.createElementNS("http://www.w3.org/2000/svg","g")')
    assert vendor_plotly.make_offline(sample) == (
        'a={dflt:""};r.href="#";"see (web address removed) for more; MIT License: (web address removed)";'
        'document.createElementNS("http://www.w3.org/2000/svg","g")')
    assert vendor_plotly.outside_addresses(vendor_plotly.make_offline(sample)) == []


def test_no_served_script_or_stylesheet_loads_anything_from_another_host():
    from dashboard.devtools import vendor_plotly
    from dashboard.web.dash_app import ASSETS_DIR

    for path in sorted(ASSETS_DIR.rglob("*")):
        if path.suffix == ".js" and "swagger-ui" in path.parts:
            # The API documentation's Swagger UI compares documents against the OpenAPI and
            # JSON Schema identifiers (addresses it never fetches; its validator is off):
            # tests/browser/test_api_docs.py shows the page makes no request to another host.
            continue
        if path.suffix == ".js":
            assert vendor_plotly.outside_addresses(path.read_text(encoding="utf-8")) == [], path
        elif path.suffix == ".css":
            text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)  # licence comments
            for target in re.findall(r"url\(\s*['\"]?([^'\")]+)", text):
                assert target.startswith(("data:", "./", "fonts/")) or "://" not in target, (path, target)
            assert "@import" not in text, path


def test_charts_offer_no_link_to_plotly():
    from layouts.components import GRAPH_CONFIG

    assert GRAPH_CONFIG["displaylogo"] is False
    assert GRAPH_CONFIG["showSendToCloud"] is False and GRAPH_CONFIG["showEditInChartStudio"] is False
    assert GRAPH_CONFIG["modeBarButtons"] == [["toImage"]]  # the one button: download as PNG


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_a_chart_speaks_the_page_language_and_its_words_are_served(client, lang):
    response = DashClient.in_language(client.application, lang).page("/")
    graphs = DashClient.components(response.get_json(), lambda n: n["type"] == "Graph")
    assert graphs and {g["props"]["config"]["locale"] for g in graphs} == {lang}
    assert all(g["props"]["config"]["toImageButtonOptions"]["filename"] == g["props"]["id"] for g in graphs)
    if lang == "en":
        return  # plotly.js's own language
    index = client.get(f"/?lang={lang}").get_data(as_text=True)
    (src,) = re.findall(rf'src="([^"]*plotly-locale-{lang}[^"]*)"', index)
    script = client.get(src).get_data(as_text=True)
    assert f'name:"{lang}"' in script.replace('"name":"', 'name:"')
    assert '"Download plot as a PNG"' in script.replace("'", '"') or "Download plot as a PNG:" in script
