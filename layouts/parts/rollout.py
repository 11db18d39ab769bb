"""The rollout report on a region's page: a focal point of the commission or the Ministry of
Justice proposes the region's new stage, and the secretariat validates it
(dashboard/workflow/rollout_updates.py checks who may and what is valid)."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import labels
from dashboard.i18n import fmt_date, fmt_datetime
from dashboard.i18n import gettext as _
from dashboard.models import ROLLOUT_STAGES
from dashboard.permissions import allowed
from dashboard.plan import queries
from dashboard.workflow import worklists
from dashboard.workflow.rollout_updates import FIRST_DATE, region_by_code, rollout_of
from layouts.components import card

ROLLOUT = "rollout-report"


def report_section(ctx, region_code: str):
    """The form, the pending proposal or the returned one for this region; None for others."""
    entity = queries.entity_of(ctx.session, ctx.actor)
    can_report = allowed(ctx.actor, "submit_rollout_update", entity)
    if not (can_report or ctx.actor.reads_restricted):
        return None
    title = _("Report the rollout stage") if can_report else _("Rollout reports")
    return html.Div(card(title, html.Div(report_body(ctx, region_code, can_report),
                                                                   id=f"{ROLLOUT}-body")),
                    className="mt-3", id=ROLLOUT)


def report_body(ctx, region_code: str, can_report: bool, editing: bool = False) -> list:
    region = region_by_code(ctx.session, region_code)
    rollout = rollout_of(ctx.session, region)
    proposals = worklists.rollout_updates_for(ctx.session, ctx.actor, region, ctx.lang)
    stages = labels.rollout_stage()
    children: list = [dcc.Store(id=f"{ROLLOUT}-region", data=region.code)]
    pending = proposals["pending"]
    if pending:
        children.append(html.P(
            _("A new stage waits for the secretariat's review: %(stage)s from %(date)s, sent on %(when)s by %(name)s.",
              stage=stages.get(pending["stage"], pending["stage"]), date=fmt_date(pending["started_on"], ctx.lang),
              when=fmt_datetime(pending["submitted_at"], ctx.lang), name=pending["submitted_by"]),
            className="alert alert-info py-2 mb-0", role="note", id=f"{ROLLOUT}-pending"))
        return children
    if not can_report:
        children.append(html.P(_("No new stage is waiting for review."), className="text-body-secondary mb-0"))
        return children
    returned = proposals["returned"]
    source = returned or {}
    children.append(dcc.Store(id=f"{ROLLOUT}-editing",
                              data={"id": returned["id"], "version": returned["version"]} if returned else None))
    children.append(dcc.Store(id=f"{ROLLOUT}-base", data=rollout.version if rollout else 0))
    if returned:
        children.append(html.Div([
            html.P(_("The secretariat returned your proposal. Correct it and send it again."),
                   className="fw-semibold mb-1"),
            html.Div(_("Reason given by the secretariat"), className="small text-body-secondary"),
            html.P(returned["return_reason"] or "–", className="mb-0", style={"whiteSpace": "pre-wrap"}, dir="auto"),
        ], className="alert alert-warning", role="note", id=f"{ROLLOUT}-returned"))
    options = [{"label": stages.get(stage, stage), "value": stage} for stage in ROLLOUT_STAGES]
    started = source.get("started_on")
    children += [
        html.Div([
            html.Div([html.Label(_("New stage"), htmlFor=f"{ROLLOUT}-stage", className="form-label"),
                      dbc.Select(id=f"{ROLLOUT}-stage", options=options, value=source.get("stage"))],
                     className="col-sm-6 col-lg-4"),
            html.Div([html.Label(_("Date the stage began"), htmlFor=f"{ROLLOUT}-date", className="form-label"),
                      dbc.Input(id=f"{ROLLOUT}-date", type="date", min=FIRST_DATE.isoformat(),
                                max=ctx.as_of.isoformat(), value=started.isoformat() if started else None)],
                     className="col-sm-6 col-lg-4"),
            html.Div([html.Label(_("Note"), htmlFor=f"{ROLLOUT}-note", className="form-label"),
                      dbc.Textarea(id=f"{ROLLOUT}-note", rows=3, maxLength=5000, dir="auto",
                                   value=source.get("note", "")),
                      html.Div(_("What was decided or signed, and by whom. Once approved, the note is "
                                 "published in the region's history."),
                               className="form-text")], className="col-12"),
        ], className="row g-3"),
        html.Div(id=f"{ROLLOUT}-feedback", className="mt-3", **{"aria-live": "polite"}),
        html.Button(_("Send for validation"), id=f"{ROLLOUT}-submit", n_clicks=0, type="button",
                    className="btn btn-primary"),
    ]
    return children
