"""The open data package's files, beside the ``/data`` page.

``/data/datapackage.json`` (the Frictionless descriptor, its resources addressed on this
server), ``/data/<resource>.csv`` and ``/data/datapackage.zip`` (descriptor and CSV files),
in the language of ``lang``. ``/data/`` leads to the page.

Everyone gets the public view, signed in or not (``publishing.datasets`` builds it with
``PUBLIC``), so the files are cacheable by anyone: ``Cache-Control: public`` with an ETag made
of the data's version and what else shapes the files; a client that has them gets a 304
without anything being built.
"""
from __future__ import annotations

import hashlib

from flask import Blueprint, Flask, Response, abort, redirect, request
from sqlalchemy.exc import SQLAlchemyError

from dashboard.cache import code_version
from dashboard.config import LANGUAGES
from dashboard.db import data_version
from dashboard.publishing import datapackage
from dashboard.publishing.datasets import DATASET_NAMES, OpenData, open_data
from dashboard.web.context import request_context
from dashboard.web.settings import small_cell_threshold

open_data_routes = Blueprint("open_data", __name__)

ZIP = "application/zip"
CACHE_CONTROL = "public, no-cache"  # kept, and checked with the ETag at each use


class PublicFile(Response):
    """A file any cache may keep and hand to anyone: it carries no cookie of its reader (the
    session's, the CSRF token's or the language's, which other hooks would add)."""

    def set_cookie(self, *_args, **_kwargs) -> None:
        return None

    def delete_cookie(self, *_args, **_kwargs) -> None:
        return None


def init_app(app: Flask) -> None:
    app.register_blueprint(open_data_routes)
    # Not a "/data/" rule: Flask would then redirect "/data" (the page) to it.
    app.before_request(_folder_to_page)


def _folder_to_page() -> Response | None:
    """``/data/`` is the page ``/data``, in the language asked for."""
    if request.path != "/data/" or request.method not in ("GET", "HEAD"):
        return None
    lang = request.args.get("lang")
    return redirect("/data" + (f"?lang={lang}" if lang in LANGUAGES else ""), code=301)


@open_data_routes.get("/data/datapackage.json")
def package_descriptor() -> Response:
    base = request.url_root.rstrip("/") + "/data"
    return _respond("descriptor " + base, "application/json",
                    lambda data: datapackage.descriptor_json(data, base), None)


@open_data_routes.get("/data/datapackage.zip")
def package_zip() -> Response:
    return _respond("zip", ZIP, datapackage.package_zip, "datapackage.zip")


@open_data_routes.get("/data/<name>.csv")
def resource_csv(name: str) -> Response:
    if name not in DATASET_NAMES:
        abort(404)

    def body(data: OpenData) -> bytes:
        dataset = data.dataset(name)
        if dataset is None:
            abort(404)
        return datapackage.dataset_csv(dataset)

    return _respond(f"csv {name}", "text/csv", body, f"{name}.csv")


def _respond(part: str, mimetype: str, build, filename: str | None) -> Response:
    ctx = request_context()
    threshold = small_cell_threshold()
    etag = _etag(ctx, threshold, part)
    headers = {"Cache-Control": CACHE_CONTROL}
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if etag and _client_has(etag):
        response = PublicFile(status=304, headers=headers)
    else:
        data = open_data(ctx.session, ctx.lang, ctx.as_of, ctx.freshness_days, threshold)
        response = PublicFile(build(data), mimetype=mimetype, headers=headers)
        if mimetype == "text/csv":
            response.charset = "utf-8"
    if etag:
        response.set_etag(etag)
    if "lang" not in request.args:
        # The language then comes from the cookie.
        response.vary.add("Cookie")
    return response


def _client_has(etag: str) -> bool:
    # The compressed body's tag carries the encoding (":br", ":gzip"), added on the way out.
    return any(tag.partition(":")[0] == etag for tag in request.if_none_match.as_set())


def _etag(ctx, threshold: int, part: str) -> str | None:
    try:
        version = data_version(ctx.session)
    except SQLAlchemyError:
        ctx.session.rollback()
        return None
    raw = repr((code_version(), version, ctx.lang, ctx.as_of.isoformat(), ctx.freshness_days, threshold, part))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]
