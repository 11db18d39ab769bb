"""The review queue's decisions: the secretariat approves or returns one submission. The
services check the role and the versions; the outcome is shown in the submission's card."""
from __future__ import annotations

import dash
from dash import MATCH, Dash, Input, Output, State
from flask_babel import gettext as _

from callbacks import run_write
from dashboard.workflow import rollout_updates, statistic_entries, submissions
from dashboard.web.context import request_context
from layouts.parts.workflow import alert, state_badge

APPROVE = {"measure_update": submissions.approve_measure_update,
           "indicator_value": submissions.approve_indicator_value,
           "statistic": statistic_entries.approve_statistic,
           "rollout_update": rollout_updates.approve_rollout_update}
RETURN = {"measure_update": submissions.return_measure_update,
          "indicator_value": submissions.return_indicator_value,
          "statistic": statistic_entries.return_statistic,
          "rollout_update": rollout_updates.return_rollout_update}
APPROVED = {"measure_update": lambda: _("Approved: the measure's status and progress are updated."),
            "indicator_value": lambda: _("Approved: the value is published."),
            "statistic": lambda: _("Approved: the figure is published under its producer."),
            "rollout_update": lambda: _("Approved: the region's stage is updated.")}


def _part(name: str) -> dict:
    return {"type": f"review-{name}", "kind": MATCH, "id": MATCH}


def register_callbacks(app: Dash) -> None:
    @app.callback(
        Output(_part("feedback"), "children"),
        Output(_part("actions"), "children"),
        Output(_part("state"), "children"),
        Input(_part("approve"), "n_clicks"),
        Input(_part("return"), "n_clicks"),
        State(_part("reason"), "value"),
        State(_part("version"), "data"),
        prevent_initial_call=True,
    )
    def decide(approve_clicks, return_clicks, reason, version):
        trigger = dash.ctx.triggered_id
        if not trigger or not (approve_clicks or return_clicks):
            raise dash.exceptions.PreventUpdate
        ctx = request_context()
        approving = trigger.get("type") == "review-approve"
        kind, item_id = trigger.get("kind"), trigger.get("id")
        if kind not in APPROVE:
            return alert(_("There is no such submission.")), dash.no_update, dash.no_update
        if approving:
            result, error = run_write(lambda session: APPROVE[kind](session, ctx.actor, item_id, version, ctx.as_of))
        else:
            result, error = run_write(lambda session: RETURN[kind](session, ctx.actor, item_id, version,
                                                                   reason or ""))
        if error is not None:
            return alert(str(error)), dash.no_update, dash.no_update
        message = APPROVED[kind]() if approving else _("Returned to the focal point with your reason.")
        return alert(message, "success"), state_badge(result.state), state_badge(result.state)
