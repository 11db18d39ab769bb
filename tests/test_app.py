"""The web application over HTTP: health check, page shell, language, pages and callbacks."""
from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask_babel import gettext

from dashboard.devtools.testing import DashClient
from helpers import kpi_value

LANGS = ("ar", "fr", "en")
DIRECTIONS = {"ar": "rtl", "fr": "ltr", "en": "ltr"}
# The plan description of the fixture, one per language: proves the page's language.
PLAN_DESCRIPTION = {"ar": "وصف الخطة", "fr": "Description du plan", "en": "Description of the plan"}


def translated(app: Flask, lang: str, text: str) -> str:
    """``text`` as the app translates it for ``lang`` (English until catalogs are compiled)."""
    with app.test_request_context(f"/?lang={lang}"):
        return gettext(text)


components = DashClient.components


def with_class(name: str) -> Callable[[dict], bool]:
    return lambda node: name in (node["props"].get("className") or "").split()


def page_content(dash_client: DashClient, path: str, search: str = "") -> Any:
    response = dash_client.page(path, search)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_json()["response"]["_pages_content"]["children"]


class AssetRefs(HTMLParser):
    """``src``/``href`` of the tags that make the browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("link", "script", "img", "iframe", "source"):
            self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def asset_urls(html: str) -> list[str]:
    parser = AssetRefs()
    parser.feed(html)
    return parser.urls


# --- health check ---------------------------------------------------------------------


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"app": "ok", "database": "ok"}


def test_healthz_503_when_the_database_is_a_directory(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"app": "ok", "database": "error: OperationalError"}


def test_healthz_503_when_postgresql_is_unreachable(make_app):
    app = make_app(DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:1/nothing?connect_timeout=3")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "error: OperationalError"


# --- page shell and language ------------------------------------------------------------


def test_index_is_arabic_right_to_left_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    stylesheets = [u for u in asset_urls(page) if "bootstrap" in u and u.endswith(".css")]
    assert [urlsplit(u).path for u in stylesheets if "bootstrap-icons" not in u] == [
        "/assets/vendor/bootstrap/bootstrap.rtl.min.css"
    ]
    # No language cookie for the default language (the session and CSRF cookies are set).
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("lang=")]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_lang_query_switches_to_left_to_right_and_sets_the_cookie(client, lang):
    response = client.get(f"/?lang={lang}")
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}" dir="ltr">' in page
    assert "/assets/vendor/bootstrap/bootstrap.min.css" in page
    assert "bootstrap.rtl.min.css" not in page
    cookie = client.get_cookie("lang")
    assert cookie is not None and cookie.value == lang
    assert "SameSite=Lax" in response.headers["Set-Cookie"]


def test_the_cookie_keeps_the_language_without_the_query(client):
    client.get("/?lang=fr")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page
    # Switching back to Arabic replaces the cookie.
    client.get("/?lang=ar")
    assert client.get_cookie("lang").value == "ar"
    assert '<html lang="ar" dir="rtl">' in client.get("/plan").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["xx", "AR", "fr-FR", ""])
def test_invalid_lang_falls_back_to_the_default(client, lang):
    response = client.get(f"/?lang={lang}")
    assert '<html lang="ar" dir="rtl">' in response.get_data(as_text=True)
    assert client.get_cookie("lang") is None


def test_default_lang_setting_is_used(make_app):
    client = make_app(DEFAULT_LANG="fr").test_client()
    assert '<html lang="fr" dir="ltr">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("lang", LANGS)
def test_index_references_no_external_host(client, lang):
    page = client.get(f"/?lang={lang}").get_data(as_text=True)
    urls = asset_urls(page)
    assert urls, "the index links no asset at all"
    external = [u for u in urls if u.startswith("//") or (
        urlsplit(u).scheme in ("http", "https") and urlsplit(u).hostname not in ("localhost", "127.0.0.1")
    )]
    assert external == []
    # Anything else absolute in the page would be fetched by the browser too.
    assert not re.search(r"""(?:src|href)=["']https?://""", page)


def test_every_linked_asset_is_served(client):
    page = client.get("/").get_data(as_text=True)
    for url in asset_urls(page):
        assert client.get(url).status_code == 200, url


# --- pages through the Dash router ------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_summary_page_in_each_language_with_the_demo_badge(app, client, dash_client, lang):
    client.get(f"/?lang={lang}")
    content = page_content(dash_client, "/")
    badges = components(content, with_class("demo-badge"))
    assert badges, "no demonstration badge on a demo plan"
    assert badges[0]["props"]["children"] == translated(app, lang, "Demonstration data")
    text = DashClient.text_of(content)
    assert PLAN_DESCRIPTION[lang] in text
    assert translated(app, lang, "Where the national plan stands") in text


def test_summary_page_figures(client, dash_client):
    client.get("/?lang=en")
    content = page_content(dash_client, "/")
    kpis = {card["props"]["id"]: kpi_value(card) for card in components(
        content, lambda node: str(node["props"].get("id", "")).startswith("kpi-"))}
    # (100x2 + 30 + 50x3 + 0) / 7 = 54.3 %; 1 of the 3 measures due is on time.
    assert kpis["kpi-progress"] == "54%"
    assert kpis["kpi-on-time"] == "33%"
    assert kpis["kpi-measures"] == "5"


@pytest.mark.parametrize("lang", LANGS)
def test_plan_page_renders(app, client, dash_client, lang):
    client.get(f"/?lang={lang}")
    content = page_content(dash_client, "/plan", "?axis=A2")
    axis_select = components(content, lambda node: node["props"].get("id") == "plan-axis")
    assert len(axis_select) == 1
    assert axis_select[0]["props"]["value"] == "A2"
    assert [o["value"] for o in axis_select[0]["props"]["options"]] == ["", "A1", "A2"]
    assert translated(app, lang, "Plan explorer") in DashClient.text_of(content)


def test_plan_page_ignores_unknown_filter_values(client, dash_client):
    content = page_content(dash_client, "/plan", "?axis=NOPE&year=abc")
    values = {node["props"]["id"]: node["props"]["value"] for node in components(
        content, lambda node: str(node["props"].get("id", "")).startswith("plan-")
        and "value" in node["props"])}
    assert values["plan-axis"] == "" and values["plan-year"] == ""


def test_axis_page_lists_its_objectives(client, dash_client):
    client.get("/?lang=fr")
    text = DashClient.text_of(page_content(dash_client, "/axes/A2"))
    assert "A2 · Protection" in text
    assert "Hébergement" in text and "Aide juridique" in text


@pytest.mark.parametrize("path", ["/does-not-exist", "/plan/extra/segments"])
def test_unknown_page_shows_not_found(app, client, dash_client, path):
    client.get("/?lang=fr")
    content = page_content(dash_client, path)
    text = DashClient.text_of(content)
    assert translated(app, "fr", "This page does not exist.") in text
    links = components(content, lambda node: node["props"].get("href") == "/")
    assert links, "no link back to the summary"


def test_security_headers(client):
    response = client.get("/?lang=fr")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_unknown_paths_answer_404_and_known_ones_200(client):
    assert client.get("/does-not-exist?lang=fr").status_code == 404
    assert client.get("/plan/extra/segments").status_code == 404
    for path in ("/", "/plan", "/axes/A1", "/measures/A1.O1.M1", "/indicators", "/entities/MJ"):
        assert client.get(path).status_code == 200, path
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(("lang", "words"), [("fr", "Veuillez vous connecter"), ("ar", "يرجى تسجيل الدخول")])
def test_protected_files_refuse_in_the_users_language(client, lang, words):
    response = client.get(f"/admin/audit.csv?lang={lang}")
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert words in page and f'lang="{lang}"' in page and "/login?next=" in page
    missing = client.get(f"/evidence/999999?lang={lang}")
    assert missing.status_code == 404 and f'lang="{lang}"' in missing.get_data(as_text=True)
