"""Plain Flask routes beside the Dash pages, as one blueprint.

``/statistics/export/<chart>.csv``, ``.xlsx`` and ``.json``: each statistics chart's figures, released
for the requesting user exactly as the page shows them (the page's filters come as query
parameters: ``publisher``, ``year``, ``series``; the language as ``lang``).

``/indicators/export.csv``, ``.xlsx`` and ``.json``: the indicators table as its reader sees
it, with the page's filters (``axis``, ``type``, ``responsible``)."""
from __future__ import annotations

import json

from flask import Blueprint, Flask, Response, abort, request

from dashboard.db import get_session
from dashboard.i18n import current_lang
from dashboard.national.statistics import (
    CHARTS,
    figures_csv,
    figures_json,
    figures_xlsx,
    filter_from,
    released_figures,
    select_figures,
)
from dashboard.plan import exports, queries
from dashboard.web.auth import current_actor
from dashboard.web.context import request_context
from dashboard.web.settings import small_cell_threshold

routes = Blueprint("routes", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(routes)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@routes.get("/statistics/export/<chart>.<kind>")
def statistics_export(chart: str, kind: str) -> Response:
    if chart not in CHARTS or kind not in ("csv", "xlsx", "json"):
        abort(404)
    threshold, lang = small_cell_threshold(), current_lang()
    figures = select_figures(released_figures(get_session(), current_actor(), lang, threshold), chart,
                             filter_from(request.args))
    if kind == "csv":
        body, mimetype = figures_csv(figures, lang, threshold), "text/csv"
    elif kind == "xlsx":
        body, mimetype = figures_xlsx(figures, lang, threshold), XLSX
    else:
        body, mimetype = json.dumps(figures_json(figures, lang, threshold), ensure_ascii=False), "application/json"
    return Response(
        body,
        mimetype=mimetype,
        # What a reader may see depends on who asks: never cached for someone else.
        headers={"Content-Disposition": f'attachment; filename="statistics-{chart}.{kind}"',
                 "Cache-Control": "private, no-store"},
    )


@routes.get("/indicators/export.<kind>")
def indicators_export(kind: str) -> Response:
    if kind not in ("csv", "xlsx", "json"):
        abort(404)
    ctx = request_context()
    rows = queries.indicator_rows(ctx.session, ctx.lang, ctx.as_of, ctx.freshness_days, actor=ctx.actor,
                                  filters=queries.indicator_filter_from(request.args),
                                  threshold=small_cell_threshold())
    if kind == "csv":
        body, mimetype = exports.indicators_csv(rows), "text/csv"
    elif kind == "xlsx":
        body, mimetype = exports.indicators_xlsx(rows, ctx.lang), XLSX
    else:
        body, mimetype = json.dumps(exports.indicators_json(rows, ctx.lang), ensure_ascii=False), "application/json"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="indicators.{kind}"',
                             "Cache-Control": "private, no-store"})
