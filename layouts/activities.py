"""``/activities``: the commission's trainings, campaigns, workshops, roundtables, study
visits and international meetings, with filters kept in the URL; ``/activities/<code>``:
one of them."""
from __future__ import annotations

import dash
from dash import dcc, html
from flask_babel import gettext as _

from dashboard.national import activities
from dashboard.web.context import request_context
from layouts.components import filter_select, loading, not_found, page_header
from layouts.parts.activities import (
    activity_card,
    activity_filter,
    activity_list,
    charts_block,
    filter_options,
    kpis,
    measures_note,
    participants_note,
    summary_line,
)

dash.register_page(__name__, path="/activities", title=lambda **_kw: _("Activities") + " · CNCLTEH")


def layout(kind=None, year=None, region=None, country=None, entity=None, q=None, **_query):
    ctx = request_context()
    lang, session = ctx.lang, ctx.session
    options = filter_options(session, lang)
    chosen = {"kind": kind, "year": year, "region": region, "country": country, "entity": entity}
    selects = []
    for key, label, width in (
        ("kind", _("Kind of activity"), "col-12 col-sm-6 col-lg-2"),
        ("year", _("Year"), "col-6 col-sm-3 col-lg-1"),
        ("region", _("Region"), "col-12 col-sm-6 col-lg-2"),
        ("country", _("Country"), "col-6 col-sm-3 col-lg-2"),
        ("entity", _("Organiser or partner"), "col-12 col-sm-6 col-lg-2"),
    ):
        select, chosen[key] = filter_select(f"activities-{key}", label, options[key], chosen[key], width)
        selects.append(select)
    chosen["q"] = (q or "").strip()[:100]
    selects.append(html.Div(
        [
            html.Label(_("Search"), htmlFor="activities-q", className="form-label"),
            # Debounced: the search runs on Enter or when the field loses focus.
            dcc.Input(id="activities-q", type="search", value=chosen["q"], debounce=True,
                           placeholder=_("Title, summary or place"),
                           className="form-control form-control-sm"),
        ],
        className="col-12 col-lg-3",
    ))
    # The first view is rendered here; the callback only runs when a filter changes.
    filters = activity_filter(chosen)
    rows = activities.activity_rows(session, lang, filters)
    return html.Div(
        [
            page_header(
                _("Activities"),
                _("Trainings, awareness campaigns, workshops, roundtables, study visits and "
                  "international meetings of the national commission and its partners, each "
                  "with its source."),
            ),
            html.Div(selects, className="row g-2 mb-3 filter-bar", role="search",
                     **{"aria-label": _("Filters")}),
            html.P(summary_line(rows, lang), id="activities-summary", className="mb-2",
                   **{"aria-live": "polite"}),
            loading(html.Div([kpis(rows, lang), participants_note(rows, lang)],
                             id="activities-kpis")),
            loading(html.Div(charts_block(session, rows, lang, filters), id="activities-charts")),
            html.H2(_("Activities"), className="h5"),
            measures_note(),
            loading(html.Div(activity_list(rows, lang), id="activities-list")),
        ]
    )


def detail_layout(code=None, **_query):
    ctx = request_context()
    row = activities.activity_by_code(ctx.session, code or "", ctx.lang)
    if row is None:
        return not_found(_("There is no activity with this code."), "/activities",
                         _("Back to the list of activities"))
    return html.Div(
        [
            page_header(row["title"], crumbs=[(_("Activities"), "/activities")]),
            activity_card(row, ctx.lang, with_title=False),
            measures_note() if row["measures"] else None,
        ]
    )


# Both pages live in this module: the detail page only shows one card of the list.
dash.register_page(
    f"{__name__}.detail",
    path_template="/activities/<code>",
    layout=detail_layout,
    title=lambda code=None, **_kw: f"{code} · " + _("Activity") + " · CNCLTEH",
)
