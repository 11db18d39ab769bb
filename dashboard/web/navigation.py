"""The main navigation, defined once: the shell draws it and the shell's callbacks highlight it.

An entry's component id is ``nav-<n>``, its position in ``NAVIGATION``; the "National
response" entries sit in one dropdown (``nav-national``) so the menu bar stays on one row.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _

from dashboard.permissions import Actor
from dashboard.workflow import api_tokens, notifications

MAIN = "main"
NATIONAL = "national"


@dataclass(frozen=True)
class NavEntry:
    path: str
    # Called per request: the label is in the reader's language.
    label: Callable[[], str]
    group: str = MAIN
    # Pages at other paths that belong to this entry (a measure's page is part of the plan).
    section_prefixes: tuple[str, ...] = ()


NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry("/", lambda: _("Summary")),
    NavEntry("/plan", lambda: _("Plan explorer"), section_prefixes=("/axes/", "/measures/")),
    NavEntry("/implementation", lambda: _("Implementation 2023-2026")),
    NavEntry("/indicators", lambda: _("Indicators")),
    NavEntry("/entities", lambda: _("Entities")),
    # The national response around the plan.
    NavEntry("/statistics", lambda: _("National statistics"), NATIONAL),
    NavEntry("/regions", lambda: _("Referral mechanism by region"), NATIONAL),
    NavEntry("/activities", lambda: _("Activities"), NATIONAL),
    NavEntry("/partners", lambda: _("Partners and funding"), NATIONAL),
    NavEntry("/organisations", lambda: _("Civil-society directory"), NATIONAL),
    NavEntry("/data", lambda: _("Open data"), NATIONAL),
    # Last in the tuple so the other entries keep their ids; shown after "Entities".
    NavEntry("/report", lambda: _("Report")),
)

NATIONAL_MENU_ID = "nav-national"


@dataclass(frozen=True)
class AccountEntry:
    """A page of the signed-in user's menu, shown only to those ``shown_to`` accepts."""

    path: str
    label: Callable[[], str]
    shown_to: Callable[[Actor], bool]


ACCOUNT_PAGES: tuple[AccountEntry, ...] = (
    AccountEntry("/account/tokens", lambda: _("API tokens"), api_tokens.may_create),
    AccountEntry("/account/notifications", lambda: _("E-mail notifications"), notifications.receives_mail),
)


def account_links(actor: Actor) -> list[tuple[str, str]]:
    """(path, label) of the account pages ``actor`` may use, for the user menu."""
    return [(entry.path, entry.label()) for entry in ACCOUNT_PAGES if entry.shown_to(actor)]


def national_menu_label() -> str:
    return _("National response")


def nav_id(entry: NavEntry) -> str:
    return f"nav-{NAVIGATION.index(entry)}"


def group(name: str) -> list[NavEntry]:
    return [entry for entry in NAVIGATION if entry.group == name]
