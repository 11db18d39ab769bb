"""Errors a service raises for the user to read; the message is already translated.

Callbacks catch ``UserError`` and show ``str(error)``; nothing has been written by then,
because the service raises before its transaction commits.
"""
from __future__ import annotations


class UserError(Exception):
    """Something the user can act on. ``field`` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class InvalidInput(UserError):
    """The input breaks a rule; nothing was changed.

    A form checked whole raises one ``InvalidInput`` for all its faults: ``message`` and
    ``field`` are the first one's, ``problems`` lists every (field, message) in order (a
    single fault when raised the usual way)."""

    def __init__(self, message: str, field: str | None = None,
                 problems: list[tuple[str, str]] | None = None):
        super().__init__(message, field)
        self.problems: list[tuple[str, str]] = list(problems) if problems else [(field or "", message)]

    @classmethod
    def of(cls, problems: list[tuple[str, str]]) -> InvalidInput:
        """One error for several (field, message) faults; the first names ``message``/``field``."""
        field, message = problems[0]
        return cls(message, field or None, problems)

    def by_field(self) -> dict[str, list[str]]:
        """The messages of each field, in order."""
        fields: dict[str, list[str]] = {}
        for field, message in self.problems:
            fields.setdefault(field, []).append(message)
        return fields


class Forbidden(UserError):
    """The current user may not do this."""


class NotFound(UserError):
    """The object does not exist (or the user may not know that it does)."""


class Conflict(UserError):
    """Someone changed the object since the user read it; ``newer`` describes the change."""

    def __init__(self, message: str, newer: dict | None = None):
        super().__init__(message)
        self.newer = newer or {}
