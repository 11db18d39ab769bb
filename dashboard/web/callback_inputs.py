"""One boundary for every Dash callback request: what the browser may send is checked here,
before Dash looks up the callback and before any callback code runs.

A request to ``/_dash-update-component`` is refused with 400 and a short JSON message when

- its body is not the JSON object the Dash renderer sends (``output``, ``outputs``,
  ``inputs``, ``state``, ``changedPropIds``);
- ``output`` names no server callback (unknown, or one that runs in the browser only);
- its outputs, inputs or states are not those of that callback (component ids, properties,
  pattern-matching ids and their wildcard values, the number of entries);
- any value breaks the global rules (text with NUL or invalid Unicode, integers beyond
  2^53, NaN or infinite numbers, nesting deeper than ``MAX_DEPTH``, more than
  ``MAX_NODES`` values);
- an input or state value does not fit the type declared for it: by component id in
  ``BY_ID`` (a pattern-matching id by its ``type``), else by property in ``BY_PROP``. An
  input with no declaration is refused, so a new callback must declare what it reads.

Callbacks therefore only see values of the declared types; a well-typed value that names
nothing (an unknown code, a year without data) is theirs to handle, as before.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qsl

from dash import Dash
from dash.dependencies import ALL, ALLSMALLER, MATCH, Wildcard
from flask import Flask, Response, current_app, jsonify, request
from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
)
from typing_extensions import TypedDict  # pydantic needs it before Python 3.12

from dashboard.i18n import gettext as _

# --- global rules, for every value of the body ---------------------------------------------

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
SAFE_INTEGER = 2**53  # beyond it a browser cannot hold the integer exactly
MAX_DEPTH = 24  # the body's own nesting is 5 levels; values get the rest
MAX_NODES = 50_000
MAX_MATCHES = 1_000  # components one ALL wildcard may gather
MAX_LINE = 1_000  # one-line fields and choices
MAX_TEXT = 50_000  # text areas (the services refuse more than 5,000 characters with a message)
MAX_CODE = 100
MAX_URL = 4_000
MAX_KEPT_FILE = 8 * 1024 * 1024  # a reporting file (5 MB) as a base64 data URL
MAX_UPLOADS = 100  # files in one upload field (the services refuse more than 5 with a message)


class Refused(Exception):
    """The request is not one the dashboard's pages send; ``str()`` says why, for the log."""


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "text holds a NUL character"
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return "text is not valid Unicode"
    return None


def check_json(body: Any) -> None:
    """Raise ``Refused`` at the first value of ``body`` that breaks a global rule; the
    message gives its place, e.g. ``inputs[4].value``."""
    stack: list[tuple[Any, tuple]] = [(body, ())]
    nodes = 0
    while stack:
        value, place = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise Refused(f"more than {MAX_NODES} values")
        if len(place) >= MAX_DEPTH:
            raise Refused(f"{_place(place)}: nested deeper than {MAX_DEPTH} levels")
        problem = None
        if isinstance(value, str):
            problem = _text_problem(value)
        elif value is None or isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if not -SAFE_INTEGER <= value <= SAFE_INTEGER:
                problem = "integer out of range"
        elif isinstance(value, float):
            if not math.isfinite(value) or abs(value) > SAFE_INTEGER:
                problem = "number out of range"
        elif isinstance(value, list):
            stack.extend((item, (*place, i)) for i, item in enumerate(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                problem = problem or _text_problem(key)
                stack.append((item, (*place, key)))
        else:  # json.loads makes nothing else
            problem = f"unexpected {type(value).__name__}"
        if problem:
            raise Refused(f"{_place(place)}: {problem}")


def _place(place: tuple) -> str:
    """``("inputs", 4, "value")`` as ``inputs[4].value``."""
    text = ""
    for part in place:
        text += f"[{part}]" if isinstance(part, int) else f".{str(part)[:40]}"
    return text.lstrip(".") or "body"


# --- the types values are declared with --------------------------------------------------------

def _no_controls(text: str) -> str:
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise ValueError("control character")
    return text


def _plain_query(search: str) -> str:
    """A query string as Dash's router passes it to the page's layout: each key once (a
    repeated key would reach the layout as a list), short values without control characters."""
    if not search:
        return search
    if not search.startswith("?"):
        raise ValueError("a query string starts with '?'")
    pairs = parse_qsl(search[1:], keep_blank_values=True, max_num_fields=50)
    keys = [key for key, _value in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("repeated query parameter")
    for key, value in pairs:
        if len(key) > MAX_CODE or len(value) > MAX_LINE:
            raise ValueError("query parameter too long")
        _no_controls(key + value)
    return search


Int32 = Annotated[StrictInt, Field(ge=INT32_MIN, le=INT32_MAX)]
Count = Annotated[StrictInt, Field(ge=0, le=INT32_MAX)]
Number = Int32 | Annotated[StrictFloat, Field(ge=INT32_MIN, le=INT32_MAX, allow_inf_nan=False)]
Code = Annotated[StrictStr, Field(max_length=MAX_CODE)]
Line = Annotated[StrictStr, Field(max_length=MAX_LINE)]
Text = Annotated[StrictStr, Field(max_length=MAX_TEXT)]
Url = Annotated[StrictStr, Field(max_length=MAX_URL)]
YearChoice = Annotated[StrictStr, Field(pattern=r"^([0-9]{4})?$")]  # a year select: "2024" or "" (all)
Day = Annotated[StrictStr, Field(max_length=40, pattern=r"^([0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9:.]*)?)?$")]
Pathname = Annotated[StrictStr, Field(max_length=2_000, pattern="^/"), AfterValidator(_no_controls)]
Search = Annotated[StrictStr, Field(max_length=MAX_URL), AfterValidator(_plain_query)]
# Any JSON value (the global rules bound it), for shapes sent by third-party components.
Json = Any


class Versioned(TypedDict):
    """A store that names the record a form edits: ``{"id": 12, "version": 3}``."""
    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]
    id: Int32
    version: Int32


class KeptFile(TypedDict):
    """``import-file``: the reporting file read for the preview, sent back to confirm it."""
    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]
    filename: Line
    contents: Annotated[StrictStr, Field(max_length=MAX_KEPT_FILE)]


class PickedAccount(TypedDict):
    """``user-selected``: the account picked on /admin/users (layouts.parts.admin.selected_state)."""
    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]
    id: Int32
    version: Int32
    is_active: StrictBool


class ClickData(TypedDict, total=False):
    """What a plotly graph sends on a click: ``{"points": [{...}, ...]}``."""
    points: Annotated[list[dict[str, Json]], Field(max_length=MAX_MATCHES)]


UploadTime = Annotated[StrictInt, Field(ge=0, le=SAFE_INTEGER)]  # milliseconds since 1970

# Defaults by property, for every component; ``None`` is what the renderer sends for a
# property that is not set. "data" (a dcc.Store) has no default: each store is in BY_ID.
BY_PROP: dict[str, Any] = {
    "n_clicks": Count | None,
    "n_submit": Count | None,
    "n_blur": Count | None,
    "value": Line | None,  # selects, one-line inputs; text areas and other kinds are in BY_ID
    "date": Day | None,  # dcc.DatePickerSingle
    "pathname": Pathname | None,
    "search": Search | None,
    "href": Url | None,
    # dcc.Upload: one value, or a list of them when multiple=True
    "contents": None | StrictStr | Annotated[list[StrictStr | None], Field(max_length=MAX_UPLOADS)],
    "filename": None | Line | Annotated[list[Line | None], Field(max_length=MAX_UPLOADS)],
    "last_modified": None | UploadTime | Annotated[list[UploadTime | None], Field(max_length=MAX_UPLOADS)],
    # dash-ag-grid and plotly
    "selectedRows": Annotated[list[dict[str, Json]], Field(max_length=10_000)] | None,
    # an infinite grid's page request: the services read it leniently (dashboard.paging)
    "getRowsRequest": dict[str, Json] | None,
    "clickData": ClickData | None,
}

_YEAR = YearChoice | None
_TEXT = Text | None
_NUMBER = Number | Code | None  # the text typed, where it is not a number: the service says why
_CODE = Code | None
_VERSION = Int32 | None
_EDITING = Versioned | None

# Per component id (a pattern-matching id by its "type"), where it sends something else
# than its property's default.
BY_ID: dict[tuple[str, str], Any] = {
    # Dash's router: the browser's location always has a path.
    ("_pages_location", "pathname"): Pathname,
    # year selects: their options are years as text
    ("plan-year", "value"): _YEAR,
    ("impl-year", "value"): _YEAR,
    ("activities-year", "value"): _YEAR,
    ("statistics-year", "value"): _YEAR,
    ("report-year", "value"): _YEAR,
    ("indicator-breakdown-year", "value"): _YEAR,
    ("impl-overdue", "value"): StrictBool | None,  # a switch
    # number inputs: a number, or None when empty
    ("measure-report-progress", "value"): _NUMBER,
    ("stat-entry-year", "value"): _NUMBER,
    # date inputs
    ("audit-from", "value"): Day | None,
    ("audit-to", "value"): Day | None,
    ("rollout-report-date", "value"): Day | None,
    # text areas
    ("measure-report-narrative-ar", "value"): _TEXT,
    ("measure-report-narrative-fr", "value"): _TEXT,
    ("measure-report-narrative-en", "value"): _TEXT,
    ("measure-report-links", "value"): _TEXT,
    ("indicator-entry-note", "value"): _TEXT,
    ("indicator-entry-links", "value"): _TEXT,
    ("rollout-report-note", "value"): _TEXT,
    ("stat-entry-note", "value"): _TEXT,
    ("review-reason", "value"): _TEXT,
    ("batch-reason", "value"): _TEXT,
    # the ticked rows of a reporting file: "measure_update:12:3" (the service reads them leniently)
    ("batch-rows", "value"): Annotated[list[Code], Field(max_length=MAX_UPLOADS * 50)] | None,
    # stores
    ("user-selected", "data"): PickedAccount | None,
    ("login-next", "data"): Url | None,
    ("import-fingerprint", "data"): _CODE,
    ("import-file", "data"): KeptFile | None,
    ("set-password-token", "data"): Line | None,
    ("indicator-code", "data"): _CODE,
    ("indicator-entry-code", "data"): _CODE,
    ("indicator-entry-editing", "data"): _EDITING,
    ("indicator-entry-breakdown", "data"): Annotated[dict[Code, Code | None], Field(max_length=20)] | None,
    ("measure-report-code", "data"): _CODE,
    ("measure-report-base-version", "data"): _VERSION,
    ("measure-report-update", "data"): _EDITING,
    ("measure-report-pending", "data"): _EDITING,
    ("measure-report-withdraw", "submit_n_clicks"): Count | None,
    ("measure-report-remove-evidence", "value"): Annotated[list[Int32], Field(max_length=MAX_MATCHES)] | None,
    ("comment-body", "value"): _TEXT,
    ("indicator-entry-withdraw", "submit_n_clicks"): Count | None,
    ("indicator-entry-remove-evidence", "value"): Annotated[list[Int32], Field(max_length=MAX_MATCHES)] | None,
    ("rollout-report-region", "data"): _CODE,
    ("rollout-report-editing", "data"): _EDITING,
    ("rollout-report-base", "data"): _VERSION,
    ("stat-entry-editing", "data"): _EDITING,
    ("review-version", "data"): _VERSION,
    ("regions-map-codes", "data"): Annotated[list[Code], Field(max_length=MAX_MATCHES)] | None,
    # /account/tokens: a token's id and a number of days, as the selects' option values
    ("api-tokens-revoke-id", "value"): Annotated[StrictStr, Field(pattern=r"^[0-9]{1,9}$")] | None,
    ("api-tokens-days", "value"): Annotated[StrictStr, Field(pattern=r"^[0-9]{1,3}$")] | None,
    # /account/notifications: the weekly digest on or off, and the account's version
    ("account-notifications-digest", "value"): Annotated[StrictStr, Field(pattern=r"^(on|off)$")] | None,
    ("account-notifications-version", "data"): _VERSION,
}

# The values a pattern-matching id's wildcard keys may take, by key; others: a code or a number.
WILDCARD_VALUES: dict[str, Any] = {
    "id": Int32,
    "index": Int32,
    "kind": Code,
    "dimension": Code,
    "page": Int32,  # a pager's button (layouts.components.pager): -1 behind the first page
}
_WILDCARD_DEFAULT = Int32 | Code

# Built once, at import: a declaration pydantic cannot read fails at start-up.
_adapters: dict[int, TypeAdapter] = {
    id(kind): TypeAdapter(kind)
    for kind in [*BY_PROP.values(), *BY_ID.values(), *WILDCARD_VALUES.values(), _WILDCARD_DEFAULT]
}


def _adapter(kind: Any) -> TypeAdapter:
    return _adapters[id(kind)]


def _validate(kind: Any, value: Any, where: str) -> None:
    try:
        _adapter(kind).validate_python(value, strict=True)
    except ValidationError as error:
        first = error.errors(include_url=False, include_input=False)[0]
        location = "".join(f"[{part!r}]" for part in first["loc"])
        raise Refused(f"{where}{location}: {first['msg']}") from None


# --- a callback's dependencies, as declared ----------------------------------------------------

@dataclass(frozen=True)
class Dependency:
    component_id: str | dict  # a dict holds Wildcard members for its wildcard keys
    prop: str

    @property
    def many(self) -> bool:
        """ALL and ALLSMALLER gather a list of components."""
        return isinstance(self.component_id, dict) and any(
            v is ALL or v is ALLSMALLER for v in self.component_id.values())

    @property
    def key(self) -> str:
        """The name declarations use: the id, or a pattern-matching id's "type"."""
        if isinstance(self.component_id, dict):
            return str(self.component_id.get("type", ""))
        return self.component_id

    def __str__(self) -> str:
        return f"{self.key}.{self.prop}"


def _parse_id(text: str) -> str | dict:
    if not text.startswith("{"):
        return text
    return {key: Wildcard(value[0]) if isinstance(value, list) else value
            for key, value in json.loads(text).items()}


def _dependency(spec: dict) -> Dependency:
    return Dependency(_parse_id(spec["id"]), spec["property"])


@dataclass(frozen=True)
class Callback:
    outputs: tuple[Dependency, ...]
    multi_output: bool
    no_output: bool
    inputs: tuple[Dependency, ...]
    state: tuple[Dependency, ...]


def server_callback(dash_app: Dash, output: str) -> Callback | None:
    """The server callback registered under ``output`` (None: unknown, or browser-only)."""
    entry = dash_app.callback_map.get(output)
    if entry is None or "callback" not in entry:
        return None
    declared = entry["output"]
    multi = isinstance(declared, (list, tuple))
    outputs = tuple(Dependency(o.component_id, o.component_property) for o in (declared if multi else [declared]))
    return Callback(
        outputs=outputs,
        multi_output=multi,
        no_output=bool(entry.get("no_output")),
        inputs=tuple(_dependency(spec) for spec in entry["inputs"]),
        state=tuple(_dependency(spec) for spec in entry["state"]),
    )


def declaration(dependency: Dependency) -> Any:
    """The type a dependency's value is checked against (``KeyError``: undeclared)."""
    if dependency.prop == "id":
        return "id"
    if (dependency.key, dependency.prop) in BY_ID:
        return BY_ID[(dependency.key, dependency.prop)]
    return BY_PROP[dependency.prop] if dependency.prop != "data" else BY_ID[(dependency.key, "data")]


def undeclared(dash_app: Dash) -> list[str]:
    """Inputs and states of server callbacks that have no declared type (should be none)."""
    missing = []
    for output in dash_app.callback_map:
        callback = server_callback(dash_app, output)
        for dependency in (callback.inputs + callback.state) if callback else ():
            try:
                declaration(dependency)
            except KeyError:
                missing.append(str(dependency))
    return sorted(set(missing))


# --- checking one request ----------------------------------------------------------------------

def _check_id(dependency: Dependency, got: Any, matched: dict, where: str) -> None:
    want = dependency.component_id
    if isinstance(want, str):
        if got != want:
            raise Refused(f"{where}: expected the component {want!r}")
        return
    if not isinstance(got, dict) or set(got) != set(want):
        raise Refused(f"{where}: expected a pattern-matching id with the keys {sorted(want)}")
    for key, wanted in want.items():
        value = got[key]
        if isinstance(wanted, Wildcard):
            _validate(WILDCARD_VALUES.get(key, _WILDCARD_DEFAULT), value, f"{where} id[{key!r}]")
            if wanted is MATCH and matched.setdefault(key, value) != value:
                raise Refused(f"{where}: MATCH values differ between components")
        elif value != wanted or type(value) is not type(wanted):
            raise Refused(f"{where}: expected {key}={wanted!r}")


def _entries(dependency: Dependency, item: Any, where: str) -> list:
    """The entry or entries the renderer sends for one dependency."""
    if dependency.many:
        if not isinstance(item, list) or len(item) > MAX_MATCHES:
            raise Refused(f"{where}: expected a list of at most {MAX_MATCHES} components")
        return item
    return [item]


def _check_outputs(callback: Callback, outputs: Any, matched: dict) -> None:
    if callback.no_output:
        return
    if callback.multi_output:
        if not isinstance(outputs, list) or len(outputs) != len(callback.outputs):
            raise Refused(f"outputs: expected a list of {len(callback.outputs)}")
        items = outputs
    else:
        items = [outputs]
    for dependency, item in zip(callback.outputs, items):
        for entry in _entries(dependency, item, f"output {dependency}"):
            if not isinstance(entry, dict) or not isinstance(entry.get("property"), str):
                raise Refused(f"output {dependency}: expected {{id, property}}")
            if entry["property"].split("@")[0] != dependency.prop:
                raise Refused(f"output {dependency}: wrong property")
            _check_id(dependency, entry.get("id"), matched, f"output {dependency}")


def _check_values(dependencies: tuple[Dependency, ...], items: Any, matched: dict, name: str) -> list[dict]:
    """Check the entries of ``inputs`` or ``state``; returns them flat."""
    if not isinstance(items, list) or len(items) != len(dependencies):
        raise Refused(f"{name}: expected a list of {len(dependencies)}")
    flat = []
    for dependency, item in zip(dependencies, items):
        where = str(dependency)
        try:
            kind = declaration(dependency)
        except KeyError:
            raise Refused(f"{where}: no type is declared for this input") from None
        for entry in _entries(dependency, item, where):
            if not isinstance(entry, dict) or entry.get("property") != dependency.prop:
                raise Refused(f"{where}: expected {{id, property, value}}")
            _check_id(dependency, entry.get("id"), matched, where)
            value = entry.get("value")
            if kind == "id":
                if value != entry["id"]:
                    raise Refused(f"{where}: the value of 'id' is the component's id")
            else:
                _validate(kind, value, where)
            flat.append(entry)
    return flat


def _canonical(component_id: Any) -> str:
    return json.dumps(component_id, sort_keys=True) if isinstance(component_id, dict) else str(component_id)


def _check_changed(changed: Any, inputs: list[dict]) -> None:
    """``changedPropIds`` name inputs of this request ("id.prop", a dict id as JSON)."""
    if not isinstance(changed, list) or len(changed) > len(inputs):
        raise Refused("changedPropIds: expected a list of this callback's inputs")
    known = {(_canonical(e["id"]), e["property"]) for e in inputs}
    for prop_id in changed:
        if not isinstance(prop_id, str) or len(prop_id) > MAX_URL:
            raise Refused("changedPropIds: expected text")
        id_text, _dot, prop = prop_id.rpartition(".")
        component_id: Any = id_text
        if id_text.startswith("{"):
            try:
                component_id = json.loads(id_text)
            except ValueError:
                raise Refused("changedPropIds: unreadable id") from None
        if (_canonical(component_id), prop) not in known:
            raise Refused(f"changedPropIds: {prop_id[:200]!r} is not an input of this callback")


def check_body(dash_app: Dash, body: Any) -> None:
    """Raise ``Refused`` unless ``body`` is a request the dashboard's pages could send."""
    check_json(body)
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        raise Refused("expected a JSON object with 'output'")
    callback = server_callback(dash_app, body["output"])
    if callback is None:
        raise Refused("no server callback has this output")
    for key in ("outputs", "inputs"):
        if key not in body:
            raise Refused(f"'{key}' is missing")
    matched: dict = {}
    _check_outputs(callback, body["outputs"], matched)
    inputs = _check_values(callback.inputs, body["inputs"], matched, "inputs")
    state = body.get("state", [])
    if callback.state or state != []:
        _check_values(callback.state, state, matched, "state")
    _check_changed(body.get("changedPropIds", []), inputs)


def read_body() -> Any:
    """The request's JSON, parsed the way Flask parses it for Dash."""
    if not request.is_json:
        raise Refused("expected application/json")
    try:
        return json.loads(request.get_data(cache=True))
    except (ValueError, RecursionError):
        raise Refused("the body is not JSON") from None


def refusal(reason: str) -> Response:
    current_app.logger.info("callback request refused: %s", reason)
    response = jsonify(error=_("The request was refused: it does not match what the page sends."),
                       reason=reason)
    response.status_code = 400
    return response


def init_app(server: Flask, dash_app: Dash) -> None:
    """Check every callback request before Dash dispatches it (after the CSRF check, which
    Flask-WTF's hook, registered earlier, makes first)."""
    path = dash_app.config.routes_pathname_prefix + "_dash-update-component"

    def check_callback_request() -> Response | None:
        if request.method != "POST" or request.path != path:
            return None
        try:
            check_body(dash_app, read_body())
        except Refused as refused:
            return refusal(str(refused))
        return None

    server.before_request(check_callback_request)
