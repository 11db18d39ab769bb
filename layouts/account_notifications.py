"""``/account/notifications``: the signed-in user turns the weekly digest e-mail off or on
(reminders of reports due and notices of reviews are always sent)."""
from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.i18n import gettext as _
from dashboard.web.context import request_context
from dashboard.workflow import notifications
from layouts.components import page_header
from layouts.parts.access import login_prompt

PATH = "/account/notifications"

dash.register_page(__name__, path=PATH, title=lambda **_kw: _("E-mail notifications") + " · CNCLTEH")


def digest_choices() -> list[dict[str, str]]:
    return [{"label": _("Send me the weekly digest"), "value": "on"},
            {"label": _("Do not send me the weekly digest"), "value": "off"}]


def layout(**_query):
    ctx = request_context()
    header = page_header(_("E-mail notifications"), _("What the dashboard e-mails you."))
    if not ctx.actor.is_authenticated:
        return html.Div([header, login_prompt(PATH)])
    setting = notifications.digest_setting(ctx.session, ctx.actor)
    return html.Div([
        header,
        html.Div([
            html.P(_("Reminders before a report of your body is due, notices when it is overdue and when "
                     "the secretariat returns or approves a submission are always sent. The weekly digest "
                     "sums up what is due, returned and waiting for review."), className="mb-3"),
            dcc.RadioItems(id="account-notifications-digest", options=digest_choices(),
                           value="on" if setting.receives_digest else "off",
                           className="mb-3", inputClassName="form-check-input me-2",
                           labelClassName="form-check d-block"),
            dcc.Store(id="account-notifications-version", data=setting.version),
            html.Button(_("Save"), id="account-notifications-save", type="button", n_clicks=0,
                        className="btn btn-primary"),
            html.Div(id="account-notifications-message", className="mt-3", **{"aria-live": "polite"}),
        ], className="card card-body shadow-sm"),
    ])
