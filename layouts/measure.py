"""``/measures/<code>``: a measure's details, partners, schedule, indicators and history."""
from __future__ import annotations

import dash
from dash import dcc, html
from flask_babel import gettext as _

from dashboard import labels
from dashboard.i18n import fmt_date, fmt_list, fmt_mad, fmt_number, fmt_percent
from dashboard.plan import progress, queries
from dashboard.web.context import request_context
from dashboard.web.settings import small_cell_threshold
from dashboard.workflow import worklists
from layouts.components import (
    card,
    code_label,
    data_downloads,
    freshness_badge,
    not_found,
    page_header,
    progress_bar,
    schedule_badge,
    status_badge,
)
from layouts.parts.indicators import latest_text
from layouts.parts.workflow import (
    change_text,
    evidence_list,
    period_text,
    report_card,
    state_badge,
    update_summary,
    user_text,
)

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
    indicators = queries.indicator_rows(session, lang, ctx.as_of, ctx.freshness_days, actor=ctx.actor,
                                        filters=queries.IndicatorFilter(measure=measure.code),
                                        threshold=small_cell_threshold())

    facts = [
        (_("Strategic axis"), dcc.Link(f"{code_label(axis.code)} · {axis.name(lang)}", href=f"/axes/{axis.code}")),
        (_("Objective"), f"{code_label(objective.code)} · {objective.name(lang)}"),
        (_("Lead entity"), dcc.Link(f"{code_label(detail['lead'].acronym)} · {detail['lead'].name(lang)}",
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
                f"{code_label(measure.code)} · {measure.name(lang)}",
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
            report_card(session, ctx.actor, measure, lang, ctx.as_of),
            _pending_for_readers(session, ctx.actor, measure, lang),
            card(_("Indicators"), _indicators(indicators, lang)),
            html.Div(className="mb-3"),
            card(_("Status history"), html.Div([
                _history(worklists.measure_history(session, ctx.actor, measure, lang), lang),
                data_downloads("measure-history", lang, f"measure-{measure.code}-history", code=measure.code)])),
        ]
    )


def _pending_for_readers(session, actor, measure, lang: str):
    """The update waiting for review, for the committee, the secretariat and admins (the
    focal point sees theirs in the "Report progress" card)."""
    if not actor.reads_restricted:
        return None
    pending = worklists.pending_update_for(session, actor, measure, lang)
    if pending is None:
        return None
    return html.Section(
        html.Div([
            html.H2(_("Pending validation: not yet counted in progress"), className="h5"),
            update_summary(pending, lang),
            dcc.Link(_("Open the review queue"), href="/review", className="btn btn-outline-primary btn-sm mt-2"),
        ], className="card-body"),
        className="card shadow-sm mb-3 border-warning", id="measure-pending",
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


def _history(entries: list[dict], lang: str):
    """Reports loaded from files and reviewed updates, newest first (worklists.measure_history)."""
    if not entries:
        return html.P(_("No progress has been reported yet."), className="text-body-secondary mb-0")
    items = []
    for entry in entries:
        heading = [html.Span(fmt_date(entry["date"], lang), className="fw-semibold me-2")]
        if entry["kind"] == "update":
            heading.append(state_badge(entry["state"]))
        else:
            heading.append(html.Span(_("Loaded report"), className="badge text-bg-light"))
        if entry["by"]:
            heading.append(html.Span(_("by %(name)s", name=entry["by"]), className="ms-2 text-body-secondary"))
        if entry.get("reviewed_by"):
            heading.append(html.Span(_("reviewed by %(name)s", name=entry["reviewed_by"]),
                                     className="ms-2 text-body-secondary"))
        body = [
            html.Div(heading, className="mb-1"),
            html.Div(change_text(entry["previous_status"], entry["previous_progress"], entry["status"],
                                 entry["progress"], lang), className="mb-1"),
        ]
        if entry["period"]:
            body.append(html.Div(_("Reporting period: %(period)s", period=period_text(*entry["period"], lang)),
                                 className="small text-body-secondary mb-1"))
        if entry["narrative"] or entry["note"]:
            body.append(user_text(entry["narrative"] or entry["note"]))
        if entry["reason"]:
            body.append(html.Div([html.Div(_("Reason for returning it"), className="fw-semibold"),
                                  user_text(entry["reason"], className="mb-0")],
                                 className="small text-danger-emphasis mb-1"))
        if entry["evidence"]:
            body.append(evidence_list(entry["evidence"], lang))
        items.append(html.Li(body, className="list-group-item px-0"))
    return html.Ol(items, className="list-group list-group-flush mb-0", id="measure-history")
