"""``/indicators``: the indicators, their achievement and freshness, with filters kept in
the URL. The public sees the public ones; readers of restricted data all of them, the
restricted ones marked."""
from __future__ import annotations

import dash
from dash import html
from flask_babel import gettext as _

from dashboard.plan import queries
from dashboard.web.context import request_context
from layouts.components import filter_select, loading, page_header
from layouts.parts.indicators import (
    axis_chart,
    filter_options,
    indicator_filter,
    indicator_grid,
    kpis,
    summary_line,
    table_downloads,
    visible_rows,
)

dash.register_page(__name__, path="/indicators", title=lambda **_kw: _("Indicators") + " · CNCLTEH")


def layout(axis=None, type=None, responsible=None, **_query):
    ctx = request_context()
    lang, session = ctx.lang, ctx.session
    readers = ctx.actor.reads_restricted
    options = filter_options(session, lang, include_restricted=readers)
    chosen = {"axis": axis, "type": type, "responsible": responsible}
    selects = []
    for key, label in (
        ("axis", _("Strategic axis")),
        ("type", _("Type of indicator")),
        ("responsible", _("Responsible entity")),
    ):
        select, chosen[key] = filter_select(f"indicators-{key}", label, options[key], chosen[key],
                                            "col-12 col-sm-6 col-lg-4")
        selects.append(select)
    # The first view is rendered here; the callback only runs when a filter changes.
    filters = indicator_filter(chosen)
    rows = visible_rows(ctx, filters)
    return html.Div(
        [
            page_header(
                _("Indicators"),
                _("Output, outcome and impact indicators of the national plan: latest value, "
                  "target and how far the plan has come from the baseline."),
                demo=queries.has_demo_data(session),
            ),
            html.Div(selects, className="row g-2 mb-3 filter-bar", role="search",
                     **{"aria-label": _("Filters")}),
            html.P(summary_line(lang, rows), id="indicators-summary", className="mb-2",
                   **{"aria-live": "polite"}),
            loading(html.Div(kpis(rows, lang, ctx.freshness_days), id="indicators-kpis")),
            html.Div(
                [
                    html.Div(html.Div(html.Div(loading(html.Div(axis_chart(session, rows, lang, filters),
                                                                id="indicators-chart")),
                                               className="card-body"),
                                      className="card shadow-sm h-100"),
                             className="col-xl-4"),
                    html.Div(
                        [html.H2(_("Indicators"), className="h5"),
                         html.Div(table_downloads(lang, indicator_filter(chosen)), id="indicators-downloads"),
                         loading(html.Div(indicator_grid("indicators-grid", lang, show_access=readers),
                                          id="indicators-grid-box"))],
                        className="col-xl-8",
                    ),
                ],
                className="row g-3",
            ),
        ]
    )
