"""/my/import: a dropped file is previewed (nothing written); the confirmation sends the same
file again and the service builds the preview again before writing its valid rows."""
from __future__ import annotations

import base64
import binascii

import dash
from dash import ClientsideFunction, Dash, Input, Output, State
from flask import current_app

from callbacks import run_write
from dashboard.errors import UserError
from dashboard.i18n import gettext as _
from dashboard.web.context import request_context
from dashboard.workflow import batches
from layouts.parts.my_import import file_preview, refusal, sent


def _content(contents) -> bytes | None:
    """dcc.Upload's "data:<type>;base64,<content>"."""
    if not isinstance(contents, str):
        return None
    try:
        return base64.b64decode(contents.partition(",")[2], validate=True)
    except (binascii.Error, ValueError):
        return None


def register_callbacks(app: Dash) -> None:
    # In the browser (assets/upload_reset.js): the file input is emptied once the file is read.
    app.clientside_callback(
        ClientsideFunction("uploads", "clear"),
        Output("import-upload", "style"),
        Input("import-file", "data"),
        State("import-upload", "id"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("import-preview", "children"),
        Output("import-fingerprint", "data"),
        Output("import-confirm", "disabled"),
        Output("import-result", "children"),
        Output("import-file", "data"),
        Output("import-upload", "contents"),
        Input("import-upload", "contents"),
        State("import-upload", "filename"),
        prevent_initial_call=True,
    )
    def preview(contents, filename):
        # The upload is emptied once read, so that the same file, corrected, can be chosen
        # again (a file input fires nothing for the file it already holds); the file waits
        # in a store for the confirmation.
        if contents is None:
            raise dash.exceptions.PreventUpdate
        content = _content(contents)
        if content is None:
            return refusal(_("The file could not be read: choose it again.")), None, True, None, None, None
        name = filename if isinstance(filename, str) else ""
        ctx = request_context()
        try:
            result = batches.preview_file(ctx.session, ctx.actor, name, content, ctx.as_of)
        except UserError as error:
            return refusal(error.message), None, True, None, None, None
        kept = {"filename": name, "contents": contents}
        return file_preview(result, ctx.lang), result.fingerprint, not result.ready, None, kept, None

    @app.callback(
        Output("import-result", "children", allow_duplicate=True),
        Output("import-confirm", "disabled", allow_duplicate=True),
        Input("import-confirm", "n_clicks"),
        State("import-file", "data"),
        State("import-fingerprint", "data"),
        prevent_initial_call=True,
    )
    def confirm(clicks, kept, fingerprint):
        if not clicks:
            raise dash.exceptions.PreventUpdate
        kept = kept if isinstance(kept, dict) else {}
        filename = kept.get("filename")
        content = _content(kept.get("contents"))
        if content is None or not isinstance(fingerprint, str):
            return refusal(_("The file could not be read: choose it again.")), True
        ctx = request_context()
        batch, error = run_write(lambda session: batches.confirm_import(
            session, ctx.actor, filename if isinstance(filename, str) else "", content, fingerprint,
            current_app.config["UPLOAD_DIR"], ctx.as_of, ctx.lang))
        if error is not None:
            return refusal(error.message), True
        return sent(batch, ctx.lang), True
