"""A data file's source, given as parts (``documents.SourceDoc``), turned into the three
composed citations a model stores (``source_ar``, ``source_fr``, ``source_en``)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.citations import SourceParts, columns, composed
from dashboard.config import LANGUAGES
from dashboard.ingest.reader import Checker, LineDict, node_line
from dashboard.models import Entity

DATE_FORMS = ("%Y", "%Y-%m", "%Y-%m-%d")
# Several sources behind one fact are listed in each language's way.
SOURCE_SEPARATOR = {"ar": "؛ ", "fr": "\u00a0; ", "en": "; "}


def publisher_names(session: Session) -> dict[str, dict[str, str]]:
    """Each entity's names by acronym, for the publisher of a citation."""
    return {e.acronym: {lang: e.name(lang) for lang in LANGUAGES} for e in session.scalars(select(Entity))}


def source_parts(source: Mapping[str, Any], publishers: Mapping[str, Mapping[str, str]]) -> SourceParts:
    publisher = source.get("publisher")
    names = publishers.get(publisher) or (dict.fromkeys(LANGUAGES, publisher) if publisher else {})
    return SourceParts(title={lang: " ".join(str(source["title"][lang]).split()) for lang in LANGUAGES},
                       publisher=names, date=str(source["date"]) if source.get("date") else None,
                       via=str(source["via"]).strip() if source.get("via") else None)


def source_columns(source: Mapping[str, Any], publishers: Mapping[str, Mapping[str, str]],
                   prefix: str = "source") -> dict[str, str]:
    """``{"source_ar": ..., "source_fr": ..., "source_en": ...}`` for a validated source."""
    return columns(prefix, composed(source_parts(source, publishers)))


def check_source(check: Checker, node: Any, where: str, key: str = "source") -> None:
    """A source in three languages, as parts: a title with ar, fr and en, and a date that is a
    real date; a plain string (one language) is refused."""
    source = node.get(key) if isinstance(node, dict) else None
    if not isinstance(source, dict):
        check.add(node, f"{where}: '{key}' must give its parts (publisher, title in ar, fr and en, "
                        "date, via), not one sentence in one language")
        return
    title = source.get("title")
    missing = [lang for lang in LANGUAGES
               if not (isinstance(title, dict) and isinstance(title.get(lang), str) and title[lang].strip())]
    if missing:
        check.add(source, f"{where}: the source's title needs {', '.join(missing)}")
    date = source.get("date")
    if date is not None and not any(_parses(str(date), form) for form in DATE_FORMS):
        check.add(source, f"{where}: the source's date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")


def _parses(text: str, form: str) -> bool:
    try:
        dt.datetime.strptime(text, form)
    except ValueError:
        return False
    return True


def _sources(value) -> list:
    return value if isinstance(value, list) else [value] if value else []


def sources(node: dict, publishers, prefix: str = "source") -> dict[str, str]:
    """The ``source_ar/fr/en`` columns of a record's source or list of sources, each
    composed from its parts in each language (``dashboard.citations``)."""
    cited = [source_columns(s, publishers, prefix) for s in _sources(node.get("source"))]
    return {f"{prefix}_{lang}": SOURCE_SEPARATOR[lang].join(c[f"{prefix}_{lang}"] for c in cited)
            for lang in LANGUAGES}


def check_sources(check: Checker, node: dict, where: str, required: bool = True) -> None:
    """A record's ``source``: one source or a list, each given as parts with a title in ar,
    fr and en (``sources.check_source``); a sentence in one language is refused."""
    value = node.get("source")
    if not value:  # absent, empty text or empty list
        if required:
            check.add(node, f"{where}: 'source' is missing (publisher, title in ar, fr and en, date, via)")
        return
    lines = getattr(value, "lines", [])
    for index, item in enumerate(_sources(value)):
        holder = LineDict(source=item)
        holder.line = node_line(item) or (lines[index] if index < len(lines) else 0) or node_line(node)
        check_source(check, holder, where)
