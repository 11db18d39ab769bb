"""The endpoints of ``/api/v1``: read query parameters, call one service with the caller's
actor and language, serialize through a model of ``schemas``.

The actor is the owner of a valid ``Authorization: Bearer`` token, else the public: the
session cookie is not read, so a page's session never reads the API (and an anonymous
answer is the same for everyone). Disclosure is the services': restricted indicators and
exact figures only for the readers ``permissions`` allows, small counts withheld for the
others, values only once validated."""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from pydantic import BaseModel

import dashboard.web.api.schemas as schemas
from dashboard.config import LANGUAGES
from dashboard.db import get_session
from dashboard.errors import Forbidden
from dashboard.i18n import gettext as _
from dashboard.national import activities, funding, organisations, regions, statistics
from dashboard.permissions import PUBLIC, Actor
from dashboard.plan import indicator_values, queries
from dashboard.web.api.errors import ApiError, bad_parameter, not_found, unauthorized
from dashboard.web.auth import request_address
from dashboard.web.context import as_of_date
from dashboard.web.settings import small_cell_threshold
from dashboard.workflow import api_tokens

api = Blueprint("api", __name__, url_prefix="/api/v1")

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 100_000
CODE = re.compile(r"[A-Za-z0-9._-]{1,40}")
YEAR = re.compile(r"\d{4}")
ANONYMOUS_MAX_AGE = 60  # seconds a shared cache may keep an anonymous answer


# --- the caller -------------------------------------------------------------------------


def api_actor() -> Actor:
    """The token's owner, or the public without a token; raises 401 for a bad token."""
    if "api_actor" not in g:
        header = request.headers.get("Authorization", "")
        if not header:
            g.api_actor = PUBLIC
        else:
            scheme, _sep, secret = header.partition(" ")
            actor = (api_tokens.actor_for_token(get_session(), secret.strip(), request_address())
                     if scheme.lower() == "bearer" else None)
            g.api_actor = actor  # None: refused
    if g.api_actor is None:
        raise unauthorized()
    return g.api_actor


def token_used() -> bool:
    return bool(request.headers.get("Authorization"))


def api_lang() -> str:
    """``lang`` (ar, fr or en), else the application's default language."""
    asked = request.args.get("lang")
    return asked if asked in LANGUAGES else current_app.config["DEFAULT_LANG"]


@api.before_request
def _prepare() -> None:
    # Every message and name of this request in the asked language (dashboard.i18n reads g.lang).
    g.lang = api_lang()
    if "lang" in request.args and request.args.get("lang") not in LANGUAGES:
        raise bad_parameter(_("The parameter %(name)s must be one of: %(values)s.", name="lang",
                              values=", ".join(LANGUAGES)))
    api_actor()


@api.after_request
def _cache_lifetime(response: Response) -> Response:
    if "Cache-Control" not in response.headers:
        # What a token reads depends on who holds it: never kept by a shared cache.
        response.headers["Cache-Control"] = ("private, no-store" if token_used()
                                             else f"public, max-age={ANONYMOUS_MAX_AGE}")
    response.vary.add("Authorization")
    return response


# --- parameters -------------------------------------------------------------------------


def _invalid(name: str) -> ApiError:
    return bad_parameter(_("The parameter %(name)s is not valid.", name=name))


def code_arg(name: str) -> str | None:
    value = request.args.get(name)
    if value in (None, ""):
        return None
    if not CODE.fullmatch(value):
        raise _invalid(name)
    return value


def choice_arg(name: str, choices: Sequence[str], default: str | None = None) -> str | None:
    value = request.args.get(name)
    if value in (None, ""):
        return default
    if value not in choices:
        raise bad_parameter(_("The parameter %(name)s must be one of: %(values)s.", name=name,
                              values=", ".join(choices)))
    return value


def year_arg(name: str = "year") -> int | None:
    value = request.args.get(name)
    if value in (None, ""):
        return None
    if not YEAR.fullmatch(value) or not 1900 <= int(value) <= 2100:
        raise bad_parameter(_("The parameter %(name)s must be a year such as 2025.", name=name))
    return int(value)


def int_arg(name: str, default: int, low: int, high: int | None = None) -> int:
    value = request.args.get(name)
    if value in (None, ""):
        return default
    if not re.fullmatch(r"\d{1,9}", value) or int(value) < low:
        raise bad_parameter(_("The parameter %(name)s must be a whole number from %(low)s.", name=name, low=low))
    return min(int(value), high) if high else int(value)


def paged(model: type[BaseModel], rows: list[Any], convert: Callable[[Any], Any] = lambda row: row,
          **extra) -> Response:
    """One page of ``rows`` as ``model`` (``page``, ``per_page`` capped at MAX_PER_PAGE)."""
    per_page = int_arg("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    page = int_arg("page", 1, 1, MAX_PAGE)
    start = (page - 1) * per_page
    items = [convert(row) for row in rows[start:start + per_page]]
    return serialized(model, {"items": items, "total": len(rows), "page": page, "per_page": per_page, **extra})


def serialized(model: type[BaseModel], data: Any) -> Response:
    return jsonify(model.model_validate(data).model_dump(mode="json"))


def context():
    session = get_session()
    return session, api_actor(), g.lang


# --- the plan ---------------------------------------------------------------------------


@api.get("/axes")
def axes() -> Response:
    session, _actor, lang = context()
    return paged(schemas.AxisPage, queries.axis_progress(session, lang))


@api.get("/objectives")
def objectives() -> Response:
    session, _actor, lang = context()
    return paged(schemas.ObjectivePage, queries.objective_progress(session, lang, code_arg("axis")))


def measure_filter() -> queries.MeasureFilter:
    return queries.MeasureFilter(
        axis=code_arg("axis"), objective=code_arg("objective"), lead=code_arg("lead"),
        status=code_arg("status"), schedule=code_arg("schedule"), year=year_arg(), partner=code_arg("partner"))


@api.get("/measures")
def measures() -> Response:
    session, _actor, lang = context()
    rows = queries.measure_rows(session, lang, as_of_date(), current_app.config["FRESHNESS_DAYS"],
                                measure_filter())
    return paged(schemas.MeasurePage, rows)


@api.get("/measures/<code>")
def measure(code: str) -> Response:
    session, _actor, lang = context()
    if not CODE.fullmatch(code):
        raise not_found()
    rows = queries.measure_rows(session, lang, as_of_date(), current_app.config["FRESHNESS_DAYS"])
    row = next((r for r in rows if r["code"] == code), None)
    detail = queries.measure_detail(session, code, lang)
    if row is None or detail is None:
        raise not_found()
    return serialized(schemas.MeasureDetail, {
        **row,
        "partners": [{"acronym": e.acronym, "name": e.name(lang)} for e in detail["partners"]],
        "years": detail["years"],
        # Events are the loaded reports and the approved updates: a pending update has none.
        "history": [{"recorded_on": e.recorded_on, "status": e.status, "progress": e.progress,
                     "note": e.note, "is_demo": e.is_demo} for e in detail["history"]],
    })


# --- indicators -------------------------------------------------------------------------


def indicator_item(row: dict) -> dict:
    return {**row, "restricted": not row["is_public"], "sensitive": row["is_sensitive"],
            "latest_withheld": row["latest_hidden"], "small_count_threshold": row["threshold"],
            "is_demo": bool(row["is_demo"] or row["value_is_demo"])}


def indicator_rows(actor: Actor, lang: str, filters: queries.IndicatorFilter) -> list[dict]:
    return queries.indicator_rows(get_session(), lang, as_of_date(), current_app.config["FRESHNESS_DAYS"],
                                  actor=actor, filters=filters, threshold=small_cell_threshold())


@api.get("/indicators")
def indicators() -> Response:
    _session, actor, lang = context()
    filters = queries.IndicatorFilter(axis=code_arg("axis"), objective=code_arg("objective"),
                                      measure=code_arg("measure"), responsible=code_arg("responsible"),
                                      type=code_arg("type"))
    return paged(schemas.IndicatorPage, indicator_rows(actor, lang, filters), indicator_item)


@api.get("/indicators/<code>")
def indicator(code: str) -> Response:
    session, actor, lang = context()
    if not CODE.fullmatch(code):
        raise not_found()
    model = queries.indicator_by_code(session, code, include_restricted=True)
    if model is None:
        raise not_found()
    try:
        released = indicator_values.released_values(session, actor, model, lang, small_cell_threshold())
    except Forbidden:
        raise not_found() from None  # a restricted indicator does not exist for this reader
    # The row as the indicators list releases it (a focal point may open a restricted one
    # they report, which the list leaves out for them).
    rows = indicator_rows(actor, lang, queries.IndicatorFilter(measure=None))
    row = next((r for r in rows if r["code"] == code), None)
    if row is None:
        raise not_found()
    breakdowns = []
    for year in released.years_with_breakdowns():
        part = released.breakdown(year)
        cells = [{"dimension": dimension, "category": category, "value": value,
                  "status": (indicator_values.SMALL if f"{dimension}={category}" in part.small
                             else indicator_values.HIDDEN if value is None else indicator_values.SHOWN)}
                 for dimension, values in sorted(part.cells.items()) for category, value in sorted(values.items())]
        breakdowns.append({"year": year, "period": part.period, "total": part.total, "withheld": part.withheld,
                           "cells": [] if part.withheld else cells})
    return serialized(schemas.IndicatorDetail, {
        **indicator_item(row), "exact": released.exact,
        "targets": sorted(({"year": t.year, "value": t.value} for t in model.targets), key=lambda t: t["year"]),
        "values": [dataclasses.asdict(point) for point in released.points], "breakdowns": breakdowns,
    })


# --- national statistics ----------------------------------------------------------------


@api.get("/statistics")
def statistics_figures() -> Response:
    _session, actor, lang = context()
    threshold = small_cell_threshold()
    chart = choice_arg("chart", statistics.CHARTS, "all")
    series = choice_arg("series", statistics.STATISTIC_SERIES)
    filters = statistics.StatisticFilter(publisher=code_arg("publisher"), year=year_arg(),
                                         series=series or statistics.BREAKDOWN_SERIES)
    figures = statistics.select_figures(statistics.released_figures(get_session(), actor, lang, threshold),
                                        chart, filters)
    if series and chart == "all":
        figures = [f for f in figures if f.series == series]  # whole tables, released before
    document = statistics.figures_json(figures, lang, threshold)
    return paged(schemas.StatisticsPage, document["figures"], exact=document["exact"],
                 small_count_threshold=threshold, note=document["note"])


# --- regions, activities, programmes, organisations ---------------------------------------


@api.get("/regions")
def regions_list() -> Response:
    session, _actor, lang = context()
    stage = code_arg("stage")
    rows = [r for r in regions.overview(session, lang) if stage in (None, r["stage"])]
    return paged(schemas.RegionPage, rows, lambda r: {**r, "services": dict(r["services"])})


@api.get("/regions/<code>")
def region(code: str) -> Response:
    session, actor, lang = context()
    if not CODE.fullmatch(code):
        raise not_found()
    detail = regions.region_detail(session, actor, code, lang, small_cell_threshold())
    if detail is None:
        raise not_found()
    return serialized(schemas.RegionDetail, detail)


@api.get("/activities")
def activities_list() -> Response:
    session, _actor, lang = context()
    region_code = request.args.get("region")
    if region_code not in (None, "", activities.ABROAD):
        region_code = code_arg("region")
    filters = activities.ActivityFilter(kind=code_arg("kind"), year=year_arg(), region=region_code or None,
                                        country=code_arg("country"), entity=code_arg("entity"))
    return paged(schemas.ActivityPage, activities.activity_rows(session, lang, filters),
                 lambda r: {**r, "measures": [m["code"] for m in r["measures"]]})


@api.get("/programmes")
def programmes() -> Response:
    session, _actor, lang = context()
    rows = funding.of_partner(funding.programmes(session, lang), code_arg("partner"))
    return paged(schemas.ProgrammePage, rows, lambda r: {**r, "measures": [m["code"] for m in r["measures"]]})


@api.get("/organisations")
def organisations_list() -> Response:
    session, actor, lang = context()
    rows = organisations.directory(session, actor, lang, region=code_arg("region"), service=code_arg("service"))
    return paged(schemas.OrganisationPage, rows)
