"""The preview of a reporting file (``/my/import``): a summary, then each row with what it
would change or every problem found in it, by sheet, row and column."""
from __future__ import annotations

import datetime as dt

from dash import html
from flask_babel import gettext as _
from flask_babel import ngettext

from dashboard.i18n import fmt_date, fmt_number
from dashboard.workflow.batches import FilePreview
from dashboard.workflow.imports import RowPreview
from dashboard.workflow.templates import indicator_headers, measure_headers, statistic_headers
from layouts.parts.workflow import arrow, period_text

PROBLEMS_FIRST = True


def _value(value, lang: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, tuple):  # a reporting period
        return period_text(*value, lang)
    if isinstance(value, dt.date):
        return fmt_date(value, lang)
    if isinstance(value, (int, float)):
        return fmt_number(value, lang, 0 if float(value).is_integer() else 2)
    return str(value)


def _field_name(field: str) -> str:
    return {"status": _("Status"), "progress": _("Progress"), "period": _("Period"),
            "value": _("Value")}.get(field, field)


def _row(row: RowPreview, headers: dict[str, str], lang: str) -> html.Tr:
    badge = (html.Span(_("ready"), className="badge text-bg-success") if row.ok
             else html.Span(_("to correct"), className="badge text-bg-danger"))
    where = html.Td([badge, html.Br(), html.Small([html.Bdi(row.sheet), html.Br(), _("row %(n)s", n=row.row)],
                                                  className="text-body-secondary")])
    what = html.Td([html.Bdi(row.code, dir="ltr", className="fw-semibold"), html.Br() if row.name else None,
                    html.Small(row.name) if row.name else None])
    if row.ok:
        outcome = html.Td(html.Ul([html.Li([_field_name(c.field), ": ", html.Bdi(_value(c.old, lang)), arrow(lang),
                                            html.Strong(html.Bdi(_value(c.new, lang)))])
                                   for c in row.changes], className="list-unstyled mb-0"))
    else:
        outcome = html.Td(html.Ul([html.Li([html.Strong(headers.get(p.column, "") + ": ") if p.column else None,
                                            p.message]) for p in row.problems],
                                  className="list-unstyled mb-0 text-danger"))
    return html.Tr([where, what, outcome], className="" if row.ok else "table-danger",
                   **{"data-row": f"{row.sheet}:{row.row}"})


def _table(title: str, rows: list[RowPreview], headers: dict[str, str], lang: str) -> html.Section | None:
    if not rows:
        return None
    ordered = sorted(rows, key=lambda r: r.ok) if PROBLEMS_FIRST else rows
    return html.Section([
        html.H3(title, className="h6 mt-3"),
        html.Div(html.Table([
            html.Thead(html.Tr([html.Th(_("Where")), html.Th(_("Item")),
                                html.Th(_("What it changes, or what to correct"))])),
            html.Tbody([_row(r, headers, lang) for r in ordered]),
        ], className="table table-sm align-top mb-0"), className="table-responsive"),
    ])


def file_preview(preview: FilePreview, lang: str) -> html.Div:
    ready, refused = preview.ready, preview.refused
    summary = [ngettext("%(n)s row ready to send", "%(n)s rows ready to send", ready, n=fmt_number(ready, lang))]
    if refused:
        summary += [" · ", ngettext("%(n)s row to correct", "%(n)s rows to correct", refused,
                                    n=fmt_number(refused, lang))]
    if not preview.rows:
        summary = [_("No row of this file is filled in: fill in the tinted columns of the rows you report on.")]
    notes = [html.P(note, className="alert alert-warning py-2 mb-2") for note in preview.file.notes]
    headers = {**statistic_headers(), **indicator_headers(), **measure_headers()}
    return html.Div([
        html.P([html.I(className="bi bi-file-earmark-check me-2", **{"aria-hidden": "true"}),
                html.Bdi(preview.file.filename), ": ", *summary],
               className="alert " + ("alert-success" if ready and not refused else "alert-info") + " py-2",
               id="import-summary"),
        *notes,
        html.P(_("Rows to correct are not sent: correct them in the file and drop it again, or send the ready rows "
                 "now and the others later."), className="small text-body-secondary") if refused and ready else None,
        _table(_("Measures"), preview.measures, headers, lang),
        _table(_("Indicator values"), preview.indicators, headers, lang),
        _table(_("National figures"), preview.statistics, headers, lang),
    ])


def refusal(message: str) -> html.P:
    return html.P([html.I(className="bi bi-exclamation-triangle me-2", **{"aria-hidden": "true"}), message],
                  className="alert alert-danger py-2", role="alert", id="import-refusal")


def sent(batch, lang: str) -> html.Div:
    total = batch.measure_rows + batch.indicator_rows
    return html.Div([
        html.P([html.I(className="bi bi-check-circle me-2", **{"aria-hidden": "true"}),
                ngettext("%(n)s row was sent for review as one batch.", "%(n)s rows were sent for review as one "
                         "batch.", total, n=fmt_number(total, lang)),
                " ", _("The secretariat will approve or return each of them.")],
               className="alert alert-success py-2", role="status", id="import-sent"),
        html.A(_("Back to my reporting"), href="/my", className="btn btn-outline-primary btn-sm"),
    ])
