"""``/partners``: the donor view. What each international partner's programmes commit, in
their currency and in dirhams at a stated rate, only as published; and the measures of the
plan they support (links that are illustrative while the plan is).

The partner filter (kept in the URL) narrows the programmes table and the supported
measures; the key figures and charts always cover every programme.
"""
from __future__ import annotations

import dash
from dash import html
from flask_babel import gettext as _

from dashboard.national import funding
from dashboard.plan import queries
from dashboard.web.context import request_context
from layouts.components import card, filter_select, loading, page_header
from layouts.parts.funding import (
    PARTNER_FILTER,
    axis_section,
    committed_disbursed_chart,
    illustrative_badge,
    kpis,
    partner_chart,
    partner_options,
    programme_box,
    rates_note,
    summary_line,
    supported_measures,
    totals_table,
)

dash.register_page(__name__, path="/partners", title=lambda **_kw: _("Partners and funding") + " · CNCLTEH")


def layout(partner=None, **_query):
    ctx = request_context()
    lang, session = ctx.lang, ctx.session
    rows = funding.programmes(session, lang)
    axes = {a.code: a.name(lang) for a in queries.axes(session)}
    select, partner = filter_select(PARTNER_FILTER, _("Partner"), partner_options(rows), partner,
                                    "col-12 col-md-6 col-lg-4")
    shown = funding.of_partner(rows, partner)
    illustrative = any(r["measures"] and r["measures_are_demo"] for r in rows)

    def row(*columns: tuple[str, object]) -> html.Div:
        return html.Div([html.Div(card(None, body), className=width) for width, body in columns],
                        className="row g-3 mb-3")

    return html.Div(
        [
            page_header(
                _("Partners and funding"),
                _("The programmes of the commission's international partners and what they "
                  "commit, as published. An amount that is not published is shown as such, "
                  "never as zero."),
            ),
            rates_note(list(funding.rates(session, lang).values()), lang),
            kpis(rows, lang),
            row(("col-xl-6", partner_chart(rows, lang)), ("col-xl-6", axis_section(rows, axes, lang))),
            row(("col-xl-6", html.Div([html.H2(_("Totals by scope"), className="h5"), totals_table(rows, lang)])),
                ("col-xl-6", committed_disbursed_chart(rows, lang))),
            html.Div([select], className="row g-2 mb-2 filter-bar", role="search",
                     **{"aria-label": _("Filters")}),
            html.P(summary_line(shown, lang), id="partners-summary", className="mb-2", **{"aria-live": "polite"}),
            html.Div(card(_("Programmes"), loading(html.Div(programme_box(lang, partner), id="partners-grid-box"))),
                     className="mb-3"),
            html.Section(html.Div([
                html.Div([html.H2(_("Measures supported by each partner"), className="h5 mb-0"),
                          illustrative_badge() if illustrative else None],
                         className="d-flex flex-wrap gap-2 align-items-center mb-2"),
                html.P(_("The links between programmes and the plan's measures are illustrative, like "
                         "the plan structure itself, until the commission publishes them."),
                       className="small text-body-secondary") if illustrative else None,
                loading(html.Div(supported_measures(shown, lang), id="partners-supported")),
            ], className="card-body"), className="card shadow-sm"),
        ]
    )
