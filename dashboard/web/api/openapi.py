"""The OpenAPI 3.1 document of ``/api/v1``, built from the models the handlers serialize
through (``schemas``): JSON Schema 2020-12 from pydantic, which OpenAPI 3.1 takes as is."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

import dashboard.web.api.schemas as schemas
from dashboard.config import LANGUAGES
from dashboard.national.statistics import CHARTS, STATISTIC_SERIES

REF = "#/components/schemas/{model}"
VERSION = "1.0.0"


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    schema: dict = field(default_factory=lambda: {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,40}$"})
    where: str = "query"


CODE = {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,40}$"}
PAGING = (
    Param("page", "Page number, from 1", {"type": "integer", "minimum": 1, "default": 1}),
    Param("per_page", "Items per page (at most 200; more is capped)",
          {"type": "integer", "minimum": 1, "default": 50}),
)
LANG = Param("lang", "Language of names and messages", {"type": "string", "enum": list(LANGUAGES)})
YEAR = Param("year", "A year", {"type": "integer", "minimum": 1900, "maximum": 2100})


def path_code(what: str) -> Param:
    return Param("code", f"The {what}'s code", CODE, "path")


@dataclass(frozen=True)
class Endpoint:
    path: str
    summary: str
    model: type[BaseModel]
    params: tuple[Param, ...] = ()
    paged: bool = True


ENDPOINTS = (
    Endpoint("/axes", "Strategic axes with the weighted progress of their measures", schemas.AxisPage),
    Endpoint("/objectives", "Objectives with their progress", schemas.ObjectivePage,
             (Param("axis", "An axis code"),)),
    Endpoint("/measures", "Measures: status, progress and computed schedule status", schemas.MeasurePage,
             (Param("axis", "An axis code"), Param("objective", "An objective code"),
              Param("lead", "The lead body's acronym"), Param("partner", "A partner body's acronym"),
              Param("status", "A status (planned, in_progress, completed, delayed, suspended, cancelled)"),
              Param("schedule", "A schedule status (on_track, at_risk, delayed, completed, not_started, "
                                "not_yet_due)"), YEAR)),
    Endpoint("/measures/{code}", "A measure with its history of approved reports", schemas.MeasureDetail,
             (path_code("measure"),), paged=False),
    Endpoint("/indicators", "Indicators with their latest validated value (small counts withheld for the public)",
             schemas.IndicatorPage,
             (Param("axis", "An axis code"), Param("objective", "An objective code"),
              Param("measure", "A measure code"), Param("responsible", "The reporting body's acronym"),
              Param("type", "An indicator type"))),
    Endpoint("/indicators/{code}", "An indicator's validated values by period and their breakdowns",
             schemas.IndicatorDetail, (path_code("indicator"),), paged=False),
    Endpoint("/statistics", "Published national statistics, released through disclosure control",
             schemas.StatisticsPage,
             (Param("publisher", "The publishing body's acronym"), YEAR,
              Param("series", "A series", {"type": "string", "enum": list(STATISTIC_SERIES)}),
              Param("chart", "The figures one chart of the statistics page shows (default: all)",
                    {"type": "string", "enum": list(CHARTS)}))),
    Endpoint("/regions", "Regions and the rollout of the referral mechanism", schemas.RegionPage,
             (Param("stage", "A rollout stage"),)),
    Endpoint("/regions/{code}", "A region's rollout history and its released figures", schemas.RegionDetail,
             (path_code("region"),), paged=False),
    Endpoint("/activities", "Activities (trainings, campaigns ...)", schemas.ActivityPage,
             (Param("kind", "An activity kind"), Param("year", "The year it started", YEAR.schema),
              Param("region", "A region code, or abroad"), Param("country", "An ISO 3166-1 alpha-2 code"),
              Param("entity", "An organiser's or partner's acronym"))),
    Endpoint("/programmes", "Funding programmes and the measures they support", schemas.ProgrammePage,
             (Param("partner", "A partner's acronym"),)),
    Endpoint("/organisations", "Civil-society organisations (contacts for token holders only)",
             schemas.OrganisationPage,
             (Param("region", "A region code"), Param("service", "A service offered, such as shelter"))),
)

ERRORS = {
    "400": "A parameter is not valid",
    "401": "The token is unknown, expired or revoked",
    "404": "Nothing at this address (or not for this reader)",
    "429": "Too many requests",
    "500": "A server error",
}

DESCRIPTION = """Read-only data of the national plan against trafficking in human beings.

Without a token the API gives what the public pages give: validated data only, no
restricted indicator, and counts of victims from 1 to 4 withheld (with the other cells
that would give them away). With `Authorization: Bearer <token>` (created by committee,
secretariat and admin accounts at /account/tokens) it reads as the token's owner.

Lists are paged: `page`, `per_page` (capped at 200); the answer holds `items`, `total`,
`page` and `per_page`. `lang` (ar, fr, en) chooses the language of names and messages.
Requests are rate-limited per token and per address (429)."""


def components() -> dict[str, dict]:
    models = [schemas.Error, *(endpoint.model for endpoint in ENDPOINTS)]
    _map, definitions = models_json_schema([(model, "serialization") for model in models], ref_template=REF)
    return definitions["$defs"]


def _parameter(param: Param) -> dict:
    return {"name": param.name, "in": param.where, "required": param.where == "path",
            "description": param.description, "schema": param.schema}


def _operation(endpoint: Endpoint) -> dict:
    params = [*endpoint.params, *(PAGING if endpoint.paged else ()), LANG]
    name = endpoint.model.__name__
    example = endpoint.model.model_config.get("json_schema_extra", {}).get("examples", [None])[0]
    ok = {"schema": {"$ref": REF.format(model=name)}}
    if example is not None:
        ok["example"] = example
    responses = {"200": {"description": "OK", "content": {"application/json": ok}}}
    for status, description in ERRORS.items():
        if status == "404" and endpoint.paged:
            continue
        responses[status] = {"description": description, "content": {"application/json": {
            "schema": {"$ref": REF.format(model="Error")}}}}
    operation_id = endpoint.path.strip("/").replace("/{code}", "_detail").replace("/", "_")
    return {"summary": endpoint.summary, "operationId": operation_id,
            "parameters": [_parameter(p) for p in params], "responses": responses}


@cache
def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "CNCLTEH dashboard API", "version": VERSION, "description": DESCRIPTION},
        "servers": [{"url": "/api/v1"}],
        "paths": {endpoint.path: {"get": _operation(endpoint)} for endpoint in ENDPOINTS},
        "components": {
            "schemas": components(),
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer",
                                          "description": "A personal API token (optional)"}},
        },
        # Optional: without a token the public data.
        "security": [{}, {"token": []}],
    }
