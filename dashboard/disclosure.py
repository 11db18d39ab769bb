"""Small-cell suppression of victim counts on public pages.

A count from 1 to ``threshold - 1`` must not be published: so few people can be
identified. Hiding those cells (primary suppression) is not enough, because a hidden cell
can often be worked out from a total and the cells that are shown. Other cells are
therefore hidden too (secondary suppression) until no hidden cell can be worked out.

``release`` is the gate every public figure of a table goes through: a total, its
breakdowns along one or more dimensions (sex, age group...), crossed breakdowns of two
dimensions (sex x age group, region x sex) with or without their margins, and published
shares of that total. ``suppress`` is the same rule for one breakdown and its total.

What a reader is assumed to know, and what ``release`` protects against:

- every equation between the published figures: a total (or a margin) is the sum of its
  cells along each dimension, and the sum of a whole crossed table. Where categories
  overlap or leave people out (forms of exploitation), the reader is assumed to know the
  difference anyway, so the sum of the hidden cells of every line is known;
- categories that were not published (the Moroccan victims when only the foreign ones
  were, regions left out) are unknown, unless they are zero: a reader who takes the
  missing categories for zero is then right. They are counts too: a small one must not
  be determined by the figures that are shown;
- a published share of the total gives its count (share x total);
- a cell hidden because it is small lies between 1 and ``threshold - 1`` (its label says
  "<5"); any other hidden cell is at least ``threshold`` and at most the smallest cell
  still shown in one of its lines (the rule hides the smallest one); zeros are shown: a
  zero identifies no one;
- a small total is shown as "<5" and its breakdowns are withheld: "all of them were
  women" would say too much about a handful of people.

The reader combines all of this by interval propagation: each equation narrows the range
of every figure in it, until nothing changes. A hidden cell is recoverable when its range
holds fewer than two whole numbers; then the smallest shown non-zero cell of a line
around it is hidden as well. When no cell is left to hide, the breakdowns are withheld
and only the total remains.
"""
from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask import current_app, has_app_context

DEFAULT_THRESHOLD = 5
SHOWN, SMALL, HIDDEN = "shown", "small", "hidden"

Cell = tuple[tuple[str, str], ...]  # sorted (dimension, category) pairs; () is the total
_TOTAL: Cell = ()
_EPSILON = 1e-9


@dataclass(frozen=True)
class Release:
    """What may be published of one breakdown."""

    cells: dict[str, float | None]  # None: hidden
    total: float | None  # None: hidden (or there was none)
    small: frozenset[str]  # cells hidden because they are small, labelled "<threshold"
    withheld: bool = False  # nothing of the breakdown can be shown safely


@dataclass(frozen=True)
class TableRelease:
    """What may be published of a table: counts by breakdown key ("" for the total,
    ``models.breakdown_key`` for a cell) and shares (percent) by breakdown key."""

    cells: dict[str, float | None]  # None: hidden
    small: frozenset[str] = frozenset()  # hidden because small: labelled "<threshold"
    withheld: bool = False  # the breakdowns are hidden, the total alone may show
    shares: dict[str, float | None] = field(default_factory=dict)  # None: hidden

    def status(self, key: str) -> str:
        """``SHOWN``, ``SMALL`` ("<5") or ``HIDDEN`` (to protect another cell)."""
        if key in self.small:
            return SMALL
        value = self.cells[key] if key in self.cells else self.shares.get(key)
        return HIDDEN if value is None else SHOWN


def release(
    counts: Mapping[str, float],
    shares: Mapping[str, float] | None = None,
    *,
    exact: bool = False,
    threshold: int | None = None,
    exhaustive: Mapping[str, Sequence[str]] | None = None,
) -> TableRelease:
    """The figures of one table as they may be published.

    ``counts`` and ``shares`` are keyed by breakdown key (``"sex=male;age_group=child"``,
    ``""`` for the total). ``exhaustive`` gives, for the dimensions whose categories
    cover everyone (sex, age group...), all their categories: the ones missing from
    ``counts`` are then counts the reader does not know (unless they are zero), where
    the rest of a dimension that leaves people out is taken as known.
    ``exact`` readers (allowed ``read_exact_statistics``) get every figure as it is.
    """
    shares = dict(shares or {})
    if exact:
        return TableRelease(dict(counts), shares=shares)
    threshold = threshold or configured_threshold()
    cells = {_parse(key): float(value) for key, value in counts.items()}
    total = cells.get(_TOTAL)
    implied = {}
    if total is not None:
        # A share of a known total is a count: protect it as one.
        implied = {_parse(key): float(round(share * total / 100)) for key, share in shares.items()
                   if key and _parse(key) not in cells}
    dimensions = tuple(sorted((d, tuple(c)) for d, c in (exhaustive or {}).items()))
    hidden, small, withheld = _protect(tuple(sorted({**cells, **implied}.items())), threshold,
                                       dimensions)
    keys = {_parse(key): key for key in [*counts, *shares]}
    return TableRelease(
        cells={key: None if _parse(key) in hidden else value for key, value in counts.items()},
        small=frozenset(keys[cell] for cell in small if cell in keys and keys[cell] in counts),
        withheld=withheld,
        shares={key: None if _parse(key) in hidden else value for key, value in shares.items()},
    )


def suppress(
    cells: dict[str, float], total: float | None, threshold: int = DEFAULT_THRESHOLD
) -> Release:
    """Primary and secondary suppression of one breakdown and its total.

    ``suppress({}, total)`` checks a lone total (a point of a trend line). Without a
    total the reader is still assumed to know the sum of the cells.
    """
    names = {((("cell", key),)): key for key in cells}
    table = {cell: float(cells[key]) for cell, key in names.items()}
    table[_TOTAL] = float(sum(cells.values()) if total is None else total)
    hidden, small, withheld = _protect(tuple(sorted(table.items())), threshold, ())
    return Release(
        {key: None if cell in hidden else float(cells[key]) for cell, key in names.items()},
        None if total is None or _TOTAL in hidden else float(total),
        frozenset() if withheld else frozenset(names[cell] for cell in small if cell in names),
        withheld,
    )


def configured_threshold() -> int:
    """The app's ``SMALL_CELL_THRESHOLD`` setting, else the default of 5."""
    if has_app_context():
        return int(current_app.config.get("SMALL_CELL_THRESHOLD", DEFAULT_THRESHOLD))
    return DEFAULT_THRESHOLD


def _parse(key: str) -> Cell:
    """``"sex=male;age_group=child"`` as sorted pairs."""
    return tuple(sorted(tuple(part.split("=", 1)) for part in key.split(";") if "=" in part))


# --- the table model and the reader's reasoning ------------------------------------------


@dataclass
class _Line:
    """``parent = residual + sum(members)``: a total or margin split along a dimension."""

    parent: object
    members: list
    residual: float = 0.0

    def implied(self, figure, bounds: dict[object, list[float]]) -> list[float]:
        """The range this line alone leaves ``figure``, given the ranges of the others."""
        if figure == self.parent:
            return [self.residual + sum(bounds[m][0] for m in self.members),
                    self.residual + sum(bounds[m][1] for m in self.members)]
        others = [m for m in self.members if m != figure]
        return [bounds[self.parent][0] - self.residual - sum(bounds[m][1] for m in others),
                bounds[self.parent][1] - self.residual - sum(bounds[m][0] for m in others)]


class _Table:
    """The published cells, the unpublished figures they imply, and the equations."""

    def __init__(self, cells: dict[Cell, float], exhaustive: dict[str, tuple[str, ...]]):
        if any(len(cell) > 2 for cell in cells):
            raise ValueError("breakdowns cross at most two dimensions")
        self.published = cells
        self.truth = dict(cells)
        crossed = [cell for cell in cells if len(cell) == 2]
        margins = sorted({(pair,) for cell in crossed for pair in cell} - set(cells))
        lines: dict[tuple, _Line] = {}

        def line(parent, dimension) -> _Line:
            return lines.setdefault((parent, dimension), _Line(parent, []))

        for cell in sorted(set(cells) | set(margins)):
            if len(cell) == 1:
                line(_TOTAL, cell[0][0]).members.append(cell)
            elif len(cell) == 2:
                first, second = cell
                line((second,), first[0]).members.append(cell)
                line((first,), second[0]).members.append(cell)
                line(_TOTAL, (first[0], second[0])).members.append(cell)
        # Unpublished margins are the sums of their crossed cells, then the total the
        # largest sum of its breakdowns.
        for parent in [*margins, *([] if _TOTAL in cells else [_TOTAL])]:
            sums = [sum(self.truth[m] for m in ln.members) for (p, _d), ln in lines.items()
                    if p == parent]
            self.truth[parent] = max(sums, default=0.0)
        self.unpublished = set(margins) | ({_TOTAL} - set(cells))
        for (parent, dimension), ln in list(lines.items()):
            names = dimension if isinstance(dimension, tuple) else (dimension,)
            if all(name in exhaustive for name in names):
                present = {tuple(c for _d, c in m if _d in names) for m in ln.members}
                full = set(itertools.product(*(exhaustive[name] for name in names)))
                if present < full:
                    if len(names) == 2:
                        # Rows and columns already say what a partial crossed table can.
                        del lines[(parent, dimension)]
                        continue
                    rest = ("rest", parent, dimension)  # the categories left unpublished
                    self.truth[rest] = max(0.0, self.truth[parent]
                                           - sum(self.truth[m] for m in ln.members))
                    self.unpublished.add(rest)
                    ln.members.append(rest)
            ln.residual = self.truth[parent] - sum(self.truth[m] for m in ln.members)
        self.lines = list(lines.values())
        self.figures = sorted({*self.truth}, key=repr)
        self.lines_of: dict[object, list[_Line]] = {f: [] for f in self.figures}
        for ln in self.lines:
            for figure in [ln.parent, *ln.members]:
                self.lines_of[figure].append(ln)

    def bounds(self, hidden: set, small: set, threshold: int) -> dict[object, list[float]]:
        """What the reader knows of each figure before combining the equations."""
        known = {}
        for figure in self.figures:
            if figure[:1] == ("rest",) and self.truth[figure] == 0:
                # Categories left out because they are zero: a reader guessing so is right.
                known[figure] = [0.0, 0.0]
            elif figure in self.unpublished:
                known[figure] = [0.0, math.inf]
            elif figure in small:
                known[figure] = [1.0, threshold - 1.0]
            elif figure in hidden:
                known[figure] = [float(threshold), self._cap(figure, hidden)]
            else:
                known[figure] = [self.truth[figure]] * 2
        return known

    def _cap(self, figure, hidden: set) -> float:
        """A cell hidden to protect another is at most the smallest cell still shown in
        the line it was taken from: in one of its lines."""
        caps = []
        for ln in self.lines_of[figure]:
            shown = [self.truth[f] for f in self._candidates(ln, hidden)]
            caps.append(min(shown, default=math.inf))
        return max(caps, default=math.inf)

    def _candidates(self, ln: _Line, hidden: set) -> list:
        """Cells of a line that could still be hidden: published, shown, not zero, not
        the total (the headline figure, never hidden to protect a cell)."""
        return [f for f in [ln.parent, *ln.members]
                if f in self.published and f != _TOTAL and f not in hidden and self.truth[f] > 0]

    def next_to_hide(self, figure, hidden: set, known: dict[object, list[float]]):
        """The smallest shown cell in a line around ``figure`` (in a line that alone pins it
        down, given what the reader knows, if one does), looking further out through hidden
        figures when the nearest lines have none; None when none is left."""
        pinning = [ln for ln in self.lines_of[figure] if _pinned(ln.implied(figure, known))]
        candidates = {f for ln in pinning for f in self._candidates(ln, hidden)}
        if candidates:
            return min(candidates, key=lambda f: (self.truth[f], repr(f)))
        seen, frontier = {figure}, [figure]
        while frontier:
            around = [ln for f in frontier for ln in self.lines_of[f]]
            candidates = {f for ln in around for f in self._candidates(ln, hidden)}
            if candidates:
                return min(candidates, key=lambda f: (self.truth[f], repr(f)))
            frontier = [f for ln in around for f in [ln.parent, *ln.members]
                        if f not in seen and (f in hidden or f in self.unpublished)]
            seen.update(frontier)
        return None


def propagate(lines: list[_Line], known: dict[object, list[float]]) -> dict[object, list[float]]:
    """Interval propagation over ``parent = residual + sum(members)`` to a fixed point:
    the range of whole numbers each figure can still take."""
    bounds = {f: list(b) for f, b in known.items()}

    def narrow(figure, low: float, high: float) -> bool:
        current = bounds[figure]
        low = math.ceil(low - _EPSILON) if low != -math.inf else low
        high = math.floor(high + _EPSILON) if high != math.inf else high
        changed = False
        if low > current[0]:
            current[0], changed = low, True
        if high < current[1]:
            current[1], changed = high, True
        return changed

    for _round in range(1000):  # bounded: each round narrows some range by one or more
        changed = False
        for ln in lines:
            low_sum, high_sum, unbounded = 0.0, 0.0, 0
            for member in ln.members:
                low_sum += bounds[member][0]
                if bounds[member][1] == math.inf:
                    unbounded += 1
                else:
                    high_sum += bounds[member][1]
            parent_low, parent_high = bounds[ln.parent]
            changed |= narrow(ln.parent, ln.residual + low_sum,
                              ln.residual + high_sum if not unbounded else math.inf)
            for member in ln.members:
                low, high = bounds[member]
                others_low = low_sum - low
                if high == math.inf:
                    others_high = high_sum if unbounded == 1 else math.inf
                else:
                    others_high = high_sum - high if not unbounded else math.inf
                changed |= narrow(member, parent_low - ln.residual - others_high,
                                  parent_high - ln.residual - others_low)
        if not changed:
            break
    return bounds


def _pinned(bounds: list[float]) -> bool:
    """Fewer than two whole numbers left (an empty range: inconsistent figures, nothing
    is learnt)."""
    return bounds[0] <= bounds[1] and bounds[1] - bounds[0] < 1


@functools.lru_cache(maxsize=4096)
def _protect(items: tuple[tuple[Cell, float], ...], threshold: int,
             exhaustive: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[frozenset, frozenset, bool]:
    """(hidden cells, of which small ones, withheld) for one table; cached, as pages ask
    for the same tables again and again."""
    cells = dict(items)
    table = _Table(cells, dict(exhaustive))
    small = {cell for cell, value in cells.items() if 0 < value < threshold}
    breakdowns = frozenset(cell for cell in cells if cell != _TOTAL)
    if _TOTAL in small:
        return breakdowns | {_TOTAL}, frozenset(small & {_TOTAL}), bool(breakdowns)
    hidden = set(small)
    # Unpublished counts that are small must stay unknown too.
    watched = [f for f in table.figures if f in table.unpublished and 0 < table.truth[f] < threshold]
    while True:
        known = table.bounds(hidden, small, threshold)
        bounds = propagate(table.lines, known)
        exposed = next((f for f in [*sorted(hidden, key=repr), *watched] if _pinned(bounds[f])), None)
        if exposed is None:
            return frozenset(hidden), frozenset(small), False
        chosen = table.next_to_hide(exposed, hidden, known)
        if chosen is None:
            return breakdowns, frozenset(), True
        hidden.add(chosen)
