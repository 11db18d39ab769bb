"""Small-cell suppression of victim counts on public pages.

A count from 1 to ``threshold - 1`` must not be published: so few people can be
identified. Hiding those cells (primary suppression) is not enough, because a hidden cell
can often be worked out from a total and the cells that are shown. Other cells are
therefore hidden too (secondary suppression) until no hidden cell can be worked out.

``release_periods`` is the gate every public figure goes through, and ``release`` the
same for a table of one period. A table is every figure a reader can add up: a total,
its breakdowns along one or more dimensions (sex, age group...), crossed breakdowns of
two dimensions (sex x age group, region x sex) with or without their margins, published
shares of that total, and the same figures for every period that adds up with another:
half-years and quarters with their year, years with a multi-year period ("2017-2019").
A period is one more dimension, whose total is the widest period: a breakdown of a
half-year is a cell crossed with that half-year. ``suppress`` is the rule for one
breakdown and its total.

What a reader is assumed to know, and what ``release_periods`` protects against:

- every equation between the published figures: a total (or a margin) is the sum of its
  cells along each dimension, and the sum of a whole crossed table; a year is the sum of
  its half-years and of its quarters, a half-year of its quarters, a multi-year period of
  its years, for the total and for every cell alike. Where categories overlap or leave
  people out (forms of exploitation), the reader is assumed to know the difference
  anyway, so the sum of the hidden cells of every line is known;
- categories that were not published (the Moroccan victims when only the foreign ones
  were, regions left out, a quarter not reported while its year was) are unknown,
  unless they are zero: a reader who takes the missing categories for zero is then
  right. They are counts too: a small one must not be determined by the figures that
  are shown;
- a published share of the total gives its count (share x total);
- a cell hidden because it is small lies between 1 and ``threshold - 1`` (its label says
  "<5"); any other hidden cell is at least ``threshold`` and at most the smallest cell
  still shown in one of its lines (the rule hides the smallest one); zeros are shown: a
  zero identifies no one;
- a small total (of any period) is shown as "<5" and its breakdowns are withheld: "all of
  them were women" would say too much about a handful of people, so they must not be
  worked out from other periods either.

The reader combines all of this by interval propagation: each equation narrows the range
of every figure in it, until nothing changes. A hidden cell is recoverable when its range
holds fewer than two whole numbers; then the smallest shown non-zero cell of a line
around it is hidden as well (never the total of the widest period, the headline figure).
When no cell is left to hide, the breakdowns are withheld and only the totals of the
periods remain (protected the same way); failing that, only the widest periods' totals.
"""
from __future__ import annotations

import functools
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from dashboard.config import running_setting

DEFAULT_THRESHOLD = 5
SHOWN, SMALL, HIDDEN = "shown", "small", "hidden"

Cell = tuple[tuple[str, str], ...]  # sorted (dimension, category) pairs; () is the total
_TOTAL: Cell = ()
_EPSILON = 1e-9
# A figure is (period, cell); the categories left out of a line are ("rest", parent, dimension).
_REST = "rest"

_YEAR = re.compile(r"(\d{4})")
_PART = re.compile(r"(\d{4})-([SQ])([1-4])")
_SPAN = re.compile(r"(\d{4})-(\d{4})")


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
    """The figures of one table of one period as they may be published.

    ``counts`` and ``shares`` are keyed by breakdown key (``"sex=male;age_group=child"``,
    ``""`` for the total). ``exhaustive`` gives, for the dimensions whose categories
    cover everyone (sex, age group...), all their categories: the ones missing from
    ``counts`` are then counts the reader does not know (unless they are zero), where
    the rest of a dimension that leaves people out is taken as known.
    ``exact`` readers (allowed ``read_exact_statistics``) get every figure as it is.
    """
    return release_periods({"": counts}, {"": shares or {}}, exact=exact, threshold=threshold,
                           exhaustive=exhaustive)[""]


def release_periods(
    tables: Mapping[str, Mapping[str, float]],
    shares: Mapping[str, Mapping[str, float]] | None = None,
    *,
    exact: bool = False,
    threshold: int | None = None,
    exhaustive: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, TableRelease]:
    """The figures of one series for every period, as they may be published.

    ``tables`` (and ``shares``) map a period ("2026", "2026-S1", "2026-Q3", "2017-2019")
    to its table, as ``release`` takes it. Periods that add up (``period_atoms``) form one
    table for the reader and are released together; the others are independent.
    """
    shares = {period: dict(values) for period, values in (shares or {}).items() if values}
    periods = list(dict.fromkeys([*tables, *shares]))
    if exact:
        return {p: TableRelease(dict(tables.get(p, {})), shares=dict(shares.get(p, {})))
                for p in periods}
    threshold = threshold or configured_threshold()
    dimensions = tuple(sorted((d, tuple(c)) for d, c in (exhaustive or {}).items()))
    result = {}
    for family in period_families(periods):
        figures: dict[tuple, float] = {}
        for period in family:
            cells = {_parse(key): float(value) for key, value in tables.get(period, {}).items()}
            figures.update({(period, cell): value for cell, value in cells.items()})
            total = cells.get(_TOTAL)
            if total is not None:
                # A share of a known total is a count: protect it as one.
                for key, share in shares.get(period, {}).items():
                    if key and _parse(key) not in cells:
                        figures[(period, _parse(key))] = float(round(share * total / 100))
        hidden, small, withheld = _protect(tuple(sorted(figures.items())), threshold, dimensions)
        for period in family:
            counts, own_shares = tables.get(period, {}), shares.get(period, {})
            result[period] = TableRelease(
                cells={key: None if (period, _parse(key)) in hidden else value
                       for key, value in counts.items()},
                small=frozenset(key for key in counts if (period, _parse(key)) in small),
                withheld=period in withheld,
                shares={key: None if (period, _parse(key)) in hidden else value
                        for key, value in own_shares.items()},
            )
    return result


def suppress(
    cells: dict[str, float], total: float | None, threshold: int = DEFAULT_THRESHOLD
) -> Release:
    """Primary and secondary suppression of one breakdown and its total.

    ``suppress({}, total)`` checks a lone total. Without a total the reader is still
    assumed to know the sum of the cells.
    """
    names = {((("cell", key),)): key for key in cells}
    table = {("", cell): float(cells[key]) for cell, key in names.items()}
    table[("", _TOTAL)] = float(sum(cells.values()) if total is None else total)
    hidden, small, withheld_periods = _protect(tuple(sorted(table.items())), threshold, ())
    withheld = "" in withheld_periods
    return Release(
        {key: None if ("", cell) in hidden else float(cells[key]) for cell, key in names.items()},
        None if total is None or ("", _TOTAL) in hidden else float(total),
        frozenset() if withheld else frozenset(names[c] for _p, c in small if c in names),
        withheld,
    )


def configured_threshold() -> int:
    """The running app's ``SMALL_CELL_THRESHOLD`` setting, else the default of 5.

    For callers that do not pass ``threshold`` yet; the web layer reads the setting with
    ``dashboard.web.settings.small_cell_threshold``."""
    return int(running_setting("SMALL_CELL_THRESHOLD", DEFAULT_THRESHOLD))


def period_atoms(period: str) -> frozenset[int] | None:
    """The quarters a period covers (year x 4 + quarter - 1): "2026", "2026-S2",
    "2026-Q3", "2017-2019"; None for anything else (a table of its own)."""
    text = str(period)
    if match := _YEAR.fullmatch(text):
        year = int(match[1])
        return frozenset(range(4 * year, 4 * year + 4))
    if match := _PART.fullmatch(text):
        year, kind, number = int(match[1]), match[2], int(match[3])
        if kind == "Q":
            return frozenset({4 * year + number - 1})
        return frozenset(range(4 * year + 2 * number - 2, 4 * year + 2 * number)) if number <= 2 else None
    if (match := _SPAN.fullmatch(text)) and int(match[1]) < int(match[2]):
        return frozenset(range(4 * int(match[1]), 4 * int(match[2]) + 4))
    return None


def period_families(periods: Iterable[str]) -> list[list[str]]:
    """The periods grouped into sets that share time (and so add up), in the given order."""
    periods = list(dict.fromkeys(periods))
    atoms = {p: period_atoms(p) for p in periods}
    families: list[tuple[list[str], set[int]]] = []
    for period in periods:
        own = atoms[period]
        if own is None:
            families.append(([period], set()))
            continue
        joined = [f for f in families if f[1] & own]
        merged = ([q for f in joined for q in f[0]] + [period], set(own).union(*(f[1] for f in joined)))
        families = [f for f in families if not any(f is j for j in joined)] + [merged]
    order = {p: i for i, p in enumerate(periods)}
    return sorted((sorted(members, key=order.get) for members, _a in families),
                  key=lambda members: order[members[0]])


def _parse(key: str) -> Cell:
    """``"sex=male;age_group=child"`` as sorted pairs."""
    return tuple(sorted(tuple(part.split("=", 1)) for part in key.split(";") if "=" in part))


# --- the table model and the reader's reasoning ------------------------------------------


def _children(period: str) -> list[list[str]]:
    """The ways a period splits into smaller ones: a multi-year period into its years, a
    year into its half-years and into its quarters, a half-year into its quarters."""
    if match := _SPAN.fullmatch(period):
        return [[str(y) for y in range(int(match[1]), int(match[2]) + 1)]]
    if _YEAR.fullmatch(period):
        return [[f"{period}-S1", f"{period}-S2"], [f"{period}-Q{q}" for q in range(1, 5)]]
    if (match := _PART.fullmatch(period)) and match[2] == "S":
        first = 2 * int(match[3]) - 1
        return [[f"{match[1]}-Q{first}", f"{match[1]}-Q{first + 1}"]]
    return []


def _ancestors(period: str) -> list[str]:
    """The half-year and year a quarter belongs to, the year of a half-year."""
    match = _PART.fullmatch(period)
    if not match:
        return []
    if match[2] == "S":
        return [match[1]]
    return [f"{match[1]}-S{(int(match[3]) + 1) // 2}", match[1]]


def _period_structure(periods: list[str]) -> tuple[list[str], list[tuple[str, list[str]]], set[str]]:
    """(periods of the model, period lines, headline periods) of a family of periods.

    The model holds the published periods, the half-years and years they belong to, the
    years of a multi-year period, and the other parts of every split one of them is in
    (the unreported quarters of a year...). Each period is the sum of each of its splits."""
    atoms = {p: period_atoms(p) for p in periods}
    if len(periods) < 2 or any(a is None for a in atoms.values()):
        return list(periods), [], set(periods)
    nodes = set(periods)
    for period in periods:
        nodes.update(_ancestors(period))
        if _SPAN.fullmatch(period):
            nodes.update(_children(period)[0])
    lines = []
    for period in sorted(nodes, key=lambda p: (-len(period_atoms(p)), p)):
        for split in _children(period):
            if any(child in nodes for child in split):
                nodes.update(split)
                lines.append((period, split))
    headlines = {p for p in periods if not any(atoms[p] < atoms[q] for q in periods)}
    return sorted(nodes), lines, headlines


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


def _node(figure) -> str:
    return figure[1][0] if figure[0] == _REST and len(figure) == 3 else figure[0]


class _Table:
    """The published figures of a family of periods, the unpublished figures they imply,
    and the equations between them."""

    def __init__(self, cells: dict[tuple, float], exhaustive: dict[str, tuple[str, ...]],
                 threshold: int):
        if any(len(cell) > 2 for _period, cell in cells):
            raise ValueError("breakdowns cross at most two dimensions")
        self.published = cells
        self.truth: dict = dict(cells)
        self._cells_of: dict[str, set] = defaultdict(set)
        for period, cell in cells:
            self._cells_of[period].add(cell)
        nodes, period_lines, headlines = _period_structure(sorted(self._cells_of))
        self.headlines = {(p, _TOTAL) for p in headlines}
        self._complete(nodes, period_lines)
        lines: dict[tuple, _Line] = {}
        for node, cell in sorted(self.truth):
            for size in range(1, len(cell) + 1):
                for split in itertools.combinations(cell, size):
                    parent = (node, tuple(pair for pair in cell if pair not in split))
                    dimensions = tuple(d for d, _c in split)
                    lines.setdefault((parent, dimensions), _Line(parent, [])).members.append((node, cell))
        self.unpublished = set(self.truth) - set(cells)
        for (parent, names), ln in list(lines.items()):
            if all(name in exhaustive for name in names):
                present = {tuple(c for d, c in m[1] if d in names) for m in ln.members}
                full = set(itertools.product(*(exhaustive[name] for name in names)))
                if present < full:
                    if len(names) == 2:
                        # Rows and columns already say what a partial crossed table can.
                        del lines[(parent, names)]
                        continue
                    rest = (_REST, parent, names[0])  # the categories left unpublished
                    self.truth[rest] = max(0.0, self.truth[parent]
                                           - sum(self.truth[m] for m in ln.members))
                    self.unpublished.add(rest)
                    ln.members.append(rest)
            ln.residual = self.truth[parent] - sum(self.truth[m] for m in ln.members)
        for index, (parent, members) in enumerate(period_lines):
            for cell in sorted(self._cells_of[parent]):
                figures = [(member, cell) for member in members if (member, cell) in self.truth]
                if len(figures) < len(members):
                    # The parts not reported: together, the rest of the period.
                    rest = (_REST, (parent, cell), f"period:{index}")
                    self.truth[rest] = max(0.0, self.truth[(parent, cell)]
                                           - sum(self.truth[f] for f in figures))
                    self.unpublished.add(rest)
                    figures.append(rest)
                ln = _Line((parent, cell), figures)
                ln.residual = self.truth[(parent, cell)] - sum(self.truth[f] for f in figures)
                lines[(("period", index), cell)] = ln
        self.lines = list(lines.values())
        self.figures = sorted(self.truth, key=repr)
        # What the full table says is zero (a category or period left out, a margin that
        # adds up): a reader who takes it for zero is right, whatever is hidden later.
        exact = propagate(self.lines, {f: [self.truth[f]] * 2 if f in cells else [0.0, math.inf]
                                       for f in self.figures})
        self.zeros = frozenset(f for f in self.figures if f not in cells and exact[f] == [0.0, 0.0])
        self.lines_of: dict[object, list[_Line]] = {f: [] for f in self.figures}
        for ln in self.lines:
            for figure in [ln.parent, *ln.members]:
                self.lines_of[figure].append(ln)
        # A period with a small total: its breakdowns are withheld, and must not be
        # worked out from other periods either, not even as zeros.
        small_nodes = {node for node in nodes if 0 < self.truth.get((node, _TOTAL), 0) < threshold}
        self.masked = frozenset(f for f in cells if f[1] != _TOTAL and f[0] in small_nodes)
        self.withheld = frozenset(f[0] for f in self.masked)
        # ... and what the reader can work out of them, zeros included, since no breakdown
        # of them is published for a reader to take a missing category for zero.
        self.withheld_figures = frozenset(
            f for f in self.unpublished if f[0] != _REST and f[1] != _TOTAL and f[0] in small_nodes)
        self.watched = [
            f for f in self.figures if f in self.withheld_figures
            or (f in self.unpublished and 0 < self.truth[f] < threshold)
            or (f in self.unpublished and _node(f) in small_nodes and self.truth[f] > 0)
        ]

    def _complete(self, nodes: list[str], period_lines: list[tuple[str, list[str]]]) -> None:
        """Add the unpublished figures a reader can work out: margins of crossed cells,
        missing totals, and a period's figure from the periods that make it up (or a
        missing piece from its period and the other pieces). When nothing more can be
        worked out, several unknown parts of a known period get values that agree with
        every published figure (``_share_out``), one line at a time; if the result does
        not add up everywhere, those values are dropped again."""
        before = (dict(self.truth), {n: set(c) for n, c in self._cells_of.items()})
        shared = False
        for _round in range(200):  # bounded: each round adds figures
            if self._complete_round(nodes, period_lines, share=False):
                continue
            if not self._complete_round(nodes, period_lines, share=True):
                break
            shared = True
        if shared and not self._adds_up(period_lines):
            self.truth, self._cells_of = before[0], defaultdict(set, before[1])
            while self._complete_round(nodes, period_lines, share=False):
                pass

    def _adds_up(self, period_lines: list[tuple[str, list[str]]]) -> bool:
        for parent, members in period_lines:
            for cell in self._cells_of[parent]:
                figures = [(m, cell) for m in members]
                if (parent, cell) in self.truth and all(f in self.truth for f in figures) \
                        and abs(self.truth[(parent, cell)] - sum(self.truth[f] for f in figures)) > _EPSILON:
                    return False
        return True

    def _complete_round(self, nodes: list[str], period_lines: list[tuple[str, list[str]]], share: bool) -> bool:
        changed = False
        for node in nodes:
            changed |= self._margins(node)
        for parent, members in period_lines:
            line_nodes = (parent, *members)
            for cell in sorted(set().union(*(self._cells_of[n] for n in line_nodes))):
                figures = [(n, cell) for n in line_nodes]
                missing = [f for f in figures if f not in self.truth]
                if not missing:
                    continue
                if self.truth.get((parent, cell)) == 0:
                    values = {f: 0.0 for f in missing}  # nothing to split
                elif len(missing) == 1 and missing[0] == (parent, cell):
                    values = {missing[0]: sum(self.truth[f] for f in figures[1:])}
                elif len(missing) == 1:
                    values = {missing[0]: max(0.0, self.truth[(parent, cell)] - sum(
                        self.truth[f] for f in figures[1:] if f != missing[0]))}
                elif share and (parent, cell) in self.truth:
                    values = self._share_out(parent, cell, figures[1:], missing, period_lines)
                    if values is None:
                        continue
                else:
                    continue
                for figure, value in values.items():
                    self.truth[figure] = value
                    self._cells_of[figure[0]].add(figure[1])
                if share:
                    return True  # one shared line, then what it lets the reader work out
                changed = True
        return changed

    def _share_out(self, parent: str, cell: tuple, figures: list, missing: list,
                   period_lines: list[tuple[str, list[str]]]) -> dict | None:
        """Values for several unpublished parts of a known period (2024 and 2025 of a
        published 2024-2026): each at least what its own published parts add up to, the
        rest on a part with an unpublished piece of its own. Any values that agree with
        every published figure serve: the reader's equations are what matter, and
        without these parts a published 2024-S1 would lose its tie to 2024-2026."""
        floors = {}
        for figure in missing:
            splits = [members for period, members in period_lines if period == figure[0]]
            sums = [sum(self.truth.get((m, cell), 0.0) for m in members) for members in splits]
            open_split = not splits or any(any((m, cell) not in self.truth for m in members) for members in splits)
            floors[figure] = (max(sums, default=0.0), open_split)
        rest = self.truth[(parent, cell)] - sum(self.truth[f] for f in figures if f not in missing) \
            - sum(floor for floor, _open in floors.values())
        values = {f: floor for f, (floor, _open) in floors.items()}
        room = {f: self._room(f) - values[f] for f in missing}
        if rest < 0 or any(r < 0 for r in room.values()):
            return None
        for figure in missing:  # the rest, where a part has an open piece and room left
            if rest > 0 and floors[figure][1]:
                taken = min(rest, room[figure])
                values[figure] += taken
                rest -= taken
        return values if rest == 0 else None

    def _room(self, figure) -> float:
        """How much a breakdown cell of a period can hold: its total less the other
        categories of its dimensions already known (a total: no limit)."""
        node, cell = figure
        if cell == _TOTAL or (node, _TOTAL) not in self.truth:
            return math.inf
        names = {d for d, _c in cell}
        others = [v for (n, c), v in self.truth.items()
                  if n == node and c != cell and len(c) == len(cell) and {d for d, _v in c} == names]
        return self.truth[(node, _TOTAL)] - sum(others)

    def _margins(self, node: str) -> bool:
        """Unpublished margins and total of a period: the largest sum of their cells."""
        added = False
        for size in (1, 0):
            present = sorted(self._cells_of[node])
            for cell in [c for c in present if len(c) > size]:
                for sub in itertools.combinations(cell, size):
                    if (node, sub) in self.truth:
                        continue
                    sums: dict[tuple, float] = defaultdict(float)
                    for other in present:
                        if len(other) > size and set(sub) <= set(other):
                            sums[tuple(d for d, _c in other if (d, _c) not in sub)] += self.truth[(node, other)]
                    self.truth[(node, sub)] = max(sums.values())
                    self._cells_of[node].add(sub)
                    added = True
        return added

    def bounds(self, hidden: set, small: set, threshold: int) -> dict[object, list[float]]:
        """What the reader knows of each figure before combining the equations."""
        known = {}
        for figure in self.figures:
            if figure in self.zeros:
                # Categories or periods left out because they are zero: a reader guessing
                # so is right.
                known[figure] = [0.0, 0.0]
            elif figure in self.unpublished or figure in self.masked:
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
        the total of a widest period (the headline figure, never hidden to protect a cell)."""
        return [f for f in [ln.parent, *ln.members]
                if f in self.published and f not in self.headlines and f not in hidden
                and self.truth[f] > 0]

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


def _solve(cells: dict[tuple, float], threshold: int,
           exhaustive: tuple[tuple[str, tuple[str, ...]], ...]):
    """(hidden, small, withheld periods) for a family, or None when no choice of cells to
    hide protects every small one."""
    table = _Table(cells, dict(exhaustive), threshold)
    small = {f for f, value in cells.items() if 0 < value < threshold and f not in table.masked}
    hidden = small | table.masked
    while True:
        known = table.bounds(hidden, small, threshold)
        bounds = propagate(table.lines, known)
        exposed = next((f for f in [*sorted(hidden, key=repr), *table.watched] if _pinned(bounds[f])), None)
        if exposed is None:
            return frozenset(hidden), frozenset(small), table.withheld
        chosen = table.next_to_hide(exposed, hidden, known)
        if chosen is None:
            return None
        hidden.add(chosen)


@functools.lru_cache(maxsize=4096)
def _protect(items: tuple[tuple[tuple, float], ...], threshold: int,
             exhaustive: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[frozenset, frozenset, frozenset]:
    """(hidden figures, of which small ones, periods whose breakdowns are withheld) for a
    family of periods; cached, as pages ask for the same tables again and again."""
    cells = dict(items)
    found = _solve(cells, threshold, exhaustive)
    if found is not None:
        return found
    # Withhold the breakdowns, and protect the periods' totals alone.
    breakdowns = frozenset(f for f in cells if f[1] != _TOTAL)
    broken_down = frozenset(p for p, _c in breakdowns)
    totals = {f: v for f, v in cells.items() if f[1] == _TOTAL}
    found = _solve(totals, threshold, exhaustive) if totals else (frozenset(), frozenset(), frozenset())
    if found is not None:
        return found[0] | breakdowns, found[1], found[2] | broken_down
    # Only the widest periods' totals remain ("<5" when small).
    _nodes, _lines, headlines = _period_structure(sorted({p for p, _c in cells}))
    shown = {(p, _TOTAL) for p in headlines if (p, _TOTAL) in cells}
    small = frozenset(f for f in shown if 0 < cells[f] < threshold)
    return frozenset(cells) - shown | small, small, frozenset(p for p, _c in cells)
