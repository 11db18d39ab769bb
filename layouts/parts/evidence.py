"""Evidence on the pages: the upload widget of the report forms and the list of what a
submission carries (files are links to the permission-checked ``/evidence/<id>``)."""
from __future__ import annotations

from dash import dcc, html
from flask_babel import gettext as _

from dashboard.i18n import fmt_number
from dashboard.workflow import evidence


def evidence_upload(prefix: str) -> list:
    """The files field of a form: ``<prefix>-files`` (dcc.Upload) and ``<prefix>-file-names``."""
    # Old Office formats are offered too, so that the server can say why it refuses them:
    # a file the picker filters out is dropped without a word.
    accept = ",".join(f".{extension}" for extension in (*evidence.FILE_TYPES, *evidence.LEGACY_OFFICE))
    return [
        html.Div(_("Files"), className="form-label"),
        dcc.Upload(
            id=f"{prefix}-files", multiple=True, accept=accept, max_size=evidence.BROWSER_MAX_BYTES,
            children=html.Div([html.I(className="bi bi-upload me-2", **{"aria-hidden": "true"}),
                               _("Drop files here or click to choose them")]),
            className="border border-2 rounded p-3 text-center text-body-secondary",
            style={"borderStyle": "dashed", "cursor": "pointer"},
        ),
        html.Div(_("PDF, Word, Excel or PowerPoint (.docx, .xlsx, .pptx), OpenDocument (.odt, .ods), "
                   "or PNG, JPEG or WebP images; at most %(n)d files of 10 MB each.",
                   n=evidence.MAX_FILES), className="form-text"),
        html.Div(id=f"{prefix}-file-names", className="small mt-1", **{"aria-live": "polite"}),
    ]


def file_names(names) -> html.Ul | None:
    if not names:
        return None
    names = names if isinstance(names, list) else [names]
    return html.Ul([html.Li(evidence.display_name(name)) for name in names], className="mb-0")


def size_text(size: int | None, lang: str) -> str:
    if not size:
        return ""
    if size < 1024 * 1024:
        return _("%(size)s KB", size=fmt_number(max(1, round(size / 1024)), lang))
    return _("%(size)s MB", size=fmt_number(size / (1024 * 1024), lang, 1))


def evidence_list(items: list[dict], lang: str) -> html.Ul | html.P:
    """Files (downloaded through the permission-checked /evidence/<id>) and web links."""
    if not items:
        return html.P(_("No evidence attached."), className="text-body-secondary small mb-0")
    entries = []
    for item in items:
        if item["kind"] == "file":
            entries.append(html.Li([
                html.I(className="bi bi-file-earmark me-1", **{"aria-hidden": "true"}),
                html.A(item["filename"] or _("File"), href=f"/evidence/{item['id']}"),
                html.Span(f" ({size_text(item['size'], lang)})", className="text-body-secondary")
                if item.get("size") else None,
            ]))
        else:
            entries.append(html.Li([
                html.I(className="bi bi-link-45deg me-1", **{"aria-hidden": "true"}),
                html.A(item["url"], href=item["url"], target="_blank", rel="noopener noreferrer",
                       className="text-break", dir="ltr"),
            ]))
    return html.Ul(entries, className="list-unstyled small mb-0")
