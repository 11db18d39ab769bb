"""Partners' programmes and funding (dashboard/national/funding.py): sums per currency and scope,
conversion to dirhams at the stated rate, unknown amounts, and the loader.

The seeded database holds the reference programmes (data/reference/programmes.yaml) with
the indicative rates 1 EUR = 10.80, 1 USD = 10.00, 1 CHF = 11.30 MAD, and no link to a
measure (those are demonstration data).
"""
from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from dashboard.ingest import funding as funding_files
from dashboard.ingest.datafiles import DataFileError, Problem
from dashboard.ingest.loader import LoadReport
from dashboard.models import ExchangeRate, Programme
from dashboard.national import funding
from dashboard.national.funding import NO_AXIS, SEVERAL_AXES, Rate
from helpers import DATA_DIR

RATES = {
    "EUR": Rate("EUR", Decimal("10.80"), dt.date(2026, 11, 20), "indicative"),
    "USD": Rate("USD", Decimal("10.00"), dt.date(2026, 11, 20), "indicative"),
}


def row(code: str, amount, currency: str | None, scope: str = "morocco", partners=("EU",),
        measures=(), disbursed=None) -> dict:
    """A programme row as ``funding.programmes`` returns it."""
    amount = None if amount is None else Decimal(amount)
    disbursed = None if disbursed is None else Decimal(disbursed)
    return {
        "code": code, "acronym": code, "name": code, "scope": scope,
        "partners": [{"acronym": p, "name": p} for p in sorted(partners)],
        "currency": currency, "committed": amount, "disbursed": disbursed,
        "committed_mad": funding.to_mad(amount, currency, RATES),
        "disbursed_mad": funding.to_mad(disbursed, currency, RATES),
        "rate": RATES.get(currency), "measures_are_demo": True,
        "measures": [{"code": m, "name": m, "axis": m.split(".")[0], "status": "in_progress",
                      "progress": 40, "is_demo": True} for m in measures],
    }


# --- amounts ----------------------------------------------------------------------------


def test_conversion_uses_the_stated_rate():
    assert funding.to_mad(Decimal(3334000), "EUR", RATES) == Decimal("36007200.00")
    assert funding.to_mad(Decimal(2500000), "USD", RATES) == Decimal("25000000.00")
    assert funding.to_mad(Decimal(1000), "MAD", RATES) == Decimal(1000)
    assert funding.to_mad(None, "EUR", RATES) is None
    assert funding.to_mad(Decimal(1000), "CHF", RATES) is None  # no stated rate: not guessed


def test_totals_per_currency_never_add_raw_amounts_of_different_currencies():
    totals = funding.totals([row("A", "1000", "EUR"), row("B", "500", "EUR"), row("C", "2000", "USD")])
    morocco = totals["morocco"]
    assert morocco.by_currency == {"EUR": Decimal(1500), "USD": Decimal(2000)}
    # 1 500 EUR at 10.80 + 2 000 USD at 10.00, not 3 500 of anything.
    assert morocco.mad == Decimal(16200) + Decimal(20000)
    assert morocco.programmes == 3 and morocco.with_amount == 3


def test_unknown_amounts_are_counted_not_added_as_zero():
    totals = funding.totals([row("A", "1000", "EUR"), row("B", None, None), row("C", None, None)])
    morocco = totals["morocco"]
    assert morocco.programmes == 3
    assert morocco.without_amount == 2 and morocco.with_amount == 1
    assert morocco.mad == Decimal(10800)
    assert morocco.by_currency == {"EUR": Decimal(1000)}


def test_an_amount_without_a_rate_is_kept_in_its_currency_and_flagged():
    totals = funding.totals([row("A", "1000", "CHF"), row("B", "10", "EUR")])["morocco"]
    assert totals.by_currency == {"CHF": Decimal(1000), "EUR": Decimal(10)}
    assert totals.without_rate == 1
    assert totals.mad == Decimal(108)


def test_global_and_regional_budgets_stay_apart_from_morocco():
    rows = [row("JTIP", "2500000", "USD"), row("GLO", "11000000", "EUR", "global"),
            row("SOUTH", "3334000", "EUR", "regional")]
    totals = funding.totals(rows)
    assert totals["morocco"].mad == Decimal(25000000)
    assert totals["global"].mad == Decimal(118800000)
    assert totals["regional"].mad == Decimal(36007200)
    assert totals["morocco"].by_currency == {"USD": Decimal(2500000)}


def test_disbursed_unknown_is_reported_as_unknown():
    totals = funding.totals([row("A", "1000", "EUR"), row("B", "10", "EUR", disbursed="5")], "disbursed")
    assert totals["morocco"].without_amount == 1
    assert totals["morocco"].mad == Decimal(54)


def test_a_joint_programme_is_not_split_between_its_partners():
    rows = [row("EU-ONLY", "100", "EUR", partners=("EU",)),
            row("JOINT", "1000", "EUR", partners=("EU", "COE")),
            row("COE-ONLY", None, None, partners=("COE",))]
    buckets = {tuple(b["partners"]): b for b in funding.by_partner(rows)}
    assert set(buckets) == {("EU",), ("COE",), ("COE", "EU")}
    assert buckets[("COE", "EU")]["joint"] and not buckets[("EU",)]["joint"]
    assert buckets[("COE", "EU")]["totals"]["morocco"].mad == Decimal(10800)
    assert buckets[("EU",)]["totals"]["morocco"].mad == Decimal(1080)
    assert buckets[("COE",)]["totals"]["morocco"].without_amount == 1
    # Single partners first, then joint buckets.
    assert [b["joint"] for b in funding.by_partner(rows)] == [False, False, True]


def test_by_axis_never_splits_an_amount_across_axes():
    rows = [row("ONE", "100", "EUR", measures=("A1.O1.M1", "A1.O2.M1")),
            row("TWO", "200", "EUR", measures=("A1.O1.M1", "A3.O1.M1")),
            row("NONE", None, None)]
    buckets = {b["axis"]: b for b in funding.by_axis(rows, ["A1", "A2", "A3"])}
    assert list(buckets) == ["A1", SEVERAL_AXES, NO_AXIS]  # empty axes are left out
    assert [r["code"] for r in buckets["A1"]["programmes"]] == ["ONE"]
    assert buckets[SEVERAL_AXES]["totals"]["morocco"].mad == Decimal(2160)
    assert {m["code"] for m in buckets[SEVERAL_AXES]["measures"]} == {"A1.O1.M1", "A3.O1.M1"}
    assert buckets[NO_AXIS]["totals"]["morocco"].without_amount == 1


def test_supported_measures_per_partner():
    rows = [row("JTIP", "1", "USD", partners=("IOM", "USDOS"), measures=("A4.O2.M1",)),
            row("RT", None, None, partners=("IOM",), measures=("A4.O2.M1", "A4.O2.M2"))]
    partners = {p["acronym"]: p for p in funding.supported_measures(rows)}
    assert set(partners) == {"IOM", "USDOS"}
    iom = partners["IOM"]["measures"]
    assert [m["code"] for m in iom] == ["A4.O2.M1", "A4.O2.M2"]
    assert iom[0]["programmes"] == ["JTIP", "RT"] and iom[0]["progress"] == 40
    assert partners["IOM"]["is_demo"]


# --- the reference programmes in the database ---------------------------------------------


def test_reference_programmes_with_their_published_amounts(session):
    rows = {r["code"]: r for r in funding.programmes(session, "en")}
    assert len(rows) == 7
    south = rows["COE-EU-SOUTH-III"]
    assert (south["currency"], south["committed"], south["scope"]) == ("EUR", Decimal("3334000.00"), "regional")
    assert [p["acronym"] for p in south["partners"]] == ["COE", "EU"]  # the 90/10 split stays in the text
    assert "90%" in south["summary"]
    assert rows["GLO-ACT"]["scope"] == "global" and rows["GLO-ACT"]["committed_mad"] == Decimal("118800000.00")
    assert rows["JTIP"]["committed_mad"] == Decimal("25000000.00") and rows["JTIP"]["start_year"] == 2024
    assert rows["JTIP"]["rate"].mad_per_unit == Decimal("10.0000")
    for code in ("COE-EU-SOUTH-V", "IOM-EU-ROUNDTABLES", "EU-TECHNICAL-SUPPORT", "UNWOMEN-CH-JUSTICE"):
        assert rows[code]["committed"] is None and rows[code]["committed_mad"] is None
    assert all(r["disbursed"] is None for r in rows.values())  # no disbursement is published
    assert all(r["source"] for r in rows.values())
    # Reference data only: the links to measures are demonstration data.
    assert all(r["measures"] == [] for r in rows.values())

    totals = funding.totals(list(rows.values()))
    assert totals["morocco"].mad == Decimal("25000000.00")
    assert (totals["morocco"].programmes, totals["morocco"].without_amount) == (3, 2)
    assert totals["regional"].mad == Decimal("36007200.00")
    assert totals["global"].by_currency == {"EUR": Decimal("11000000.00")}


def test_rates_are_stated_with_date_and_source(session):
    rates = funding.rates(session)
    assert {c: r.mad_per_unit for c, r in rates.items()} == {
        "CHF": Decimal("11.3000"), "EUR": Decimal("10.8000"), "USD": Decimal("10.0000")}
    assert all(r.as_of and "indicative" in r.source.lower() for r in rates.values())


def test_of_partner(session):
    rows = funding.programmes(session, "fr")
    assert {r["code"] for r in funding.of_partner(rows, "COE")} == {"COE-EU-SOUTH-III", "COE-EU-SOUTH-V"}
    assert funding.of_partner(rows, None) == rows
    assert funding.of_partner(rows, "NOBODY") == []


# --- loading ----------------------------------------------------------------------------


def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ whose files a test may edit."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR / "reference", target / "reference")
    (target / "demo").mkdir()
    return target


def test_loading_again_changes_nothing(session):
    report = LoadReport()
    funding_files.load(session, DATA_DIR, False, report)
    assert report.changes == 0


def test_demo_links_only_with_demo_and_only_to_existing_measures(session, tmp_path):
    data = data_copy(tmp_path)
    (data / "demo" / "programme_measures.yaml").write_text(
        "- programme: JTIP\n  measures: [A2.O1.M1, A1.O1.M1, Z9.O9.M9]\n", encoding="utf-8")
    funding_files.load(session, data, False, LoadReport())
    assert session.scalar(select(Programme).where(Programme.code == "JTIP")).measures == []

    report = LoadReport()
    funding_files.load(session, data, True, report)
    assert report.updated == {"programmes": 1} and not report.created
    jtip = next(r for r in funding.programmes(session, "en") if r["code"] == "JTIP")
    assert [m["code"] for m in jtip["measures"]] == ["A1.O1.M1", "A2.O1.M1"]  # Z9.O9.M9 skipped
    assert jtip["measures_are_demo"]
    buckets = {b["axis"]: b for b in funding.by_axis([jtip], ["A1", "A2"])}
    assert list(buckets) == [SEVERAL_AXES]

    again = LoadReport()
    funding_files.load(session, data, True, again)
    assert again.changes == 0


def test_a_changed_amount_is_updated(session, tmp_path):
    data = data_copy(tmp_path)
    path = data / "reference" / "programmes.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("amount_committed: 2500000", "amount_committed: 2600000"),
                    encoding="utf-8")
    rate_path = data / "reference" / "exchange_rates.yaml"
    rate_path.write_text(rate_path.read_text(encoding="utf-8").replace("mad_per_unit: 10.00", "mad_per_unit: 9.50"),
                         encoding="utf-8")
    report = LoadReport()
    funding_files.load(session, data, False, report)
    assert report.updated == {"programmes": 1, "exchange rates": 1}
    jtip = next(r for r in funding.programmes(session, "en") if r["code"] == "JTIP")
    assert jtip["committed_mad"] == Decimal("24700000.00")
    assert session.get(ExchangeRate, "USD").mad_per_unit == Decimal("9.5000")


def refused(data: Path, file: str, old: str, new: str, load) -> list[Problem]:
    """The problems ``load(data)`` reports once ``old`` becomes ``new`` in ``data/<file>``."""
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        load(data)
    return raised.value.problems


PROGRAMMES, RATES_FILE = "reference/programmes.yaml", "reference/exchange_rates.yaml"


@pytest.mark.parametrize("file,old,new,message", [
    (PROGRAMMES, "currency: USD\n", "currency: GBP\n", "'currency' must be one of"),
    (PROGRAMMES, "partners: [ILO, IOM, UNODC, USDOS]", "partners: [ILO, NOBODY]",
     "unknown partner entity 'NOBODY'"),
    (PROGRAMMES, "amount_committed: 2500000", "amount_committed: -5", "must be a published amount or null"),
    (PROGRAMMES, "  scope: global", "  scope: planet", "'scope' is 'planet'"),
    (PROGRAMMES, "start_year: 2018\n  end_year: 2020", "start_year: 2020\n  end_year: 2018",
     "'end_year' is before"),
    (PROGRAMMES, "- code: JTIP", "- code: GLO-ACT", "duplicate programme code 'GLO-ACT'"),
    (PROGRAMMES, "  currency: EUR\n  amount_committed: 11000000", "  currency: null\n  amount_committed: 11000000",
     "an amount needs its 'currency'"),
    (RATES_FILE, "mad_per_unit: 10.80", "mad_per_unit: 0", "'mad_per_unit' must be a positive number"),
    (RATES_FILE, "- currency: CHF", "- currency: EUR", "duplicate rate for EUR"),
    (RATES_FILE, "- currency: CHF", "- currency: MAD", "'currency' must be one of"),
    (RATES_FILE, "as_of: 2026-11-20\n  source: &indicative", "as_of: soon\n  source: &indicative",
     "'as_of' must be a date"),
])
def test_bad_files_are_refused_with_their_line(session, tmp_path, file, old, new, message):
    problems = refused(data_copy(tmp_path), file, old, new,
                       lambda data: funding_files.load(session, data, False, LoadReport()))
    assert any(message in p.message and p.line > 1 for p in problems), problems


def test_bad_demo_links_are_refused(session, tmp_path):
    data = data_copy(tmp_path)
    (data / "demo" / "programme_measures.yaml").write_text(
        "- programme: JTIP\n  measures: [A1.O1.M1]\n- programme: NOPE\n  measures: A1\n", encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        funding_files.load(session, data, True, LoadReport())
    assert [p.line for p in raised.value.problems] == [3, 3]


def test_a_data_folder_without_these_files_loads_nothing(session, tmp_path):
    report = LoadReport()
    funding_files.load(session, tmp_path, True, report)
    assert report.changes == 0
