"""``/measures/<code>``: a measure's details, partners, schedule, indicators and history."""
from __future__ import annotations

import dash
from dash import dcc, html
from flask_babel import gettext as _

from dashboard import labels, progress, queries
from dashboard.context import request_context
from dashboard.i18n import fmt_date, fmt_list, fmt_mad, fmt_number, fmt_percent
from layouts.components import (
    card,
    freshness_badge,
    not_found,
    page_header,
    progress_bar,
    schedule_badge,
    status_badge,
)
from layouts.parts.indicators import latest_text

dash.register_page(
    __name__,
    path_template="/measures/<code>",
    title=lambda code=None, **_kw: f"{code} · " + _("Measure") + " · CNCLTEH",
)


def layout(code=None, **_query):
    ctx = request_context()
    lang, session = ctx.lang, ctx.session
    detail = queries.measure_detail(session, code or "", lang)
    if detail is None:
        return not_found(_("There is no measure with this code."), "/plan", _("Back to the plan explorer"))
    measure, objective, axis = detail["measure"], detail["objective"], detail["axis"]
    schedule = progress.schedule_status(measure.status, measure.progress, measure.planned_start,
                                        measure.planned_end, ctx.as_of)
    elapsed = progress.elapsed_share(measure.planned_start, measure.planned_end, ctx.as_of) * 100
    age = progress.days_since(measure.last_updated, ctx.as_of)
    stale = progress.is_stale(measure.last_updated, ctx.as_of, ctx.freshness_days)
    indicators = queries.indicator_rows(session, lang, ctx.as_of, ctx.freshness_days,
                                        filters=queries.IndicatorFilter(measure=measure.code))

    facts = [
        (_("Strategic axis"), dcc.Link(f"{axis.code} · {axis.name(lang)}", href=f"/axes/{axis.code}")),
        (_("Objective"), f"{objective.code} · {objective.name(lang)}"),
        (_("Lead entity"), dcc.Link(f"{detail['lead'].acronym} · {detail['lead'].name(lang)}",
                                    href=f"/entities/{detail['lead'].acronym}")),
        (_("Partners"), _entity_links(detail["partners"], lang)),
        (_("Years of the implementation plan"), fmt_list([str(y) for y in detail["years"]], lang)),
        (_("Planned budget"), fmt_mad(measure.budget_mad, lang)),
        (_("Funding"), labels.funding_source().get(measure.funding_source, measure.funding_source)),
        (_("Priority"), labels.priority().get(measure.priority, measure.priority)),
        (_("Weight in roll-ups"), fmt_number(measure.weight, lang, 0 if measure.weight == int(measure.weight) else 1)),
    ]
    schedule_rows = [
        (_("Planned start"), fmt_date(measure.planned_start, lang, "long")),
        (_("Planned end"), fmt_date(measure.planned_end, lang, "long")),
        (_("Time elapsed"), progress_bar(elapsed, lang, "#7a7f87")),
        (_("Progress reported"), progress_bar(measure.progress, lang)),
        (_("Reported status"), status_badge(measure.status)),
        (_("Schedule status"), schedule_badge(schedule)),
        (_("Last update"), html.Span([fmt_date(measure.last_updated, lang, "long"), " ",
                                      freshness_badge(age, stale, lang)])),
    ]
    return html.Div(
        [
            page_header(
                f"{measure.code} · {measure.name(lang)}",
                demo=measure.is_demo,
                crumbs=[(_("Plan explorer"), "/plan"), (axis.code, f"/axes/{axis.code}")],
            ),
            html.Div(
                [
                    html.Div(card(_("Details"), _definition_list(facts)), className="col-lg-6"),
                    html.Div(card(_("Schedule and progress"), _definition_list(schedule_rows)),
                             className="col-lg-6"),
                ],
                className="row g-3 mb-3",
            ),
            card(_("Indicators"), _indicators(indicators, lang)),
            html.Div(className="mb-3"),
            card(_("Status history"), _history(detail["history"], lang)),
        ]
    )



def _definition_list(rows) -> html.Dl:
    items = []
    for term, value in rows:
        items.append(html.Dt(term, className="col-sm-5 text-body-secondary fw-normal"))
        items.append(html.Dd(value, className="col-sm-7"))
    return html.Dl(items, className="row mb-0")


def _entity_links(entities, lang: str):
    if not entities:
        return "–"
    links = []
    for entity in entities:
        if links:
            links.append(" · ")
        links.append(dcc.Link(entity.acronym, href=f"/entities/{entity.acronym}", title=entity.name(lang)))
    return html.Span(links)


def _indicators(rows: list[dict], lang: str):
    if not rows:
        return html.P(_("No public indicator is attached to this measure."), className="text-body-secondary mb-0")
    names = labels.achievement_status()
    header = html.Thead(html.Tr([html.Th(_("Indicator")), html.Th(_("Baseline")), html.Th(_("Latest value")),
                                 html.Th(_("Target")), html.Th(_("Achievement"))]))
    body = html.Tbody([
        html.Tr([
            html.Td([dcc.Link(r["code"], href=f"/indicators/{r['code']}", className="me-2"), r["name"]]),
            html.Td(f"{fmt_number(r['baseline_value'], lang)} ({r['baseline_year'] or '–'})"),
            html.Td(latest_text(r, lang)),
            html.Td(fmt_number(r["target"], lang)),
            html.Td([fmt_percent(None if r["achievement"] is None else r["achievement"] * 100, lang), " ",
                     html.Span(names[r["achievement_status"]], className="badge text-bg-light")]),
        ])
        for r in rows
    ])
    return html.Div(html.Table([header, body], className="table table-sm align-middle mb-0"),
                    className="table-responsive")


def _history(events, lang: str):
    if not events:
        return html.P(_("No progress has been reported yet."), className="text-body-secondary mb-0")
    header = html.Thead(html.Tr([html.Th(_("Date")), html.Th(_("Status")), html.Th(_("Progress")),
                                 html.Th(_("Note"))]))
    body = html.Tbody([
        html.Tr([
            html.Td(fmt_date(e.recorded_on, lang)),
            html.Td(status_badge(e.status)),
            html.Td(fmt_percent(e.progress, lang)),
            html.Td(e.note or "–"),
        ])
        for e in events
    ])
    return html.Div(html.Table([header, body], className="table table-sm align-middle mb-0"),
                    className="table-responsive")
