"""Civil-society directory: the filters re-render the counts and the cards (the URL
follows). The directory service decides, for this request's user, whether rows carry
contact details."""
from __future__ import annotations

from dash import ALL, Dash, Input, Output, State

from callbacks import clicked_pager, keep_filters_in_url
from dashboard.national import geo, organisations
from dashboard.permissions import allowed
from dashboard.web.context import request_context
from layouts.parts.organisations import FILTERS, cards_page, results, summary_line


def register_callbacks(app: Dash) -> None:
    inputs = [Input(f"organisations-{key}", "value") for key in FILTERS]

    @app.callback(
        Output("organisations-results", "children"),
        Output("organisations-summary", "children"),
        *inputs,
        prevent_initial_call=True,  # the page layout renders the first view
    )
    def update_directory(region, service, text):
        ctx = request_context()
        rows = organisations.directory(ctx.session, ctx.actor, ctx.lang, region=_text(region),
                                       service=_text(service), text=_text(text))
        regions = geo.region_names(ctx.session, ctx.lang)
        chosen = {"region": _text(region), "service": _text(service), "text": _text(text)}
        return (results(rows, regions, ctx.lang, allowed(ctx.actor, "read_contacts"), chosen),
                summary_line(rows, ctx.lang))

    @app.callback(
        Output("organisations-cards-page", "children"),
        Input({"type": "organisations-page", "page": ALL}, "n_clicks"),
        *[State(f"organisations-{key}", "value") for key in FILTERS],
        prevent_initial_call=True,
    )
    def turn_page(_clicks, region, service, text):
        trigger = clicked_pager()
        ctx = request_context()
        rows = organisations.directory(ctx.session, ctx.actor, ctx.lang, region=_text(region),
                                       service=_text(service), text=_text(text))
        return cards_page(rows, ctx.lang, trigger.get("page"))

    keep_filters_in_url(app, FILTERS, inputs)


def _text(value) -> str | None:
    """A filter value as the browser sent it: only a non-empty string counts."""
    return value if isinstance(value, str) and value else None
