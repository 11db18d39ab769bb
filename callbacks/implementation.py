"""Implementation timeline: filters drive the KPI cards, the timeline, the comparison
chart and the overdue table; the URL follows."""
from __future__ import annotations

from dash import Dash, Input, Output

from dashboard.config import LANGUAGES
from dashboard.context import request_context
from layouts.parts.implementation import FILTERS, sections, selected_rows


def register_callbacks(app: Dash) -> None:
    inputs = [Input(f"impl-{key}", "value") for key in FILTERS]

    # The layout renders the first state itself, hence prevent_initial_call.
    @app.callback(
        Output("impl-kpis", "children"),
        Output("impl-timeline", "children"),
        Output("impl-comparison", "children"),
        Output("impl-overdue-grid", "rowData"),
        *inputs,
        prevent_initial_call=True,
    )
    def update_implementation(*values):
        ctx = request_context()
        chosen = dict(zip(FILTERS, values))
        rows = selected_rows(ctx.session, ctx.lang, ctx.as_of, ctx.freshness_days, chosen)
        return sections(rows, ctx.lang, ctx.as_of, any(chosen.values()))

    # Same as the plan explorer: filters in the address bar (the switch as "1") without a
    # reload, and the language links keep them.
    app.clientside_callback(
        """
        function(...values) {
            const keys = %s;
            const url = new URL(window.location.href);
            keys.forEach(function(key, i) {
                const value = values[i] === true ? '1' : values[i];
                if (value) { url.searchParams.set(key, value); } else { url.searchParams.delete(key); }
            });
            window.history.replaceState(window.history.state, '', url.pathname + url.search);
            return %s.map(function(lang) {
                url.searchParams.set('lang', lang);
                return url.pathname + url.search;
            });
        }
        """ % (list(FILTERS), list(LANGUAGES)),
        [Output(f"lang-{code}", "href", allow_duplicate=True) for code in LANGUAGES],
        *inputs,
        prevent_initial_call=True,
    )
