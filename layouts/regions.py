"""``/regions``: the rollout of the national referral mechanism across the 12 regions: a map
by stage (cards where it cannot be drawn), the count of regions per stage and a table of
what each region has."""
from __future__ import annotations

import dash
from dash import html
from flask_babel import gettext as _

from dashboard.national import geo, regions
from dashboard.web.context import request_context
from layouts.components import card, data_downloads, page_header
from layouts.parts.regions import (
    demo_note,
    map_section,
    region_cards,
    region_table,
    stage_summary,
)

dash.register_page(__name__, path="/regions", title=lambda **_kw: _("Regions") + " · CNCLTEH")


def layout(**_query):
    ctx = request_context()
    lang = ctx.lang
    rows = regions.overview(ctx.session, lang)
    outlines = geo.load_outlines({r["code"] for r in rows})
    stages = card(_("Regions by stage"), stage_summary(regions.stage_counts(rows), lang))
    if outlines is None:  # no map: the stages, then the regions as cards
        overview = [html.Div(stages, className="mb-3"), html.Div(region_cards(rows, lang), className="mb-3")]
    else:
        overview = [html.Div([
            html.Div(card(_("Map of the regions by stage"),
                          html.Div([map_section(rows, outlines, lang), data_downloads("regions", lang)])),
                     className="col-xl-7"),
            html.Div(stages, className="col-xl-5"),
        ], className="row g-3 mb-3")]
    demo = any(r["is_demo"] for r in rows)
    return html.Div([
        page_header(
            _("Regions"),
            _("Where each of the 12 regions stands in the rollout of the national referral "
              "mechanism for victims, with its coordination bodies, services and activities."),
        ),
        demo_note() if demo else None,
        *overview,
        card(_("The 12 regions"), html.Div([region_table(rows, lang), data_downloads("regions", lang)])),
    ])
