"""The measure page's "Report progress" form: a focal point submits an update, or edits and
resubmits a returned one (removing the evidence they ticked), or withdraws the one that
waits for review. The services check who may do it and what is valid; every fault of the
form is shown next to its field."""
from __future__ import annotations

import dash
from dash import Dash, Input, Output, State
from flask import current_app

from callbacks import run_write
from dashboard.errors import InvalidInput
from dashboard.i18n import gettext as _
from dashboard.web.context import request_context
from dashboard.workflow import submissions
from dashboard.workflow.evidence import Upload
from layouts.parts.evidence import file_names
from layouts.parts.form_errors import control_class, error_id, slot_messages, summary
from layouts.parts.workflow import REPORT, REPORT_SLOTS, alert, report_body

# The controls marked invalid with their slot's messages: (slot, component, base class).
MARKED = (("status", f"{REPORT}-status", "form-select"), ("progress", f"{REPORT}-progress", "form-control"),
          ("links", f"{REPORT}-links", "form-control"))


def register_callbacks(app: Dash) -> None:
    @app.callback(
        Output(f"{REPORT}-file-names", "children"),
        Input(f"{REPORT}-files", "filename"),
        prevent_initial_call=True,
    )
    def show_file_names(names):
        return file_names(names)

    @app.callback(
        Output(f"{REPORT}-feedback", "children"),
        Output(f"{REPORT}-body", "children"),
        *[Output(error_id(REPORT, slot), "children") for slot in REPORT_SLOTS],
        *[Output(component, "className") for _slot, component, _base in MARKED],
        Input(f"{REPORT}-submit", "n_clicks"),
        State(f"{REPORT}-code", "data"),
        State(f"{REPORT}-base-version", "data"),
        State(f"{REPORT}-update", "data"),
        State(f"{REPORT}-status", "value"),
        State(f"{REPORT}-progress", "value"),
        State(f"{REPORT}-narrative-ar", "value"),
        State(f"{REPORT}-narrative-fr", "value"),
        State(f"{REPORT}-narrative-en", "value"),
        State(f"{REPORT}-period-start", "date"),
        State(f"{REPORT}-period-end", "date"),
        State(f"{REPORT}-links", "value"),
        State(f"{REPORT}-files", "contents"),
        State(f"{REPORT}-files", "filename"),
        State(f"{REPORT}-remove-evidence", "value"),
        prevent_initial_call=True,
    )
    def submit_report(n_clicks, code, base_version, update, status, progress, text_ar, text_fr, text_en,
                      period_start, period_end, links, contents, names, remove):
        if not n_clicks:
            raise dash.exceptions.PreventUpdate
        ctx = request_context()
        folder = current_app.config["UPLOAD_DIR"]
        update = update if isinstance(update, dict) else None

        def write(session):
            # Decoded here so that an unreadable file is refused like any other input.
            files = Upload.from_browser(contents, names)
            form = submissions.UpdateForm(
                status=status, progress=progress,
                narrative={"ar": text_ar or "", "fr": text_fr or "", "en": text_en or ""},
                period_start=period_start, period_end=period_end, links=links or "", files=files,
            )
            if update is not None:
                return submissions.resubmit_measure_update(session, ctx.actor, update.get("id"),
                                                           update.get("version"), base_version, form,
                                                           folder, ctx.as_of, remove_evidence=remove or [])
            return submissions.submit_measure_update(session, ctx.actor, str(code or ""), base_version, form,
                                                     folder, ctx.as_of)

        result, error = run_write(write)
        if error is not None:
            # The form stays as the user filled it in; each fault shows next to its field.
            if not isinstance(error, InvalidInput):  # a refusal of the whole form: no field at fault
                return alert(str(error)), dash.no_update, *[dash.no_update] * (len(REPORT_SLOTS) + len(MARKED))
            shown = slot_messages(error, REPORT_SLOTS)
            return (summary(error), dash.no_update, *shown.values(),
                    *[control_class(base, shown[slot]) for slot, _component, base in MARKED])
        measure = result.measure
        return (alert(_("Thank you. Your update was sent to the secretariat for review."), "success"),
                report_body(ctx.session, ctx.actor, measure, ctx.lang, ctx.as_of),
                *[dash.no_update] * (len(REPORT_SLOTS) + len(MARKED)))

    @app.callback(
        Output(f"{REPORT}-feedback", "children", allow_duplicate=True),
        Output(f"{REPORT}-body", "children", allow_duplicate=True),
        Input(f"{REPORT}-withdraw", "submit_n_clicks"),
        State(f"{REPORT}-pending", "data"),
        prevent_initial_call=True,
    )
    def withdraw_update(n_clicks, pending):
        if not n_clicks:
            raise dash.exceptions.PreventUpdate
        ctx = request_context()
        pending = pending if isinstance(pending, dict) else {}
        result, error = run_write(lambda session: submissions.withdraw_measure_update(
            session, ctx.actor, pending.get("id"), pending.get("version")))
        if error is not None:
            return alert(str(error)), dash.no_update
        return (alert(_("Your update was withdrawn: the secretariat will not review it. You can send a new one."),
                      "success"),
                report_body(ctx.session, ctx.actor, result.measure, ctx.lang, ctx.as_of))
