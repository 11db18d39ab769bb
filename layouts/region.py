"""``/regions/<code>``: one region: its rollout stage and history, coordination bodies,
shelters and services (without contact details), activities held there and the published
figures broken down by region (small counts suppressed for the public)."""
from __future__ import annotations

import dash
from dash import html
from flask_babel import gettext as _

from dashboard.national import regions
from dashboard.web.context import request_context
from dashboard.web.settings import small_cell_threshold
from layouts.components import card, data_downloads, not_found, page_header
from layouts.parts.regions import (
    activities_list,
    bodies_list,
    demo_note,
    figures_list,
    history_list,
    organisations_list,
    since_text,
    stage_badge,
)
from layouts.parts.rollout import report_section

dash.register_page(
    __name__,
    path_template="/regions/<code>",
    title=lambda code=None, **_kw: f"{code} · " + _("Region") + " · CNCLTEH",
)


def layout(code=None, **_query):
    ctx = request_context()
    lang = ctx.lang
    region = regions.region_detail(ctx.session, ctx.actor, code or "", lang, small_cell_threshold())
    if region is None:
        return not_found(_("There is no region with this code."), "/regions", _("Back to the regions"))
    demo = region["stage_is_demo"] or any(
        item["is_demo"] for key in ("bodies", "organisations", "activities", "figures") for item in region[key])
    stage = html.Div([
        html.Div([stage_badge(region["stage"], "region-stage"), " ",
                  html.Span(_("since %(date)s", date=since_text(region["stage_since"], lang)),
                            className="text-body-secondary")] if region["stage_since"]
                 else [stage_badge(region["stage"], "region-stage")],
                 className="fs-5 mb-3"),
        html.H3(_("History"), className="h6"),
        history_list(region["history"], lang),
        data_downloads("region-rollout", lang, f"region-{region['code']}-rollout", code=region["code"]),
    ])
    report = report_section(ctx, region["code"])
    return html.Div([
        page_header(region["name"], _("Region %(code)s (ISO 3166-2:MA)", code=region["code"]),
                    crumbs=[(_("Regions"), "/regions")]),
        demo_note() if demo else None,
        html.Div([
            html.Div(card(_("Rollout of the referral mechanism"), stage), className="col-lg-5"),
            html.Div(card(_("Regional coordination bodies"), bodies_list(region["bodies"], lang)),
                     className="col-lg-7"),
        ], className="row g-3 mb-3"),
        html.Div(report, className="mb-3") if report is not None else None,
        html.Div(card(_("Shelters and services"), organisations_list(region["organisations"], region["code"], lang)),
                 className="mb-3"),
        html.Div(card(_("Activities held in the region"), activities_list(region["activities"], region["code"], lang)),
                 className="mb-3"),
        card(_("Figures by region"), html.Div([
            figures_list(region["figures"], lang, small_cell_threshold()),
            data_downloads("region-figures", lang, f"region-{region['code']}-figures", code=region["code"]),
        ])),
    ])
