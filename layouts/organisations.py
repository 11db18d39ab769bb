"""``/organisations``: the civil-society directory, the national map of associations the
commission planned: associations and public services that serve trafficking victims, by
region and service. Contact details are shown to logged-in users only (the service leaves
them out of the public's rows); the national hotline is public and shown to everyone."""
from __future__ import annotations

import dash
from dash import html
from flask_babel import gettext as _

from dashboard.national import geo, organisations
from dashboard.permissions import allowed
from dashboard.web.context import request_context
from layouts.components import loading, page_header
from layouts.parts.organisations import filters, hotline, results, summary_line

dash.register_page(__name__, path="/organisations",
                   title=lambda **_kw: _("Civil-society directory") + " · CNCLTEH")


def layout(region=None, service=None, text=None, **_query):
    ctx = request_context()
    lang, session = ctx.lang, ctx.session
    regions = geo.region_names(session, lang)
    controls, chosen = filters(regions, {"region": region, "service": service, "text": text})
    rows = organisations.directory(session, ctx.actor, lang, **{k: v or None for k, v in chosen.items()})
    return html.Div(
        [
            page_header(
                _("Civil-society directory"),
                _("Associations and public services that shelter, advise, treat and support "
                  "trafficking victims, region by region. This is the national map of "
                  "associations that the commission planned to draw up and keep up to date."),
            ),
            hotline(),
            html.Div(controls, className="row g-2 mb-3 filter-bar", role="search",
                     **{"aria-label": _("Filters")}),
            html.P(summary_line(rows, lang), id="organisations-summary", className="mb-2",
                   **{"aria-live": "polite"}),
            loading(html.Div(results(rows, regions, lang, allowed(ctx.actor, "read_contacts"), chosen),
                             id="organisations-results")),
        ]
    )
