"""``/plan``: explorer of axes, objectives and measures, with filters kept in the URL."""
from __future__ import annotations

import dash
from dash import html
from flask_babel import gettext as _

from dashboard.plan import queries
from dashboard.web.context import request_context
from layouts.components import filter_select, loading, measure_grid, page_header
from layouts.parts.plan import filter_options, grid_downloads, measure_filter, summary_line, tree_toggle

dash.register_page(__name__, path="/plan", title=lambda **_kw: _("Plan explorer") + " · CNCLTEH")


def layout(axis=None, lead=None, status=None, schedule=None, year=None, **_query):
    ctx = request_context()
    lang, session = ctx.lang, ctx.session
    options = filter_options(session, lang)
    chosen = {"axis": axis, "lead": lead, "status": status, "schedule": schedule, "year": year}
    selects = []
    for key, label in (
        ("axis", _("Strategic axis")),
        ("lead", _("Lead entity")),
        ("status", _("Reported status")),
        ("schedule", _("Schedule status")),
        ("year", _("Year of the implementation plan")),
    ):
        select, chosen[key] = filter_select(f"plan-{key}", label, options[key], chosen[key])
        selects.append(select)
    # The summary is counted in SQL here; the grid asks for its rows a page at a time and
    # the tree is built only when opened, so the page costs the same whatever the plan's size.
    summary = queries.measure_summary(session, ctx.as_of, measure_filter(chosen))
    return html.Div(
        [
            page_header(
                _("Plan explorer"),
                _("Strategic axes, objectives and measures of the national plan, with the "
                  "progress reported for each measure."),
                demo=queries.has_demo_data(session),
            ),
            html.Div(selects, className="row g-2 mb-3 filter-bar", role="search",
                     **{"aria-label": _("Filters")}),
            loading(html.Div(summary_line(lang, summary), id="plan-summary", className="mb-2",
                             **{"aria-live": "polite"})),
            html.Div(
                [
                    html.Div([tree_toggle(), loading(html.Div(id="plan-tree"))], className="col-xl-5"),
                    html.Div(
                        [html.H2(_("Measures"), className="h5"),
                         html.Div(measure_grid("plan-grid", [], lang, height=640, infinite=True),
                                  id="plan-grid-box"),
                         html.Div(grid_downloads(lang, chosen), id="plan-grid-downloads")],
                        className="col-xl-7",
                    ),
                ],
                className="row g-3",
            ),
        ]
    )
