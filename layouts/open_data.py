"""``/data``: the open data. Every public dataset with what it holds (its rows, fields and
last update) and its CSV file, and the whole as one Frictionless Data Package (descriptor
and zip). The datasets are the public view whoever reads the page, so they are the same
for everyone; ``dashboard/web/open_data.py`` serves the files."""
from __future__ import annotations

import dash
from dash import html
from flask_babel import gettext as _
from flask_babel import ngettext

from dashboard.i18n import fmt_date, fmt_number
from dashboard.publishing.datasets import Dataset, open_data
from dashboard.web.context import request_context
from dashboard.web.settings import small_cell_threshold
from layouts.components import page_header

dash.register_page(__name__, path="/data", title=lambda **_kw: _("Open data") + " · CNCLTEH")


def layout(**_query):
    ctx = request_context()
    lang = ctx.lang
    threshold = small_cell_threshold()
    # The public view, whoever asks: the open data is the same for everyone.
    data = open_data(ctx.session, lang, ctx.as_of, ctx.freshness_days, threshold)
    return html.Div([
        page_header(
            _("Open data"),
            _("Every public table of the dashboard as open data: CSV files described by one Frictionless "
              "Data Package, free to reuse with attribution."),
            demo=data.has_demo_data,
        ),
        html.Div([
            html.P(_("These files hold the public view for everyone, signed in or not: validated data only, "
                     "restricted indicators left out, and counts of victims from 1 to %(n)s suppressed "
                     "(an empty value whose status says suppressed), with the figures that would give them "
                     "away withheld.", n=threshold - 1), className="mb-2"),
            html.Div([
                _download(f"/data/datapackage.zip?lang={lang}", _("Download everything (zip)"), "datapackage.zip",
                          "btn btn-primary btn-sm"),
                _download(f"/data/datapackage.json?lang={lang}", _("Data Package descriptor (JSON)"),
                          "datapackage.json", "btn btn-outline-secondary btn-sm"),
            ], className="d-flex flex-wrap gap-2"),
        ], className="alert alert-light border mb-3", id="open-data-package"),
        html.Div([_dataset_card(d, lang) for d in data.datasets], className="row g-3", id="open-data-datasets"),
    ])


def _download(href: str, label: str, filename: str, class_name: str) -> html.A:
    return html.A([html.I(className="bi bi-download me-1", **{"aria-hidden": "true"}), label],
                  href=href, download=filename, className=class_name)


def _dataset_card(dataset: Dataset, lang: str) -> html.Div:
    rows = len(dataset.rows)
    facts = [
        ngettext("%(count)s row", "%(count)s rows", rows, count=fmt_number(rows, lang)),
        ngettext("%(count)s field", "%(count)s fields", len(dataset.fields),
                 count=fmt_number(len(dataset.fields), lang)),
        _("Last update: %(date)s", date=fmt_date(dataset.last_updated, lang))
        if dataset.last_updated else _("Last update: not dated"),
    ]
    fields = html.Details([
        html.Summary(_("Fields"), className="small"),
        html.Table([
            html.Thead(html.Tr([html.Th(_("Field"), scope="col"), html.Th(_("Type"), scope="col"),
                                html.Th(_("Description"), scope="col")])),
            html.Tbody([html.Tr([
                html.Td(html.Code(f.name, dir="ltr")),
                html.Td(html.Code(f.type, dir="ltr")),
                html.Td([f.title, html.Div(f.description, className="small text-body-secondary")
                         if f.description else None]),
            ]) for f in dataset.fields]),
        ], className="table table-sm small mt-2 mb-0"),
    ])
    heading = [html.H2(dataset.title, className="h5 mb-0")]
    if dataset.is_demo:
        heading.append(html.Span(_("Demonstration data"), className="badge text-bg-warning demo-badge"))
    return html.Div(html.Section(html.Div([
        html.Div(heading, className="d-flex flex-wrap gap-2 align-items-center mb-2"),
        html.P(dataset.description, className="small"),
        html.Ul([html.Li(fact, className="list-inline-item") for fact in facts],
                className="list-inline small text-body-secondary mb-2"),
        html.Div(_download(f"/data/{dataset.name}.csv?lang={lang}", _("Download CSV"), f"{dataset.name}.csv",
                           "btn btn-outline-secondary btn-sm"), className="mb-2"),
        fields,
    ], className="card-body"), className="card shadow-sm h-100", id=f"open-data-{dataset.name}"),
        className="col-lg-6")
