"""``/statistics/report``: the focal points of the bodies that produce national figures
(Public Prosecution, CSPJ, DGSN, Royal Gendarmerie, the commission) enter their yearly
counts. Each one waits for the secretariat's validation before it is published."""
from __future__ import annotations

import dash
from dash import html
from flask_babel import gettext as _

from dashboard.web.context import request_context
from dashboard.workflow.statistic_entries import producer_of
from layouts.components import card, page_header
from layouts.parts.access import access_refusal
from layouts.parts.statistic_entry import FORM, entries_table, form_fields

dash.register_page(__name__, path="/statistics/report",
                   title=lambda **_kw: _("Enter national figures") + " · CNCLTEH")


def layout(**_query):
    ctx = request_context()
    entity = producer_of(ctx.session, ctx.actor)
    refusal = access_refusal(ctx.actor, "submit_statistic", "/statistics/report", entity)
    header = page_header(_("Enter national figures"),
                         _("Yearly counts of your body. The secretariat validates each one before it is published."))
    if refusal is not None:
        return html.Div([header, refusal])
    return html.Div([
        header,
        html.P(_("Each figure is published under %(body)s, as its source. Figures of different bodies are "
                 "never added together: each body counts in its own way.", body=entity.acronym),
               className="alert alert-info py-2", role="note"),
        card(_("New figure"), html.Div([
            html.Div(id=f"{FORM}-feedback", **{"aria-live": "polite"}),
            html.Div(form_fields(ctx.session, ctx.lang, ctx.as_of.year), id=f"{FORM}-fields"),
            html.Button(_("Send for validation"), id=f"{FORM}-submit", n_clicks=0, type="button",
                        className="btn btn-primary mt-3"),
        ])),
        html.Div(card(_("Your body's figures"), html.Div(entries_table(ctx.session, ctx.actor, ctx.lang),
                                                          id=f"{FORM}-entries")), className="mt-3"),
    ], id="statistics-report")
