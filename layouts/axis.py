"""``/axes/<code>``: one strategic axis with its objectives, measures and indicators."""
from __future__ import annotations

import dash
from dash import dcc, html
from flask_babel import gettext as _

from dashboard import labels
from dashboard.i18n import fmt_number, fmt_percent, localized
from dashboard.plan import queries
from dashboard.web.context import request_context
from layouts.components import (
    LIST_PAGE,
    card,
    code_label,
    data_downloads,
    kpi_card,
    measure_grid,
    more_link,
    not_found,
    page_header,
    progress_bar,
    progress_chart,
    schedule_chart,
)
from layouts.parts.indicators import latest_text, restricted_badge, visible_rows

dash.register_page(
    __name__,
    path_template="/axes/<code>",
    title=lambda code=None, **_kw: f"{code} · " + _("Strategic axis") + " · CNCLTEH",
)


def layout(code=None, **_query):
    ctx = request_context()
    lang, session = ctx.lang, ctx.session
    axis = queries.axis_by_code(session, code or "")
    if axis is None:
        return not_found(_("There is no strategic axis with this code."), "/plan", _("Back to the plan explorer"))

    rows = queries.measure_rows(session, lang, ctx.as_of, ctx.freshness_days,
                                queries.MeasureFilter(axis=axis.code))
    summary = queries.summarize(rows)
    objectives = queries.objective_progress(session, lang, axis.code)
    indicators = visible_rows(ctx, queries.IndicatorFilter(axis=axis.code))
    achievement_names = labels.achievement_status()

    return html.Div(
        [
            page_header(
                f"{code_label(axis.code)} · {axis.name(lang)}",
                localized(axis, "description", lang),
                demo=axis.is_demo,
                crumbs=[(_("Plan explorer"), "/plan")],
            ),
            html.Div(
                [
                    html.Div(kpi_card(_("Weighted progress"), fmt_percent(summary.progress, lang),
                                      icon="bi-speedometer2"), className="col"),
                    html.Div(kpi_card(_("Objectives"), fmt_number(len(objectives), lang),
                                      icon="bi-bullseye"), className="col"),
                    html.Div(kpi_card(_("Measures"), fmt_number(summary.total, lang),
                                      icon="bi-list-check"), className="col"),
                    html.Div(kpi_card(_("Behind schedule"), fmt_number(summary.by_schedule["delayed"], lang),
                                      icon="bi-exclamation-triangle"), className="col"),
                    html.Div(kpi_card(_("Updates overdue"), fmt_number(summary.stale, lang),
                                      icon="bi-hourglass-split"), className="col"),
                ],
                className="row row-cols-2 row-cols-lg-5 g-3 mb-3",
            ),
            html.Div(
                [
                    html.Div(card(None, html.Div([
                        progress_chart("axis-objectives", objectives, lang, _("Progress by objective")),
                        data_downloads("progress", lang, f"progress-{axis.code}", axis=axis.code)])),
                        className="col-lg-7"),
                    html.Div(card(None, html.Div([
                        schedule_chart("axis-schedule", summary.by_schedule, lang),
                        data_downloads("schedule", lang, f"schedule-{axis.code}", axis=axis.code)])),
                             className="col-lg-5"),
                ],
                className="row g-3 mb-3",
            ),
            html.H2(_("Objectives"), className="h5"),
            html.Div(
                [
                    html.Div(
                        [
                            html.Div(f"{code_label(o['code'])} · {o['name']}", className="fw-semibold"),
                            html.Div(_("%(count)s measures", count=fmt_number(o["measures"], lang)),
                                     className="small text-body-secondary"),
                            progress_bar(o["progress"], lang),
                        ],
                        className="list-group-item",
                    )
                    for o in objectives[:LIST_PAGE]
                ],
                className="list-group mb-3",
            ),
            more_link(LIST_PAGE, len(objectives), f"/plan?axis={axis.code}", lang),
            html.H2(_("Measures"), className="h5"),
            measure_grid("axis-measures", [], lang, height=460, infinite=True),
            data_downloads("measures", lang, f"measures-{axis.code}", axis=axis.code),
            html.H2(_("Indicators"), className="h5 mt-3"),
            _indicator_list(indicators[:LIST_PAGE], achievement_names, lang, ctx.actor.reads_restricted),
            more_link(LIST_PAGE, len(indicators), f"/indicators?axis={axis.code}", lang),
        ]
    )


def _indicator_list(indicators: list[dict], names: dict[str, str], lang: str, readers: bool):
    if not indicators:
        return html.P(_("No indicator is attached to this axis.") if readers
                      else _("No public indicator is attached to this axis."), className="text-body-secondary")
    return html.Ul(
        [
            html.Li(
                [
                    dcc.Link(i["code"], href=f"/indicators/{i['code']}", className="fw-semibold me-2"),
                    html.Span(i["name"], className="me-2"),
                    *([html.Span(restricted_badge(), className="me-2")] if not i["is_public"] else []),
                    html.Span(names[i["achievement_status"]], className="badge text-bg-light me-2"),
                    html.Span(
                        _("latest %(value)s, target %(target)s",
                          value=latest_text(i, lang), target=fmt_number(i["target"], lang)),
                        className="small text-body-secondary",
                    ) if i["latest_year"] is not None else None,
                ],
                className="list-group-item",
            )
            for i in indicators
        ],
        className="list-group",
    )
