"""``/my``: a focal point's inbox: their entity's measures, what is due, what came back
from the secretariat, what waits for review, and the indicators they report on."""
from __future__ import annotations

import dash
from dash import dcc, html
from flask_babel import gettext as _

from dashboard.i18n import fmt_date
from dashboard.permissions import allowed
from dashboard.plan import queries
from dashboard.web.context import request_context
from dashboard.workflow import calendar, worklists
from layouts.components import card, page_header
from layouts.parts.access import access_refusal
from layouts.parts.workflow import (
    due_labels,
    fmt_datetime,
    inbox_grid,
    inbox_indicator_grid,
    proposal_text,
    return_reason,
    submission_target,
)

dash.register_page(__name__, path="/my", title=lambda **_kw: _("My work") + " · CNCLTEH")


def layout(**_query):
    ctx = request_context()
    refusal = access_refusal(ctx.actor, "open_inbox", "/my")
    if refusal is not None:
        return html.Div([page_header(_("My work")), refusal])
    # The entity's measures come a page at a time (the grid asks for them): the page costs
    # the same however many measures the entity leads.
    inbox = worklists.my_inbox(ctx.session, ctx.actor, ctx.lang, ctx.as_of, ctx.freshness_days, measures=False)
    lang = ctx.lang
    entity = inbox["entity"]
    subtitle = f"{entity['acronym']} · {entity['name']}" if entity else None
    return html.Div(
        [
            page_header(_("My work"), subtitle),
            _reporting_links(),
            html.Div(
                [
                    html.Div(card(_("Returned to you"), _returned(inbox["returned"], lang)), className="col-lg-6"),
                    html.Div(card(_("Updates due"), _due(inbox["due"], inbox["due_total"], lang)),
                             className="col-lg-6"),
                ],
                className="row g-3 mb-3",
            ),
            _national_reporting(ctx),
            html.Div(card(_("Reporting calendar"), _calendar(ctx)), className="mb-3", id="my-calendar"),
            html.Div(card(_("Waiting for review"), _pending(inbox["pending"], inbox["pending_total"], lang)),
                     className="mb-3"),
            html.Div(card(_("Measures your entity leads"), inbox_grid(lang)), className="mb-3"),
            card(_("Indicators your entity reports on"), inbox_indicator_grid(lang)),
        ],
        id="my-inbox",
    )


CALENDAR_SHOWN = 10  # the next items due listed on /my; the .ics file holds them all


def _reporting_links():
    """The reporting workbook to download and fill in, and the page that reads it back."""
    return html.Div([
        html.A(_("Download the reporting template (Excel)"), href="/my/template.xlsx", download="",
               className="btn btn-outline-primary btn-sm", id="my-template-link"),
        dcc.Link(_("Report from a file"), href="/my/import", className="btn btn-outline-primary btn-sm",
                 id="my-import-link"),
    ], className="d-flex flex-wrap gap-2 mb-3")


def _calendar(ctx):
    """The next reports due, most urgent first (overdue, due soon, waiting for review)."""
    items = calendar.reporting_calendar(ctx.session, ctx.actor, ctx.lang, ctx.as_of, ctx.freshness_days)
    if not items:
        return _empty(_("Your body has nothing to report."))
    states = calendar.state_labels()
    badges = {"overdue": "text-bg-danger", "due": "text-bg-warning", "pending": "text-bg-info",
              "ok": "text-bg-light"}
    rows = []
    for item in items[:CALENDAR_SHOWN]:
        what = (_("Measure %(code)s", code=item.code) if item.kind == "measure"
                else _("Indicator %(code)s, %(period)s", code=item.code, period=item.period))
        rows.append([fmt_date(item.due_on, ctx.lang), dcc.Link(f"{what} · {item.name}", href=item.path),
                     html.Span(states[item.state], className=f"badge {badges[item.state]}")])
    table = _table([_("Due date"), _("Measure or indicator"), _("State")], rows)
    link = html.P(html.A(_("Download the calendar (.ics)"), href="/my/calendar.ics", download="",
                         id="my-calendar-ics-link"),
                  className="small mb-0 mt-2")
    return html.Div([_more(table, len(items) - CALENDAR_SHOWN), link])


def _national_reporting(ctx):
    """Links to the national figures and the regional rollout, for the bodies that report them."""
    entity = queries.entity_of(ctx.session, ctx.actor)
    links = []
    if allowed(ctx.actor, "submit_statistic", entity):
        links.append(dcc.Link(_("Enter your body's yearly figures"), href="/statistics/report",
                              className="btn btn-outline-primary btn-sm", id="my-statistics-link"))
    if allowed(ctx.actor, "submit_rollout_update", entity):
        links.append(dcc.Link(_("Report a region's rollout stage"), href="/regions",
                              className="btn btn-outline-primary btn-sm", id="my-rollout-link"))
    if not links:
        return None
    return html.Div(card(_("National reporting"), html.Div(links, className="d-flex flex-wrap gap-2")),
                    className="mb-3")


def _empty(text: str) -> html.P:
    return html.P(text, className="text-body-secondary mb-0")


def _table(headers: list[str], rows: list[list]) -> html.Div:
    return html.Div(
        html.Table([html.Thead(html.Tr([html.Th(h) for h in headers])),
                    html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows])],
                   className="table table-sm align-middle mb-0"),
        className="table-responsive",
    )


def _due_badge(state: str) -> html.Span:
    text, classes = due_labels().get(state, (state, "text-bg-light"))
    return html.Span(text, className=f"badge {classes}")


def _due(rows: list[dict], total: int, lang: str):
    if not rows:
        return _empty(_("No update is due."))
    table = _table(
        [_("Measure"), _("Due date"), _("State")],
        [[dcc.Link(f"{r['code']} · {r['name']}", href=f"/measures/{r['code']}"), fmt_date(r["due_date"], lang),
          _due_badge(r["due_state"])] for r in rows],
    )
    # The oldest are listed; the grid below holds every measure.
    return _more(table, total - len(rows))


def _returned(rows: list[dict], lang: str):
    if not rows:
        return _empty(_("Nothing was returned to you."))
    items = []
    for row in rows:
        label, href = submission_target(row)
        items.append(html.Li([
            html.Div(dcc.Link(label, href=href), className="fw-semibold mb-1"),
            html.Div(_("You proposed: %(what)s", what=proposal_text(row, lang)), className="small mb-1"),
            html.Div(_("Returned on %(when)s by %(name)s", when=fmt_datetime(row["reviewed_at"], lang),
                       name=row["reviewed_by"] or "–"), className="small text-body-secondary mb-2"),
            return_reason(row["return_reason"]),
            dcc.Link(_("Edit and send again"), href=href, className="btn btn-outline-primary btn-sm"),
        ], className="list-group-item px-0"))
    return html.Ul(items, className="list-group list-group-flush mb-0", id="my-returned")


def _pending(rows: list[dict], total: int, lang: str):
    if not rows:
        return _empty(_("Nothing of yours is waiting for review."))
    body = []
    for row in rows:
        label, href = submission_target(row)
        body.append([dcc.Link(label, href=href), proposal_text(row, lang), row["submitted_by"],
                     fmt_datetime(row["submitted_at"], lang)])
    table = _table([_("Submission"), _("Proposed"), _("Submitted by"), _("Submitted on")], body)
    return _more(table, total - len(rows))


def _more(table, hidden: int):
    """A list cut at its first rows says how many more there are."""
    if hidden <= 0:
        return table
    return html.Div([table, html.P(_("(and %(n)d more)", n=hidden), className="small mb-0 mt-1")])
