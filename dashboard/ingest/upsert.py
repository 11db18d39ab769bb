"""Idempotent writes of the loader: a record is matched by its key and a field is written only
when it differs, so a second load reports no change (``LoadReport``)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.config import LANGUAGES
from dashboard.i18n import isolate_runs
from dashboard.ingest.reader import is_proper


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool, changed: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1
        elif changed:
            self.updated[kind] = self.updated.get(kind, 0) + 1

    @property
    def changes(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    def __str__(self) -> str:
        if not self.changes:
            return "no change"
        parts = [f"{n} {k} created" for k, n in sorted(self.created.items())]
        parts += [f"{n} {k} updated" for k, n in sorted(self.updated.items())]
        return ", ".join(parts)


def assign(obj, values: dict) -> bool:
    """Set the attributes that differ; True when anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def names(node: dict, key: str = "name", prefix: str | None = None) -> dict[str, str]:
    """``{"name_ar": ..., "name_fr": ..., "name_en": ...}`` of a translated text of a file."""
    texts = node.get(key) or {}
    prefix = prefix or key
    if is_proper(texts):
        return {f"{prefix}_{lang}": isolated(texts["proper"], lang) for lang in LANGUAGES}
    return {f"{prefix}_{lang}": isolated(texts.get(lang) or "", lang) for lang in LANGUAGES}


def isolated(text: str, lang: str) -> str:
    """A text of a data file as stored: in Arabic, each Latin name or number in it between
    isolates (``i18n.isolate_runs``), so that "برنامج الجنوب III" reads in order wherever
    it is shown, a grid's cell or a chart included."""
    return isolate_runs(" ".join(str(text).split()), lang)


def upsert(session: Session, model, key: dict, values: dict, report: LoadReport, kind: str):
    """The record of ``model`` with ``key``, created or brought up to ``values``; counted in ``report``."""
    obj = session.execute(select(model).filter_by(**key)).scalar_one_or_none()
    created = obj is None
    if created:
        obj = model(**key, **values)
        session.add(obj)
        changed = True
    else:
        changed = assign(obj, values)
    report.count(kind, created, changed)
    return obj


def as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def as_float(value) -> float | None:
    return None if value is None else float(value)
