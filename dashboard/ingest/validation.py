"""The schema gate of every data file: a pydantic model's errors as ``Problem``s on their lines.

A file's rules (``validate_*`` of each module) run first and give the messages the commission
reads; a document they accept is then validated by its pydantic model (``documents``), so
``check-data`` and ``load-data``, which both call the same ``validate_*``, never let through a
document the schema refuses.
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, RootModel, ValidationError

from dashboard.ingest.reader import Problem


class Document(BaseModel):
    """A mapping of a data file: keys the rules do not know are ignored, as they always were."""

    model_config = ConfigDict(extra="allow", arbitrary_types_allowed=False)


def line_at(doc: Any, loc: tuple) -> int:
    """The line of the deepest mapping or list item on the path ``loc`` into ``doc``."""
    node, line = doc, getattr(doc, "line", 1) or 1
    for key in loc:
        if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            lines = getattr(node, "lines", ())
            line = lines[key] if key < len(lines) else line
            node = node[key]
        elif isinstance(node, dict) and key in node:
            node = node[key]
        else:
            break
        line = getattr(node, "line", line) or line
    return line


def schema_problems(model: type[BaseModel], doc: Any) -> list[Problem]:
    """Why ``model`` refuses ``doc`` (empty when it accepts it), each problem on its line."""
    try:
        model.model_validate(doc)
    except ValidationError as exc:
        problems = set()
        for error in exc.errors(include_url=False):
            loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and part.startswith(
                ("function-", "constrained-", "tagged-union"))))
            line = line_at(doc, loc)
            # The line names the record: its index in the file's list adds nothing.
            shown = loc[1:] if isinstance(doc, list) and loc and isinstance(loc[0], int) else loc
            path = ".".join(str(part) for part in shown if part != "root")
            message = error["msg"].removeprefix("Value error, ")
            problems.add(Problem(line, f"{path + ': ' if path else ''}{message}"))
        return sorted(problems)
    return []


def checked(model: type[BaseModel], doc: Any, problems: list[Problem]) -> list[Problem]:
    """The rules' problems, or else the schema's: a document reaches the loader only when both accept it."""
    return sorted(problems) if problems else schema_problems(model, doc)


__all__ = ["Document", "RootModel", "checked", "line_at", "schema_problems"]
