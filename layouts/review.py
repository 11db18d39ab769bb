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
from layouts.parts.batches import batch_card
from layouts.parts.workflow import section_page

dash.register_page(__name__, path="/review", title=lambda **_kw: _("Review queue") + " · CNCLTEH")


def layout(**_query):
    ctx = request_context()
    refusal = access_refusal(ctx.actor, "view_review_queue", "/review")
    if refusal is not None:
        return html.Div([page_header(_("Review queue")), refusal])
    can_review = allowed(ctx.actor, "review")
    parts = [page_header(_("Review queue"), _("Nothing counts in the plan's progress before it is approved."))]
    if not can_review:
        parts.append(html.P(_("You can read the queue; only the secretariat approves or returns submissions."),
                            className="alert alert-info py-2", role="note"))
    batches = worklists.pending_batches(ctx.session, ctx.actor, ctx.lang)
    if batches:
        count = ngettext("%(n)s waiting", "%(n)s waiting", len(batches), n=fmt_number(len(batches), ctx.lang))
        parts.append(html.Section([
            html.H2([_("Reporting files"), " ", html.Span(count, className="badge text-bg-secondary align-middle")],
                    className="h5 mt-3"),
            html.P(_("Each file's rows are reviewed together: untick the rows you do not decide now."),
                   className="small text-body-secondary"),
            *[batch_card(batch, ctx.lang, can_review) for batch in batches],
        ], id="review-batches"))
    # Each section shows a page of cards (the queue can be long); its pager asks for the others.
    parts += [_section(ctx, section, title) for section, title in (
        ("updates", _("Measure updates")),
        ("values", _("Indicator values")),
        ("statistics", _("National figures")),
        ("rollout", _("Rollout stages")),
    )]
    return html.Div(parts, id="review-queue")


EMPTY = {
    "updates": lambda: _("No measure update is waiting for review."),
    "values": lambda: _("No indicator value is waiting for review."),
    "statistics": lambda: _("No national figure is waiting for review."),
    "rollout": lambda: _("No rollout stage is waiting for review."),
}


def _section(ctx, section: str, title: str) -> html.Section:
    queue = worklists.review_queue_page(ctx.session, ctx.actor, ctx.lang, section)
    total = queue["total"]
    count = ngettext("%(n)s waiting", "%(n)s waiting", total, n=fmt_number(total, ctx.lang))
    heading = html.H2([title, " ", html.Span(count, className="badge text-bg-secondary align-middle")],
                      className="h5 mt-3")
    if not total:
        return html.Section([heading, html.P(EMPTY[section](), className="text-body-secondary")])
    return html.Section([heading, html.Div(section_page(ctx.actor, ctx.lang, section, queue, ctx.session),
                                           id={"type": "review-section", "kind": section})])
