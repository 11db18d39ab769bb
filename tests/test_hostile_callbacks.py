"""Forged requests with hostile values of every type, to every server callback, every page
and the routes outside Dash: none may get a server error (5xx).

The callbacks are enumerated from ``/_dash-dependencies`` (what a browser knows), Dash's
own pages callback included. Each request is a valid one, as the browser would send it,
with ONE input or state replaced by a hostile value, as an anonymous visitor and as a
focal point, with a valid CSRF token. What a value gets (refused with 400, ignored, or a
message) is the boundary's and the callback's business; only a 5xx fails the test, which
then lists every request that got one with its exception.
"""
from __future__ import annotations

import inspect
import json
import time
import traceback
from collections import Counter
from urllib.parse import quote

import dash
import pytest
from flask import got_request_exception

from dashboard.app import create_app
from dashboard.db import upgrade
from dashboard.devtools.testing import DashClient
from dashboard.web import callback_inputs
from helpers import AS_OF, log_in_as, seed, user_id

UPDATE = "/_dash-update-component"

HOSTILE = [
    None, True, False, 0, -1, 1, 3.5, -0.0, 2**31, 2**53 + 1, 2**63, -(2**63), 1e308,
    float("nan"), float("inf"),
    "x", "", " ", "\x00", "a\x00b", "\ud800", "²", "١٢", "99999999999999999999", "-1", "1e308", "NaN",
    "2024-13-45", "../../etc/passwd", "<script>alert(1)</script>", "\u202e", "x" * 102_400,
    [], [1, [2]], ["a", "b"], [None], {}, {"id": "x"}, {"id": 2**63, "version": "x"},
    {"id": True, "version": None, "is_active": "no"}, {"points": [{"curveNumber": 2**63}]},
    {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {"i": {"j": {"k": {"l": {}}}}}}}}}}}}},
]

# Values of a valid request, by (component id or pattern "type", property); others by property.
BASELINE = {
    ("plan-axis", "value"): "A1", ("plan-lead", "value"): "MJ", ("plan-status", "value"): "in_progress",
    ("plan-schedule", "value"): "on_track", ("plan-year", "value"): "2024",
    ("impl-lead", "value"): "MJ", ("impl-axis", "value"): "A1", ("impl-year", "value"): "2024",
    ("impl-schedule", "value"): "on_track", ("impl-overdue", "value"): True,
    ("activities-kind", "value"): "training", ("activities-year", "value"): "2024",
    ("activities-region", "value"): "MA-01", ("activities-entity", "value"): "MJ", ("activities-q", "value"): "x",
    ("audit-actor", "value"): "focal", ("audit-object", "value"): "measure",
    ("audit-from", "value"): "2026-01-01", ("audit-to", "value"): "2026-12-31",
    ("indicators-axis", "value"): "A1", ("indicators-type", "value"): "output",
    ("indicators-responsible", "value"): "PMP",
    ("indicator-breakdown-year", "value"): "2024", ("indicator-code", "data"): "IND-01",
    ("indicator-entry-code", "data"): "IND-01", ("indicator-entry-period", "value"): "2025",
    ("indicator-entry-value", "value"): "12", ("indicator-entry-breakdown", "data"): {},
    ("indicator-entry-links", "value"): "https://example.org/report",
    ("login-email", "value"): "nobody@test.cnclteh.ma", ("login-password", "value"): "wrong password",
    ("login-next", "data"): "/my",
    ("measure-report-code", "data"): "A1.O1.M2", ("measure-report-base-version", "data"): 1,
    ("measure-report-status", "value"): "in_progress", ("measure-report-progress", "value"): 45,
    ("measure-report-narrative-en", "value"): "Done.", ("measure-report-period-start", "date"): "2026-01-01",
    ("measure-report-period-end", "date"): "2026-10-31", ("measure-report-links", "value"): "https://example.org/r",
    ("organisations-region", "value"): "MA-01", ("organisations-service", "value"): "shelter",
    ("organisations-text", "value"): "x", ("partners-partner", "value"): "IOM",
    ("review-version", "data"): 1, ("review-reason", "value"): "Because.",
    ("rollout-report-region", "data"): "MA-07", ("rollout-report-base", "data"): 0,
    ("rollout-report-stage", "value"): "pilot", ("rollout-report-date", "value"): "2026-10-01",
    ("statistics-publisher", "value"): "PMP", ("statistics-year", "value"): "2024",
    ("statistics-series", "value"): "victims_identified",
    ("stat-entry-series", "value"): "victims_identified", ("stat-entry-year", "value"): 2025,
    ("stat-entry-value", "value"): "240", ("stat-entry-document", "value"): "Annual report 2025",
    ("stat-entry-dimension", "value"): "female",
    # the account acted on is the committee member's (set by the test): the others send the requests
    ("user-edit-role", "value"): "committee",
    ("user-new-email", "value"): "new.one@test.cnclteh.ma", ("user-new-name", "value"): "New One",
    ("user-new-role", "value"): "focal_point", ("user-new-entity", "value"): "MJ",
    ("_pages_location", "pathname"): "/", ("_pages_location", "search"): "",
}
BY_PROP = {"n_clicks": 1, "n_submit": 1, "value": "", "pathname": "/", "search": "", "filename": ["a.pdf"],
           "getRowsRequest": {"startRow": 0, "endRow": 25}}
# Concrete values of pattern-matching wildcards.
WILDCARDS = {"kind": "measure_update", "id": 1, "dimension": "sex", "index": 0, "axis": "A1", "page": 0,
             "partner": "EU", "version": 1}


def _concrete(id_text: str):
    """(a concrete id for a declared one, whether it gathers a list of components)."""
    if not id_text.startswith("{"):
        return id_text, False
    raw = json.loads(id_text)
    many = any(v in (["ALL"], ["ALLSMALLER"]) for v in raw.values())
    return {k: WILDCARDS[k] if isinstance(v, list) else v for k, v in raw.items()}, many


def _key(component_id) -> str:
    return component_id["type"] if isinstance(component_id, dict) else component_id


def _prop_id(component_id, prop: str) -> str:
    """How the renderer names an input in ``changedPropIds``."""
    if isinstance(component_id, dict):
        component_id = json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return f"{component_id}.{prop}"


def _entry(spec: dict, value=..., component_id=None):
    cid, many = _concrete(spec["id"])
    cid = cid if component_id is None else component_id
    prop = spec["property"]
    if value is ...:
        value = cid if prop == "id" else BASELINE.get((_key(cid), prop), BY_PROP.get(prop))
    entry = {"id": cid, "property": prop, "value": value}
    return [entry] if many else entry


def _outputs(dep: dict):
    outputs = []
    for text in dep["output"].strip(".").split("..."):
        id_text, _dot, prop = text.split("@")[0].rpartition(".")
        cid, many = _concrete(id_text)
        item = {"id": cid, "property": prop}
        outputs.append([item] if many else item)
    return outputs if dep["output"].startswith("..") else outputs[0]


def payload(dep: dict, section: str | None = None, index: int = 0, value=..., component_id=None) -> dict:
    """A valid request for ``dep``; with ``section``, that input or state gets ``value``
    (and ``component_id`` as its id, if given)."""
    body = {"output": dep["output"], "outputs": _outputs(dep)}
    for name in ("inputs", "state"):
        body[name] = [_entry(spec, value, component_id) if (name, i) == (section, index) else _entry(spec)
                      for i, spec in enumerate(dep[name])]
    if not body["state"]:
        del body["state"]  # as the renderer does
    changed = body["inputs"][index if section == "inputs" else 0]
    changed = changed[0] if isinstance(changed, list) and changed else changed
    body["changedPropIds"] = [_prop_id(changed["id"], changed["property"])] if isinstance(changed, dict) else []
    return body


class Recorder:
    """Sends requests and keeps the count by status and every 5xx with its exception."""

    def __init__(self, app):
        self.statuses: Counter = Counter()
        self.failures: list[str] = []
        self._exception: str | None = None
        got_request_exception.connect(self._record, app)

    def _record(self, _sender, exception, **_extra):
        self._exception = "".join(traceback.format_exception(exception)[-6:])

    def send(self, client, what: str, method: str = "post", **kwargs):
        self._exception = None
        response = getattr(client, method)(**kwargs)
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.failures.append(f"{what} -> {response.status_code}\n{self._exception or response.data[:300]!r}")
        return response

    def post_json(self, dash_client: DashClient, what: str, body):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return self.send(dash_client.client, what, path=UPDATE, data=data, content_type="application/json",
                         headers={"X-CSRFToken": dash_client.csrf_token()})

    def report(self, name: str, started: float) -> str:
        total = sum(self.statuses.values())
        return (f"{name}: {total} requests in {time.perf_counter() - started:.1f} s, "
                f"{sum(n for s, n in self.statuses.items() if s >= 500)} 5xx; "
                f"by status {dict(sorted(self.statuses.items()))}")


@pytest.fixture(scope="module")
def hostile_app(databases, tmp_path_factory):
    """The app on a database of its own (a forged request may well write), shared by this
    module's tests, answering 500 rather than raising, as in production."""
    url = databases.new()
    upgrade(url)
    seed(url)
    app = create_app({"DATABASE_URL": url, "AS_OF": AS_OF, "TESTING": True, "PROPAGATE_EXCEPTIONS": False,
                      "UPLOAD_DIR": str(tmp_path_factory.mktemp("hostile-uploads"))})
    yield app
    app.extensions["db_engine"].dispose()
    databases.drop(url)


ROLES = (None, "focal_mj", "focal_pmp", "secretariat")


@pytest.fixture
def clients(hostile_app):
    """An anonymous visitor, the focal points of MJ and PMP and the secretariat, each with a
    CSRF token."""
    return {key or "anonymous": DashClient(log_in_as(hostile_app.test_client(), key)) for key in ROLES}


def roles_for(output: str) -> list[str]:
    """Anonymous, and the focal point whose entity may use the form (PMP enters indicator
    values and national figures, MJ the rest); the secretariat too on its own pages."""
    roles = ["anonymous", "focal_pmp" if "stat-entry" in output or "indicator-entry" in output else "focal_mj"]
    if any(part in output for part in ("review-", "user-", "audit-")):
        roles.append("secretariat")
    return roles


def _describe(value) -> str:
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


# Sent to every input and state; the other hostile values are spread over them in turn, so
# that each goes to many inputs while the test stays short.
CORE = [None, True, 0, "x", "", 3.5, 2**63, "\x00", "99999999999999999999", "²", [1, [2]], {"id": "x"}]
ROTATING = [v for v in HOSTILE if not any(v is c or (type(v) is type(c) and v == c) for c in CORE)]
PER_INPUT = 3


def hostile_values(position: int) -> list:
    start = (position * PER_INPUT) % len(ROTATING)
    return CORE + (ROTATING + ROTATING)[start:start + PER_INPUT]


def test_every_callback_input_refuses_or_handles_hostile_values(hostile_app, clients):
    started = time.perf_counter()
    recorder = Recorder(hostile_app)
    dash_app = hostile_app.extensions["dash"]
    anyone = next(iter(clients.values()))
    deps = [d for d in anyone.dependencies if not d.get("clientside_function")]
    assert len(deps) >= 20 and any("_pages_content" in d["output"] for d in deps)
    assert callback_inputs.undeclared(dash_app) == []
    target, _epoch = user_id(hostile_app, "committee")
    BASELINE[("user-selected", "data")] = {"id": target, "version": 1, "is_active": True}
    BASELINE[("user-pick", "value")] = str(target)
    sessions = {key: user_id(hostile_app, key) for key in ROLES if key}

    position = 0
    for dep in deps:
        for role in roles_for(dep["output"]):
            client = clients[role]
            name = dep["output"].strip(".").split("...")[0].split("@")[0]
            # The valid request itself must not fail, nor every input and state at once
            # holding the same empty or meaningless value.
            recorder.post_json(client, f"{role} {name} (valid)", payload(dep))
            for value in (None, "", "x", 0):
                body = payload(dep)
                for section in ("inputs", "state"):
                    body[section] = [_entry(spec, value) for spec in dep[section]] if dep[section] else None
                body = {k: v for k, v in body.items() if v is not None}
                recorder.post_json(client, f"{role} {name} (all = {value!r})", body)
            for section in ("inputs", "state"):
                for index, spec in enumerate(dep[section]):
                    position += 1
                    for value in hostile_values(position):
                        what = f"{role} {name} {section}[{index}] {spec['id']}.{spec['property']} = {_describe(value)}"
                        recorder.post_json(client, what, payload(dep, section, index, value))
                    # Hostile wildcard values in a pattern-matching id.
                    cid, _many = _concrete(spec["id"])
                    if isinstance(cid, dict):
                        for key in (k for k, v in json.loads(spec["id"]).items() if isinstance(v, list)):
                            for value in (None, True, 3.5, 2**63, "x" * 5000, "\x00", [1], {"a": 1}, "1", -1):
                                forged = {**cid, key: value}
                                what = f"{role} {name} {section}[{index}] id[{key}] = {_describe(value)}"
                                recorder.post_json(client, what, payload(dep, section, index, component_id=forged))
    # The requesting accounts kept their sessions throughout.
    assert {key: user_id(hostile_app, key) for key in sessions} == sessions
    print("\n" + recorder.report("callback inputs", started))
    assert not recorder.failures, f"{len(recorder.failures)} server errors:\n" + "\n\n".join(recorder.failures[:40])


def test_malformed_callback_requests_are_refused(hostile_app, clients):
    started = time.perf_counter()
    recorder = Recorder(hostile_app)
    client = clients["focal_mj"]
    deps = client.dependencies
    server = [d for d in deps if not d.get("clientside_function")]
    plan = next(d for d in server if "plan-tree" in d["output"])
    review = next(d for d in server if "review-feedback" in d["output"])
    valid = payload(plan)
    bodies = {
        "not JSON": "{not json",
        "empty": "",
        "JSON list": [valid],
        "JSON string": "x",
        "JSON null": None,
        "deep nesting": "[" * 100_000 + "]" * 100_000,
        "huge integer": '{"output": ' + "9" * 5000 + "}",
        "NaN": '{"output": NaN}',
        "no output": {k: v for k, v in valid.items() if k != "output"},
        "no inputs": {k: v for k, v in valid.items() if k != "inputs"},
        "no outputs": {k: v for k, v in valid.items() if k != "outputs"},
        "output not text": {**valid, "output": ["plan-tree.children"]},
        "unknown output": {**valid, "output": "nothing.children"},
        "outputs wrong length": {**valid, "outputs": valid["outputs"][:1]},
        "outputs not a list": {**valid, "outputs": {"id": "plan-tree", "property": "children"}},
        "outputs of another callback": {**valid, "outputs": [{"id": "x", "property": "children"}] * 3},
        "inputs wrong length": {**valid, "inputs": valid["inputs"][:2]},
        "inputs not a list": {**valid, "inputs": {"a": 1}},
        "input of another component": {**valid, "inputs": [{"id": "user-pick", "property": "value", "value": "1"}]
                                       + valid["inputs"][1:]},
        "input without property": {**valid, "inputs": [{"id": "plan-axis", "value": "A1"}] + valid["inputs"][1:]},
        "input entry a list": {**valid, "inputs": [[{"id": "plan-axis", "property": "value"}]] + valid["inputs"][1:]},
        "state null": {**valid, "state": None},
        "state where none": {**valid, "state": [{"id": "plan-axis", "property": "value", "value": "A1"}]},
        "changedPropIds null": {**valid, "changedPropIds": None},
        "changedPropIds dict": {**valid, "changedPropIds": [{"a": 1}]},
        "changedPropIds unknown": {**valid, "changedPropIds": ["user-save.n_clicks"]},
        "changedPropIds bad JSON id": {**valid, "changedPropIds": ["{bad.n_clicks"]},
        "changedPropIds JSON list id": {**valid, "changedPropIds": ["[1].n_clicks"]},
        "review MATCH values differ": _mismatched_match(review),
        "review ids as strings": {**payload(review), "inputs": [
            {"id": spec["id"], "property": spec["property"], "value": 1} for spec in review["inputs"]]},
    }
    for name, body in bodies.items():
        response = recorder.post_json(client, name, body)
        assert response.status_code == 400, (name, response.status_code, response.data[:200])
    # Browser-only callbacks: the server has nothing to run.
    clientside = [d for d in deps if d.get("clientside_function")]
    assert clientside
    for dep in clientside:
        response = recorder.post_json(client, f"clientside {dep['output'][:60]}", payload(dep))
        assert response.status_code == 400, (dep["output"], response.status_code)
    # Not JSON at all, and no CSRF token.
    response = recorder.send(client.client, "form body", path=UPDATE, data={"output": "x"},
                             headers={"X-CSRFToken": client.csrf_token()})
    assert response.status_code == 400
    response = recorder.send(client.client, "no CSRF token", path=UPDATE, data=json.dumps(valid),
                             content_type="application/json")
    assert response.status_code == 400
    print("\n" + recorder.report("malformed bodies", started))
    assert not recorder.failures, "\n\n".join(recorder.failures)


def _mismatched_match(review: dict) -> dict:
    body = payload(review)
    body["state"][0]["id"] = {**body["state"][0]["id"], "id": 2}
    return body


def test_a_forged_value_gets_a_short_refusal_before_the_callback_runs(hostile_app, clients):
    client = clients["focal_mj"]
    plan = next(d for d in client.dependencies if "plan-tree" in d["output"])
    for value, reason in ((2**63, "inputs[4].value: integer out of range"),
                          (["2024"], "plan-year.value: Input should be a valid string"),
                          ("2024\x00", "inputs[4].value: text holds a NUL character")):
        response = client.client.post(UPDATE, data=json.dumps(payload(plan, "inputs", 4, value)),
                                      content_type="application/json", headers={"X-CSRFToken": client.csrf_token()})
        assert response.status_code == 400
        assert response.get_json()["reason"] == reason
        assert response.get_json()["error"]
    # The same request with a valid value runs.
    response = client.client.post(UPDATE, data=json.dumps(payload(plan, "inputs", 4, "2024")),
                                  content_type="application/json", headers={"X-CSRFToken": client.csrf_token()})
    assert response.status_code == 200 and "plan-tree" in response.get_json()["response"]


PAGE_VALUES = ["99999999999999999999", "x", "", "-1", "²", "2024-13-45", "%00", "é", "x" * 900]


def _pages() -> list[tuple[str, list[str]]]:
    """(path or template, the query parameters its layout reads) of every registered page."""
    pages = []
    for page in dash.page_registry.values():
        layout = page["layout"]
        names = [p.name for p in inspect.signature(layout).parameters.values()
                 if p.kind is p.POSITIONAL_OR_KEYWORD] if callable(layout) else []
        if any(p.kind is p.VAR_KEYWORD and p.name == "query" for p in inspect.signature(layout).parameters.values()):
            names += ["actor", "object", "action", "from", "to"]
        pages.append((page.get("path_template") or page["path"], names))
    return pages


def test_every_page_handles_hostile_paths_and_queries(hostile_app, clients):
    started = time.perf_counter()
    recorder = Recorder(hostile_app)
    for role in ("anonymous", "focal_mj"):
        client = clients[role]
        dep = client.dependency("_pages_content.children")
        for template, names in _pages():
            variables = [part for part in template.strip("/").split("/") if part.startswith("<")]
            paths = ([template.replace(variables[0], quote(v, safe="%")) for v in PAGE_VALUES]
                     if variables else [template])
            for path in paths:
                body = payload(dep)
                body["inputs"][0]["value"] = path
                recorder.post_json(client, f"{role} page {path[:80]}", body)
            base = template.replace(variables[0], "x") if variables else template
            for value in PAGE_VALUES if names else PAGE_VALUES[:2]:
                search = "?" + "&".join(f"{name}={quote(value)}" for name in names + ["lang"])
                body = payload(dep)
                body["inputs"][0]["value"], body["inputs"][1]["value"] = base, search
                recorder.post_json(client, f"{role} page {base}{search[:80]}", body)
    print("\n" + recorder.report("pages", started))
    assert not recorder.failures, f"{len(recorder.failures)} server errors:\n" + "\n\n".join(recorder.failures[:40])


GET_ROUTES = [
    "/healthz", "/nowhere", "/measures/" + "x" * 3000, "/measures/%00", "/indicators/%FF", "/plan?year=" + "9" * 30,
    "/evidence/99999999999999999999", "/evidence/-1", "/evidence/0", "/evidence/abc", "/evidence/1.5",
    "/evidence/%00", "/evidence/" + "9" * 5000,
    "/admin/audit.csv", "/admin/audit.csv?from=x&to=2026-13-45", "/admin/audit.csv?from=99999999-01-01",
    "/admin/audit.csv?from=%00&actor=%00&object=%00&action=%00", "/admin/audit.csv?actor=" + "x" * 100_000,
    "/admin/audit.csv?from=2026-01-01&from=2026-02-01", "/admin/audit.csv?object=measure:%FF",
    "/statistics/export/all.csv", "/statistics/export/trends.csv?year=99999999999999999999",
    "/statistics/export/all.csv?year=%00&publisher=%00&series=%00", "/statistics/export/x.csv",
    "/statistics/export/%00.csv", "/statistics/export/all.csv?year=-1&year=2&publisher=" + "x" * 10_000,
    "/statistics/export/breakdowns.csv?series=victims_identified&year=1e308",
    "/_dash-layout", "/_dash-dependencies", "/_dash-component-suites/dash/nothing.js",
    "/_dash-component-suites/%00/x.js", "/assets/../../etc/passwd", "/assets/%00",
    "/?lang=%00", "/?lang=" + "x" * 10_000, "/login?next=%00", "/login?next=//evil.example",
]


def test_routes_outside_callbacks_never_fail(hostile_app, clients):
    started = time.perf_counter()
    recorder = Recorder(hostile_app)
    for role in ("anonymous", "focal_mj"):
        client = clients[role]
        for path in GET_ROUTES:
            recorder.send(client.client, f"{role} GET {path[:100]}", method="get", path=path)
        # POSTs outside Dash, with the token
        for path in ("/logout", "/healthz", "/evidence/1", "/admin/audit.csv"):
            recorder.send(client.client, f"{role} POST {path}", path=path, data={"csrf_token": client.csrf_token()})
    print("\n" + recorder.report("routes", started))
    assert not recorder.failures, f"{len(recorder.failures)} server errors:\n" + "\n\n".join(recorder.failures)
