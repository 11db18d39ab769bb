"""``/my/import``: a focal point reports from a file. They download their body's template,
fill it in, drop it here and see, row by row, what it would change or what is wrong with it;
nothing is written until they confirm, and then every valid row goes to the secretariat as
one batch."""
from __future__ import annotations

import dash
from dash import dcc, html
from flask_babel import gettext as _

from dashboard.web.context import request_context
from dashboard.workflow import reporting_files
from layouts.components import page_header
from layouts.parts.access import access_refusal

PATH = "/my/import"

dash.register_page(__name__, path=PATH, title=lambda **_kw: _("Report from a file") + " · CNCLTEH")


def layout(**_query):
    ctx = request_context()
    header = page_header(_("Report from a file"),
                         _("Send the updates of your measures and the values of your indicators in one workbook."))
    refusal = access_refusal(ctx.actor, "report_from_file", PATH)
    if refusal is not None:
        return html.Div([header, refusal])
    steps = html.Ol([
        html.Li([_("Download the template of your body, in the language you read: "),
                 html.A([html.I(className="bi bi-file-earmark-spreadsheet me-1", **{"aria-hidden": "true"}),
                         _("reporting template (Excel)")],
                        href=f"/my/template.xlsx?lang={ctx.lang}", id="import-template-link", download="")]),
        html.Li(_("Fill in the tinted columns of the rows you report on; leave the others empty.")),
        html.Li(_("Drop the file below: you will see what it changes and every problem, before anything is "
                  "saved.")),
    ], className="mb-3")
    upload = dcc.Upload(
        id="import-upload", multiple=False, accept=".xlsx,.csv,.xls,.xlsm", max_size=reporting_files.MAX_FILE_BYTES,
        children=html.Div([html.I(className="bi bi-upload me-2", **{"aria-hidden": "true"}),
                           _("Drop the filled workbook here or click to choose it")]),
        className="border border-2 rounded p-4 text-center text-body-secondary mb-2",
        style={"borderStyle": "dashed", "cursor": "pointer"},
    )
    hint = html.Div(_("An Excel workbook (.xlsx) or a CSV file, at most 5 MB. Headers in Arabic, French or English "
                      "are understood."), className="form-text mb-3")
    preview = dcc.Loading(html.Div(id="import-preview", **{"aria-live": "polite"}), type="circle")
    confirm = html.Div([
        html.Button(_("Send the valid rows for review"), id="import-confirm", type="button", n_clicks=0,
                    disabled=True, className="btn btn-primary"),
        dcc.Loading(html.Div(id="import-result", className="mt-3", **{"aria-live": "polite"}), type="circle"),
    ], className="mt-3")
    return html.Div([header, steps, upload, hint, preview, confirm, dcc.Store(id="import-fingerprint"),
                     dcc.Store(id="import-file")])
