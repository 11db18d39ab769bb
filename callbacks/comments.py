"""Comment threads (``layouts.parts.comments``) on any page: add a comment, redraw the list.
The service checks who may write and what a comment may hold."""
from __future__ import annotations

import dash
from dash import MATCH, Dash, Input, Output, State, html
from dash.exceptions import PreventUpdate

from callbacks import run_write
from dashboard.i18n import gettext as _
from dashboard.web.context import request_context
from dashboard.workflow import comments
from layouts.parts.comments import BODY, FEEDBACK, LIST, SEND, comment_items


def register_callbacks(app: Dash) -> None:
    @app.callback(
        Output({"type": LIST, "kind": MATCH, "id": MATCH}, "children"),
        Output({"type": FEEDBACK, "kind": MATCH, "id": MATCH}, "children"),
        Output({"type": BODY, "kind": MATCH, "id": MATCH}, "value"),
        Input({"type": SEND, "kind": MATCH, "id": MATCH}, "n_clicks"),
        State({"type": BODY, "kind": MATCH, "id": MATCH}, "value"),
        prevent_initial_call=True,
    )
    def send_comment(n_clicks, body):
        trigger = dash.ctx.triggered_id
        if not n_clicks or not isinstance(trigger, dict):
            raise PreventUpdate
        ctx = request_context()
        kind_name, item_id = trigger.get("kind"), trigger.get("id")
        _comment, error = run_write(lambda session: comments.add_comment(session, ctx.actor, kind_name, item_id,
                                                                          body))
        if error is not None:
            return dash.no_update, html.Div(str(error), className="text-danger", role="alert"), dash.no_update
        rows = comments.comments_for(ctx.session, ctx.actor, kind_name, item_id)
        return (comment_items(rows, ctx.lang),
                html.Div(_("Your comment was added."), className="text-success", role="status"), "")
