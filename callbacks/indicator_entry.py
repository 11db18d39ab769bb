"""Value entry on ``/indicators/<code>``: a focal point of the responsible entity reports a
value, or corrects a returned one, and it waits for the secretariat's validation.

The service checks who may submit and what is valid; this module only turns the form into
a ``ValueForm`` and shows the outcome.
"""
from __future__ import annotations

import dash
from dash import ALL, Dash, Input, Output, State, html
from dash.exceptions import PreventUpdate
from flask import current_app

from callbacks import run_write
from dashboard.errors import InvalidInput
from dashboard.i18n import gettext as _
from dashboard.permissions import allowed
from dashboard.plan import queries
from dashboard.web.context import request_context
from dashboard.workflow import evidence, submissions, worklists
from layouts.parts.form_errors import error_id, slot_messages, summary
from layouts.parts.indicators import (
    ENTRY,
    ENTRY_DIMENSION,
    ENTRY_EDIT,
    ENTRY_SLOTS,
    ENTRY_WITHDRAW,
    entry_fields,
    submissions_table,
)

# The inputs marked invalid with their slot's messages: (slot, component).
MARKED = (("period", f"{ENTRY}-period"), ("value", f"{ENTRY}-value"), ("note", f"{ENTRY}-note"),
          ("links", f"{ENTRY}-links"))


def register_callbacks(app: Dash) -> None:
    # The dropdowns' choices gathered in one store, in the browser: {"sex": "female"}.
    app.clientside_callback(
        """
        function(values, ids) {
            const cells = {};
            (ids || []).forEach(function(id, i) { if (values[i]) { cells[id.dimension] = values[i]; } });
            return cells;
        }
        """,
        Output(f"{ENTRY}-breakdown", "data"),
        Input({"type": ENTRY_DIMENSION, "dimension": ALL}, "value"),
        State({"type": ENTRY_DIMENSION, "dimension": ALL}, "id"),
    )
    app.clientside_callback(
        """
        function(names) {
            if (!names) { return ''; }
            return (Array.isArray(names) ? names : [names]).join(' · ');
        }
        """,
        Output(f"{ENTRY}-file-names", "children"),
        Input(f"{ENTRY}-files", "filename"),
    )

    @app.callback(
        Output(f"{ENTRY}-feedback", "children"),
        Output(f"{ENTRY}-fields", "children"),
        Output(f"{ENTRY}-submissions", "children"),
        *[Output(error_id(ENTRY, slot), "children") for slot in ENTRY_SLOTS],
        *[Output(component, "invalid") for _slot, component in MARKED],
        Input(f"{ENTRY}-submit", "n_clicks"),
        State(f"{ENTRY}-code", "data"),
        State(f"{ENTRY}-editing", "data"),
        State(f"{ENTRY}-period", "value"),
        State(f"{ENTRY}-value", "value"),
        State(f"{ENTRY}-breakdown", "data"),
        State(f"{ENTRY}-note", "value"),
        State(f"{ENTRY}-links", "value"),
        State(f"{ENTRY}-files", "contents"),
        State(f"{ENTRY}-files", "filename"),
        State(f"{ENTRY}-remove-evidence", "value"),
        prevent_initial_call=True,
    )
    def submit_value(n_clicks, code, editing, period, value, breakdown, note, links, contents, names, remove):
        if not n_clicks:
            raise PreventUpdate
        ctx = request_context()
        folder = current_app.config["UPLOAD_DIR"]

        def write(session):
            form = submissions.ValueForm(
                period=str(period or ""), value=value, breakdown=_cells(breakdown),
                note=str(note or ""), links=str(links or ""), files=_uploads(contents, names),
            )
            if isinstance(editing, dict) and editing.get("id") is not None:
                return submissions.resubmit_indicator_value(
                    session, ctx.actor, editing.get("id"), editing.get("version"), form, folder, ctx.as_of,
                    remove_evidence=remove or [])
            return submissions.submit_indicator_value(session, ctx.actor, str(code or ""), form,
                                                      folder, ctx.as_of)

        item, error = run_write(write)
        if error is not None:
            # Each fault next to its field; the form stays as the user filled it in.
            if not isinstance(error, InvalidInput):  # a refusal of the whole form: no field at fault
                return (_alert(str(error), "danger"), dash.no_update, dash.no_update,
                        *[dash.no_update] * (len(ENTRY_SLOTS) + len(MARKED)))
            shown = slot_messages(error, ENTRY_SLOTS)
            return (summary(error), dash.no_update, dash.no_update, *shown.values(),
                    *[bool(shown[slot]) for slot, _component in MARKED])
        indicator = item.indicator
        message = (_("Your corrected value was sent for validation again.") if editing
                   else _("Your value was sent for validation. It will be published once the "
                          "secretariat approves it."))
        return (
            _alert(message, "success"),
            entry_fields(ctx.session, indicator, ctx.lang, ctx.as_of.year),
            submissions_table(ctx.session, ctx.actor, indicator, ctx.lang),
            *[dash.no_update] * (len(ENTRY_SLOTS) + len(MARKED)),
        )

    @app.callback(
        Output(f"{ENTRY}-feedback", "children", allow_duplicate=True),
        Output(f"{ENTRY}-submissions", "children", allow_duplicate=True),
        Input({"type": ENTRY_WITHDRAW, "id": ALL, "version": ALL}, "submit_n_clicks"),
        State(f"{ENTRY}-code", "data"),
        prevent_initial_call=True,
    )
    def withdraw_value(_clicks, code):
        # Fires too when the table is drawn anew: only a confirmed click counts.
        triggered = dash.ctx.triggered_id
        if not isinstance(triggered, dict) or not dash.ctx.triggered[0].get("value"):
            raise PreventUpdate
        ctx = request_context()
        item, error = run_write(lambda session: submissions.withdraw_indicator_value(
            session, ctx.actor, triggered.get("id"), triggered.get("version")))
        if error is not None:
            return _alert(str(error), "danger"), dash.no_update
        return (_alert(_("The value was withdrawn: the secretariat will not review it. You can send a new one."),
                       "success"),
                submissions_table(ctx.session, ctx.actor, item.indicator, ctx.lang))

    @app.callback(
        Output(f"{ENTRY}-fields", "children", allow_duplicate=True),
        Output(f"{ENTRY}-feedback", "children", allow_duplicate=True),
        Input({"type": ENTRY_EDIT, "id": ALL}, "n_clicks"),
        State(f"{ENTRY}-code", "data"),
        prevent_initial_call=True,
    )
    def edit_returned(_clicks, code):
        # Fires too when the list is re-rendered with new buttons: only a click counts.
        triggered = dash.ctx.triggered_id
        if not isinstance(triggered, dict) or not dash.ctx.triggered[0].get("value"):
            raise PreventUpdate
        ctx = request_context()
        indicator = queries.indicator_by_code(ctx.session, str(code or ""),
                                              include_restricted=ctx.actor.reads_restricted)
        if indicator is None or not allowed(ctx.actor, "submit_indicator_value", indicator):
            raise PreventUpdate
        rows = worklists.indicator_submissions(ctx.session, ctx.actor, indicator, ctx.lang)
        returned = next((r for r in rows if r["id"] == triggered.get("id") and r["state"] == "returned"), None)
        if returned is None:
            return dash.no_update, _alert(_("This value is no longer returned: reload the page to see it."),
                                          "warning")
        return entry_fields(ctx.session, indicator, ctx.lang, ctx.as_of.year, returned), None


def _cells(breakdown) -> dict[str, str]:
    """The store's {dimension: category}; anything else the browser sent reads as the total."""
    if not isinstance(breakdown, dict):
        return {}
    return {str(k): str(v) for k, v in breakdown.items() if v}


def _uploads(contents, names) -> list[evidence.Upload]:
    """dcc.Upload's lists of data URLs and file names (raises InvalidInput on bad data)."""
    return evidence.Upload.from_browser(contents, names)


def _alert(message: str, kind: str) -> html.Div:
    """Errors are announced at once (role=alert), successes politely."""
    return html.Div(message, className=f"alert alert-{kind} mb-3",
                    role="alert" if kind == "danger" else "status")
