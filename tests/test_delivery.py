"""Compression and cache lifetimes (dashboard/web/delivery.py)."""
from __future__ import annotations

import gzip
import json

import brotli
import pytest

from dashboard.web import delivery

BROWSER = "gzip, deflate, br, zstd"


def library_url(client, name: str) -> str:
    """The fingerprinted URL the page links for a library file whose path contains ``name``."""
    page = client.get("/").get_data(as_text=True)
    for part in page.split('"'):
        if part.startswith("/_dash-component-suites/") and name in part:
            return part
    raise AssertionError(f"{name} not linked")


def test_a_fingerprinted_library_file_is_cached_a_year_and_sent_in_brotli(client):
    url = library_url(client, "dash_ag_grid")
    plain = client.get(url, headers={"Accept-Encoding": ""})
    response = client.get(url, headers={"Accept-Encoding": BROWSER})
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert brotli.decompress(response.data) == plain.data
    assert len(response.data) < len(plain.data) / 3
    assert "Content-Encoding" not in plain.headers


def test_gzip_when_the_client_has_no_brotli(client):
    url = library_url(client, "dash_renderer")
    plain = client.get(url, headers={"Accept-Encoding": ""})
    response = client.get(url, headers={"Accept-Encoding": "gzip;q=1.0, br;q=0"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data) == plain.data


def test_a_library_file_without_fingerprint_is_revalidated_with_its_etag(client):
    url = "/_dash-component-suites/plotly/package_data/plotly.min.js"
    first = client.get(url, headers={"Accept-Encoding": BROWSER})
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-cache"
    etag = first.headers["ETag"]
    assert etag.endswith('-br"')
    again = client.get(url, headers={"Accept-Encoding": BROWSER, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    # Another encoding is another representation: sent in full.
    other = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert other.status_code == 200
    assert other.headers["Content-Encoding"] == "gzip"


def test_assets_with_a_version_are_cached_a_year_the_others_revalidated(client):
    page = client.get("/").get_data(as_text=True)
    versioned = next(p for p in page.split('"') if p.startswith("/assets/app.css?m="))
    assert client.get(versioned).headers["Cache-Control"] == "public, max-age=31536000, immutable"
    font = "/assets/vendor/fonts/noto-sans-arabic/noto-sans-arabic-arabic-400-normal.woff2"
    response = client.get(font, headers={"Accept-Encoding": BROWSER})
    assert response.headers["Cache-Control"] == "no-cache"
    # A font is compressed already.
    assert "Content-Encoding" not in response.headers


def test_pages_layouts_and_callback_responses_are_compressed(client, dash_client):
    assert client.get("/?lang=fr", headers={"Accept-Encoding": BROWSER}).headers["Content-Encoding"] == "br"
    assert client.get("/_dash-layout", headers={"Accept-Encoding": BROWSER}).headers["Content-Encoding"] == "br"
    dependencies = client.get("/_dash-dependencies", headers={"Accept-Encoding": "gzip"})
    assert dependencies.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(dependencies.data))
    assert dash_client.dependencies  # read before the client asks for compression
    client.environ_base["HTTP_ACCEPT_ENCODING"] = BROWSER
    response = dash_client.page("/plan")
    assert response.headers["Content-Encoding"] == "br"
    assert json.loads(brotli.decompress(response.data))["response"]["_pages_content"]["children"]


def test_a_body_holding_the_csrf_token_is_never_compressed(client, login):
    """The signed-in frame carries the log-out form's token; compressing it beside text a
    visitor chooses would leak it through the response size (BREACH)."""
    login(client, "secretariat")
    layout = client.get("/_dash-layout", headers={"Accept-Encoding": BROWSER})
    assert "csrf_token" in layout.get_data(as_text=True)
    assert "Content-Encoding" not in layout.headers
    assert "Accept-Encoding" in layout.headers["Vary"]


def test_a_source_map_a_library_lists_but_does_not_ship_is_not_found(client):
    response = client.get("/_dash-component-suites/dash/dcc/async-mathjax.js.map")
    assert response.status_code == 404


@pytest.mark.parametrize(("header", "expected"), [
    ("gzip, deflate, br, zstd", "br"),
    ("gzip", "gzip"),
    ("br;q=0, gzip;q=0.5", "gzip"),
    ("br;q=nonsense, gzip", "gzip"),
    ("identity", None),
    ("", None),
])
def test_choose_encoding(header, expected):
    assert delivery.choose_encoding(header) == expected


def test_warm_compresses_every_linked_file_once(app):
    delivery.warm(app)
    client = app.test_client()
    url = library_url(client, "dash_bootstrap_components")
    key = (delivery.FINGERPRINT.sub(".", url), "", "br")
    assert key in delivery._compressed
