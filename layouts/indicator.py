"""``/indicators/<code>``: an indicator's definition, targets against actuals, trend and
breakdowns, and the value entry of its responsible entity's focal points.

Restricted indicators read as not found. Every figure comes from
``indicator_values.released_values``: small victim counts are hidden except for the
readers of exact figures (committee, secretariat, admin, and the reporting entity's focal
points)."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_babel import gettext as _

from dashboard import labels
from dashboard.i18n import fmt_list, fmt_value, localized
from dashboard.permissions import allowed
from dashboard.plan import indicator_values, queries
from dashboard.web.context import request_context
from layouts.charts.plan import indicator_trend
from layouts.components import card, code_label, data_downloads, graph, loading, not_found, page_header
from layouts.parts.indicators import (
    achievement_text,
    breakdown_section,
    entry_card,
    point_text,
    restricted_badge,
    source_text,
    submissions_card,
)

dash.register_page(
    __name__,
    path_template="/indicators/<code>",
    title=lambda code=None, **_kw: f"{code} · " + _("Indicator") + " · CNCLTEH",
)


def layout(code=None, **_query):
    ctx = request_context()
    lang, session, actor = ctx.lang, ctx.session, ctx.actor
    readers = actor.reads_restricted
    indicator = queries.indicator_by_code(session, code or "", include_restricted=True)
    if indicator is not None and not allowed(actor, "read_indicator", indicator):
        indicator = None
    if indicator is None:
        return not_found(_("There is no indicator with this code.") if readers
                         else _("There is no public indicator with this code."), "/indicators",
                         _("Back to the indicators"))
    values = indicator_values.released_values(session, actor, indicator, lang)
    threshold = values.threshold
    targets = {t.year: t.value for t in indicator.targets}
    unit_label = labels.unit().get(indicator.unit, indicator.unit)
    trend_title = _("Actual values against targets")
    trend = indicator_trend(
        [{"period": p.period, "value": p.value} for p in values.points], targets,
        (indicator.baseline_value, indicator.baseline_year), lang, trend_title, unit_label,
    )
    trend_text = trend_title + ": " + "; ".join(
        f"{p.period} {point_text(p, indicator.unit, lang, threshold)}" for p in values.points
    )
    years = values.years_with_breakdowns()
    axis = indicator.objective.axis if indicator.objective else None
    parts = [
        page_header(
            f"{code_label(indicator.code)} · {indicator.name(lang)}",
            demo=indicator.is_demo,
            crumbs=[(_("Indicators"), "/indicators")]
            + ([(axis.code, f"/axes/{axis.code}")] if axis else []),
        ),
        _restricted_notice() if not indicator.is_public else None,
        _workflow_row(session, actor, indicator, lang, ctx.as_of.year),
        html.Div(
            [
                html.Div(card(_("Definition"), _definition(indicator, lang)), className="col-lg-5"),
                html.Div(card(_("Trend"), html.Div([
                    graph("indicator-trend", trend, trend_text),
                    data_downloads("indicator-values", lang, f"indicator-{indicator.code}", code=indicator.code)])),
                         className="col-lg-7"),
            ],
            className="row g-3 mb-3",
        ),
        html.Div(card(_("Targets and actual values by year"),
                       _yearly_table(indicator, values, lang)),
                 className="mb-3"),
        card(_("Breakdowns"), _breakdowns(session, actor, indicator, years, lang)),
    ]
    # Nothing is added for the public: their page stays as it was.
    return html.Div([part for part in parts if part is not None])


def _restricted_notice() -> html.P:
    return html.P([restricted_badge(), " ",
                   _("This indicator is restricted to the committee: public pages do not show it.")],
                  className="mb-3", id="indicator-restricted")


def _workflow_row(session, actor, indicator, lang: str, year: int) -> html.Div | None:
    """Value entry and the values under validation, for those concerned; nothing otherwise."""
    entry = entry_card(session, actor, indicator, lang, year)
    sent = submissions_card(session, actor, indicator, lang)
    if entry is None and sent is None:
        return None
    if entry is None:
        return html.Div(sent, className="mb-3")
    return html.Div([html.Div(entry, className="col-xl-6"), html.Div(sent, className="col-xl-6")],
                    className="row g-3 mb-3")


def _definition(indicator, lang: str) -> html.Dl:
    measure, objective = indicator.measure, indicator.objective
    if measure is not None:
        linked = dcc.Link(f"{code_label(measure.code)} · {measure.name(lang)}", href=f"/measures/{measure.code}")
    elif objective is not None:
        linked = html.Span([
            f"{code_label(objective.code)} · {objective.name(lang)} (",
            dcc.Link(objective.axis.code, href=f"/axes/{objective.axis.code}"), ")",
        ])
    else:
        linked = "–"
    responsible = indicator.responsible_entity
    dimensions = labels.disaggregation()
    rows = [
        (_("Type"), labels.indicator_type().get(indicator.type, indicator.type)),
        (_("Unit"), labels.unit().get(indicator.unit, indicator.unit)),
        (_("Direction"), labels.direction().get(indicator.direction, indicator.direction)),
        (_("Frequency"), labels.frequency().get(indicator.frequency, indicator.frequency)),
        (_("Source"), localized(indicator, "source", lang) or "–"),
        (_("Responsible entity"),
         dcc.Link(f"{code_label(responsible.acronym)} · {responsible.name(lang)}",
                  href=f"/entities/{responsible.acronym}")
         if responsible else "–"),
        (_("Measure") if measure is not None else _("Objective"), linked),
        (_("Baseline"), f"{fmt_value(indicator.baseline_value, indicator.unit, lang)}"
                        + (f" ({indicator.baseline_year})" if indicator.baseline_year else "")),
        (_("Disaggregations"), fmt_list([dimensions.get(d, d) for d in indicator.disaggregations], lang)),
        (_("Access"), _("Public") if indicator.is_public else _("Restricted")),
    ]
    if indicator.is_sensitive:
        rows.append((_("Protection"), _("Counts of victims: small numbers are not published.")))
    items = []
    for term, value in rows:
        items.append(html.Dt(term, className="col-sm-5 text-body-secondary fw-normal"))
        items.append(html.Dd(value, className="col-sm-7"))
    return html.Dl(items, className="row mb-0")


def _yearly_table(indicator, values: indicator_values.IndicatorValues, lang: str):
    rows = values.year_rows(indicator)
    if not rows:
        return html.P(_("No targets or values yet."), className="text-body-secondary mb-0")
    statuses = labels.achievement_status()
    header = html.Thead(html.Tr([html.Th(_("Year")), html.Th(_("Target")), html.Th(_("Actual")),
                                 html.Th(_("Achievement")), html.Th(_("Source"))]))
    body = []
    for row in rows:
        point = row.point
        if row.achievement is None:
            # A hidden count hides its achievement too: the ratio would give it back.
            achievement_cell = "–"
        else:
            achievement_cell = html.Span([
                achievement_text(row.achievement, lang), " ",
                html.Span(statuses[row.achievement.status], className="badge text-bg-light"),
            ])
        body.append(html.Tr([
            html.Th(str(row.year), scope="row"),
            html.Td(fmt_value(row.target, indicator.unit, lang)),
            html.Td(point_text(point, indicator.unit, lang, values.threshold)),
            html.Td(achievement_cell),
            html.Td(source_text(point.source, point.is_demo) if point else "–", className="small"),
        ]))
    return html.Div(html.Table([header, html.Tbody(body)], className="table table-sm align-middle mb-0"),
                    className="table-responsive")


def _breakdowns(session, actor, indicator, years: list[int], lang: str):
    if not indicator.disaggregations or not years:
        return html.P(_("No disaggregated data"), className="text-body-secondary mb-0")
    latest = years[-1]
    return html.Div([
        dcc.Store(id="indicator-code", data=indicator.code),
        html.Div(
            [
                dbc.Label(_("Year"), html_for="indicator-breakdown-year", className="form-label me-2 mb-0"),
                dbc.Select(id="indicator-breakdown-year",
                           options=[{"label": str(y), "value": str(y)} for y in reversed(years)],
                           value=str(latest), size="sm", style={"maxWidth": "8rem"}),
            ],
            className="d-flex align-items-center mb-3",
        ),
        loading(html.Div(breakdown_section(session, actor, indicator, latest, lang),
                         id="indicator-breakdowns", **{"aria-live": "polite"})),
    ])
