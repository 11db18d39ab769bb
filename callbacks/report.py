"""``/report``: the subject select follows the scope, the link follows the options, and the
PDF is made on the server while the button shows a spinner."""
from __future__ import annotations

from dash import Input, Output, State, dcc, no_update
from flask_babel import gettext as _

from dashboard.errors import UserError
from dashboard.i18n import fmt_number
from dashboard.publishing.documents import progress_report_pdf
from dashboard.publishing.report import options_from, scope_choices
from dashboard.web.context import request_context
from dashboard.web.reports import pdf_filename
from dashboard.web.settings import small_cell_threshold
from layouts.parts.report import report_href, subject_options


def register_callbacks(app) -> None:
    @app.callback(
        Output("report-code", "options"),
        Output("report-code", "value"),
        Output("report-code", "disabled"),
        Input("report-scope", "value"),
        State("report-code", "value"),
        prevent_initial_call=True,
    )
    def follow_scope(scope, code):
        ctx = request_context()
        subjects = subject_options(scope_choices(ctx.session, ctx.lang), scope)
        values = [s["value"] for s in subjects]
        return subjects, code if code in values else (values[0] if values else ""), not subjects

    @app.callback(
        Output("report-open", "href"),
        Input("report-year", "value"),
        Input("report-scope", "value"),
        Input("report-code", "value"),
        prevent_initial_call=True,
    )
    def follow_options(year, scope, code):
        return report_href(options_from({"year": year, "scope": scope, "code": code}), request_context().lang)

    @app.callback(
        Output("report-pdf", "data"),
        Output("report-status", "children"),
        Input("report-download", "n_clicks"),
        State("report-year", "value"),
        State("report-scope", "value"),
        State("report-code", "value"),
        prevent_initial_call=True,
        running=[(Output("report-download", "disabled"), True, False),
                 (Output("report-spinner", "className"), "spinner-border spinner-border-sm", "d-none")],
    )
    def download(n_clicks, year, scope, code):
        if not n_clicks:
            return no_update, no_update
        ctx = request_context()
        options = options_from({"year": year, "scope": scope, "code": code})
        try:
            pdf = progress_report_pdf(ctx.session, ctx.lang, ctx.as_of, ctx.freshness_days, options,
                                      small_cell_threshold())
        except UserError as error:
            return no_update, error.message
        size = fmt_number(len(pdf) / 1024, ctx.lang)
        return (dcc.send_bytes(pdf, pdf_filename(options, ctx.lang)),
                _("The PDF is ready (%(size)s KB).", size=size))
