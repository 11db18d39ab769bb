"""Whether the figures of one table (one publisher, series and year) agree with each other.

A table holds a total (key ""), breakdowns along one dimension ("sex=female") and crossed
breakdowns of two ("age_group=child;sex=female"), as ``models.breakdown_key`` writes them.
Its figures must never say that:

- a figure is above a figure that contains it: a cell above its total, a crossed cell
  above one of its margins or the total (the children above all ages among them);
- figures of categories that exclude each other (sex, age group, nationality, region,
  place, scope: a person or a case is in one category only) add up past the figure that
  contains them. A missing category is no contradiction, it is unknown; a category left
  unpublished still counts at least as much as its known parts. Forms of exploitation
  overlap (one victim, several forms), so they are never summed.

``findings`` lists every rule a table breaks, naming the figures; ``introduced`` the ones
a change brings (or widens), which is what the validation flow refuses.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

PUBLISHED, PENDING, CANDIDATE = "published", "pending", "candidate"
_EPSILON = 1e-9

Cell = frozenset  # of (dimension, category) pairs; the empty set is the total


@dataclass(frozen=True)
class Entry:
    """A figure of the table and where it stands: published, waiting for review, or the
    figure being checked."""

    value: float
    origin: str = PUBLISHED


@dataclass(frozen=True)
class Term:
    key: str  # breakdown key
    value: float
    origin: str


@dataclass(frozen=True)
class Finding:
    """``terms`` (one figure, or several of exclusive categories) add up past ``parent``,
    a figure that contains them all."""

    kind: str  # "above" (one figure) or "sum" (figures of exclusive categories)
    parent: Term
    terms: tuple[Term, ...]
    rule: tuple  # which rule is broken, the same whatever the values

    @property
    def total(self) -> float:
        return sum(term.value for term in self.terms)

    @property
    def excess(self) -> float:
        return self.total - self.parent.value

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(term.key for term in self.terms)


def cell_of(key: str) -> Cell:
    return frozenset(tuple(part.split("=", 1)) for part in key.split(";") if "=" in part)


def key_of(cell: Cell) -> str:
    return ";".join(f"{dim}={category}" for dim, category in sorted(cell))


def _dims(cell: Cell) -> set[str]:
    return {dim for dim, _category in cell}


def findings(table: Mapping[str, Entry], exclusive: Collection[str]) -> list[Finding]:
    """Every contradiction in ``table`` (breakdown key -> ``Entry``), each once."""
    known = {cell_of(key): entry for key, entry in table.items()}
    known = {cell: entry for cell, entry in known.items() if len(cell) <= 2}
    exclusive = set(exclusive)

    def term(cell: Cell) -> Term:
        return Term(key_of(cell), float(known[cell].value), known[cell].origin)

    found: list[Finding] = []
    for parent in sorted(known, key=lambda c: (len(c), key_of(c))):
        ceiling = known[parent].value
        inside = [cell for cell in known if cell > parent]
        for cell in sorted(inside, key=key_of):
            # Named once, against the nearest figure it exceeds.
            nearer = any(parent < middle < cell and known[cell].value > known[middle].value + _EPSILON
                         for middle in known)
            if known[cell].value > ceiling + _EPSILON and not nearer:
                found.append(Finding("above", term(parent), (term(cell),), ("above", parent, cell)))
        if len(parent) >= 2:
            continue
        for dim in sorted(exclusive - _dims(parent)):
            parts = sorted({parent | {pair} for cell in inside for pair in cell if pair[0] == dim},
                           key=key_of)
            bounds = [_lower_bound(part, known, exclusive) for part in parts]
            cells = [cell for _value, used in bounds for cell in used]
            if len(cells) >= 2 and sum(value for value, _used in bounds) > ceiling + _EPSILON:
                found.append(Finding("sum", term(parent), tuple(term(c) for c in cells), ("sum", parent, dim)))
    unique, seen = [], set()
    for finding in found:
        if (finding.parent.key, finding.keys) not in seen:
            seen.add((finding.parent.key, finding.keys))
            unique.append(finding)
    return unique


def _lower_bound(cell: Cell, known: dict[Cell, Entry], exclusive: set[str]) -> tuple[float, tuple[Cell, ...]]:
    """The least ``cell`` can be, and the known figures that say so: its own figure, the sum
    of its known parts along an exclusive dimension, or its largest known part."""
    inside = [c for c in known if c > cell]
    options = [(known[cell].value, (cell,))] if cell in known else []
    options += [(known[c].value, (c,)) for c in inside]
    for dim in exclusive - _dims(cell):
        parts = sorted((c for c in inside if len(c) == len(cell) + 1 and dim in _dims(c)), key=key_of)
        if parts:
            options.append((sum(known[c].value for c in parts), tuple(parts)))
    return max(options, key=lambda option: (option[0], -len(option[1])), default=(0.0, ()))


def introduced(before: Mapping[str, Entry], after: Mapping[str, Entry],
               exclusive: Collection[str]) -> list[Finding]:
    """The contradictions of ``after`` that ``before`` did not have, or had by less: a
    table that already disagreed with itself (loaded from a file) can still be corrected
    one figure at a time."""
    earlier = {finding.rule: finding.excess for finding in findings(before, exclusive)}
    return [finding for finding in findings(after, exclusive)
            if finding.rule not in earlier or finding.excess > earlier[finding.rule] + _EPSILON]
