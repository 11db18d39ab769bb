"""The indicators table as files: CSV (stable column codes), XLSX (headers in the reader's
language, numbers as numbers) and JSON, from ``queries.indicator_rows``, so a file holds
exactly what the page shows its reader: a small count withheld from the public is empty
and marked "small", restricted indicators only for readers of restricted data."""
from __future__ import annotations

import csv
import io

from dashboard import labels
from dashboard.i18n import gettext as _
from dashboard.plan.queries import IndicatorRow
from dashboard.spreadsheets import Sheet, csv_cell, exact_figures_note, protected_figures_note, xlsx_workbook

COLUMNS = ("code", "name", "type", "unit", "axis", "objective", "measure", "responsible", "baseline_value",
           "baseline_year", "latest_year", "latest_value", "latest_status", "target", "final_target",
           "achievement_percent", "achievement_status", "days_since_update", "stale", "demonstration", "public")


def _record(row: IndicatorRow) -> dict:
    achievement = row["achievement"]
    return {
        "code": row["code"], "name": row["name"], "type": row["type"], "unit": row["unit"], "axis": row["axis"],
        "objective": row["objective"], "measure": row["measure"], "responsible": row["responsible"],
        "baseline_value": row["baseline_value"], "baseline_year": row["baseline_year"],
        "latest_year": row["latest_year"], "latest_value": row["latest_value"],
        "latest_status": "small" if row["latest_hidden"] else ("none" if row["latest_year"] is None else "shown"),
        "target": row["target"], "final_target": row["final_target"],
        "achievement_percent": None if achievement is None else round(achievement * 100, 1),
        "achievement_status": row["achievement_status"], "days_since_update": row["days_since_update"],
        "stale": row["stale"], "demonstration": bool(row["value_is_demo"]), "public": row["is_public"],
    }


def indicators_json(rows: list[IndicatorRow], lang: str) -> dict:
    return {"language": lang, "columns": list(COLUMNS), "indicators": [_record(r) for r in rows]}


def indicators_csv(rows: list[IndicatorRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        record = _record(row)
        writer.writerow([csv_cell("" if record[c] is None else record[c]) for c in COLUMNS])
    return "\ufeff" + out.getvalue()  # a byte-order mark: spreadsheets read the Arabic as UTF-8


def shows_exact_figures(rows: list[IndicatorRow], public_rows: list[IndicatorRow]) -> bool:
    """Whether ``rows`` show a latest value that the public's rows withhold as a small count."""
    withheld = {row["code"] for row in public_rows if row["latest_hidden"]}
    return any(row["code"] in withheld and not row["latest_hidden"] for row in rows)


def indicators_xlsx(rows: list[IndicatorRow], lang: str, exact: bool = False) -> bytes:
    """The table and a sheet of sources; every sheet says when it holds exact figures
    (``shows_exact_figures``), or how small counts are shown when one is withheld."""
    types, units, statuses = labels.indicator_type(), labels.unit(), labels.achievement_status()
    headers = [_("Code"), _("Indicator"), _("Type"), _("Unit"), _("Strategic axis"), _("Baseline"),
               _("Baseline year"), _("Year"), _("Latest value"), _("Target for that year"), _("Achievement (%)"),
               _("Achievement status"), _("Responsible entity"), _("Days since last report"), _("Data")]
    table = []
    for row in rows:
        record = _record(row)
        latest = _("<%(n)s", n=row["threshold"]) if row["latest_hidden"] else record["latest_value"]
        table.append([record["code"], record["name"], types.get(row["type"], row["type"]),
                      units.get(row["unit"], row["unit"]), record["axis"], record["baseline_value"],
                      record["baseline_year"], record["latest_year"], latest, record["target"],
                      record["achievement_percent"], statuses[row["achievement_status"]], record["responsible"],
                      record["days_since_update"],
                      _("Demonstration data") if record["demonstration"] else _("Published")])
    if exact:
        note = exact_figures_note()
    elif any(row["latest_hidden"] for row in rows):
        note = protected_figures_note(rows[0]["threshold"])
    else:
        note = ""
    sources = sorted({(row["responsible"] or "", _("Values reported by the responsible entity and validated "
                                                    "by the commission")) for row in rows})
    return xlsx_workbook([
        Sheet(_("Indicators"), headers, table, note),
        Sheet(_("Sources"), [_("Responsible entity"), _("Source")], [list(s) for s in sources], note),
    ], right_to_left=lang == "ar")
