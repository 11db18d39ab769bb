"""How responses travel: compression and cache lifetimes.

Library files (Dash's component suites) and ``/assets`` are the bulk of a first visit
(plotly.js alone is 4.7 MB). They change only with a deploy, so each is compressed once per
process at a high level (brotli 9, gzip 9) and kept; files whose URL carries a version
(``.v4_4_1m…`` in the name, ``?m=`` or a hash in the query) are cached by browsers for a
year, the others are revalidated with their ETag. Everything else (pages, layouts,
callback JSON) goes through flask-compress at fast levels, except a response whose body
holds the CSRF token (the signed-in frame): compressing a secret beside text a visitor can
choose would let an attacker guess it from the sizes (BREACH).
"""
from __future__ import annotations

import gzip
import re
import threading

import brotli
from flask import Flask, Request, Response, g, request
from flask_compress import Compress

STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/", "/_favicon.ico")
# Dash's fingerprint: "name.v4_4_1m1796407570.min.js".
FINGERPRINT = re.compile(r"\.v[\w-]+m\d{8,}\.")
YEAR = 31_536_000
COMPRESSIBLE = frozenset({
    "application/javascript", "text/javascript", "text/css", "application/json",
    "image/svg+xml", "text/plain", "application/x-font-ttf", "font/ttf", "image/x-icon",
    "image/vnd.microsoft.icon",
})
# What flask-compress compresses (the dynamic responses): brotli at a fast level, then gzip.
DYNAMIC_MIMETYPES = ["text/html", "application/json", "text/csv", "text/plain", "text/javascript",
                     "application/javascript", "text/css", "image/svg+xml"]

_ENCODERS = {
    "br": lambda data: brotli.compress(data, quality=9),
    "gzip": lambda data: gzip.compress(data, compresslevel=9, mtime=0),
}
_compressed: dict[tuple[str, str, str], bytes] = {}
_lock = threading.Lock()


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", DYNAMIC_MIMETYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    app.config.setdefault("COMPRESS_LEVEL", 6)
    app.config["COMPRESS_REGISTER"] = False
    compress = Compress(app)

    def deliver(response: Response) -> Response:
        if request.path.startswith(STATIC_PREFIXES):
            return _static_file(response)
        if g.get("secret_in_body"):
            response.vary.add("Accept-Encoding")
            return response
        return compress.after_request(response)

    app.after_request(deliver)


def secret_in_body() -> None:
    """Called by what writes the CSRF token into a response body: that body is sent as is."""
    g.secret_in_body = True


def is_fingerprinted(req: Request) -> bool:
    return bool(FINGERPRINT.search(req.path) or req.args.get("m") or _hash_query(req))


def _hash_query(req: Request) -> bool:
    # Bootstrap Icons' font URL carries its content hash as the whole query string.
    query = req.query_string.decode("latin-1")
    return bool(re.fullmatch(r"[0-9a-f]{16,}", query))


def choose_encoding(accept_encoding: str) -> str | None:
    offered = {}
    for part in accept_encoding.split(","):
        name, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        offered[name.strip().lower()] = quality
    for name in ("br", "gzip"):
        if offered.get(name, 0) > 0:
            return name
    return None


def compressed(key: str, etag: str, encoding: str, data: bytes) -> bytes:
    """``data`` encoded once per process for a (file, version) and kept."""
    cache_key = (key, etag, encoding)
    found = _compressed.get(cache_key)
    if found is None:
        found = _ENCODERS[encoding](data)
        with _lock:
            _compressed[cache_key] = found
    return found


def warm(app: Flask) -> None:
    """Compress every library file and linked asset now (at start-up, in the process the
    workers are forked from) rather than for the first visitor of each worker."""
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    urls = [f"/_dash-component-suites/{package}/{path}"
            for package, paths in app.extensions["dash"].registered_paths.items() for path in sorted(paths)
            if path.endswith((".js", ".css"))]
    urls += re.findall(r'(?:src|href)="(/(?:_dash-component-suites|assets)/[^"]+)"', page)
    for url in urls:
        for encoding in _ENCODERS:
            client.get(url, headers={"Accept-Encoding": encoding})


def _static_file(response: Response) -> Response:
    if request.method not in ("GET", "HEAD"):
        return response
    if response.status_code == 200 and is_fingerprinted(request):
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    elif response.status_code in (200, 304):
        response.headers["Cache-Control"] = "no-cache"
    if response.status_code != 200 or response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
    if encoding is None or "Content-Encoding" in response.headers:
        return response
    response.direct_passthrough = False
    data = response.get_data()
    # Fingerprinted files have no ETag (their URL is their version).
    etag, _weak = response.get_etag()
    tag = f"{etag}-{encoding}" if etag else None
    if tag and tag in request.if_none_match:
        return Response(status=304, headers={"ETag": f'"{tag}"', "Vary": "Accept-Encoding",
                                             "Cache-Control": response.headers["Cache-Control"]})
    # Keyed without Dash's fingerprint: a process serves one version of each library.
    response.set_data(compressed(FINGERPRINT.sub(".", request.path), etag or "", encoding, data))
    response.headers["Content-Encoding"] = encoding
    if tag:
        response.set_etag(tag)
    return response
