"""Small-cell suppression of victim counts on public pages.

A breakdown of a sensitive indicator (``Indicator.is_sensitive``) must not show a count
from 1 to ``threshold - 1``: so few people can be identified. Hiding those cells
(primary suppression) is not enough, because a single hidden cell equals the total
minus the shown cells. Other cells are therefore hidden too (secondary suppression)
until no hidden cell can be worked out.

What a reader is assumed to know, and what ``suppress`` protects against:

- the sum of the hidden cells (the total minus the shown cells, or the same total
  split along another dimension elsewhere on the page);
- a cell hidden because it is small lies between 1 and ``threshold - 1`` (its label
  says "<5");
- any other hidden cell is at least ``threshold`` and at most the smallest shown
  non-zero cell (the rule hides the smallest one);
- zeros are shown: a zero identifies no one.

A hidden cell is recoverable when these bounds leave it fewer than two possible
values; then the next smallest shown non-zero cell is hidden as well. When no cell is
left to hide, the whole breakdown is withheld.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from flask import current_app, has_app_context

DEFAULT_THRESHOLD = 5


@dataclass(frozen=True)
class Release:
    """What may be published of one breakdown."""

    cells: dict[str, float | None]  # None: hidden
    total: float | None  # None: hidden (or there was none)
    small: frozenset[str]  # cells hidden because they are small, labelled "<threshold"
    withheld: bool = False  # nothing of the breakdown can be shown safely


def suppress(
    cells: dict[str, float], total: float | None, threshold: int = DEFAULT_THRESHOLD
) -> Release:
    """Primary and secondary suppression of one breakdown and its total.

    ``suppress({}, total)`` checks a lone total (a point of a trend line).
    """
    values = {key: float(value) for key, value in cells.items()}
    small = {key for key, value in values.items() if 0 < value < threshold}
    shown_total = None if total is None or 0 < total < threshold else float(total)
    hidden = set(small)
    while hidden:
        shown_nonzero = sorted(
            (value, key) for key, value in values.items() if key not in hidden and value > 0
        )
        cap = shown_nonzero[0][0] if shown_nonzero else math.inf
        bounds = [(1.0, threshold - 1.0) if key in small else (float(threshold), cap)
                  for key in hidden]
        sums = {sum(values[key] for key in hidden)}
        if shown_total is not None:
            # When the cells do not add up to the total, a reader still tries this.
            sums.add(shown_total - sum(v for k, v in values.items() if k not in hidden))
        if not any(_pinned(bounds, hidden_sum) for hidden_sum in sums):
            break
        if not shown_nonzero:
            return Release({key: None for key in values}, shown_total, frozenset(), True)
        hidden.add(shown_nonzero[0][1])
    return Release(
        {key: None if key in hidden else value for key, value in values.items()},
        shown_total,
        frozenset(small),
    )


def _pinned(bounds: list[tuple[float, float]], hidden_sum: float) -> bool:
    """True when the bounds and their sum leave some cell fewer than two integer values."""
    for i, (low, high) in enumerate(bounds):
        others_low = sum(b[0] for j, b in enumerate(bounds) if j != i)
        others_high = sum(b[1] for j, b in enumerate(bounds) if j != i)
        least = max(low, hidden_sum - others_high)
        most = min(high, hidden_sum - others_low)
        # An empty range means the figures are inconsistent: nothing is learnt.
        if least <= most and most - least < 1:
            return True
    return False


def configured_threshold() -> int:
    """The app's ``SMALL_CELL_THRESHOLD`` setting, else the default of 5."""
    if has_app_context():
        return int(current_app.config.get("SMALL_CELL_THRESHOLD", DEFAULT_THRESHOLD))
    return DEFAULT_THRESHOLD
