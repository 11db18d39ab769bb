"""The national figure entry form and the list of a body's entries (``/statistics/report``)."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import labels
from dashboard.i18n import fmt_datetime, fmt_value
from dashboard.i18n import gettext as _
from dashboard.models import STATISTIC_BREAKDOWNS
from dashboard.workflow import worklists
from dashboard.workflow.statistic_entries import FIRST_YEAR, MAX_DOCUMENT
from layouts.parts.indicators import breakdown_cells, category_names, plain_number
from layouts.parts.workflow import breakdown_text, state_badge

FORM = "stat-entry"
DIMENSION = f"{FORM}-dimension"
EDIT = f"{FORM}-edit"


def form_fields(session, lang: str, year: int, returned: dict | None = None) -> list:
    """The form, blank or filled with a returned entry being corrected."""
    source = returned or {}
    cells = breakdown_cells(source.get("breakdown", ""))
    names = category_names(session, lang)
    dimensions = labels.disaggregation()

    def field(label: str, control, field_id: str | None, hint: str | None = None, width: str = "col-sm-6 col-lg-3"):
        # A pattern-matching id cannot be named by htmlFor: such a label wraps its control.
        head = (html.Label(label, htmlFor=field_id, className="form-label") if field_id
                else html.Span(label, className="form-label d-block"))
        parts = [head, control] + ([html.Div(hint, className="form-text")] if hint else [])
        return html.Div(parts, className=width) if field_id else html.Label(parts, className=width)

    children: list = [dcc.Store(id=f"{FORM}-editing",
                                data={"id": returned["id"], "version": returned["version"]} if returned else None)]
    if returned:
        children.append(html.Div([
            html.P(_("You are correcting a figure the secretariat returned. Edit it and send it again."),
                   className="fw-semibold mb-1"),
            html.Div(_("Reason given by the secretariat"), className="small text-body-secondary"),
            html.P(returned["return_reason"] or "–", className="mb-1", style={"whiteSpace": "pre-wrap"}, dir="auto"),
            html.A(_("Cancel"), href="/statistics/report", className="small"),
        ], className="alert alert-warning", role="note"))
    series = [{"label": label, "value": key} for key, label in labels.statistic_series().items()]
    fields = [
        field(_("What is counted"), dbc.Select(id=f"{FORM}-series", options=series,
                                               value=source.get("series", "victims_identified")),
              f"{FORM}-series"),
        field(_("Year"), dbc.Input(id=f"{FORM}-year", type="number", min=FIRST_YEAR, max=year, step=1,
                                   value=source.get("year", year - 1), style={"direction": "ltr"}),
              f"{FORM}-year"),
        field(_("Count"), dbc.Input(id=f"{FORM}-value", type="text", inputMode="numeric", style={"direction": "ltr"},
                                    value="" if source.get("value") is None else plain_number(source["value"])),
              f"{FORM}-value", _("A whole number of persons or cases.")),
    ]
    for dimension, categories in STATISTIC_BREAKDOWNS.items():
        options = [{"label": _("Total"), "value": ""}] + [
            {"label": names.get(category, category), "value": category} for category in categories]
        fields.append(field(dimensions.get(dimension, dimension),
                            dbc.Select(id={"type": DIMENSION, "dimension": dimension}, options=options,
                                       value=cells.get(dimension, ""), placeholder=_("Total")),
                            None))
    fields += [
        html.P(_("Leave every breakdown on \"Total\" for the total; choose up to two categories for the count "
                 "of one group, such as female children."), className="col-12 small text-body-secondary mb-0"),
        field(_("Source"), dbc.Input(id=f"{FORM}-document", type="text", value=source.get("document", ""),
                                     maxLength=MAX_DOCUMENT),
              f"{FORM}-document", _("The report or register the figure comes from, as readers will see it."),
              "col-12"),
        field(_("Note"), dbc.Textarea(id=f"{FORM}-note", value=source.get("note", ""), rows=3, maxLength=5000,
                                      dir="auto"),
              f"{FORM}-note", _("How the figure was counted, for the secretariat."), "col-12"),
    ]
    children.append(html.Div(fields, className="row g-3"))
    return children


def entries_table(session, actor, lang: str):
    rows = worklists.statistic_entries(session, actor, lang)
    if not rows:
        return html.P(_("Your body has not entered any figure yet."), className="text-body-secondary mb-0")
    names = category_names(session, lang)
    series = labels.statistic_series()
    header = html.Thead(html.Tr([html.Th(_("Year")), html.Th(_("What is counted")), html.Th(_("Breakdown")),
                                 html.Th(_("Count")), html.Th(_("State")), html.Th(_("Submitted on")),
                                 html.Th(html.Span(_("Actions"), className="visually-hidden"))]))
    body = []
    for row in rows:
        state = [state_badge(row["state"])]
        if row["state"] == "returned" and row["return_reason"]:
            reason_label = html.Span(_("Reason given by the secretariat") + ": ", className="text-body-secondary")
            state.append(html.Div([reason_label,
                                   html.Span(row["return_reason"], style={"whiteSpace": "pre-wrap"}, dir="auto")],
                                  className="small mt-1"))
        body.append(html.Tr([
            html.Th(str(row["year"]), scope="row"),
            html.Td(series.get(row["series"], row["series"])),
            html.Td(breakdown_text(row["breakdown"], names)),
            html.Td(fmt_value(row["value"], row["unit"], lang)),
            html.Td(state),
            html.Td([html.Div(fmt_datetime(row["submitted_at"], lang)),
                     html.Div(row["submitted_by"], className="small text-body-secondary")]),
            html.Td(html.Button(_("Edit"), id={"type": EDIT, "id": row["id"]}, n_clicks=0, type="button",
                                className="btn btn-outline-primary btn-sm") if row["state"] == "returned" else None),
        ]))
    return html.Div(html.Table([header, html.Tbody(body)], className="table table-sm align-middle mb-0"),
                    className="table-responsive")
