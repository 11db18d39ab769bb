"""``python -m dashboard loadtest``: a real visitor's page loads, played against a running server.

A page load is what the browser asks for once its scripts are cached: the document
(``/?lang=ar``), ``/_dash-layout``, ``/_dash-dependencies``, then the callbacks the Dash
renderer fires on load, over ``POST /_dash-update-component``: the pages router
(``_pages_location`` sets its pathname and search when it mounts), then every server
callback the new page content starts, following chains as the renderer does:

- a callback with an output in a new chunk of layout runs, unless ``prevent_initial_call``;
- a callback with an input in the new chunk and an output outside it runs (an input changed);
- a callback whose input a response just set runs (an input changed);
- a callback runs only if the layout holds every input that is not a pattern (``ALL``).

Clientside callbacks run in the browser: they make no request. A callback with a ``MATCH``
pattern is not played (the page's notes say so).

Static files (Dash's scripts, ``/assets``) are left out: a browser caches them after its
first visit. Everything is discovered from the live server's own answers, once per page
(``discover``), then replayed: each connection is one visitor with its own cookie jar, which
sends the ``_csrf_token`` cookie back as the ``X-CSRFToken`` header, as the renderer does.

The client is the standard library's asyncio streams speaking HTTP/1.1 keep-alive, with the
headers a browser sends (``Accept-Encoding: gzip, deflate, br``); ``--plain-url`` runs the
same load against a plain Dash page (``dashboard.devtools.plain_dash``) for comparison, and
shows what the generator can do. Any non-2xx answer or connection error is counted and
printed, and makes the exit code 1.
"""
from __future__ import annotations

import asyncio
import gzip
import json
import math
import re
import ssl
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

try:  # the server may answer in brotli when asked (the browser asks): decode it to discover
    import brotli
except ImportError:  # pragma: no cover - brotli is a dependency of the dashboard
    brotli = None

DEFAULT_URL = "http://127.0.0.1:8050"
DEFAULT_PAGES = ("/", "/plan", "/indicators", "/statistics")
UPDATE_PATH = "_dash-update-component"
REQUEST_TIMEOUT = 60.0
MAX_WAVES = 12
ACCEPT_ENCODING = "gzip, deflate, br" if brotli else "gzip, deflate"
USER_AGENT = "dashboard-loadtest/1 (python asyncio)"
DASH_CONFIG = re.compile(r'<script id="_dash-config" type="application/json">(.*?)</script>', re.S)
# Dash signs a token per document (config "end_id"); the renderer adds it to every callback URL.
END_ID = re.compile(r'"end_id":\s*"([^"]+)"')
LOCATION_PROPS = ("pathname", "search", "href", "hash")
STATIC_NOTE = ("static JS/CSS files are left out of a page load: a browser caches them after "
               "its first visit")


class LoadTestError(Exception):
    """The server could not be probed (refused, not found, not a Dash app)."""


# --------------------------------------------------------------------------------------
# HTTP/1.1 keep-alive over asyncio streams, one cookie jar per connection


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def text(self) -> str:
        encoding = self.headers.get("content-encoding", "").strip().lower()
        data = self.body
        if encoding == "gzip":
            data = gzip.decompress(data)
        elif encoding == "deflate":
            data = zlib.decompress(data)
        elif encoding == "br" and brotli is not None:
            data = brotli.decompress(data)
        return data.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.text())


class Connection:
    """One visitor: a keep-alive connection and its cookies."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise LoadTestError(f"not an http(s) URL: {base_url!r}")
        self.host = parts.hostname
        self.tls = parts.scheme == "https"
        self.port = parts.port or (443 if self.tls else 80)
        self.host_header = parts.netloc.rpartition("@")[2]
        self.prefix = parts.path.rstrip("/")
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> None:
        context = ssl.create_default_context() if self.tls else None
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port, ssl=context)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes | None = None,
                      headers: Iterable[tuple[str, str]] = ()) -> Response:
        """Send one request on the kept-alive connection (reconnecting once if the server
        had closed it while idle); the cookies it sets go to the jar."""
        fresh = self.writer is None
        if fresh:
            await self._connect()
        try:
            return await self._exchange(method, path, body, headers)
        except (ConnectionError, asyncio.IncompleteReadError):
            self.close()
            if fresh:
                raise
            await self._connect()
            return await self._exchange(method, path, body, headers)

    async def _exchange(self, method, path, body, headers) -> Response:
        lines = [f"{method} {self.prefix}{path} HTTP/1.1", f"Host: {self.host_header}",
                 f"User-Agent: {USER_AGENT}", f"Accept-Encoding: {ACCEPT_ENCODING}"]
        lines += [f"{name}: {value}" for name, value in headers]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b""))
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head[:-4].decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        found: dict[str, str] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                self._keep_cookie(value)
            else:
                found[name] = value
        if "content-length" in found:
            data = await self.reader.readexactly(int(found["content-length"]))
        elif found.get("transfer-encoding", "").lower() == "chunked":
            data = await self._chunked()
        elif status in (204, 304) or method == "HEAD":
            data = b""
        else:
            data = await self.reader.read()
            found["connection"] = "close"
        if found.get("connection", "").lower() == "close":
            self.close()
        return Response(status, found, data)

    async def _chunked(self) -> bytes:
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while (await self.reader.readuntil(b"\r\n")) != b"\r\n":
                    pass
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    def _keep_cookie(self, header: str) -> None:
        pair, _, attributes = header.partition(";")
        name, _, value = pair.strip().partition("=")
        if re.search(r"(?i)max-age=0\b", attributes) or (value == "" and "expires" in attributes.lower()):
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value


# --------------------------------------------------------------------------------------
# What the renderer does on a page load, found from the server's answers


@dataclass(frozen=True)
class Step:
    kind: str  # "document", "layout", "dependencies", "callback <outputs>"
    method: str
    path: str
    body: bytes | None = None

    @property
    def is_callback(self) -> bool:
        return self.body is not None


@dataclass
class PagePlan:
    page: str
    steps: list[Step]
    csrf: tuple[str, str] = ("_csrf_token", "X-CSRFToken")  # the cookie, the header
    end_id: bool = False  # whether each document hands out an end_id for the callbacks' URLs
    notes: list[str] = field(default_factory=list)


@dataclass
class Callback:
    output: str
    outputs: list[tuple[Any, str]]  # (component id, property); an id is text or a dict pattern
    inputs: list[dict]
    state: list[dict]
    prevent_initial_call: bool
    clientside: bool

    @classmethod
    def from_dependency(cls, dep: dict) -> Callback:
        text = dep["output"]
        parts = text[2:-2].split("...") if text.startswith("..") else [text]
        outputs = []
        for part in parts:
            if not part:
                continue
            component, prop = part.rsplit(".", 1)
            outputs.append((_parse_id(component), prop.split("@")[0]))
        return cls(
            output=text, outputs=outputs,
            inputs=[dict(i, id=_parse_id(i["id"])) for i in dep.get("inputs", [])],
            state=[dict(s, id=_parse_id(s["id"])) for s in dep.get("state", [])],
            prevent_initial_call=bool(dep.get("prevent_initial_call")),
            clientside=bool(dep.get("clientside_function")),
        )

    @property
    def label(self) -> str:
        return "callback " + ", ".join(f"{_show_id(c)}.{p}" for c, p in self.outputs)

    @property
    def has_match(self) -> bool:
        specs = [c for c, _ in self.outputs] + [i["id"] for i in self.inputs + self.state]
        return any(isinstance(c, dict) and any(v in (["MATCH"], ["ALLSMALLER"]) for v in c.values())
                   for c in specs)


def _parse_id(text: str) -> Any:
    return json.loads(text) if text.startswith("{") else text


def _show_id(component: Any) -> str:
    return component if isinstance(component, str) else json.dumps(component, separators=(",", ":"))


def _matches(pattern: Any, component: Any) -> bool:
    if isinstance(pattern, str) or isinstance(component, str):
        return pattern == component
    return pattern.keys() == component.keys() and all(
        isinstance(want, list) or want == component[key] for key, want in pattern.items())


def _components(tree: Any) -> Iterable[dict]:
    """Every serialized component in a tree, depth first."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and "type" in node:
                yield node
                stack.extend(reversed(list(props.values())))
            else:
                stack.extend(reversed(list(node.values())))


def _ids(tree: Any) -> list[Any]:
    return [node["props"]["id"] for node in _components(tree) if "id" in node["props"]]


class Layout:
    """The renderer's view of the page: the components by id, props updated by callbacks."""

    def __init__(self, root: Any):
        self.root = root
        self.index()

    def index(self) -> None:
        self.props: dict[str, dict] = {}
        self.patterned: list[tuple[dict, dict]] = []
        for node in _components(self.root):
            component = node["props"].get("id")
            if isinstance(component, str):
                self.props.setdefault(component, node["props"])
            elif isinstance(component, dict):
                self.patterned.append((component, node["props"]))

    def find(self, pattern: Any) -> list[tuple[Any, dict]]:
        if isinstance(pattern, str):
            return [(pattern, self.props[pattern])] if pattern in self.props else []
        return [(c, p) for c, p in self.patterned if _matches(pattern, c)]

    def holds(self, item: dict) -> bool:
        """Whether the renderer can fill this input or state: a pattern (ALL) always can."""
        return isinstance(item["id"], dict) or item["id"] in self.props

    def values(self, items: list[dict]) -> list:
        filled = []
        for item in items:
            entries = []
            for component, props in self.find(item["id"]):
                entry = {"id": component, "property": item["property"]}
                if item["property"] in props:  # the renderer leaves out an unset prop
                    entry["value"] = props[item["property"]]
                entries.append(entry)
            filled.append(entries if isinstance(item["id"], dict) else entries[0])
        return filled


def _payload(callback: Callback, layout: Layout, changed: list[str]) -> bytes:
    outputs = []
    for component, prop in callback.outputs:
        found = [{"id": c, "property": prop} for c, _ in layout.find(component)]
        outputs.append(found if isinstance(component, dict) else {"id": component, "property": prop})
    body: dict[str, Any] = {
        "output": callback.output,
        "outputs": outputs if callback.output.startswith("..") else outputs[0],
        "inputs": layout.values(callback.inputs),
        "changedPropIds": changed,
        "parsedChangedPropsIds": changed,
    }
    if callback.state:
        body["state"] = layout.values(callback.state)
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _callbacks_for_chunk(callbacks: list[Callback], chunk_ids: list[Any]) -> list[Callback]:
    """The callbacks a new chunk of layout starts (the renderer's getLayoutCallbacks): by an
    output inside it (unless prevent_initial_call), or by an input inside it when an output
    is outside (that input changed)."""
    found = []
    for cb in callbacks:
        output_inside = [any(_matches(c, i) for i in chunk_ids) for c, _ in cb.outputs]
        by_output = any(output_inside) and not cb.prevent_initial_call
        by_input = not all(output_inside) and any(_matches(item["id"], i) for item in cb.inputs for i in chunk_ids)
        if by_output or by_input:
            found.append(cb)
    return found


def _end_id_query(response: Response) -> str:
    match = END_ID.search(response.text())
    return f"?endId={quote(match.group(1), safe='~')}" if match else ""


def _page_path(page: str, lang: str | None) -> str:
    if not page.startswith("/"):
        page = "/" + page
    if lang and "lang=" not in page:
        page += ("&" if "?" in page else "?") + f"lang={lang}"
    return page


def _headers_for(conn: Connection, csrf: tuple[str, str]) -> list[tuple[str, str]]:
    headers = [("Accept", "application/json"), ("Content-Type", "application/json")]
    token = conn.cookies.get(csrf[0])
    if token:
        headers.append((csrf[1], token))
    return headers


async def discover(base_url: str, page: str) -> PagePlan:
    """Load ``page`` once as the renderer does and return the requests it made."""
    conn = Connection(base_url)
    try:
        return await _discover(conn, page)
    except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
        raise LoadTestError(f"{base_url}{page}: {type(exc).__name__}: {exc}") from exc
    finally:
        conn.close()


async def _get_ok(conn: Connection, path: str, accept: str) -> Response:
    response = await conn.request("GET", path, headers=[("Accept", accept)])
    if not 200 <= response.status < 300:
        raise LoadTestError(f"GET {conn.prefix}{path} answered {response.status}")
    return response


async def _discover(conn: Connection, page: str) -> PagePlan:
    await conn.request("GET", page, headers=[("Accept", "text/html")])  # the visitor's cookies
    document = await _get_ok(conn, page, "text/html")
    html = document.text()
    match = DASH_CONFIG.search(html)
    if not match:
        raise LoadTestError(f"GET {page}: not a Dash page (no _dash-config)")
    config = json.loads(match.group(1))
    base = config.get("requests_pathname_prefix") or "/"
    csrf = (config.get("csrf_token_name") or "_csrf_token", config.get("csrf_header_name") or "X-CSRFToken")
    steps = [Step("document", "GET", page), Step("layout", "GET", base + "_dash-layout"),
             Step("dependencies", "GET", base + "_dash-dependencies")]
    layout = Layout((await _get_ok(conn, steps[1].path, "application/json")).json())
    callbacks = [Callback.from_dependency(d)
                 for d in (await _get_ok(conn, steps[2].path, "application/json")).json()]
    plan = PagePlan(page, steps, csrf, end_id=bool(config.get("end_id")))
    update = base + UPDATE_PATH
    update_url = update + _end_id_query(document)
    pathname, query = urlsplit(page).path, urlsplit(page).query
    location = {"pathname": pathname, "search": f"?{query}" if query else "",
                "href": conn.prefix + page, "hash": ""}

    # The first wave: callbacks found in the shell by output (the initial call), and those
    # whose input is a dcc.Location's prop, which it sets when it mounts.
    wave: dict[str, tuple[Callback, list[str]]] = {}
    shell_ids = _ids(layout.root)
    for cb in callbacks:
        if not cb.prevent_initial_call and any(_matches(c, i) for c, _ in cb.outputs for i in shell_ids):
            _add(wave, cb, [])
    for node in _components(layout.root):
        if node.get("type") == "Location" and isinstance(node["props"].get("id"), str):
            node_id = node["props"]["id"]
            node["props"].update(location)
            changed = [f"{node_id}.{p}" for p in LOCATION_PROPS]
            for cb in callbacks:
                hits = [f"{node_id}.{i['property']}" for i in cb.inputs
                        if i["id"] == node_id and f"{node_id}.{i['property']}" in changed]
                if hits:
                    _add(wave, cb, hits)

    for _ in range(MAX_WAVES):
        if not wave:
            break
        next_wave: dict[str, tuple[Callback, list[str]]] = {}
        for cb, changed in wave.values():
            if cb.clientside:
                continue
            if cb.has_match:
                plan.notes.append(f"not played (MATCH/ALLSMALLER pattern): {cb.label}")
                continue
            if not all(layout.holds(item) for item in cb.inputs + cb.state):
                continue
            body = _payload(cb, layout, changed)
            response = await conn.request("POST", update_url, body, _headers_for(conn, csrf))
            steps.append(Step(cb.label, "POST", update, body))
            if response.status == 204:
                continue
            if not 200 <= response.status < 300:
                raise LoadTestError(f"{cb.label} on {page} answered {response.status}: {response.text()[:300]}")
            for component, props in response.json().get("response", {}).items():
                target = _parse_id(component) if component.startswith("{") else component
                for prop, value in props.items():
                    _apply(layout, callbacks, target, prop, value, next_wave)
        wave = next_wave
    if wave:
        plan.notes.append(f"stopped following callbacks after {MAX_WAVES} waves")
    return plan


def _add(wave: dict, cb: Callback, changed: list[str]) -> None:
    if cb.output in wave:
        wave[cb.output][1].extend(c for c in changed if c not in wave[cb.output][1])
    else:
        wave[cb.output] = (cb, list(changed))


def _apply(layout: Layout, callbacks: list[Callback], component: Any, prop: str, value: Any,
           next_wave: dict) -> None:
    """Set a prop from a callback's answer; queue what that starts."""
    for _found_id, props in layout.find(component):
        props[prop] = value
    layout.index()
    key = f"{_show_id(component)}.{prop}"
    for cb in callbacks:
        if any(_matches(item["id"], component) and item["property"] == prop for item in cb.inputs):
            _add(next_wave, cb, [key])
    if any(isinstance(node, dict) and "props" in node for node in _components(value)):
        for cb in _callbacks_for_chunk(callbacks, _ids(value)):
            _add(next_wave, cb, [])


# --------------------------------------------------------------------------------------
# The load


@dataclass
class PageStats:
    loads: int = 0
    requests: int = 0
    load_ms: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)


@dataclass
class RunResult:
    url: str
    elapsed: float
    cpu: float
    pages: dict[str, PageStats]
    plans: dict[str, PagePlan]
    error_samples: list[str]

    @property
    def loads(self) -> int:
        return sum(s.loads for s in self.pages.values())

    @property
    def requests(self) -> int:
        return sum(s.requests for s in self.pages.values())

    @property
    def errors(self) -> int:
        return sum(sum(s.errors.values()) for s in self.pages.values())


async def _visitor(number: int, base_url: str, plans: list[PagePlan], stats: dict[str, PageStats],
                   stop: dict, samples: list[str]) -> None:
    conn = Connection(base_url)
    position = number % len(plans)
    json_headers = [("Accept", "application/json"), ("Content-Type", "application/json")]
    try:
        try:  # a first visit for the cookies, not counted
            await conn.request("GET", plans[position].steps[0].path, headers=[("Accept", "text/html")])
        except (OSError, asyncio.IncompleteReadError):
            conn.close()
        while _another(stop):
            plan = plans[position]
            csrf = plan.csrf
            position = (position + 1) % len(plans)
            page = stats[plan.page]
            started = time.perf_counter()
            failed = False
            query = ""
            for step in plan.steps:
                path = step.path
                if step.is_callback:
                    token = conn.cookies.get(csrf[0])
                    headers = json_headers + [(csrf[1], token)] if token else json_headers
                    path += query
                else:
                    headers = [("Accept", "text/html" if step.kind == "document" else "application/json")]
                sent = time.perf_counter()
                try:
                    async with asyncio.timeout(REQUEST_TIMEOUT):
                        response = await conn.request(step.method, path, step.body, headers)
                except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
                    conn.close()
                    _error(page, step, samples, f"{step.kind} on {plan.page}: {type(exc).__name__} {exc}")
                    failed = True
                    break
                page.requests += 1
                if not 200 <= response.status < 300:
                    _error(page, step, samples, f"{step.kind} on {plan.page}: HTTP {response.status}")
                    failed = True
                    break
                page.by_kind.setdefault(step.kind, []).append((time.perf_counter() - sent) * 1000)
                if step.kind == "document" and plan.end_id:
                    query = _end_id_query(response)
            if not failed:
                page.loads += 1
                page.load_ms.append((time.perf_counter() - started) * 1000)
    finally:
        conn.close()


def _another(stop: dict) -> bool:
    """Whether to start another page load (claiming it, with ``--loads``)."""
    if "loads" in stop:
        stop["loads"] -= 1
        return stop["loads"] >= 0
    return time.perf_counter() < stop["until"]


def _error(page: PageStats, step: Step, samples: list[str], message: str) -> None:
    page.errors[step.kind] = page.errors.get(step.kind, 0) + 1
    if len(samples) < 10:
        samples.append(message)


async def play(base_url: str, pages: list[str], connections: int, duration: float | None,
               loads: int | None) -> RunResult:
    """Discover each page, then play page loads on ``connections`` visitors."""
    plans = {page: await discover(base_url, page) for page in pages}
    stats = {page: PageStats() for page in pages}
    samples: list[str] = []
    stop: dict[str, Any] = {"loads": loads} if loads else {"until": math.inf}
    cpu_start, started = time.thread_time(), time.perf_counter()  # the event loop's thread
    if not loads:
        stop["until"] = started + (duration or 20.0)
    await asyncio.gather(*(_visitor(n, base_url, list(plans.values()), stats, stop, samples)
                           for n in range(connections)))
    elapsed = time.perf_counter() - started
    return RunResult(base_url, elapsed, time.thread_time() - cpu_start, stats, plans, samples)


# --------------------------------------------------------------------------------------
# The report


def percentile(values: list[float], share: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def _row(label: str, values: list[float], width: int, extra: str = "") -> str:
    return (f"  {label:<{width}}  {len(values):>7}  {percentile(values, 0.50):>8.1f}  "
            f"{percentile(values, 0.95):>8.1f}  {percentile(values, 0.99):>8.1f}{extra}")


def report(result: RunResult, connections: int) -> str:
    lines = [f"{result.url}: {connections} connections (one visitor each), {result.elapsed:.1f} s, "
             f"{result.loads} page loads, {result.requests} requests, {result.errors} errors"]
    kinds = [k for s in result.pages.values() for k in s.by_kind] + ["page load"]
    width = max(len(k) for k in kinds)
    for page, stats in result.pages.items():
        plan = result.plans[page]
        callbacks = sum(1 for s in plan.steps if s.is_callback)
        lines.append("")
        lines.append(f"page {page}: {stats.loads / result.elapsed:.1f} page loads/s, "
                     f"{stats.requests / result.elapsed:.1f} requests/s "
                     f"({len(plan.steps)} requests a load, {callbacks} of them callbacks)")
        lines.append(f"  {'':<{width}}  {'n':>7}  {'p50 ms':>8}  {'p95 ms':>8}  {'p99 ms':>8}")
        lines.append(_row("page load", stats.load_ms, width))
        for step in plan.steps:
            values = stats.by_kind.get(step.kind, [])
            errors = stats.errors.get(step.kind, 0)
            lines.append(_row(step.kind, values, width, f"  {errors} errors" if errors else ""))
        lines += [f"  note: {note}" for note in plan.notes]
    lines.append("")
    lines.append(f"total: {result.loads / result.elapsed:.1f} page loads/s, "
                 f"{result.requests / result.elapsed:.1f} requests/s, errors {result.errors}; "
                 f"load generator CPU {result.cpu / result.elapsed:.0%} of one core"
                 + (f", ~{result.requests / result.cpu:,.0f} requests per CPU-second" if result.cpu > 0 else ""))
    lines += [f"  error: {sample}" for sample in result.error_samples]
    return "\n".join(lines)


def run(url: str = DEFAULT_URL, pages: Iterable[str] | None = None, lang: str | None = "ar",
        connections: int = 64, duration: float | None = 20.0, loads: int | None = None,
        plain_url: str | None = None, echo=print) -> int:
    """Play the load against ``url`` (and ``plain_url``); print the figures; 1 on any error."""
    page_paths = [_page_path(p, lang) for p in (pages or DEFAULT_PAGES)]
    echo(f"load test: {', '.join(page_paths)} on {url}; {STATIC_NOTE}. Callbacks are found "
         f"from the server's answers (layout, dependencies, router), once per page, then replayed.")
    targets = [(url, page_paths)]
    if plain_url:
        targets.append((plain_url, ["/"]))
    results = []
    for target, paths in targets:
        try:
            result = asyncio.run(play(target, paths, connections, duration, loads))
        except LoadTestError as exc:
            echo(f"\nerror: {exc}")
            return 1
        echo("")
        echo(report(result, connections))
        results.append(result)
    if len(results) == 2:
        main, plain = results
        echo("")
        echo(f"dashboard / plain Dash page: page loads/s "
             f"{_ratio(main.loads / main.elapsed, plain.loads / plain.elapsed)}, requests/s "
             f"{_ratio(main.requests / main.elapsed, plain.requests / plain.elapsed)}")
    return 1 if any(r.errors for r in results) else 0


def _ratio(a: float, b: float) -> str:
    return f"{a:.1f} / {b:.1f} = {a / b:.2f}" if b else f"{a:.1f} / {b:.1f}"
