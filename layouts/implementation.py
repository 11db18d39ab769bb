"""``/implementation``: the implementation plan 2023-2026 as a timeline, with planned
against reported progress per lead entity and the overdue measures; filters in the URL."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html
from flask_babel import gettext as _

from dashboard.i18n import fmt_date
from dashboard.plan import queries
from dashboard.web.context import request_context
from layouts.components import filter_select, loading, page_header
from layouts.parts.implementation import (
    filter_options,
    overdue_only,
    sections,
    selected_rows,
)

dash.register_page(
    __name__,
    path="/implementation",
    title=lambda **_kw: _("Implementation plan 2023-2026") + " · CNCLTEH",
)


def layout(lead=None, axis=None, year=None, schedule=None, overdue=None, **_query):
    ctx = request_context()
    lang, session = ctx.lang, ctx.session
    options = filter_options(session, lang)
    chosen = {"lead": lead, "axis": axis, "year": year, "schedule": schedule}
    selects = []
    for key, label in (
        ("lead", _("Lead entity")),
        ("axis", _("Strategic axis")),
        ("year", _("Year of the implementation plan")),
        ("schedule", _("Schedule status")),
    ):
        select, chosen[key] = filter_select(f"impl-{key}", label, options[key], chosen[key])
        selects.append(select)
    chosen["overdue"] = overdue_only(overdue)
    selects.append(html.Div(
        dbc.Switch(id="impl-overdue", label=_("Overdue only"), value=chosen["overdue"],
                   className="mb-1"),
        className="col-12 col-sm-6 col-lg-auto d-flex align-items-end",
    ))

    # The first render is done here (the callback only reacts to later changes), so the
    # page arrives complete in one request.
    rows = selected_rows(session, lang, ctx.as_of, ctx.freshness_days, chosen)
    kpis, timeline, comparison, overdue, overdue_downloads = sections(rows, lang, ctx.as_of, chosen)
    return html.Div(
        [
            page_header(
                _("Implementation plan 2023-2026"),
                _("Planned window and progress of each measure, situation on %(date)s.",
                  date=fmt_date(ctx.as_of, lang, "long")),
                demo=queries.has_demo_data(session),
            ),
            html.Div(selects, className="row g-2 mb-3 filter-bar", role="search",
                     **{"aria-label": _("Filters")}),
            loading(html.Div(kpis, id="impl-kpis", className="mb-3", **{"aria-live": "polite"})),
            html.Section(
                html.Div(
                    [
                        html.H2(_("Timeline by lead entity"), className="h5"),
                        loading(html.Div(timeline, id="impl-timeline")),
                    ],
                    className="card-body",
                ),
                className="card shadow-sm mb-3",
            ),
            html.Div(
                [
                    html.Div(html.Section(
                        html.Div(loading(html.Div(comparison, id="impl-comparison")),
                                 className="card-body"),
                        className="card shadow-sm h-100",
                    ), className="col-12"),
                    html.Div(html.Section(
                        html.Div(
                            [
                                html.H2(_("Overdue measures"), className="h5"),
                                html.P(_("Measures whose planned end has passed and that are "
                                         "neither completed nor cancelled."),
                                       className="small text-body-secondary"),
                                html.Div(overdue, id="impl-overdue-box"),
                                html.Div(overdue_downloads, id="impl-overdue-downloads"),
                            ],
                            className="card-body",
                        ),
                        className="card shadow-sm h-100",
                    ), className="col-12"),
                ],
                className="row g-3",
            ),
        ]
    )
