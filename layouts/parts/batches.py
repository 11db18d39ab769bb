"""A reporting file in the review queue: one card with its rows waiting for review, each
with a box to tick, what it would change, and for a row sent again, the earlier reason and
what changed since. The secretariat approves the ticked rows, or returns them with one
reason."""
from __future__ import annotations

from dash import dcc, html
from flask_babel import gettext as _
from flask_babel import ngettext

from dashboard import labels
from dashboard.i18n import fmt_datetime, fmt_number, fmt_percent, fmt_value
from dashboard.workflow import worklists
from dashboard.workflow.batches import RowChoice
from layouts.parts.workflow import arrow, breakdown_text, period_text, resubmission_note


def batch_id(part: str, batch: int) -> dict:
    return {"type": f"batch-{part}", "id": batch}


def _update_label(row: worklists.UpdateRow, lang: str) -> html.Div:
    statuses = labels.measure_status()
    narrative = row["narrative"]
    return html.Div([
        html.Div([html.Bdi(row["measure"], dir="ltr", className="fw-semibold me-2"), html.Span(row["measure_name"])]),
        html.Div([
            html.Span(_("Status"), className="text-body-secondary me-1"), ": ",
            statuses.get(row["current_status"], row["current_status"]), arrow(lang),
            html.Strong(statuses.get(row["status"], row["status"])), " · ",
            html.Span(_("Progress"), className="text-body-secondary me-1"), ": ",
            html.Bdi(fmt_percent(row["current_progress"], lang)), arrow(lang),
            html.Strong(html.Bdi(fmt_percent(row["progress"], lang))), " · ",
            period_text(row["period_start"], row["period_end"], lang),
        ], className="small"),
        html.Div(narrative[:300] + ("…" if len(narrative) > 300 else ""), className="small text-body-secondary")
        if narrative else None,
        html.Div(_("The measure changed after this update was written: return it."),
                 className="small text-warning-emphasis") if row["stale"] else None,
        resubmission_note(row, lang),
    ])


def _value_label(row: worklists.ValueRow, lang: str) -> html.Div:
    cell = breakdown_text(row["breakdown"])
    return html.Div([
        html.Div([html.Bdi(row["indicator"], dir="ltr", className="fw-semibold me-2"),
                  html.Span(row["indicator_name"])]),
        html.Div([
            html.Bdi(row["period"], dir="ltr"), " · ", cell, " · ",
            html.Span(_("Published value"), className="text-body-secondary"), ": ",
            html.Bdi(fmt_value(row["previous_value"], row["unit"], lang)), arrow(lang),
            html.Strong(html.Bdi(fmt_value(row["value"], row["unit"], lang))),
        ], className="small"),
        html.Div(row["note"], className="small text-body-secondary") if row["note"] else None,
        resubmission_note(row, lang),
    ])


def _figure_label(row: worklists.StatisticReviewRow, lang: str) -> html.Div:
    series = labels.statistic_series()
    return html.Div([
        html.Div([html.Span(series.get(row["series"], row["series"]), className="fw-semibold me-2"),
                  html.Bdi(str(row["year"]), dir="ltr")]),
        html.Div([
            breakdown_text(row["breakdown"]), " · ",
            html.Span(_("Published value"), className="text-body-secondary"), ": ",
            html.Bdi(fmt_number(row["previous_value"], lang) if row["previous_value"] is not None else "—"),
            arrow(lang), html.Strong(html.Bdi(fmt_number(row["value"], lang))), " · ", html.Bdi(row["document"]),
        ], className="small"),
        html.Ul([html.Li(text) for text in row["findings"]], className="small text-danger mb-0")
        if row["findings"] else None,
        resubmission_note(row, lang),
    ])


def batch_rows(batch: worklists.BatchItem, lang: str) -> list[dict]:
    options = []
    for row in batch["updates"]:
        options.append({"label": _update_label(row, lang),
                        "value": RowChoice("measure_update", row["id"], row["version"]).value()})
    for row in batch["values"]:
        options.append({"label": _value_label(row, lang),
                        "value": RowChoice("indicator_value", row["id"], row["version"]).value()})
    for row in batch["statistics"]:
        options.append({"label": _figure_label(row, lang),
                        "value": RowChoice("statistic", row["id"], row["version"]).value()})
    return options


def batch_body(batch: worklists.BatchItem, lang: str, can_review: bool) -> list:
    waiting = len(batch["updates"]) + len(batch["values"]) + len(batch["statistics"])
    options = batch_rows(batch, lang)
    file_link = (html.A([html.I(className="bi bi-file-earmark-spreadsheet me-1", **{"aria-hidden": "true"}),
                         html.Bdi(batch["filename"])], href=f"/evidence/{batch['file']}")
                 if batch["file"] else html.Bdi(batch["filename"]))
    children = [
        html.H3([_("Reporting file"), " · ", html.Bdi(batch["entity"], dir="ltr")], className="h6"),
        html.P([file_link, " · ", batch["submitted_by"], " · ",
                html.Bdi(fmt_datetime(batch["created_at"], lang)), " · ",
                ngettext("%(n)s row waiting", "%(n)s rows waiting", waiting, n=fmt_number(waiting, lang)),
                " / ", fmt_number(batch["sent"], lang)], className="small text-body-secondary"),
    ]
    if not can_review:
        children.append(html.Ul([html.Li(option["label"], className="py-2 border-bottom") for option in options],
                                className="list-unstyled"))
        return children
    children += [
        dcc.Checklist(id=batch_id("rows", batch["id"]), options=options,
                      value=[option["value"] for option in options],
                      className="batch-rows mb-2", inputClassName="form-check-input me-2 mt-1",
                      labelClassName="d-flex align-items-start py-2 border-bottom"),
        html.Label([
            html.Span(_("Reason for returning the ticked rows (the focal point reads it)"),
                      className="form-label small d-block"),
            dcc.Textarea(id=batch_id("reason", batch["id"]), rows=2, maxLength=2000, value="",
                         className="form-control mb-2"),
        ], className="w-100"),
        html.Div([
            html.Button(_("Approve the ticked rows"), id=batch_id("approve", batch["id"]), n_clicks=0, type="button",
                        className="btn btn-success btn-sm"),
            html.Button(_("Return the ticked rows"), id=batch_id("return", batch["id"]), n_clicks=0, type="button",
                        className="btn btn-outline-danger btn-sm"),
        ], className="d-flex flex-wrap gap-2"),
    ]
    return children


def batch_card(batch: worklists.BatchItem, lang: str, can_review: bool) -> html.Section:
    return html.Section(html.Div([
        html.Div(batch_body(batch, lang, can_review), id=batch_id("card", batch["id"])),
        html.Div(id=batch_id("feedback", batch["id"]), **{"aria-live": "polite"}),
    ], className="card-body"), className="card shadow-sm mb-3 border-primary-subtle", id=f"review-batch-{batch['id']}")
