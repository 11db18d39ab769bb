"""Every fault of a form next to its field: an empty slot under each field
(``error_slot``), filled by the callback from the service's ``InvalidInput.problems``
(``slot_messages``), with the control marked ``is-invalid`` (``control_class``)."""
from __future__ import annotations

from dash import html

from dashboard.errors import InvalidInput, UserError
from dashboard.i18n import gettext as _


def error_id(prefix: str, slot: str) -> str:
    return f"{prefix}-error-{slot}"


def error_slot(prefix: str, slot: str) -> html.Div:
    """Where the messages of one field go; the field's group names it in aria-describedby."""
    return html.Div(id=error_id(prefix, slot), className="invalid-feedback d-block", **{"aria-live": "polite"})


def described(prefix: str, slot: str) -> dict:
    """The attributes that tie a field's group to its messages."""
    return {"aria-describedby": error_id(prefix, slot)}


def slot_messages(error: UserError | None, slots: dict[str, tuple[str, ...]]) -> dict[str, list | None]:
    """Each slot's messages (``slots``: slot -> the service's field names it shows)."""
    problems = error.problems if isinstance(error, InvalidInput) else []
    shown: dict[str, list | None] = {}
    for slot, fields in slots.items():
        messages = [message for field, message in problems if field in fields]
        shown[slot] = [html.Div(message) for message in dict.fromkeys(messages)] or None
    return shown


def control_class(base: str, messages) -> str:
    return f"{base} is-invalid" if messages else base


def summary(error: UserError) -> html.Div:
    """The form's alert: one message, or how many faults there are and what they are."""
    problems = error.problems if isinstance(error, InvalidInput) else []
    messages = list(dict.fromkeys(message for _field, message in problems))
    if len(messages) <= 1:
        return html.Div(str(error), className="alert alert-danger mb-3", role="alert")
    return html.Div([
        html.P(_("Please correct these %(n)d problems; each one is also shown next to its field:",
                 n=len(messages)), className="mb-1"),
        html.Ul([html.Li(message) for message in messages], className="mb-0"),
    ], className="alert alert-danger mb-3", role="alert")
