"""Callbacks of the page frame: language links that keep the current page and filters,
and the highlighted navigation entries (the main ones and the logged-in user's). All run
in the browser (no server round trip)."""
from __future__ import annotations

from dash import ALL, Dash, Input, Output, State

from dashboard.config import LANGUAGES

NAV_PATHS = ("/", "/plan", "/implementation", "/indicators", "/entities")
# The "National response" menu's items, after the main ones (ids nav-5 ...).
NATIONAL_PATHS = ("/statistics", "/regions", "/activities", "/partners", "/organisations")


def register_callbacks(app: Dash) -> None:
    app.clientside_callback(
        """
        function(href) {
            const url = new URL(href || window.location.href);
            return %s.map(function(lang) {
                url.searchParams.set('lang', lang);
                return url.pathname + url.search;
            });
        }
        """ % list(LANGUAGES),
        [Output(f"lang-{code}", "href") for code in LANGUAGES],
        Input("_pages_location", "href"),
    )
    app.clientside_callback(
        """
        function(pathname) {
            const paths = %s;
            let best = -1;
            paths.forEach(function(p, i) {
                const hit = p === '/' ? pathname === '/' : (pathname === p || pathname.startsWith(p + '/'));
                if (hit) { best = i; }
            });
            if (pathname.startsWith('/axes/') || pathname.startsWith('/measures/')) { best = 1; }
            return paths.map(function(_p, i) { return i === best ? 'nav-link active' : 'nav-link'; });
        }
        """ % list(NAV_PATHS),
        [Output(f"nav-{i}", "className") for i in range(len(NAV_PATHS))],
        Input("_pages_location", "pathname"),
    )
    app.clientside_callback(
        """
        function(pathname) {
            const paths = %s;
            const hits = paths.map(function(p) { return pathname === p || pathname.startsWith(p + '/'); });
            const items = hits.map(function(hit) { return hit ? 'dropdown-item active' : 'dropdown-item'; });
            return items.concat([hits.some(Boolean) ? 'active' : '']);
        }
        """ % list(NATIONAL_PATHS),
        [Output(f"nav-{len(NAV_PATHS) + i}", "className") for i in range(len(NATIONAL_PATHS))]
        + [Output("nav-national", "toggle_class_name")],
        Input("_pages_location", "pathname"),
    )

    # The user's links (My measures, Review, Users, Audit trail) exist only when logged in:
    # matched by pattern, so an anonymous page simply has none.
    app.clientside_callback(
        """
        function(pathname, hrefs) {
            return (hrefs || []).map(function(href) {
                const hit = pathname === href || pathname.startsWith(href + '/');
                return hit ? 'nav-link active' : 'nav-link';
            });
        }
        """,
        Output({"type": "user-nav", "index": ALL}, "className"),
        Input("_pages_location", "pathname"),
        State({"type": "user-nav", "index": ALL}, "href"),
    )
