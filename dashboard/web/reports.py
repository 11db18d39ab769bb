"""The progress report's addresses: ``/reports/progress`` (the report as a page) and
``/reports/progress.pdf``, with the options as query parameters (``year``, ``scope``:
plan, axis, entity or partner, ``code``) and the language as ``lang``.

The report holds public data only (``dashboard.publishing.report``), so any reader gets the
same document; a PDF is made once per change of the data."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, request
from markupsafe import escape

from dashboard.db import get_session
from dashboard.errors import NotFound
from dashboard.i18n import current_lang, direction
from dashboard.publishing import documents
from dashboard.publishing.report import ReportOptions, options_from, progress_report
from dashboard.web.context import as_of_date
from dashboard.web.settings import small_cell_threshold

reports = Blueprint("reports", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(reports)


def report_query(options: ReportOptions, lang: str) -> str:
    return urlencode({**options.query(), "lang": lang})


def pdf_filename(options: ReportOptions, lang: str) -> str:
    parts = ["progress-report", options.code or options.scope, str(options.year or "to-date"), lang]
    return "-".join(part.lower() for part in parts) + ".pdf"


def _refusal(error: NotFound) -> Response:
    lang = current_lang()
    body = (f'<!DOCTYPE html><html lang="{lang}" dir="{direction(lang)}"><meta charset="utf-8">'
            f"<title>404</title><p>{escape(error.message)}</p><p><a href=\"/report?lang={lang}\">"
            f"{escape(documents.texts()['back'])}</a></p></html>")
    return Response(body, status=404, mimetype="text/html")


@reports.get("/reports/report.css")
def stylesheet() -> Response:
    response = Response(documents.STYLESHEET.read_bytes(), mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@reports.get("/reports/progress")
def progress_page() -> Response:
    lang, options = current_lang(), options_from(request.args)
    try:
        report = progress_report(get_session(), lang, as_of_date(), current_app.config["FRESHNESS_DAYS"],
                                 options, small_cell_threshold())
    except NotFound as error:
        return _refusal(error)
    query = report_query(report.options, lang)
    html = documents.report_html(report, dt.datetime.now(), pdf_url=f"/reports/progress.pdf?{query}",
                                 back_url=f"/report?{query}")
    return Response(html, mimetype="text/html", headers={"Cache-Control": "no-cache"})


@reports.get("/reports/progress.pdf")
def progress_pdf() -> Response:
    lang, options = current_lang(), options_from(request.args)
    try:
        pdf = documents.progress_report_pdf(get_session(), lang, as_of_date(),
                                            current_app.config["FRESHNESS_DAYS"], options, small_cell_threshold())
    except NotFound as error:
        return _refusal(error)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{pdf_filename(options, lang)}"',
        "Cache-Control": "no-cache"})
