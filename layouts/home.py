"""``/``: the public summary of where the plan stands. Readers of restricted data also count
the restricted indicators and see how many submissions wait for validation."""
from __future__ import annotations

import dash
from dash import dcc, html
from flask_babel import gettext as _
from flask_babel import ngettext

from dashboard import labels
from dashboard.i18n import fmt_date, fmt_number, fmt_percent, localized
from dashboard.permissions import allowed
from dashboard.plan import queries
from dashboard.plan.progress import ACHIEVEMENT_NEAR
from dashboard.web.context import request_context
from dashboard.workflow import worklists
from layouts.components import (
    card,
    data_downloads,
    kpi_card,
    page_header,
    progress_chart,
    schedule_chart,
    status_badge,
)
from layouts.parts.indicators import visible_rows

dash.register_page(__name__, path="/", title=lambda **_kw: _("Summary") + " · CNCLTEH")


def layout(**_query):
    ctx = request_context()
    lang, session = ctx.lang, ctx.session
    rows = queries.measure_rows(session, lang, ctx.as_of, ctx.freshness_days)
    summary = queries.summarize(rows)
    indicator_rows = visible_rows(ctx)
    achievements = queries.indicator_summary(indicator_rows)
    measured = sum(n for s, n in achievements.items() if s in ("met", "near", "off_track"))
    on_track = achievements["met"] + achievements["near"]
    demo = queries.has_demo_data(session)

    by_status = labels.measure_status()
    status_line = " · ".join(
        f"{by_status[s]} {fmt_number(summary.by_status[s], lang)}"
        for s in ("completed", "in_progress", "delayed")
        if summary.by_status[s]
    )
    kpis = html.Div(
        [
            html.Div(kpi_card(_("Overall progress"), fmt_percent(summary.progress, lang),
                              _("Weighted mean of the measures, cancelled ones excluded"),
                              "bi-speedometer2", "kpi-progress"), className="col"),
            html.Div(kpi_card(_("Measures"), fmt_number(summary.total, lang), status_line,
                              "bi-list-check", "kpi-measures"), className="col"),
            html.Div(kpi_card(_("On time"), fmt_percent(_share(summary.on_time_share), lang),
                              _("Measures due so far that are completed or on track"),
                              "bi-clock-history", "kpi-on-time"), className="col"),
            html.Div(kpi_card(_("Indicators on track"),
                              f"{fmt_number(on_track, lang)} / {fmt_number(measured, lang)}",
                              (_("Indicators, restricted ones included, at %(share)s or more of "
                                 "their target", share=fmt_percent(ACHIEVEMENT_NEAR * 100, lang))
                               if ctx.actor.reads_restricted else
                               _("Public indicators at %(share)s or more of their target",
                                 share=fmt_percent(ACHIEVEMENT_NEAR * 100, lang))),
                              "bi-graph-up-arrow", "kpi-indicators"), className="col"),
            html.Div(kpi_card(_("Updates overdue"), fmt_number(summary.stale, lang),
                              _("Measures without a report for more than %(days)s days",
                                days=fmt_number(ctx.freshness_days, lang)),
                              "bi-hourglass-split", "kpi-stale"), className="col"),
        ],
        className="row row-cols-1 row-cols-sm-2 row-cols-xl-5 g-3 mb-3",
    )

    axis_rows = queries.axis_progress(session, lang)
    charts_row = html.Div(
        [
            html.Div(card(None, html.Div([
                progress_chart("home-axis-progress", axis_rows, lang, _("Progress by strategic axis")),
                data_downloads("progress", lang)])),
                className="col-lg-7"),
            html.Div(card(None, html.Div([schedule_chart("home-schedule", summary.by_schedule, lang),
                                          data_downloads("schedule", lang)])),
                     className="col-lg-5"),
        ],
        className="row g-3 mb-3",
    )

    header = page_header(
        _("Where the national plan stands"),
        _("Situation on %(date)s", date=fmt_date(ctx.as_of, lang, "long")),
        demo=demo,
    )
    # Only readers of restricted data get the notice: the public page stays as it was.
    notice = [_pending_notice(session, ctx.actor, lang)] if _sees_queue(ctx.actor) else []
    return html.Div(
        [
            header,
            *notice,
            kpis,
            charts_row,
            html.Div(
                [
                    html.Div(_about(session, lang), className="col-lg-5"),
                    html.Div(_latest(session, lang), className="col-lg-7"),
                ],
                className="row g-3",
            ),
        ]
    )


def _sees_queue(actor) -> bool:
    return actor.reads_restricted and allowed(actor, "view_review_queue")


def _pending_notice(session, actor, lang: str) -> html.Div:
    """How many submissions wait for validation: the figures above leave them out."""
    count = worklists.pending_count(session, actor)
    return html.Div(
        [
            html.I(className="bi bi-inbox me-2", **{"aria-hidden": "true"}),
            ngettext("%(n)s submission is waiting for validation.",
                     "%(n)s submissions are waiting for validation.", count,
                     n=fmt_number(count, lang)),
            " ",
            _("Public figures count only approved updates."),
            " ",
            dcc.Link(_("Open the review queue"), href="/review", className="alert-link"),
        ],
        className="alert alert-info py-2 small",
        role="status",
        id="home-pending-notice",
    )


def _share(value: float | None) -> float | None:
    return None if value is None else value * 100


def _about(session, lang: str) -> html.Div:
    items = []
    for plan in queries.plans(session):
        items.append(html.H2(localized(plan, "name", lang), className="h6 mt-2"))
        items.append(html.P(localized(plan, "description", lang), className="small"))
    items.append(html.P(
        _("The commission adopted the plan, its implementation plan and the national referral "
          "mechanism for victims on 17 March 2023; they were presented to the Council of "
          "Government on 23 March 2023."),
        className="small text-body-secondary",
    ))
    return html.Div(
        html.Div([html.H2(_("What the plan is"), className="h5")] + items, className="card-body"),
        className="card shadow-sm h-100",
    )


def _latest(session, lang: str) -> html.Div:
    updates = queries.latest_updates(session, lang, limit=8)
    if not updates:
        body = html.P(_("No progress has been reported yet."), className="text-body-secondary")
    else:
        body = html.Ul(
            [
                html.Li(
                    [
                        # A flex row keeps code, badge, percentage and date apart in RTL.
                        html.Div(
                            [
                                dcc.Link(u["code"], href=f"/measures/{u['code']}", className="fw-semibold"),
                                status_badge(u["status"]),
                                html.Bdi(fmt_percent(u["progress"], lang), className="small"),
                                html.Bdi(fmt_date(u["recorded_on"], lang), className="small text-body-secondary"),
                            ],
                            className="d-flex flex-wrap align-items-center gap-2",
                        ),
                        html.Div(u["name"], className="small"),
                    ],
                    className="list-group-item",
                )
                for u in updates
            ],
            className="list-group list-group-flush",
        )
    return html.Div(
        html.Div([html.H2(_("Latest updates"), className="h5"), body], className="card-body"),
        className="card shadow-sm h-100",
    )
