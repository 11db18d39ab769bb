"""Demonstration indicator values, generated once from the illustrative plan.

The output is committed as ``data/demo/indicator_values.csv`` so that what the demo
shows is a file anyone can read. Values move from each indicator's baseline toward its
yearly targets with a deterministic random spread; the latest two years are broken
down by every disaggregation the indicator supports, and the cells add up to the total.
Indicators that carry published figures are left alone: their values are real.
"""
from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from dashboard.ingest.plan_file import VALUE_COLUMNS, iter_indicators
from dashboard.models import DISAGGREGATIONS
from dashboard.plan.progress import target_for_year

# Shares used to split a total across a disaggregation (they sum to 1 per dimension).
SHARES = {
    "sex": {"female": 0.58, "male": 0.42},
    "age_group": {"adult": 0.64, "child": 0.36},
    "nationality": {"moroccan": 0.83, "foreign": 0.17},
    "exploitation_form": {
        "sexual": 0.55, "forced_labour": 0.18, "begging": 0.08, "slavery_like": 0.1,
        "forced_criminality": 0.05, "other": 0.04,
    },
    "region": {code: share for code, share in zip(
        DISAGGREGATIONS["region"],
        (0.14, 0.07, 0.1, 0.15, 0.05, 0.2, 0.11, 0.03, 0.08, 0.03, 0.02, 0.02),
    )},
}
LAST_REPORTED_YEAR = 2025


def split(total: float, shares: dict[str, float], whole: bool) -> dict[str, float]:
    """Split ``total`` by ``shares``; whole numbers keep the sum exact (largest remainder)."""
    if not whole:
        return {k: round(total * s, 1) for k, s in shares.items()}
    raw = {k: total * s for k, s in shares.items()}
    cells = {k: int(v) for k, v in raw.items()}
    leftover = round(total) - sum(cells.values())
    for key in sorted(raw, key=lambda k: raw[k] - cells[k], reverse=True)[:max(0, leftover)]:
        cells[key] += 1
    return {k: float(v) for k, v in cells.items()}


def generate_values(plan_doc: dict, seed: int = 2023) -> list[dict]:
    rng = random.Random(seed)
    rows: list[dict] = []
    for indicator, _objective, _measure in iter_indicators(plan_doc):
        if indicator.get("values"):
            continue  # published figures: never mixed with invented ones
        targets = {int(y): float(v) for y, v in (indicator.get("targets") or {}).items()}
        if not targets or rng.random() < 0.04:
            continue  # a few indicators have no data yet, as in real monitoring
        baseline = indicator.get("baseline") or {}
        base_value = baseline.get("value")
        first_year = max(2023, (baseline.get("year") or 2022) + 1)
        last_year = LAST_REPORTED_YEAR if rng.random() > 0.15 else LAST_REPORTED_YEAR - 1
        whole = indicator["unit"] in ("number", "MAD", "days")
        start = float(base_value) if base_value is not None else targets[min(targets)] * 0.4
        for year in range(first_year, last_year + 1):
            target = target_for_year(targets, year)
            if target is None:
                continue
            value = start + (target - start) * rng.uniform(0.45, 1.12)
            if indicator["unit"] == "percent":
                value = min(100.0, max(0.0, value))
            value = float(round(value)) if whole else round(value, 1)
            reported = dt.date(year + 1, 1, 15) + dt.timedelta(days=rng.randint(0, 300))
            reported = min(reported, dt.date(2026, 11, 10))
            rows.append(_row(indicator["code"], year, value, {}, reported))
            if year < last_year - 1 or indicator["unit"] == "percent":
                continue
            for dimension in indicator.get("disaggregations") or []:
                for cell, cell_value in split(value, SHARES[dimension], whole).items():
                    rows.append(_row(indicator["code"], year, cell_value, {dimension: cell}, reported))
    return rows


def _row(code: str, year: int, value: float, cells: dict, reported: dt.date) -> dict:
    row = {column: "" for column in VALUE_COLUMNS}
    row.update(
        indicator=code,
        period=str(year),
        value=f"{value:g}",
        reported_on=reported.isoformat(),
        # No source: a CSV cell has one language, and the pages and files already say
        # "demonstration data" in the reader's own (the value's is_demo).
        source="",
        **cells,
    )
    return row


def write_values(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=VALUE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
