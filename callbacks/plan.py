"""Plan explorer: filters drive the tree, the grid and the summary; the URL follows."""
from __future__ import annotations

from dash import Dash, Input, Output

from dashboard import queries
from dashboard.config import LANGUAGES
from dashboard.context import request_context
from layouts.components import measure_grid_rows
from layouts.parts.plan import FILTERS, measure_filter, summary_line, tree


def register_callbacks(app: Dash) -> None:
    inputs = [Input(f"plan-{key}", "value") for key in FILTERS]

    @app.callback(
        Output("plan-tree", "children"),
        Output("plan-grid", "rowData"),
        Output("plan-summary", "children"),
        *inputs,
    )
    def update_plan(*values):
        ctx = request_context()
        filters = measure_filter(dict(zip(FILTERS, values)))
        rows = queries.measure_rows(ctx.session, ctx.lang, ctx.as_of, ctx.freshness_days, filters)
        return tree(ctx.lang, rows), measure_grid_rows(rows, ctx.lang), summary_line(ctx.lang, rows)

    # Keep the filters in the address bar without reloading the page, so a filtered view
    # can be bookmarked or shared; the language links follow it.
    app.clientside_callback(
        """
        function(...values) {
            const keys = %s;
            const url = new URL(window.location.href);
            keys.forEach(function(key, i) {
                if (values[i]) { url.searchParams.set(key, values[i]); } else { url.searchParams.delete(key); }
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
