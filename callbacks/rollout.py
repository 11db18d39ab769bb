"""A region's rollout report: the form on ``/regions/<code>`` becomes a ``RolloutForm``; the
service checks the reporter's body, the stage, the date and the versions."""
from __future__ import annotations

import dash
from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from callbacks import run_write
from dashboard.i18n import gettext as _
from dashboard.web.context import request_context
from dashboard.workflow import rollout_updates
from layouts.parts.form_errors import summary
from layouts.parts.rollout import ROLLOUT, report_body
from layouts.parts.workflow import alert


def register_callbacks(app: Dash) -> None:
    @app.callback(
        Output(f"{ROLLOUT}-feedback", "children"),
        Output(f"{ROLLOUT}-body", "children"),
        Input(f"{ROLLOUT}-submit", "n_clicks"),
        State(f"{ROLLOUT}-region", "data"),
        State(f"{ROLLOUT}-editing", "data"),
        State(f"{ROLLOUT}-base", "data"),
        State(f"{ROLLOUT}-stage", "value"),
        State(f"{ROLLOUT}-date", "value"),
        State(f"{ROLLOUT}-note", "value"),
        prevent_initial_call=True,
    )
    def submit_stage(n_clicks, region, editing, base_version, stage, started_on, note):
        if not n_clicks:
            raise PreventUpdate
        ctx = request_context()
        form = rollout_updates.RolloutForm(stage=stage, started_on=started_on, note=str(note or ""))

        def write(session):
            if isinstance(editing, dict) and editing.get("id") is not None:
                return rollout_updates.resubmit_rollout_update(session, ctx.actor, editing.get("id"),
                                                               editing.get("version"), base_version, form, ctx.as_of)
            return rollout_updates.submit_rollout_update(session, ctx.actor, str(region or ""), base_version,
                                                         form, ctx.as_of)

        _update, error = run_write(write)
        if error is not None:
            return summary(error), dash.no_update
        return dash.no_update, [alert(_("The new stage was sent for validation."), "success"),
                                *report_body(ctx, str(region), True)]
