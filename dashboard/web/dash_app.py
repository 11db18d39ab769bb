"""The Dash application mounted on the Flask server.

The server renders ``<html lang dir>`` and picks the left-to-right or right-to-left
Bootstrap build per request. Everything is served from ``dashboard/assets``: no CDN.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import dash
from dash import Dash
from dash.development.base_component import Component
from dash.exceptions import DependencyException
from flask import Flask, request, send_file
from flask_babel import gettext as _

from dashboard.i18n import current_lang, direction

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
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
        {%preload%}
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


# Fonts the first screen uses, fetched with the stylesheets rather than after the page is
# drawn: text is laid out once, in its own font, and does not move.
FONTS = {
    "ar": ("vendor/fonts/noto-sans-arabic/noto-sans-arabic-arabic-400-normal.woff2",
           "vendor/fonts/noto-sans-arabic/noto-sans-arabic-arabic-700-normal.woff2"),
    "all": ("vendor/fonts/noto-sans-arabic/noto-sans-arabic-latin-400-normal.woff2",
            "vendor/fonts/noto-sans-arabic/noto-sans-arabic-latin-700-normal.woff2",
            "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2?e34853135f9e39acf64315236852cd5a"),
}


# Dash's graphs load plotly.js from this URL (written into dash-renderer) when the first
# chart is drawn. The dashboard draws only bars, lines and pies: plotly.js's "basic"
# bundle (the same version) has those, at 1.2 MB instead of 4.8.
PLOTLY_URL = "/_dash-component-suites/plotly/package_data/plotly.min.js"
PLOTLY_BASIC = ASSETS_DIR / "vendor" / "plotly" / "plotly-basic.min.js"
PLOTLY_TRACES = frozenset({"scatter", "bar", "pie"})


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
            .replace("{%preload%}", "".join(
                f'<link rel="preload" href="{self.get_asset_url(path)}" as="font" type="font/woff2" crossorigin>'
                for path in FONTS.get(lang, ()) + FONTS["all"]))
            .replace("{%noscript%}", _("This dashboard needs JavaScript."))
        )


def init_dash(server: Flask, pages_folder: Path, layout: Callable[[], Component]) -> Dash:
    """Mount Dash on the server, with the pages found in ``pages_folder`` and ``layout`` as
    the frame around them. Callbacks are registered by the caller (``dashboard.app``)."""
    app = DashboardDash(
        name="dashboard",
        server=server,
        use_pages=True,
        pages_folder=str(pages_folder.resolve()),
        assets_folder=str(ASSETS_DIR),
        # The two Bootstrap builds are linked by the index, one per text direction; plotly.js
        # is loaded by the first chart (see PLOTLY_URL).
        assets_ignore=r"^(bootstrap(\.rtl)?\.min\.css|plotly-basic\.min\.js)$",
        serve_locally=True,
        # dashboard.web.delivery compresses (Dash would add a second Compress of its own).
        compress=False,
        suppress_callback_exceptions=True,
        update_title=None,
        title="CNCLTEH",
        index_string=INDEX_TEMPLATE,
    )
    app.layout = layout
    server.extensions["dash"] = app
    server.after_request(_not_found_status)
    # Dash raises this for a script path it does not serve: a missing file, not a server error.
    server.add_url_rule(PLOTLY_URL, "plotly_js", _plotly_js)
    server.register_error_handler(DependencyException, lambda _error: ("Not found", 404))
    # A library may list a file it does not ship (a source map): not found either.
    server.register_error_handler(FileNotFoundError, _missing_library_file)
    return app


def _plotly_js():
    # The rule is more specific than Dash's own route for library files, so it wins.
    return send_file(PLOTLY_BASIC, mimetype="text/javascript", etag=True, conditional=True, max_age=None)


def _missing_library_file(error: FileNotFoundError):
    if request.path.startswith("/_dash-component-suites/"):
        return "Not found", 404
    raise error


def _matches(path: str, template: str) -> bool:
    parts, pattern = path.strip("/").split("/"), template.strip("/").split("/")
    return len(parts) == len(pattern) and all(
        want.startswith("<") or want == got for want, got in zip(pattern, parts)
    )


def _not_found_status(response):
    """Dash answers every path with its page shell; an unknown path gets the shell (which
    shows "not found") with the status 404, for browsers, crawlers and monitoring. Pages
    of the Flask blueprints (the report, the API's documentation) are their own."""
    if (request.method == "GET" and response.status_code == 200 and response.mimetype == "text/html"
            and request.blueprint is None):
        templates = [page.get("path_template") or page["path"] for page in dash.page_registry.values()]
        if not any(_matches(request.path, template) for template in templates):
            response.status_code = 404
    return response
