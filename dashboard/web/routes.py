"""Plain Flask routes beside the Dash pages, as one blueprint.

``/statistics/export/<chart>.csv``, ``.xlsx`` and ``.json``: each statistics chart's figures, released
for the requesting user exactly as the page shows them (the page's filters come as query
parameters: ``publisher``, ``year``, ``series``; the language as ``lang``).

``/indicators/export.csv``, ``.xlsx`` and ``.json``: the indicators table as its reader sees
it, with the page's filters (``axis``, ``type``, ``responsible``).

``/export/<dataset>.csv``, ``.xlsx`` and ``.json``: every other table and chart of the site
(``publishing.exports.TABLES``, and ``region-figures``), with the page's filters as query
parameters; the services decide what this reader may see."""
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
from dashboard.permissions import PUBLIC
from dashboard.plan import exports, queries
from dashboard.publishing import exports as tables
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
    filters, threshold = queries.indicator_filter_from(request.args), small_cell_threshold()
    rows = queries.indicator_rows(ctx.session, ctx.lang, ctx.as_of, ctx.freshness_days, actor=ctx.actor,
                                  filters=filters, threshold=threshold)
    if kind == "csv":
        body, mimetype = exports.indicators_csv(rows), "text/csv"
    elif kind == "xlsx":
        public = queries.indicator_rows(ctx.session, ctx.lang, ctx.as_of, ctx.freshness_days, actor=PUBLIC,
                                        filters=filters, threshold=threshold)
        body, mimetype = exports.indicators_xlsx(rows, ctx.lang, exports.shows_exact_figures(rows, public)), XLSX
    else:
        body, mimetype = json.dumps(exports.indicators_json(rows, ctx.lang), ensure_ascii=False), "application/json"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="indicators.{kind}"',
                             "Cache-Control": "private, no-store"})


KINDS = ("csv", "xlsx", "json")


def _download(body, kind: str, filename: str) -> Response:
    mimetype = {"csv": "text/csv", "xlsx": XLSX, "json": "application/json"}[kind]
    if kind == "json":
        body = json.dumps(body, ensure_ascii=False)
    return Response(body, mimetype=mimetype,
                    # What a reader may see depends on who asks: never cached for someone else.
                    headers={"Content-Disposition": f'attachment; filename="{filename}.{kind}"',
                             "Cache-Control": "private, no-store"})


@routes.get("/export/<dataset>.<kind>")
def table_export(dataset: str, kind: str) -> Response:
    if kind not in KINDS or (dataset not in tables.TABLES and dataset != "region-figures"):
        abort(404)
    ctx = request_context()
    asked = tables.Request(ctx.session, ctx.actor, ctx.lang, ctx.as_of, ctx.freshness_days,
                           small_cell_threshold(), request.args)
    if dataset == "region-figures":
        figures = tables.region_figures(asked)
        if figures is None:
            abort(404)
        threshold = asked.threshold
        body = {"csv": lambda: figures_csv(figures, ctx.lang, threshold),
                "xlsx": lambda: figures_xlsx(figures, ctx.lang, threshold),
                "json": lambda: figures_json(figures, ctx.lang, threshold)}[kind]()
        return _download(body, kind, f"region-{asked.code('code')}-figures")
    table = tables.TABLES[dataset](asked)
    if table is None:
        abort(404)
    body = {"csv": lambda: tables.to_csv(table), "xlsx": lambda: tables.to_xlsx(table, ctx.lang),
            "json": lambda: tables.to_json(table, ctx.lang)}[kind]()
    return _download(body, kind, table.name)
