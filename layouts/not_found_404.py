"""The page Dash shows for a path that matches no page."""
from __future__ import annotations

import dash
from flask_babel import gettext as _

from layouts.components import not_found

dash.register_page(__name__, path="/404", title=lambda **_kw: _("Not found") + " · CNCLTEH")


def layout(**_query):
    return not_found(_("This page does not exist."), "/", _("Back to the summary"))
