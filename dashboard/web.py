"""The Dash application mounted on the Flask server.

The server renders ``<html lang dir>`` and picks the left-to-right or right-to-left
Bootstrap build per request. Everything is served from ``dashboard/assets``: no CDN.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import dash
from dash import Dash, dcc, html
from flask import Flask, request
from flask_babel import gettext as _

from .i18n import LANGUAGE_NAMES, current_lang, direction

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
BOOTSTRAP = {
    "ltr": "vendor/bootstrap/bootstrap.min.css",
    "rtl": "vendor/bootstrap/bootstrap.rtl.min.css",
}

INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="{%lang%}" dir="{%dir%}">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        <link rel="stylesheet" href="{%bootstrap%}">
        {%css%}
    </head>
    <body>
        <noscript>{%noscript%}</noscript>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


class DashboardDash(Dash):
    """Dash with a per-request language and text direction in the page shell."""

    def interpolate_index(self, **kwargs):
        page = super().interpolate_index(**kwargs)
        lang = current_lang()
        text_direction = direction(lang)
        return (
            page.replace("{%lang%}", lang)
            .replace("{%dir%}", text_direction)
            .replace("{%bootstrap%}", self.get_asset_url(BOOTSTRAP[text_direction]))
            .replace("{%noscript%}", _("This dashboard needs JavaScript."))
        )


def _layouts_folder() -> str:
    spec = importlib.util.find_spec("layouts")
    assert spec and spec.submodule_search_locations, "the layouts package is missing"
    return str(Path(list(spec.submodule_search_locations)[0]).resolve())


def init_dash(server: Flask) -> Dash:
    app = DashboardDash(
        name="dashboard",
        server=server,
        use_pages=True,
        pages_folder=_layouts_folder(),
        assets_folder=str(ASSETS_DIR),
        # The two Bootstrap builds are linked by the index, one per text direction.
        assets_ignore=r"^bootstrap(\.rtl)?\.min\.css$",
        serve_locally=True,
        suppress_callback_exceptions=True,
        update_title=None,
        title="CNCLTEH",
        index_string=INDEX_TEMPLATE,
    )
    app.layout = shell
    server.extensions["dash"] = app
    server.after_request(_not_found_status)

    from callbacks import register_callbacks

    register_callbacks(app)
    return app


def _matches(path: str, template: str) -> bool:
    parts, pattern = path.strip("/").split("/"), template.strip("/").split("/")
    return len(parts) == len(pattern) and all(
        want.startswith("<") or want == got for want, got in zip(pattern, parts)
    )


def _not_found_status(response):
    """Dash answers every path with its page shell; an unknown path gets the shell (which
    shows "not found") with the status 404, for browsers, crawlers and monitoring."""
    if request.method == "GET" and response.status_code == 200 and response.mimetype == "text/html":
        templates = [page.get("path_template") or page["path"] for page in dash.page_registry.values()]
        if not any(_matches(request.path, template) for template in templates):
            response.status_code = 404
    return response


def shell():
    """The frame around every page: navigation, language switcher, footer."""
    lang = current_lang()
    nav = [
        ("/", _("Summary")),
        ("/plan", _("Plan explorer")),
        ("/implementation", _("Implementation 2023-2026")),
        ("/indicators", _("Indicators")),
        ("/entities", _("Entities")),
    ]
    return html.Div(
        [
            html.A(_("Skip to main content"), href="#main", className="visually-hidden-focusable"),
            html.Header(
                html.Nav(
                    html.Div(
                        [
                            dcc.Link(
                                [
                                    html.I(className="bi bi-bar-chart-line me-2", **{"aria-hidden": "true"}),
                                    _("Trafficking in persons: national plan monitor"),
                                ],
                                href="/",
                                className="navbar-brand fw-semibold",
                            ),
                            html.Ul(
                                [
                                    html.Li(
                                        dcc.Link(label, href=path, className="nav-link", id=f"nav-{i}"),
                                        className="nav-item",
                                    )
                                    for i, (path, label) in enumerate(nav)
                                ],
                                className="navbar-nav me-auto flex-wrap",
                                id="main-nav",
                            ),
                            html.Div(
                                [
                                    html.A(
                                        LANGUAGE_NAMES[code],
                                        href=f"?lang={code}",
                                        id=f"lang-{code}",
                                        lang=code,
                                        hrefLang=code,
                                        className="btn btn-sm "
                                        + ("btn-light active" if code == lang else "btn-outline-light"),
                                        **({"aria-current": "true"} if code == lang else {}),
                                    )
                                    for code in ("ar", "fr", "en")
                                ],
                                className="btn-group",
                                role="group",
                                **{"aria-label": _("Language")},
                            ),
                        ],
                        className="container-fluid",
                    ),
                    className="navbar navbar-expand-lg navbar-dark app-navbar",
                    **{"aria-label": _("Main navigation")},
                )
            ),
            html.Main(dash.page_container, id="main", className="container-fluid py-3", tabIndex="-1"),
            html.Footer(
                html.Div(
                    [
                        html.P(
                            _(
                                "National commission for the coordination of measures to combat "
                                "and prevent trafficking in persons (CNCLTEH). Permanent "
                                "secretariat: Ministry of Justice."
                            ),
                            className="mb-1",
                        ),
                        html.P(
                            [
                                _("National hotline for victims:"),
                                " ",
                                html.Bdi("0800 00 47 47", dir="ltr"),
                            ],
                            className="mb-0",
                        ),
                    ],
                    className="container-fluid small text-body-secondary",
                ),
                className="border-top py-3 mt-4",
            ),
        ]
    )
