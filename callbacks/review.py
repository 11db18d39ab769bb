"""The review queue's decisions: the secretariat approves or returns one submission. The
services check the role and the versions; the outcome is shown in the submission's card."""
from __future__ import annotations

import dash
from dash import ALL, MATCH, Dash, Input, Output, State

from callbacks import clicked_pager, run_write
from dashboard.errors import UserError
from dashboard.i18n import gettext as _
from dashboard.i18n import ngettext
from dashboard.permissions import allowed
from dashboard.web.context import request_context
from dashboard.workflow import batches, review, worklists
from dashboard.workflow.rollout_updates import ROLLOUT_UPDATES
from dashboard.workflow.statistic_entries import STATISTICS
from dashboard.workflow.submissions import INDICATOR_VALUES, MEASURE_UPDATES
from layouts.parts.batches import batch_body
from layouts.parts.workflow import alert, section_page, state_badge

KINDS = {kind.name: kind for kind in (MEASURE_UPDATES, INDICATOR_VALUES, STATISTICS, ROLLOUT_UPDATES)}


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
        if kind not in KINDS:
            return alert(_("There is no such submission.")), dash.no_update, dash.no_update
        if approving:
            result, error = run_write(lambda session: review.approve(KINDS[kind], session, ctx.actor, item_id,
                                                                     version, ctx.as_of))
        else:
            result, error = run_write(lambda session: review.send_back(KINDS[kind], session, ctx.actor, item_id,
                                                                       version, reason or ""))
        if error is not None:
            return alert(str(error)), dash.no_update, dash.no_update
        message = KINDS[kind].approved() if approving else _("Returned to the focal point with your reason.")
        return alert(message, "success"), state_badge(result.state), state_badge(result.state)

    @app.callback(
        Output({"type": "batch-card", "id": MATCH}, "children"),
        Output({"type": "batch-feedback", "id": MATCH}, "children"),
        Input({"type": "batch-approve", "id": MATCH}, "n_clicks"),
        Input({"type": "batch-return", "id": MATCH}, "n_clicks"),
        State({"type": "batch-rows", "id": MATCH}, "value"),
        State({"type": "batch-reason", "id": MATCH}, "value"),
        prevent_initial_call=True,
    )
    def decide_batch(approve_clicks, return_clicks, rows, reason):
        trigger = dash.ctx.triggered_id
        if not trigger or not (approve_clicks or return_clicks):
            raise dash.exceptions.PreventUpdate
        ctx = request_context()
        decision = "approve" if trigger.get("type") == "batch-approve" else "return"
        batch = trigger.get("id")
        count, error = run_write(lambda session: batches.decide_batch_rows(
            session, ctx.actor, batch, decision, rows, reason or "", ctx.as_of))
        if error is not None:
            return dash.no_update, alert(str(error))
        message = (ngettext("%(n)s row approved.", "%(n)s rows approved.", count, n=count) if decision == "approve"
                   else ngettext("%(n)s row returned to the focal point with your reason.",
                                 "%(n)s rows returned to the focal point with your reason.", count, n=count))
        left = [item for item in worklists.pending_batches(ctx.session, ctx.actor, ctx.lang) if item["id"] == batch]
        if not left:
            return alert(_("Every row of this file is decided."), "info"), alert(message, "success")
        return batch_body(left[0], ctx.lang, allowed(ctx.actor, "review")), alert(message, "success")

    @app.callback(
        Output({"type": "review-section", "kind": MATCH}, "children"),
        Input({"type": "review-page", "kind": MATCH, "page": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def turn_page(_clicks):
        trigger = clicked_pager()
        ctx = request_context()
        try:
            queue = worklists.review_queue_page(ctx.session, ctx.actor, ctx.lang, str(trigger.get("kind")),
                                                trigger.get("page"))
        except UserError as error:  # the reader's role changed since the page was drawn
            return alert(str(error))
        return section_page(ctx.actor, ctx.lang, str(trigger.get("kind")), queue, ctx.session)
