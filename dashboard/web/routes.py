"""Plain Flask routes beside the Dash pages, as one blueprint.

``/statistics/export/<chart>.csv``: each statistics chart's figures as CSV, released for
the requesting user exactly as the page shows them (the page's filters come as query
parameters: ``publisher``, ``year``, ``series``; the language as ``lang``)."""
from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, request

from dashboard.db import get_session
from dashboard.i18n import current_lang
from dashboard.national.statistics import (
    CHARTS,
    figures_csv,
    filter_from,
    released_figures,
    select_figures,
)
from dashboard.web.auth import current_actor
from dashboard.web.settings import small_cell_threshold

routes = Blueprint("routes", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(routes)


@routes.get("/statistics/export/<chart>.csv")
def statistics_csv(chart: str) -> Response:
    if chart not in CHARTS:
        abort(404)
    threshold, lang = small_cell_threshold(), current_lang()
    figures = select_figures(released_figures(get_session(), current_actor(), lang, threshold), chart,
                             filter_from(request.args))
    return Response(
        figures_csv(figures, lang, threshold),
        mimetype="text/csv",
        # What a reader may see depends on who asks: never cached for someone else.
        headers={"Content-Disposition": f'attachment; filename="statistics-{chart}.csv"',
                 "Cache-Control": "private, no-store"},
    )
