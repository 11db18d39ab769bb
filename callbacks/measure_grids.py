"""The measure tables of the axis and entity pages: each asks for its rows a page at a time
(``queries.measure_page``), for the axis or entity in the page's address."""
from __future__ import annotations

from collections.abc import Callable

import dash
from dash import Dash, Input, Output, State

from dashboard.plan import queries
from dashboard.web.context import request_context
from layouts.components import grid_page, measure_grid_rows

# grid id -> (the address it lives under, the filter of the code in the address)
GRIDS: dict[str, tuple[str, Callable[[str], queries.MeasureFilter]]] = {
    "axis-measures": ("/axes/", lambda code: queries.MeasureFilter(axis=code)),
    "entity-led-grid": ("/entities/", lambda code: queries.MeasureFilter(lead=code)),
    "entity-supported-grid": ("/entities/", lambda code: queries.MeasureFilter(partner=code)),
}


def code_in(pathname: object, prefix: str) -> str:
    """The code after ``prefix`` in the page's address ("" when the address is another)."""
    if not isinstance(pathname, str) or not pathname.startswith(prefix):
        return ""
    return pathname[len(prefix):].strip("/")


def register_callbacks(app: Dash) -> None:
    for grid_id, (prefix, measure_filter) in GRIDS.items():
        _register(app, grid_id, prefix, measure_filter)


def _register(app: Dash, grid_id: str, prefix: str, measure_filter: Callable[[str], queries.MeasureFilter]) -> None:
    @app.callback(
        Output(grid_id, "getRowsResponse"),
        Input(grid_id, "getRowsRequest"),
        State("_pages_location", "pathname"),
        prevent_initial_call=True,
    )
    def measure_rows(request, pathname):
        if request is None:
            raise dash.exceptions.PreventUpdate
        code = code_in(pathname, prefix)
        if not code:
            return grid_page([], 0)
        ctx = request_context()
        page = queries.measure_page(ctx.session, ctx.actor, ctx.lang, ctx.as_of, ctx.freshness_days,
                                    measure_filter(code), request)
        return grid_page(measure_grid_rows(page["rows"], ctx.lang), page["total"])
