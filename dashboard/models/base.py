"""The declarative base, the three-language name mixin and the link-table helper.

Every name a user reads is stored three times (``name_ar``, ``name_fr``, ``name_en``) so
that sorting and searching stay in SQL. ``Translated.name(lang)`` picks one.
"""
from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Table,
    Text,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    mapped_column,
)


class Base(DeclarativeBase):
    pass


class Translated:
    """Mixin for rows with a name in the three languages."""

    name_ar: Mapped[str] = mapped_column(Text)
    name_fr: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)

    def name(self, lang: str) -> str:
        return getattr(self, f"name_{lang}") or self.name_en


class Sourced:
    """Mixin for rows that cite where their facts come from, in the three languages: the
    citation is composed from its parts by ``dashboard.citations`` when the data is loaded."""

    source_ar: Mapped[str] = mapped_column(Text, default="")
    source_fr: Mapped[str] = mapped_column(Text, default="")
    source_en: Mapped[str] = mapped_column(Text, default="")

    def source(self, lang: str) -> str:
        return getattr(self, f"source_{lang}") or self.source_en


def link_table(name: str, owner: str, other: str, cascade: bool = False) -> Table:
    """A many-to-many table: deleting the owner deletes its links (and the other, with ``cascade``)."""
    return Table(
        name,
        Base.metadata,
        Column(f"{owner}_id", ForeignKey(f"{owner}.id", ondelete="CASCADE"), primary_key=True),
        Column(f"{other}_id", ForeignKey(f"{other}.id", ondelete="CASCADE" if cascade else None), primary_key=True),
    )
