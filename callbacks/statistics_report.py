"""National figure entry on ``/statistics/report``: turns the form into a ``StatisticForm``;
the service checks who may enter what and whether it is valid."""
from __future__ import annotations

import dash
from dash import ALL, Dash, Input, Output, State
from dash.exceptions import PreventUpdate
from flask_babel import gettext as _

from callbacks import run_write
from dashboard.errors import Forbidden
from dashboard.web.context import request_context
from dashboard.workflow import statistic_entries, worklists
from layouts.parts.form_errors import summary
from layouts.parts.statistic_entry import (
    DIMENSION,
    EDIT,
    FORM,
    entries_table,
    form_fields,
)
from layouts.parts.workflow import alert


def register_callbacks(app: Dash) -> None:
    @app.callback(
        Output(f"{FORM}-feedback", "children"),
        Output(f"{FORM}-fields", "children"),
        Output(f"{FORM}-entries", "children"),
        Input(f"{FORM}-submit", "n_clicks"),
        State(f"{FORM}-editing", "data"),
        State(f"{FORM}-series", "value"),
        State(f"{FORM}-year", "value"),
        State(f"{FORM}-value", "value"),
        State({"type": DIMENSION, "dimension": ALL}, "value"),
        State({"type": DIMENSION, "dimension": ALL}, "id"),
        State(f"{FORM}-document", "value"),
        State(f"{FORM}-note", "value"),
        prevent_initial_call=True,
    )
    def submit_figure(n_clicks, editing, series, year, value, categories, dimension_ids, document, note):
        if not n_clicks:
            raise PreventUpdate
        ctx = request_context()
        cells = {str(i.get("dimension")): str(c) for i, c in zip(dimension_ids or [], categories or [])
                 if c and isinstance(i, dict)}
        form = statistic_entries.StatisticForm(series=series, year=year, breakdown=cells, value=value,
                                               document=str(document or ""), note=str(note or ""))

        def write(session):
            if isinstance(editing, dict) and editing.get("id") is not None:
                return statistic_entries.resubmit_statistic(session, ctx.actor, editing.get("id"),
                                                            editing.get("version"), form, ctx.as_of, ctx.lang)
            return statistic_entries.submit_statistic(session, ctx.actor, form, ctx.as_of, ctx.lang)

        _item, error = run_write(write)
        if error is not None:
            return summary(error), dash.no_update, dash.no_update
        message = (_("Your corrected figure was sent for validation again.") if editing
                   else _("Your figure was sent for validation. It will be published once the secretariat "
                          "approves it."))
        return (alert(message, "success"), form_fields(ctx.session, ctx.lang, ctx.as_of.year),
                entries_table(ctx.session, ctx.actor, ctx.lang))

    @app.callback(
        Output(f"{FORM}-fields", "children", allow_duplicate=True),
        Output(f"{FORM}-feedback", "children", allow_duplicate=True),
        Input({"type": EDIT, "id": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def edit_returned(_clicks):
        # Fires too when the list is re-rendered with new buttons: only a click counts.
        triggered = dash.ctx.triggered_id
        if not isinstance(triggered, dict) or not dash.ctx.triggered[0].get("value"):
            raise PreventUpdate
        ctx = request_context()
        try:
            rows = worklists.statistic_entries(ctx.session, ctx.actor, ctx.lang)
        except Forbidden as refusal:
            return dash.no_update, alert(str(refusal))
        returned = next((r for r in rows if r["id"] == triggered.get("id") and r["state"] == "returned"), None)
        if returned is None:
            return dash.no_update, alert(_("This figure is no longer returned: reload the page to see it."),
                                         "warning")
        return form_fields(ctx.session, ctx.lang, ctx.as_of.year, returned), None
