"""A source cited in the reader's language, composed from its parts.

Data files never hold a citation as one English sentence: they give its parts, and this
module writes it in each language with that language's punctuation and dates:

    publisher  who published it: its names in the three languages (an entity's names from
               ``reference/entities.yaml``), or one proper name
    title      what it is, in the three languages ("First annual report")
    date       "2022", "2022-02" or "2022-02-16"
    via        a proper name, never translated: the outlet that reported it or the page's
               address ("telquel.ma", "cnclt.justice.gov.ma/?p=1932")

In Arabic every left-to-right run (a name, a date, an address) is isolated, so the
citation reads in order.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from dashboard.config import LANGUAGES
from dashboard.i18n import fmt_date, fmt_month, isolate_runs

# How each language quotes a title and separates the parts of a citation.
QUOTES = {"ar": ("«", "»"), "fr": ("«\u00a0", "\u00a0»"), "en": ("“", "”")}
COMMA = {"ar": "، ", "fr": ", ", "en": ", "}


@dataclass(frozen=True)
class SourceParts:
    title: Mapping[str, str]
    publisher: Mapping[str, str] = field(default_factory=dict)
    date: str | None = None
    via: str | None = None


def fmt_partial_date(value: str | None, lang: str) -> str:
    """"2022", "févr. 2022" or "16 févr. 2022" as the source gives it; "" when absent."""
    if not value:
        return ""
    parts = [int(p) for p in str(value).split("-")]
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return fmt_month(dt.date(parts[0], parts[1], 1), lang)
    return fmt_date(dt.date(*parts[:3]), lang)


def compose(parts: SourceParts, lang: str) -> str:
    """The citation in ``lang``: publisher, «title» (via, date)."""
    opening, closing = QUOTES[lang]
    title = parts.title.get(lang) or parts.title.get("en") or ""
    head = [p for p in (parts.publisher.get(lang) or parts.publisher.get("en"),
                        f"{opening}{title}{closing}" if title else "") if p]
    detail = [p for p in (parts.via, fmt_partial_date(parts.date, lang)) if p]
    text = COMMA[lang].join(head)
    if detail:
        text += f" ({COMMA[lang].join(detail)})" if text else COMMA[lang].join(detail)
    return isolate_runs(text, lang)


def composed(parts: SourceParts) -> dict[str, str]:
    """``{"ar": ..., "fr": ..., "en": ...}``: one citation per language."""
    return {lang: compose(parts, lang) for lang in LANGUAGES}


def columns(prefix: str, texts: Mapping[str, str]) -> dict[str, str]:
    """``{"source_ar": ..., "source_fr": ..., "source_en": ...}`` for a model's columns."""
    return {f"{prefix}_{lang}": texts.get(lang, "") for lang in LANGUAGES}


def same_in_every_language(prefix: str, text: str) -> dict[str, str]:
    """The columns of a text that is the same in every language: a proper name or an address."""
    return columns(prefix, dict.fromkeys(LANGUAGES, text))
