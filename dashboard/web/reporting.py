"""A focal point's reporting files outside Dash: ``/my/template.xlsx``, the workbook of their
body to fill in (the upload and its preview are the ``/my/import`` page)."""
from __future__ import annotations

from flask import Blueprint, Flask, Response

from dashboard.errors import Forbidden
from dashboard.web.auth import refusal_page
from dashboard.web.context import request_context
from dashboard.workflow import evidence, templates

reporting = Blueprint("reporting", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(reporting)


@reporting.get("/my/template.xlsx")
def reporting_template() -> Response:
    """The signed-in focal point's reporting workbook, in their language, as of today."""
    ctx = request_context()
    try:
        template = templates.reporting_template(ctx.session, ctx.actor, ctx.lang, ctx.as_of)
    except Forbidden:
        return refusal_page(403 if ctx.actor.is_authenticated else 401)
    return Response(template.content, mimetype=evidence.FILE_TYPES["xlsx"].content_type, headers={
        "Content-Disposition": f'attachment; filename="{template.filename}"',
        "Cache-Control": "private, no-store",
    })
