"""The regions map: clicking a region opens its page. Runs in the browser: the trace that was
clicked (``curveNumber``) gives the region's code, the page's location navigates without a
reload."""
from __future__ import annotations

from dash import Dash, Input, Output, State


def register_callbacks(app: Dash) -> None:
    app.clientside_callback(
        """
        function(click, codes) {
            const point = click && click.points && click.points[0];
            const code = point ? (codes || [])[point.curveNumber] : null;
            return code ? '/regions/' + code : window.dash_clientside.no_update;
        }
        """,
        Output("regions-go", "pathname"),
        Input("regions-map", "clickData"),
        State("regions-map-codes", "data"),
        prevent_initial_call=True,
    )
