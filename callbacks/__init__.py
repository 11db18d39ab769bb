"""Callbacks, one module per page, each with ``register_callbacks(app)``, and the helpers
they share.

``dashboard.app`` finds every module of this package and calls its ``register_callbacks``,
so adding a page's callbacks means adding a module here and nothing else.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import dash
from dash import Dash, Input, Output
from sqlalchemy.orm import Session

from dashboard.config import LANGUAGES
from dashboard.db import get_session
from dashboard.errors import UserError

T = TypeVar("T")


def keep_filters_in_url(app: Dash, keys: tuple[str, ...], inputs: list[Input]) -> None:
    """Mirror a page's filters in the address bar, without a reload, so a filtered view can
    be bookmarked or shared; the language links keep them. A switch that is on reads "1".
    Runs in the browser only."""
    app.clientside_callback(
        """
        function(...values) {
            const keys = %s;
            const url = new URL(window.location.href);
            keys.forEach(function(key, i) {
                const value = values[i] === true ? '1' : values[i];
                if (value) { url.searchParams.set(key, value); } else { url.searchParams.delete(key); }
            });
            window.history.replaceState(window.history.state, '', url.pathname + url.search);
            return %s.map(function(lang) {
                url.searchParams.set('lang', lang);
                return url.pathname + url.search;
            });
        }
        """ % (list(keys), list(LANGUAGES)),
        [Output(f"lang-{code}", "href", allow_duplicate=True) for code in LANGUAGES],
        *inputs,
        prevent_initial_call=True,
    )


def run_write(write: Callable[[Session], T]) -> tuple[T | None, UserError | None]:
    """Run one service write in the request's session and commit it.

    Returns ``(result, None)``, or ``(None, error)`` when the service refused with a
    ``UserError`` (its message is in the user's language); the transaction is then rolled
    back, so nothing of the refused write remains. Other errors propagate.
    """
    session = get_session()
    try:
        result = write(session)
        session.commit()
    except UserError as error:
        session.rollback()
        return None, error
    except BaseException:
        session.rollback()
        raise
    return result, None


def clicked_pager() -> dict:
    """The id of the pager button (``layouts.components.pager``) that was clicked, or no
    update at all when the callback fired without a click (a pager drawn anew)."""
    trigger = dash.ctx.triggered_id
    if not trigger or not any(t["value"] for t in dash.ctx.triggered):
        raise dash.exceptions.PreventUpdate
    return trigger
