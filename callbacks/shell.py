"""Callbacks of the page frame: language links that keep the current page and filters,
and the highlighted navigation entries (the main ones and the logged-in user's). All run
in the browser (no server round trip)."""
from __future__ import annotations

from dash import ALL, Dash, Input, Output, State

from dashboard.config import LANGUAGES
from dashboard.web import navigation

MAIN = navigation.group(navigation.MAIN)
NATIONAL = navigation.group(navigation.NATIONAL)


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
            // A page under another path that belongs to an entry (a measure's page, the plan's).
            %s.forEach(function(prefixes, i) {
                if (prefixes.some(function(prefix) { return pathname.startsWith(prefix); })) { best = i; }
            });
            return paths.map(function(_p, i) { return i === best ? 'nav-link active' : 'nav-link'; });
        }
        """ % ([entry.path for entry in MAIN], [list(entry.section_prefixes) for entry in MAIN]),
        [Output(navigation.nav_id(entry), "className") for entry in MAIN],
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
        """ % [entry.path for entry in NATIONAL],
        [Output(navigation.nav_id(entry), "className") for entry in NATIONAL]
        + [Output(navigation.NATIONAL_MENU_ID, "toggle_class_name")],
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

    # The phone menu (layouts/shell.py): the toggler opens or closes it, any navigation
    # closes it. In the browser: the server never sees this callback, so a forged request
    # to it is refused by web/callback_inputs.py like any unknown callback.
    app.clientside_callback(
        """
        function(_clicks, _pathname, isOpen) {
            const ctx = window.dash_clientside.callback_context;
            const toggled = ctx.triggered.some(function(t) { return t.prop_id === 'nav-toggler.n_clicks'; });
            const open = toggled ? isOpen !== true : false;
            return [open, open ? 'true' : 'false'];
        }
        """,
        Output("nav-collapse", "is_open"),
        Output("nav-toggler", "aria-expanded"),
        Input("nav-toggler", "n_clicks"),
        Input("_pages_location", "pathname"),
        State("nav-collapse", "is_open"),
        prevent_initial_call=True,
    )
