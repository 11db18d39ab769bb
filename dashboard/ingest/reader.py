"""The line-aware reader of the human-editable data files under ``data/``, and the problems it reports.

Every mapping read here keeps the line it started on (``LineDict``), every sequence the line of
each item (``LineList``), so a problem found anywhere in a document names its exact line.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dashboard.config import LANGUAGES


class LineDict(dict):
    """A mapping that remembers the line (1-based) it started on."""

    line: int = 0


class LineList(list):
    """A sequence that remembers the line (1-based) of each of its items."""

    lines: list[int] | tuple[int, ...] = ()


# libyaml's parser, when PyYAML was built with it, reads the plan six times faster, with
# the same nodes and lines (only the wording of syntax errors differs).
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    # PyYAML keeps the last of two equal keys without a word: a figure would change silently.
    seen: dict = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice (first on line {seen[key]})", key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        except TypeError:  # an unhashable key: construct_mapping reports it
            continue
    mapping = LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    sequence = LineList(loader.construct_sequence(node, deep=True))
    sequence.lines = [child.start_mark.line + 1 for child in node.value]
    return sequence


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:  # e.g. 2025-13-01: PyYAML gives no line of its own
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a valid date ({exc})", node.start_mark
        ) from exc


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class DataFileError(ValueError):
    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path = str(path)
        self.problems = sorted(problems)
        super().__init__(
            f"{self.path}: {len(self.problems)} problem(s)\n"
            + "\n".join(f"  {p}" for p in self.problems)
        )


class DataFilesError(DataFileError):
    """Problems in several files: each file's report, one after the other."""

    def __init__(self, errors: list[DataFileError]):
        self.errors = errors
        self.path, self.problems = errors[0].path, errors[0].problems
        ValueError.__init__(self, "\n".join(str(error) for error in errors))


def read_text(path: Path | str) -> str:
    """A data file's text; a byte that is not UTF-8 is a problem on its line, not a crash."""
    content = Path(path).read_bytes()
    try:
        return content.decode("utf-8-sig")  # a spreadsheet's byte-order mark is tolerated
    except UnicodeDecodeError as exc:
        line = content[:exc.start].count(b"\n") + 1
        raise DataFileError(path, [Problem(line, f"byte 0x{content[exc.start]:02x} is not UTF-8 text: save the "
                                                 "file with the UTF-8 encoding")]) from None


def read_yaml(path: Path | str) -> Any:
    text = read_text(path)
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            line = mark.line + 1
            # Without the extract of the line that PyYAML appends: the line number says where.
            what = ", ".join(str(part) for part in (exc.context, exc.problem) if part)
            raise DataFileError(path, [Problem(line, f"not valid YAML: {what} (column {mark.column + 1})")]) from exc
        if isinstance(getattr(exc, "position", None), int):  # a character YAML does not allow
            line = text[:exc.position].count("\n") + 1
        else:
            line = 0
        raise DataFileError(path, [Problem(line, f"not valid YAML: {str(exc).splitlines()[0]}")]) from exc


def is_number(value: Any) -> bool:
    """A finite int or float: not a boolean, not NaN or infinity (YAML's .nan, .inf)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def is_year(value: Any, first: int = 1900, last: int = 2100) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and first <= value <= last


def node_line(node: Any, default: int = 0) -> int:
    return getattr(node, "line", default)


class Checker:
    """Collects problems instead of stopping at the first one."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, node: Any, message: str) -> None:
        self.problems.append(Problem(node_line(node), message))

    def translations(self, node: Any, key: str, where: str, required: bool = True,
                     proper: bool = False) -> None:
        """``key`` in ar, fr and en; with ``proper``, a name the same in every language may
        instead be marked ``{proper: ...}`` (a registered name, an acronym)."""
        value = node.get(key) if isinstance(node, dict) else None
        alternative = " (or {proper: ...} for a proper name)" if proper else ""
        if value is None:
            if required:
                self.add(node, f"{where}: '{key}' is missing (needs ar, fr and en{alternative})")
            return
        if proper and is_proper(value):
            return
        if not isinstance(value, dict):
            self.add(node, f"{where}: '{key}' must be a mapping with ar, fr and en{alternative}, "
                           f"not one text in one language")
            return
        for lang in LANGUAGES:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.add(value, f"{where}: '{key}' has no {lang} translation")

    def choice(self, node: dict, key: str, allowed: Iterable[str], where: str, default=None):
        value = node.get(key, default)
        if value not in allowed:
            self.add(node, f"{where}: '{key}' is {value!r}, expected one of {', '.join(allowed)}")
        return value

    def date(self, node: dict, key: str, where: str) -> dt.date | None:
        value = node.get(key)
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.add(node, f"{where}: '{key}' must be a date like 2024-06-30, not {value!r}")
        return None

    def unique(self, seen: dict[str, int], code: Any, node: Any, what: str) -> None:
        if not isinstance(code, str) or not code.strip():
            self.add(node, f"{what} without a 'code'")
        elif code in seen:
            self.add(node, f"duplicate {what} code {code!r} (first used on line {seen[code]})")
        else:
            seen[code] = node_line(node)


def is_proper(value: Any) -> bool:
    """A name marked as the same in every language: ``{proper: "GLO.ACT"}``."""
    return (isinstance(value, dict) and set(value) == {"proper"}
            and isinstance(value["proper"], str) and bool(value["proper"].strip()))


def mappings(check: Checker, parent: Any, key: str, what: str) -> list[dict]:
    """The mappings listed under ``parent[key]``; anything else is reported on its line."""
    items = parent.get(key) if isinstance(parent, dict) else None
    if items is None:
        return []
    if not isinstance(items, list):
        check.add(parent, f"'{key}' must be a list of {what}s")
        return []
    lines = getattr(items, "lines", [])
    result = []
    for index, item in enumerate(items):
        if isinstance(item, dict):
            result.append(item)
        else:
            line = lines[index] if index < len(lines) else node_line(parent)
            check.problems.append(Problem(line, f"each {what} must be a mapping, not {item!r}"))
    return result


def parse_period(period: Any) -> tuple[int, str] | None:
    """``("2024", ...)``: year and normalised text of "2024", "2024-S1" or "2024-Q3"."""
    text = str(period).strip()
    year_text, _, part = text.partition("-")
    if not (year_text.isdigit() and len(year_text) == 4):
        return None
    if part and part not in ("S1", "S2", "Q1", "Q2", "Q3", "Q4"):
        return None
    return int(year_text), text


