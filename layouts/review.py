"""``/review``: the submissions waiting for the secretariat's decision, oldest first.
The secretariat approves or returns each one; the committee reads the queue."""
from __future__ import annotations

import dash
from dash import html
from flask_babel import ngettext  # dashboard.i18n's names its count ``n``, which the msgid uses too

from dashboard.i18n import fmt_number
from dashboard.i18n import gettext as _
from dashboard.permissions import allowed
from dashboard.web.context import request_context
from dashboard.workflow import worklists
from layouts.components import page_header
from layouts.parts.access import access_refusal
from layouts.parts.workflow import review_card

dash.register_page(__name__, path="/review", title=lambda **_kw: _("Review queue") + " · CNCLTEH")


def layout(**_query):
    ctx = request_context()
    refusal = access_refusal(ctx.actor, "view_review_queue", "/review")
    if refusal is not None:
        return html.Div([page_header(_("Review queue")), refusal])
    queue = worklists.review_queue(ctx.session, ctx.actor, ctx.lang)
    can_review = allowed(ctx.actor, "review")
    parts = [page_header(_("Review queue"), _("Nothing counts in the plan's progress before it is approved."))]
    if not can_review:
        parts.append(html.P(_("You can read the queue; only the secretariat approves or returns submissions."),
                            className="alert alert-info py-2", role="note"))
    parts += [
        _section(_("Measure updates"), queue["updates"], ctx.lang, can_review,
                 _("No measure update is waiting for review.")),
        _section(_("Indicator values"), queue["values"], ctx.lang, can_review,
                 _("No indicator value is waiting for review.")),
        _section(_("National figures"), queue["statistics"], ctx.lang, can_review,
                 _("No national figure is waiting for review.")),
        _section(_("Rollout stages"), queue["rollout"], ctx.lang, can_review,
                 _("No rollout stage is waiting for review.")),
    ]
    return html.Div(parts, id="review-queue")


def _section(title: str, rows: list[dict], lang: str, can_review: bool, empty: str) -> html.Section:
    count = ngettext("%(n)s waiting", "%(n)s waiting", len(rows), n=fmt_number(len(rows), lang))
    heading = html.H2([title, " ", html.Span(count, className="badge text-bg-secondary align-middle")],
                      className="h5 mt-3")
    if not rows:
        return html.Section([heading, html.P(empty, className="text-body-secondary")])
    return html.Section([heading, *[review_card(row, lang, can_review) for row in rows]])
