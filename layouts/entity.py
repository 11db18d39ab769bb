"""``/entities/<acronym>``: one body's scorecard: the measures it leads and supports, and
the indicators it reports (restricted ones too, marked, for readers of restricted data)."""
from __future__ import annotations

import dash
from dash import dcc, html
from flask_babel import gettext as _

from dashboard import labels
from dashboard.i18n import fmt_date, fmt_number, fmt_percent
from dashboard.plan import queries
from dashboard.web.context import request_context
from dashboard.web.settings import small_cell_threshold
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
    schedule_chart,
)
from layouts.parts.citations import cited
from layouts.parts.indicators import latest_text, restricted_badge

dash.register_page(
    __name__,
    path_template="/entities/<acronym>",
    title=lambda acronym=None, **_kw: f"{acronym} · " + _("Entity") + " · CNCLTEH",
)


def layout(acronym=None, **_query):
    ctx = request_context()
    lang, session = ctx.lang, ctx.session
    entity = queries.entity_by_acronym(session, acronym or "")
    if entity is None:
        return not_found(_("There is no entity with this acronym."), "/entities",
                         _("Back to the list of entities"))
    scorecard = queries.entity_scorecard(session, entity, lang, ctx.as_of, ctx.freshness_days,
                                         actor=ctx.actor, threshold=small_cell_threshold())
    led, summary = scorecard["led"], scorecard["led_summary"]
    readers = ctx.actor.reads_restricted
    indicators = scorecard["indicators"]  # as this reader may see them, restricted ones included
    kind = labels.entity_kind().get(entity.kind, entity.kind)

    facts = html.Dl(
        [
            html.Dt(_("Kind"), className="col-sm-4 text-body-secondary fw-normal"),
            html.Dd(kind, className="col-sm-8"),
            html.Dt(_("Member of the commission"), className="col-sm-4 text-body-secondary fw-normal"),
            html.Dd(html.Span(_("Yes"), className="badge text-bg-success") if entity.is_member
                    else html.Span(_("No"), className="badge text-bg-secondary"),
                    className="col-sm-8", id="entity-member"),
            html.Dt(_("Source"), className="col-sm-4 text-body-secondary fw-normal"),
            html.Dd(cited(entity.source(lang)), className="col-sm-8 small", dir="auto"),
        ],
        className="row mb-0",
    )
    if led:
        led_parts = [
            _kpis(summary, led, len(indicators), lang, readers),
            html.Div(
                [
                    html.Div(card(_("About this body"), facts), className="col-lg-5"),
                    html.Div(card(None, html.Div([
                        schedule_chart("entity-schedule", summary.by_schedule, lang,
                                       _("Measures led by schedule status")),
                        data_downloads("schedule", lang, f"schedule-{entity.acronym}", lead=entity.acronym)])),
                             className="col-lg-7"),
                ],
                className="row g-3 mb-3",
            ),
            card(_("Measures led"), html.Div([
                measure_grid("entity-led-grid", [], lang, height=_grid_height(len(led)), infinite=True),
                data_downloads("measures", lang, f"measures-led-{entity.acronym}", lead=entity.acronym)])),
        ]
    else:
        led_parts = [
            card(_("About this body"), facts),
            html.Div(
                [html.I(className="bi bi-info-circle me-2", **{"aria-hidden": "true"}),
                 _("This body leads no measure of the implementation plan.")],
                className="alert alert-light border mt-3 mb-0",
                id="entity-leads-nothing",
            ),
        ]

    supported = scorecard["supported"]
    return html.Div(
        [
            page_header(
                f"{code_label(entity.acronym)} · {entity.name(lang)}",
                kind,
                demo=queries.has_demo_data(session),
                crumbs=[(_("Entities"), "/entities")],
            ),
            *led_parts,
            html.Div(className="mb-3"),
            card(
                _("Measures supported as a partner"),
                html.Div([
                    measure_grid("entity-supported-grid", [], lang, height=_grid_height(len(supported)),
                                 infinite=True),
                    data_downloads("measures", lang, f"measures-supported-{entity.acronym}",
                                   partner=entity.acronym)])
                if supported else
                html.P(_("This body is not a partner of any measure."),
                       className="text-body-secondary mb-0"),
            ),
            html.Div(className="mb-3"),
            card(_("Indicators it reports"), _indicators(indicators, lang, readers, entity.acronym)),
        ]
    )


def _kpis(summary: queries.StatusSummary, led: list[dict], indicators: int, lang: str,
          readers: bool) -> html.Div:
    cancelled = summary.by_status["cancelled"]
    updates = [r["last_updated"] for r in led if r["status"] != "cancelled" and r["last_updated"]]
    on_time = summary.on_time_share
    cards = [
        kpi_card(_("Measures led"), fmt_number(summary.total, lang),
                 _("%(n)s cancelled, left out of progress", n=fmt_number(cancelled, lang))
                 if cancelled else None,
                 "bi-flag", "entity-kpi-measures"),
        kpi_card(_("Weighted progress"), fmt_percent(summary.progress, lang),
                 _("Weighted mean of the measures, cancelled ones excluded"),
                 "bi-speedometer2", "entity-kpi-progress"),
        kpi_card(_("On time"), fmt_percent(None if on_time is None else on_time * 100, lang),
                 _("Measures due so far that are completed or on track"),
                 "bi-clock-history", "entity-kpi-on-time"),
        kpi_card(_("Stale updates"), fmt_number(summary.stale, lang),
                 _("Oldest update: %(date)s", date=fmt_date(min(updates), lang)) if updates else None,
                 "bi-hourglass-split", "entity-kpi-stale"),
        kpi_card(_("Indicators it reports"), fmt_number(indicators, lang),
                 _("Indicators under its responsibility, restricted ones included") if readers
                 else _("Public indicators under its responsibility"),
                 "bi-graph-up-arrow", "entity-kpi-indicators"),
    ]
    return html.Div([html.Div(c, className="col") for c in cards],
                    className="row row-cols-1 row-cols-sm-2 row-cols-xl-5 g-3 mb-3")


def _grid_height(rows: int) -> int:
    """Short lists get a short grid; long ones page at 25 rows."""
    return min(560, 150 + 56 * rows)



def _indicators(rows: list[dict], lang: str, readers: bool, acronym: str):
    """The first ``LIST_PAGE`` indicators, and a link to the indicators page for the rest."""
    if not rows:
        return html.P(_("This body is responsible for no indicator.") if readers
                      else _("This body is responsible for no public indicator."),
                      className="text-body-secondary mb-0")
    names = labels.achievement_status()
    units = labels.unit()
    header = html.Thead(html.Tr([html.Th(_("Indicator")), html.Th(_("Unit")), html.Th(_("Latest value")),
                                 html.Th(_("Target")), html.Th(_("Achievement"))]))
    body = html.Tbody([
        html.Tr([
            html.Td([dcc.Link(r["code"], href=f"/indicators/{r['code']}", className="me-2"), r["name"]]
                    + ([" ", restricted_badge()] if not r["is_public"] else [])),
            html.Td(units.get(r["unit"], r["unit"])),
            html.Td(latest_text(r, lang)),
            html.Td(fmt_number(r["target"], lang)),
            html.Td([fmt_percent(None if r["achievement"] is None else r["achievement"] * 100, lang), " ",
                     html.Span(names[r["achievement_status"]], className="badge text-bg-light")]),
        ])
        for r in rows[:LIST_PAGE]
    ])
    return html.Div([html.Table([header, body], className="table table-sm align-middle mb-0"),
                     more_link(LIST_PAGE, len(rows), f"/indicators?responsible={acronym}", lang)],
                    className="table-responsive", id="entity-indicators")
