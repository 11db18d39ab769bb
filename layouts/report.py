"""``/report``: choose a progress report (period and scope), read it as a page or download
it as PDF. The report itself is ``dashboard.publishing``'s, served by ``web/reports.py``."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_babel import gettext as _

from dashboard.plan import queries
from dashboard.publishing.report import options_from, report_years, scope_choices, scope_names
from dashboard.web.context import request_context
from layouts.components import page_header
from layouts.parts.report import report_href, subject_options

dash.register_page(__name__, path="/report", title=lambda **_kw: _("Progress report") + " · CNCLTEH")


def year_options(years: list[int]) -> list[dict]:
    return [{"label": _("The plan to date"), "value": ""}] + [{"label": str(y), "value": str(y)} for y in years]


def layout(year=None, scope=None, code=None, **_query):
    ctx = request_context()
    choices = scope_choices(ctx.session, ctx.lang)
    options = options_from({"year": year, "scope": scope, "code": code})
    subjects = subject_options(choices, options.scope)
    if options.code not in {s["value"] for s in subjects}:
        options = options_from({"year": options.year})
    scope_select = dbc.Select(id="report-scope", value=options.scope, size="sm",
                              options=[{"label": label, "value": value} for value, label in scope_names().items()])
    return html.Div([
        page_header(_("Progress report"),
                    _("The commission's progress report, for the whole plan or a part of it: a summary, each axis "
                      "with its measures and indicators, overdue items, national statistics, activities and "
                      "partners' programmes. Validated public data only, in the language of this page."),
                    demo=queries.has_demo_data(ctx.session)),
        html.Div([
            html.Div([dbc.Label(_("Period"), html_for="report-year"),
                      # dbc.Select shows its placeholder for the empty value: the plan to date.
                      dbc.Select(id="report-year", value=str(options.year or ""), size="sm",
                                 options=year_options(report_years(ctx.session)), placeholder=_("The plan to date"))],
                     className="col-12 col-md-3"),
            html.Div([dbc.Label(_("Scope"), html_for="report-scope"), scope_select], className="col-12 col-md-4"),
            html.Div([dbc.Label(_("Subject"), html_for="report-code"),
                      dbc.Select(id="report-code", value=options.code or "", size="sm", options=subjects,
                                 disabled=options.scope == "plan", placeholder="–")],
                     className="col-12 col-md-5"),
        ], className="row g-2 mb-3 filter-bar", role="search", **{"aria-label": _("Report options")}),
        html.Div([
            html.A([html.I(className="bi bi-file-earmark-text me-1", **{"aria-hidden": "true"}),
                    _("Open the report")],
                   id="report-open", href=report_href(options, ctx.lang), className="btn btn-outline-primary"),
            dbc.Button([html.Span(id="report-spinner", className="d-none", role="status",
                                  **{"aria-hidden": "true"}),
                        html.I(className="bi bi-file-earmark-pdf mx-1", **{"aria-hidden": "true"}),
                        _("Download PDF")],
                       id="report-download", color="primary"),
        ], className="d-flex flex-wrap gap-2 mb-2"),
        html.P(_("Making the PDF takes a few seconds; other users are not kept waiting."),
               className="small text-muted"),
        html.P(id="report-status", className="small", **{"aria-live": "polite"}),
        dcc.Download(id="report-pdf"),
    ])
