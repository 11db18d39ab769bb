"""The API's OpenAPI 3.1 document: valid, built from the models the handlers serialize
through, every example and a real answer of every endpoint valid against its schema."""
from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from dashboard.web.api import openapi


@pytest.fixture(scope="module")
def document():
    return openapi.document()


def validator(document: dict, schema: dict) -> Draft202012Validator:
    """A validator for ``schema`` whose ``#/components/...`` references resolve in ``document``."""
    return Draft202012Validator({**schema, "components": document["components"]})


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_the_served_document_is_the_built_one(client, document):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == document


def test_every_route_of_the_api_is_in_the_document(app, document):
    served = {re.sub(r"<(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    own = {"/", "/openapi.json", "/docs", "/docs/start.js", "/<path:_unknown>"}
    assert served - own == set(document["paths"])


def test_every_example_is_valid_against_its_schema(document):
    examples = 0
    for path, item in document["paths"].items():
        for status, response in item["get"]["responses"].items():
            content = response["content"]["application/json"]
            for example in [content["example"]] if "example" in content else []:
                errors = list(validator(document, content["schema"]).iter_errors(example))
                assert not errors, (path, status, errors[0].message)
                examples += 1
    for name, schema in document["components"]["schemas"].items():
        for example in schema.get("examples", []):
            errors = list(validator(document, schema).iter_errors(example))
            assert not errors, (name, errors[0].message)
            examples += 1
    assert examples >= 2 * len(document["paths"])


def concrete(path: str, client) -> str:
    """A path of the document with a real code for its ``{code}``."""
    if "{code}" not in path:
        return path
    listing = client.get("/api/v1" + path.replace("/{code}", "")).get_json()["items"]
    return path.replace("{code}", listing[0]["code"])


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_a_real_answer_of_every_endpoint_is_valid(client, document, lang):
    for path, item in document["paths"].items():
        response = client.get(f"/api/v1{concrete(path, client)}?lang={lang}")
        assert response.status_code == 200, path
        schema = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        errors = list(validator(document, schema).iter_errors(response.get_json()))
        assert not errors, (path, errors[0].message)


def test_the_api_root_points_to_its_document_and_docs(client):
    assert client.get("/api/v1/").get_json() == {"openapi": "/api/v1/openapi.json", "docs": "/api/v1/docs"}


def test_an_error_answer_is_valid_against_the_error_schema(client, document):
    response = client.get("/api/v1/measures?page=none")
    assert response.status_code == 400
    assert not list(validator(document, {"$ref": "#/components/schemas/Error"}).iter_errors(response.get_json()))


def test_the_docs_page_works_offline_under_the_site_policy(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<script>" not in html  # no inline script: the policy allows this server's files only
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
    sources = [s for s in re.findall(r'(?:src|href)="([^"]+)"', html) if s != "data:,"]
    assert sources and all(source.startswith("/") for source in sources)
    for source in sources:
        assert client.get(source).status_code == 200, source
    # Swagger UI stays out of the Dash pages' script tags.
    assert "swagger-ui" not in client.get("/").get_data(as_text=True)
